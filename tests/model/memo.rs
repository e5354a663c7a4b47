// A memo a user keeps, soft-deleted: deleting one stamps `deleted_at`. Its
// text is unique, to show that a stamped row keeps its unique values.
use keyway::prelude::*;
use keyway::typenum::U4;

use crate::model::User;

#[derive(Debug, Clone, PartialEq)]
pub struct Memo {
    pub id: i64,
    pub user_id: i64,
    pub text: String,
    pub deleted_at: Option<i64>,
}

impl Memo {
    pub const ID: Column<Memo, i64, PrimaryKey> = Column::new("id").auto();
    pub const USER_ID: Column<Memo, i64, Secondary> = Column::new("user_id");
    pub const TEXT: Column<Memo, String, Unique> = Column::new("text");
    pub const DELETED_AT: Column<Memo, Option<i64>> = Column::new("deleted_at").deleted_at();

    pub fn new(user_id: i64, text: &str) -> Self {
        Memo {
            id: 0,
            user_id,
            text: text.into(),
            deleted_at: None,
        }
    }
}

impl Entity for Memo {
    type Key = i64;
    const TABLE: &'static str = "memos";
    const LAYOUT: Option<Layout> =
        crate::model::shared(Layout::new("app", "Memo").key("MEMO#{id}", "MEMO"));
    const COLUMNS: &'static [ColumnDef] = &[
        Memo::ID.def(),
        Memo::USER_ID.def(),
        Memo::TEXT.def(),
        Memo::DELETED_AT.def(),
    ];
    fn key(&self) -> i64 {
        self.id
    }
    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Memo::ID, &self.id);
        row.put(Memo::USER_ID, &self.user_id);
        row.put(Memo::TEXT, &self.text);
        row.put(Memo::DELETED_AT, &self.deleted_at);
    }
    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(Memo {
            id: row.get(Memo::ID)?,
            user_id: row.get(Memo::USER_ID)?,
            text: row.get(Memo::TEXT)?,
            deleted_at: row.get(Memo::DELETED_AT)?,
        })
    }
}

/// A user's memos.
#[derive(Debug, Clone, Copy)]
pub struct UserMemos;

impl Relation for UserMemos {
    type From = User;
    type To = Memo;
    type Slot = U4;
    type Link = HasMany<Column<Memo, i64, Secondary>>;
    const LINK: Self::Link = HasMany(Memo::USER_ID);
}

impl User {
    pub const MEMOS: UserMemos = UserMemos;
}
