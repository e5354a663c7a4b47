// A chain of foreign keys for the generic foreign-key tests: deleting an
// author cascades to its posts (each with a unique slug) and on to their
// comments, and sets its drafts' author to NULL.
use keyway::prelude::*;

/// The parent of the chain.
#[derive(Debug, Clone, PartialEq)]
pub struct Author {
    pub id: i64,
    pub name: String,
}

impl Author {
    pub const ID: Column<Author, i64, PrimaryKey> = Column::new("id").auto();
    pub const NAME: Column<Author, String> = Column::new("name");

    pub fn new(name: &str) -> Self {
        Author {
            id: 0,
            name: name.into(),
        }
    }
}

impl Entity for Author {
    type Key = i64;
    const TABLE: &'static str = "fk_authors";
    const LAYOUT: Option<Layout> =
        crate::model::shared(Layout::new("app", "Author").key("AUTHOR#{id}", "AUTHOR"));
    const COLUMNS: &'static [ColumnDef] = &[Author::ID.def(), Author::NAME.def()];
    fn key(&self) -> i64 {
        self.id
    }
    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Author::ID, &self.id);
        row.put(Author::NAME, &self.name);
    }
    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(Author {
            id: row.get(Author::ID)?,
            name: row.get(Author::NAME)?,
        })
    }
}

/// An author's post, deleted with the author; its slug is unique.
#[derive(Debug, Clone, PartialEq)]
pub struct Post {
    pub id: i64,
    pub author_id: i64,
    pub slug: String,
}

impl Post {
    pub const ID: Column<Post, i64, PrimaryKey> = Column::new("id").auto();
    pub const AUTHOR_ID: Column<Post, i64, Secondary> = Column::new("author_id");
    pub const SLUG: Column<Post, String, Unique> = Column::new("slug");

    pub fn new(author_id: i64, slug: &str) -> Self {
        Post {
            id: 0,
            author_id,
            slug: slug.into(),
        }
    }
}

impl Entity for Post {
    type Key = i64;
    const TABLE: &'static str = "fk_posts";
    const LAYOUT: Option<Layout> =
        crate::model::shared(Layout::new("app", "Post").key("POST#{id}", "POST"));
    const COLUMNS: &'static [ColumnDef] =
        &[Post::ID.def(), Post::AUTHOR_ID.def(), Post::SLUG.def()];
    const FOREIGN_KEYS: &'static [ForeignKeyDef] =
        &[ForeignKeyDef::new(Post::AUTHOR_ID, Author::ID).on_delete(OnDelete::Cascade)];
    fn key(&self) -> i64 {
        self.id
    }
    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Post::ID, &self.id);
        row.put(Post::AUTHOR_ID, &self.author_id);
        row.put(Post::SLUG, &self.slug);
    }
    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(Post {
            id: row.get(Post::ID)?,
            author_id: row.get(Post::AUTHOR_ID)?,
            slug: row.get(Post::SLUG)?,
        })
    }
}

/// A comment on a post, deleted with the post (so with its author too).
#[derive(Debug, Clone, PartialEq)]
pub struct Comment {
    pub id: i64,
    pub post_id: i64,
    pub body: String,
}

impl Comment {
    pub const ID: Column<Comment, i64, PrimaryKey> = Column::new("id").auto();
    pub const POST_ID: Column<Comment, i64, Secondary> = Column::new("post_id");
    pub const BODY: Column<Comment, String> = Column::new("body");

    pub fn new(post_id: i64, body: &str) -> Self {
        Comment {
            id: 0,
            post_id,
            body: body.into(),
        }
    }
}

impl Entity for Comment {
    type Key = i64;
    const TABLE: &'static str = "fk_comments";
    const LAYOUT: Option<Layout> =
        crate::model::shared(Layout::new("app", "Comment").key("COMMENT#{id}", "COMMENT"));
    const COLUMNS: &'static [ColumnDef] = &[
        Comment::ID.def(),
        Comment::POST_ID.def(),
        Comment::BODY.def(),
    ];
    const FOREIGN_KEYS: &'static [ForeignKeyDef] =
        &[ForeignKeyDef::new(Comment::POST_ID, Post::ID).on_delete(OnDelete::Cascade)];
    fn key(&self) -> i64 {
        self.id
    }
    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Comment::ID, &self.id);
        row.put(Comment::POST_ID, &self.post_id);
        row.put(Comment::BODY, &self.body);
    }
    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(Comment {
            id: row.get(Comment::ID)?,
            post_id: row.get(Comment::POST_ID)?,
            body: row.get(Comment::BODY)?,
        })
    }
}

/// An author's draft: kept, without its author, when the author is deleted.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub id: i64,
    pub author_id: Option<i64>,
    pub title: String,
}

impl Draft {
    pub const ID: Column<Draft, i64, PrimaryKey> = Column::new("id").auto();
    pub const AUTHOR_ID: Column<Draft, Option<i64>, Secondary> = Column::new("author_id");
    pub const TITLE: Column<Draft, String> = Column::new("title");

    pub fn new(author_id: Option<i64>, title: &str) -> Self {
        Draft {
            id: 0,
            author_id,
            title: title.into(),
        }
    }
}

impl Entity for Draft {
    type Key = i64;
    const TABLE: &'static str = "fk_drafts";
    const LAYOUT: Option<Layout> =
        crate::model::shared(Layout::new("app", "Draft").key("DRAFT#{id}", "DRAFT"));
    const COLUMNS: &'static [ColumnDef] =
        &[Draft::ID.def(), Draft::AUTHOR_ID.def(), Draft::TITLE.def()];
    const FOREIGN_KEYS: &'static [ForeignKeyDef] =
        &[ForeignKeyDef::new(Draft::AUTHOR_ID, Author::ID).on_delete(OnDelete::SetNull)];
    fn key(&self) -> i64 {
        self.id
    }
    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Draft::ID, &self.id);
        row.put(Draft::AUTHOR_ID, &self.author_id);
        row.put(Draft::TITLE, &self.title);
    }
    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(Draft {
            id: row.get(Draft::ID)?,
            author_id: row.get(Draft::AUTHOR_ID)?,
            title: row.get(Draft::TITLE)?,
        })
    }
}
