//! Foreign keys through indexed access only, so that every backend runs
//! them (DynamoDB included): a missing parent is refused, and deleting a
//! parent restricts, cascades (to grandchildren, and past 100 children) or
//! sets NULL, in and out of transactions.

use keyway::prelude::*;
use keyway::{Backend, Error};

use crate::model::{Author, Comment, Draft, Post, Tag, Todo, User};

type Chain = (Author, Post, Comment, Draft);

fn is_fk(err: &Error, entity: &str) -> bool {
    matches!(err, Error::ForeignKeyViolation { entity: e, .. } if *e == entity)
}

async fn posts_of<B: Backend>(db: &Db<B>, author: i64) -> u64 {
    db.count(Post::query().filter(Post::AUTHOR_ID.eq(author)))
        .await
        .unwrap()
}

async fn comments_of<B: Backend>(db: &Db<B>, post: i64) -> u64 {
    db.count(Comment::query().filter(Comment::POST_ID.eq(post)))
        .await
        .unwrap()
}

pub async fn fk_missing_parent_is_refused<B: Backend>(db: &Db<B>) {
    db.create_schema::<Chain>().await.unwrap();
    let ann = db.insert(&Author::new("Ann")).await.unwrap();
    let missing = ann + 1000;
    let err = db.insert(&Post::new(missing, "orphan")).await.unwrap_err();
    assert!(is_fk(&err, "Post"), "{err:?}");
    assert_eq!(posts_of(db, missing).await, 0);
    // Nothing was written: not even the unique slug.
    let first = db.insert(&Post::new(ann, "orphan")).await.unwrap();
    // Several rows of one parent, one of them an orphan: none is written.
    let rows = [
        Post::new(ann, "a"),
        Post::new(ann, "b"),
        Post::new(missing, "c"),
        Post::new(ann, "d"),
    ];
    let err = db.insert_many(&rows).await.unwrap_err();
    assert!(is_fk(&err, "Post"), "{err:?}");
    assert_eq!(posts_of(db, ann).await, 1);
    db.insert_many(&[Post::new(ann, "a"), Post::new(ann, "b")])
        .await
        .unwrap();
    assert_eq!(posts_of(db, ann).await, 3);
    // An update to a missing parent is refused and changes nothing.
    let err = db
        .update(Post::update(first).set(Post::AUTHOR_ID, missing))
        .await
        .unwrap_err();
    assert!(is_fk(&err, "Post"), "{err:?}");
    assert_eq!(db.get::<Post>(first).await.unwrap().author_id, ann);
    let err = db
        .update(
            Post::query()
                .filter(Post::AUTHOR_ID.eq(ann))
                .update()
                .set(Post::AUTHOR_ID, missing),
        )
        .await
        .unwrap_err();
    assert!(is_fk(&err, "Post"), "{err:?}");
    assert_eq!(posts_of(db, ann).await, 3);
    // NULL references are not checked; a real parent is fine.
    let draft = db.insert(&Draft::new(None, "loose")).await.unwrap();
    let err = db
        .update(Draft::update(draft).set(Draft::AUTHOR_ID, Some(missing)))
        .await
        .unwrap_err();
    assert!(is_fk(&err, "Draft"), "{err:?}");
    db.update(Draft::update(draft).set(Draft::AUTHOR_ID, Some(ann)))
        .await
        .unwrap();
    assert_eq!(db.get::<Draft>(draft).await.unwrap().author_id, Some(ann));
}

pub async fn fk_restrict_refuses_the_delete<B: Backend>(db: &Db<B>) {
    db.create_schema::<(User, Todo)>().await.unwrap();
    let ann = db.insert(&User::new("Ann", "ann@x.test")).await.unwrap();
    let todo = db.insert(&Todo::new(ann, "keep me", 1)).await.unwrap();
    let err = db.delete(User::delete(ann)).await.unwrap_err();
    assert!(is_fk(&err, "User"), "{err:?}");
    let by_email = User::query().filter(User::EMAIL.eq("ann@x.test"));
    let err = db.delete(by_email.clone().delete()).await.unwrap_err();
    assert!(is_fk(&err, "User"), "{err:?}");
    assert_eq!(db.get::<User>(ann).await.unwrap().email, "ann@x.test");
    assert!(db.find::<Todo>(todo).await.unwrap().is_some());
    // The email's unique value is still taken: the user was not deleted.
    let dup = db.insert(&User::new("Other", "ann@x.test")).await;
    assert!(matches!(dup, Err(Error::UniqueViolation { .. })), "{dup:?}");
    db.delete(Todo::delete(todo)).await.unwrap();
    assert_eq!(db.delete(by_email.delete()).await.unwrap(), 1);
    assert!(db.find::<User>(ann).await.unwrap().is_none());
}

