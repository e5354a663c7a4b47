//! Version 2: a todo's `done` is now `completed` (a renamed column), it
//! may have a due day (a new column) and is found by title (a new index);
//! todos have tags (a new entity). Users are unchanged.

use keyway::prelude::*;

pub use super::v1::User;

/// A todo of a user.
#[derive(Debug, Clone, PartialEq)]
pub struct Todo {
    pub id: i64,
    pub user_id: i64,
    pub title: String,
    pub completed: bool,
    /// Days since 1970-01-01, if the todo is due.
    pub due: Option<i64>,
}

impl Todo {
    pub const ID: Column<Todo, i64, PrimaryKey> = Column::new("id").auto();
    pub const USER_ID: Column<Todo, i64, Secondary> = Column::new("user_id");
    pub const TITLE: Column<Todo, String, Secondary> = Column::new("title");
    pub const COMPLETED: Column<Todo, bool> = Column::new("completed");
    pub const DUE: Column<Todo, Option<i64>> = Column::new("due");
}

impl Entity for Todo {
    type Key = i64;
    const TABLE: &'static str = "app_todos";
    const COLUMNS: &'static [ColumnDef] = &[
        Todo::ID.def(),
        Todo::USER_ID.def(),
        Todo::TITLE.def(),
        Todo::COMPLETED.def(),
        Todo::DUE.def(),
    ];
    const FOREIGN_KEYS: &'static [ForeignKeyDef] = &[ForeignKeyDef::new(Todo::USER_ID, User::ID)];

    fn key(&self) -> i64 {
        self.id
    }

    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Todo::ID, &self.id);
        row.put(Todo::USER_ID, &self.user_id);
        row.put(Todo::TITLE, &self.title);
        row.put(Todo::COMPLETED, &self.completed);
        row.put(Todo::DUE, &self.due);
    }

    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(Todo {
            id: row.get(Todo::ID)?,
            user_id: row.get(Todo::USER_ID)?,
            title: row.get(Todo::TITLE)?,
            completed: row.get(Todo::COMPLETED)?,
            due: row.get(Todo::DUE)?,
        })
    }
}

/// A tag on a todo, new in version 2.
#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    pub id: i64,
    pub todo_id: i64,
    pub label: String,
}

impl Tag {
    pub const ID: Column<Tag, i64, PrimaryKey> = Column::new("id").auto();
    pub const TODO_ID: Column<Tag, i64, Secondary> = Column::new("todo_id");
    pub const LABEL: Column<Tag, String> = Column::new("label");
}

impl Entity for Tag {
    type Key = i64;
    const TABLE: &'static str = "app_tags";
    const COLUMNS: &'static [ColumnDef] = &[Tag::ID.def(), Tag::TODO_ID.def(), Tag::LABEL.def()];
    const FOREIGN_KEYS: &'static [ForeignKeyDef] =
        &[ForeignKeyDef::new(Tag::TODO_ID, Todo::ID).on_delete(OnDelete::Cascade)];

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

/// The tables of version 2, parents first.
pub type Schema = (User, Todo, Tag);
