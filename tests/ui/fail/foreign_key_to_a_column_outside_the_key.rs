// A foreign key must reference the parent's key: `User::EMAIL` is a unique
// column, not `User`'s key, so the declaration does not compile.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use model::User;

pub struct Invite {
    pub id: i64,
    pub email: String,
}

impl Invite {
    pub const ID: Column<Invite, i64, PrimaryKey> = Column::new("id").auto();
    pub const EMAIL: Column<Invite, String, Secondary> = Column::new("email");
}

impl Entity for Invite {
    type Key = i64;
    const TABLE: &'static str = "invites";
    const COLUMNS: &'static [ColumnDef] = &[Invite::ID.def(), Invite::EMAIL.def()];
    const FOREIGN_KEYS: &'static [ForeignKeyDef] = &[ForeignKeyDef::new(Invite::EMAIL, User::EMAIL)];
    fn key(&self) -> i64 {
        self.id
    }
    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Invite::ID, &self.id);
        row.put(Invite::EMAIL, &self.email);
    }
    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(Invite { id: row.get(Invite::ID)?, email: row.get(Invite::EMAIL)? })
    }
}

fn main() {}