pub async fn fk_cascade_reaches_grandchildren<B: Backend>(db: &Db<B>) {
    db.create_schema::<Chain>().await.unwrap();
    let ann = db.insert(&Author::new("Ann")).await.unwrap();
    let bob = db.insert(&Author::new("Bob")).await.unwrap();
    let posts = db
        .insert_many(&[Post::new(ann, "p1"), Post::new(ann, "p2")])
        .await
        .unwrap();
    let bobs = db.insert(&Post::new(bob, "b1")).await.unwrap();
    let mut comments = Vec::new();
    for &p in posts.iter().chain([&bobs]) {
        comments.push(Comment::new(p, "first"));
        comments.push(Comment::new(p, "second"));
    }
    db.insert_many(&comments).await.unwrap();
    let drafts = db
        .insert_many(&[Draft::new(Some(ann), "d1"), Draft::new(Some(bob), "d2")])
        .await
        .unwrap();

    db.delete(Author::delete(ann)).await.unwrap();
    assert!(db.find::<Author>(ann).await.unwrap().is_none());
    assert_eq!(posts_of(db, ann).await, 0);
    for &p in &posts {
        assert!(db.find::<Post>(p).await.unwrap().is_none());
        assert_eq!(comments_of(db, p).await, 0, "grandchildren deleted");
    }
    // The other author's rows are untouched.
    assert_eq!(posts_of(db, bob).await, 1);
    assert_eq!(comments_of(db, bobs).await, 2);
    // Set NULL beside the cascade.
    assert_eq!(db.get::<Draft>(drafts[0]).await.unwrap().author_id, None);
    assert_eq!(
        db.get::<Draft>(drafts[1]).await.unwrap().author_id,
        Some(bob)
    );
    let loose = Draft::query().filter(Draft::AUTHOR_ID.eq(ann));
    assert_eq!(db.count(loose).await.unwrap(), 0);
    // The deleted posts' unique slugs are free again.
    db.insert_many(&[Post::new(bob, "p1"), Post::new(bob, "p2")])
        .await
        .unwrap();
    // By query: the matched count is the parents'.
    let n = db
        .delete(Author::query().filter(Author::ID.eq(bob)).delete())
        .await
        .unwrap();
    assert_eq!(n, 1);
    assert_eq!(posts_of(db, bob).await, 0);
    assert_eq!(comments_of(db, bobs).await, 0);
}

pub async fn fk_set_null_detaches_children<B: Backend>(db: &Db<B>) {
    db.create_schema::<(User, Todo, Tag)>().await.unwrap();
    let ann = db.insert(&User::new("Ann", "ann@x.test")).await.unwrap();
    let todos = db
        .insert_many(&[Todo::new(ann, "a", 1), Todo::new(ann, "b", 2)])
        .await
        .unwrap();
    let tags = db
        .insert_many(&[
            Tag::new(todos[0], "x"),
            Tag::new(todos[0], "y"),
            Tag::new(todos[1], "z"),
        ])
        .await
        .unwrap();
    db.delete(Todo::delete(todos[0])).await.unwrap();
    assert_eq!(db.get::<Tag>(tags[0]).await.unwrap().todo_id, None);
    assert_eq!(db.get::<Tag>(tags[1]).await.unwrap().todo_id, None);
    assert_eq!(db.get::<Tag>(tags[1]).await.unwrap().label, "y");
    assert_eq!(
        db.get::<Tag>(tags[2]).await.unwrap().todo_id,
        Some(todos[1])
    );
    let by_todo = Tag::query().filter(Tag::TODO_ID.eq(todos[0]));
    assert_eq!(db.count(by_todo).await.unwrap(), 0);
    assert_eq!(db.count(Tag::query().scan()).await.unwrap(), 3);
}

