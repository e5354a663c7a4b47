// Twin of fail/dynamodb_unindexed_relation.rs: with an index on the foreign
// key (`Secondary`), the same include compiles against DynamoDB.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use keyway::typenum::U0;
use keyway_dynamodb::DynamoDb;
use model::User;

/// A note on a user, found through an indexed foreign key.
pub struct Note {
    pub id: i64,
    pub user_id: i64,
}

impl Note {
    pub const ID: Column<Note, i64, PrimaryKey> = Column::new("id");
    pub const USER_ID: Column<Note, i64, Secondary> = Column::new("user_id");
}

impl Entity for Note {
    type Key = i64;
    const TABLE: &'static str = "notes";
    const COLUMNS: &'static [ColumnDef] = &[Note::ID.def(), Note::USER_ID.def()];
    fn key(&self) -> i64 {
        self.id
    }
    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Note::ID, &self.id);
        row.put(Note::USER_ID, &self.user_id);
    }
    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(Note { id: row.get(Note::ID)?, user_id: row.get(Note::USER_ID)? })
    }
}

/// A user's notes.
#[derive(Clone, Copy)]
pub struct UserNotes;

impl Relation for UserNotes {
    type From = User;
    type To = Note;
    type Slot = U0;
    type Link = HasMany<Column<Note, i64, Secondary>>;
    const LINK: Self::Link = HasMany(Note::USER_ID);
}

async fn run(db: &Db<DynamoDb>) -> keyway::Result<()> {
    let _ = db.all(User::query().filter(User::ID.eq(1)).include(UserNotes)).await?;
    Ok(())
}

fn main() {
    let _ = run;
}
