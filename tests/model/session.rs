// A user's sign-in session, which expires: reads leave an expired session
// out, DynamoDB deletes it (Time to Live), `purge_expired` anywhere. A
// session without an expiry never expires.
use keyway::prelude::*;
use keyway::typenum::U5;

use crate::model::User;

#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub token: String,
    pub user_id: i64,
    pub expires: Option<jiff::Timestamp>,
}

impl Session {
    pub const TOKEN: Column<Session, String, PrimaryKey> = Column::new("token");
    pub const USER_ID: Column<Session, i64, Secondary> = Column::new("user_id");
    pub const EXPIRES: Column<Session, Option<jiff::Timestamp>> =
        Column::new("expires").expires_at();

    pub fn new(token: &str, user_id: i64, expires: Option<jiff::Timestamp>) -> Self {
        Session {
            token: token.into(),
            user_id,
            expires,
        }
    }
}

impl Entity for Session {
    type Key = String;
    const TABLE: &'static str = "sessions";
    const LAYOUT: Option<Layout> =
        crate::model::shared(Layout::new("app", "Session").key("SESSION#{token}", "SESSION"));
    const COLUMNS: &'static [ColumnDef] = &[
        Session::TOKEN.def(),
        Session::USER_ID.def(),
        Session::EXPIRES.def(),
    ];
    fn key(&self) -> String {
        self.token.clone()
    }
    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Session::TOKEN, &self.token);
        row.put(Session::USER_ID, &self.user_id);
        row.put(Session::EXPIRES, &self.expires);
    }
    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(Session {
            token: row.get(Session::TOKEN)?,
            user_id: row.get(Session::USER_ID)?,
            expires: row.get(Session::EXPIRES)?,
        })
    }
}

/// A user's sessions.
#[derive(Debug, Clone, Copy)]
pub struct UserSessions;

impl Relation for UserSessions {
    type From = User;
    type To = Session;
    type Slot = U5;
    type Link = HasMany<Column<Session, i64, Secondary>>;
    const LINK: Self::Link = HasMany(Session::USER_ID);
}

impl User {
    pub const SESSIONS: UserSessions = UserSessions;
}
