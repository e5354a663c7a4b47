// A tag on a todo: the todo's tags are a has-many, a tag's todo a belongs-to
// through a nullable foreign key (deleting the todo keeps its tags, untied).
use keyway::prelude::*;
use keyway::typenum::{U0, U1};

use crate::model::Todo;

/// A label on a todo; deleting the todo sets `todo_id` to NULL.
#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    pub id: i64,
    pub todo_id: Option<i64>,
    pub label: String,
}

impl Tag {
    pub const ID: Column<Tag, i64, PrimaryKey> = Column::new("id").auto();
    pub const TODO_ID: Column<Tag, Option<i64>, Secondary> = Column::new("todo_id");
    pub const LABEL: Column<Tag, String> = Column::new("label");
    pub const TODO: TagTodo = TagTodo;

    pub fn new(todo_id: i64, label: &str) -> Self {
        Tag {
            id: 0,
            todo_id: Some(todo_id),
            label: label.into(),
        }
    }
}

impl Entity for Tag {
    type Key = i64;
    const TABLE: &'static str = "tags";
    const LAYOUT: Option<Layout> = Some(
        Layout::new("app", "Tag")
            .key("TAG#{id}", "TAG")
            .indexes(&[LayoutIndex::new("GSI1", "TODO#{todo_id}", "TAG#{id}")]),
    );
    const COLUMNS: &'static [ColumnDef] = &[Tag::ID.def(), Tag::TODO_ID.def(), Tag::LABEL.def()];
    const FOREIGN_KEYS: &'static [ForeignKeyDef] =
        &[ForeignKeyDef::new(Tag::TODO_ID, Todo::ID).on_delete(OnDelete::SetNull)];
    fn key(&self) -> i64 {
        self.id
    }
    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Tag::ID, &self.id);
        row.put(Tag::TODO_ID, &self.todo_id);
        row.put(Tag::LABEL, &self.label);
    }
    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(Tag {
            id: row.get(Tag::ID)?,
            todo_id: row.get(Tag::TODO_ID)?,
            label: row.get(Tag::LABEL)?,
        })
    }
}

/// A todo's tags.
#[derive(Debug, Clone, Copy)]
pub struct TodoTags;

impl Relation for TodoTags {
    type From = crate::model::Todo;
    type To = crate::model::Tag;
    type Slot = U1;
    type Link = HasMany<Column<Tag, Option<i64>, Secondary>>;
    const LINK: Self::Link = HasMany(Tag::TODO_ID);
}

/// The todo a tag is on, if any.
#[derive(Debug, Clone, Copy)]
pub struct TagTodo;

impl Relation for TagTodo {
    type From = crate::model::Tag;
    type To = crate::model::Todo;
    type Slot = U0;
    type Link = BelongsTo<Column<Tag, Option<i64>, Secondary>>;
    const LINK: Self::Link = BelongsTo(Tag::TODO_ID);
}

impl Todo {
    pub const TAGS: TodoTags = TodoTags;
}