pub async fn fk_cascade_past_100_children<B: Backend>(db: &Db<B>) {
    db.create_schema::<Chain>().await.unwrap();
    let ann = db.insert(&Author::new("Ann")).await.unwrap();
    let posts: Vec<Post> = (0..130).map(|i| Post::new(ann, &format!("s{i}"))).collect();
    let ids = db.insert_many(&posts).await.unwrap();
    db.insert(&Comment::new(ids[129], "last")).await.unwrap();
    assert_eq!(posts_of(db, ann).await, 130);
    db.delete(Author::delete(ann)).await.unwrap();
    assert_eq!(posts_of(db, ann).await, 0);
    assert_eq!(comments_of(db, ids[129]).await, 0);
    assert!(db.find::<Author>(ann).await.unwrap().is_none());
    // Every slug was released.
    let bob = db.insert(&Author::new("Bob")).await.unwrap();
    let again: Vec<Post> = (0..130).map(|i| Post::new(bob, &format!("s{i}"))).collect();
    db.insert_many(&again).await.unwrap();
}

pub async fn fk_in_a_transaction<B: Backend>(db: &Db<B>) {
    db.create_schema::<Chain>().await.unwrap();
    // A parent and its children written together.
    let (ann, post) = db
        .transaction(async |tx| {
            let ann = tx.insert(&Author::new("Ann")).await?;
            let post = tx.insert(&Post::new(ann, "p")).await?;
            tx.insert(&Comment::new(post, "c")).await?;
            Ok((ann, post))
        })
        .await
        .unwrap();
    assert_eq!(comments_of(db, post).await, 1);
    // A missing parent fails the transaction; nothing of it is written.
    let err = db
        .transaction(async |tx| {
            tx.insert(&Draft::new(None, "kept?")).await?;
            tx.insert(&Post::new(ann + 1000, "orphan")).await?;
            Ok(())
        })
        .await
        .unwrap_err();
    assert!(is_fk(&err, "Post"), "{err:?}");
    let kept = db.count(Draft::query().scan()).await.unwrap();
    assert_eq!(kept, 0);
    // A cascade rolled back deletes nothing.
    let tx = db.begin().await.unwrap();
    tx.delete(Author::delete(ann)).await.unwrap();
    assert!(
        tx.find::<Post>(post).await.unwrap().is_none(),
        "seen in the tx"
    );
    tx.rollback().await.unwrap();
    assert_eq!(posts_of(db, ann).await, 1);
    assert_eq!(comments_of(db, post).await, 1);
    // Committed, it deletes the children and grandchildren.
    let draft = db.insert(&Draft::new(Some(ann), "d")).await.unwrap();
    db.transaction(async |tx| tx.delete(Author::delete(ann)).await)
        .await
        .unwrap();
    assert_eq!(posts_of(db, ann).await, 0);
    assert_eq!(comments_of(db, post).await, 0);
    assert_eq!(db.get::<Draft>(draft).await.unwrap().author_id, None);
    // Children written in the transaction cascade with their parent.
    let bob = db.insert(&Author::new("Bob")).await.unwrap();
    db.transaction(async |tx| {
        let p = tx.insert(&Post::new(bob, "fresh")).await?;
        tx.insert(&Comment::new(p, "fresh")).await?;
        tx.delete(Author::delete(bob)).await
    })
    .await
    .unwrap();
    assert!(db.find::<Author>(bob).await.unwrap().is_none());
    assert_eq!(posts_of(db, bob).await, 0);
    // The slug the transaction claimed and released is free.
    let carol = db.insert(&Author::new("Carol")).await.unwrap();
    db.insert(&Post::new(carol, "fresh")).await.unwrap();
    // Restrict, in a transaction.
    db.create_schema::<(User, Todo)>().await.unwrap();
    let user = db.insert(&User::new("Dan", "dan@x.test")).await.unwrap();
    db.insert(&Todo::new(user, "t", 1)).await.unwrap();
    let err = db
        .transaction(async |tx| tx.delete(User::delete(user)).await)
        .await
        .unwrap_err();
    assert!(is_fk(&err, "User"), "{err:?}");
    assert!(db.find::<User>(user).await.unwrap().is_some());
}
