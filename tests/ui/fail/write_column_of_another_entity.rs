// `User::write` puts a value through a column of `Todo`: it does not compile,
// whatever the value's type.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use model::Todo;

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
    const TABLE: &'static str = "users";
    const COLUMNS: &'static [ColumnDef] = &[User::ID.def(), User::NAME.def()];
    fn key(&self) -> i64 {
        self.id
    }
    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(User::ID, &self.id);
        row.put(Todo::TITLE, &self.name);
    }
    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(User { id: row.get(User::ID)?, name: row.get(User::NAME)? })
    }
}

fn main() {}
