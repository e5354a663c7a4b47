// A has-many whose foreign-key column holds `String` while the parent's key
// is `i64`: the link does not compile.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use keyway::typenum::U5;
use model::User;

pub struct Note {
    pub id: i64,
    pub author: String,
}

impl Note {
    pub const ID: Column<Note, i64, PrimaryKey> = Column::new("id").auto();
    pub const AUTHOR: Column<Note, String, Secondary> = Column::new("author");
}

impl Entity for Note {
    type Key = i64;
    const TABLE: &'static str = "notes";
    const COLUMNS: &'static [ColumnDef] = &[Note::ID.def(), Note::AUTHOR.def()];
    fn key(&self) -> i64 {
        self.id
    }
    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Note::ID, &self.id);
        row.put(Note::AUTHOR, &self.author);
    }
    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(Note { id: row.get(Note::ID)?, author: row.get(Note::AUTHOR)? })
    }
}

#[derive(Clone, Copy)]
pub struct UserNotes;

impl Relation for UserNotes {
    type From = User;
    type To = Note;
    type Slot = U5;
    type Link = HasMany<Column<Note, String, Secondary>>;
    const LINK: Self::Link = HasMany(Note::AUTHOR);
}

fn main() {}
