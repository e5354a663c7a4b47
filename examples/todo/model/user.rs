// A user: auto-increment key, a unique email. Shared by the tests, benches and doc examples.
use keyway::prelude::*;

/// A user of the todo app.
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub email: String,
}

impl User {
    pub const ID: Column<User, i64, PrimaryKey> = Column::new("id").auto();
    pub const NAME: Column<User, String> = Column::new("name");
    pub const EMAIL: Column<User, String, Unique> = Column::new("email");

    /// A user not yet inserted (the database assigns the id).
    pub fn new(name: &str, email: &str) -> Self {
        User {
            id: 0,
            name: name.into(),
            email: email.into(),
        }
    }
}

impl Entity for User {
    type Key = i64;
    const TABLE: &'static str = "users";
    const LAYOUT: Option<Layout> = Some(Layout::new("app", "User").key("USER#{id}", "USER"));
    const COLUMNS: &'static [ColumnDef] = &[User::ID.def(), User::NAME.def(), User::EMAIL.def()];

    fn key(&self) -> i64 {
        self.id
    }

    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(User::ID, &self.id);
        row.put(User::NAME, &self.name);
        row.put(User::EMAIL, &self.email);
    }

    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(User {
            id: row.get(User::ID)?,
            name: row.get(User::NAME)?,
            email: row.get(User::EMAIL)?,
        })
    }
}
