// The twin of `link_of_another_key_type` and
// `foreign_key_to_a_column_outside_the_key`: a foreign-key column of the
// parent key's type (or `Option` of it), referencing the parent's key,
// compiles as a foreign key and as a link.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use keyway::typenum::U5;
use model::User;

pub struct Note {
    pub id: i64,
    pub author_id: Option<i64>,
}

impl Note {
    pub const ID: Column<Note, i64, PrimaryKey> = Column::new("id").auto();
    pub const AUTHOR_ID: Column<Note, Option<i64>, Secondary> = Column::new("author_id");
}

impl Entity for Note {
    type Key = i64;
    const TABLE: &'static str = "notes";
    const COLUMNS: &'static [ColumnDef] = &[Note::ID.def(), Note::AUTHOR_ID.def()];
    const FOREIGN_KEYS: &'static [ForeignKeyDef] =
        &[ForeignKeyDef::new(Note::AUTHOR_ID, User::ID).on_delete(OnDelete::SetNull)];
    fn key(&self) -> i64 {
        self.id
    }
    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Note::ID, &self.id);
        row.put(Note::AUTHOR_ID, &self.author_id);
    }
    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(Note { id: row.get(Note::ID)?, author_id: row.get(Note::AUTHOR_ID)? })
    }
}

#[derive(Clone, Copy)]
pub struct UserNotes;

impl Relation for UserNotes {
    type From = User;
    type To = Note;
    type Slot = U5;
    type Link = HasMany<Column<Note, Option<i64>, Secondary>>;
    const LINK: Self::Link = HasMany(Note::AUTHOR_ID);
}

fn main() {
    assert_eq!(Note::FOREIGN_KEYS[0].parent_table, "users");
}
