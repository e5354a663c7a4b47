// `User::read` fills the `i64` field `id` from the `String` column `NAME`: it
// does not compile.
use keyway::prelude::*;

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
        row.put(User::NAME, &self.name);
    }
    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(User { id: row.get(User::NAME)?, name: row.get(User::NAME)? })
    }
}

fn main() {}
