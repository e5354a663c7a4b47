//! Version 1: users and their todos.

use keyway::prelude::*;

/// A user.
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: i64,
    pub name: String,
}

impl User {
    pub const ID: Column<User, i64, PrimaryKey> = Column::new("id").auto();
    pub const NAME: Column<User, String> = Column::new("name");
}

impl Entity for User {
    type Key = i64;
    const TABLE: &'static str = "app_users";
    const COLUMNS: &'static [ColumnDef] = &[User::ID.def(), User::NAME.def()];

    fn key(&self) -> i64 {
        self.id
    }

    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(User::ID, &self.id);
        row.put(User::NAME, &self.name);
    }

    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(User {
            id: row.get(User::ID)?,
            name: row.get(User::NAME)?,
        })
    }
}

/// A todo of a user.
#[derive(Debug, Clone, PartialEq)]
pub struct Todo {
    pub id: i64,
    pub user_id: i64,
    pub title: String,
    pub done: bool,
}

impl Todo {
    pub const ID: Column<Todo, i64, PrimaryKey> = Column::new("id").auto();
    pub const USER_ID: Column<Todo, i64, Secondary> = Column::new("user_id");
    pub const TITLE: Column<Todo, String> = Column::new("title");
    pub const DONE: Column<Todo, bool> = Column::new("done");
}

impl Entity for Todo {
    type Key = i64;
    const TABLE: &'static str = "app_todos";
    const COLUMNS: &'static [ColumnDef] = &[
        Todo::ID.def(),
        Todo::USER_ID.def(),
        Todo::TITLE.def(),
        Todo::DONE.def(),
    ];
    const FOREIGN_KEYS: &'static [ForeignKeyDef] = &[ForeignKeyDef::new(Todo::USER_ID, User::ID)];

    fn key(&self) -> i64 {
        self.id
    }

    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Todo::ID, &self.id);
        row.put(Todo::USER_ID, &self.user_id);
        row.put(Todo::TITLE, &self.title);
        row.put(Todo::DONE, &self.done);
    }

    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(Todo {
            id: row.get(Todo::ID)?,
            user_id: row.get(Todo::USER_ID)?,
            title: row.get(Todo::TITLE)?,
            done: row.get(Todo::DONE)?,
        })
    }
}

/// The tables of version 1, parents first.
pub type Schema = (User, Todo);
