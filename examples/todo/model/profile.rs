// A user's profile: keyed by the user's id, so at most one per user, and
// deleted with the user (a cascading foreign key).
use keyway::prelude::*;
use keyway::typenum::{U0, U1};

use crate::model::User;

/// A user's profile: at most one, deleted with the user.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub user_id: i64,
    pub bio: String,
}

impl Profile {
    pub const USER_ID: Column<Profile, i64, PrimaryKey> = Column::new("user_id");
    pub const BIO: Column<Profile, String> = Column::new("bio");
    pub const USER: ProfileUser = ProfileUser;
}

impl Entity for Profile {
    type Key = i64;
    const TABLE: &'static str = "profiles";
    const LAYOUT: Option<Layout> =
        Some(Layout::new("app", "Profile").key("USER#{user_id}", "PROFILE"));
    const COLUMNS: &'static [ColumnDef] = &[Profile::USER_ID.def(), Profile::BIO.def()];
    const FOREIGN_KEYS: &'static [ForeignKeyDef] =
        &[ForeignKeyDef::new(Profile::USER_ID, User::ID).on_delete(OnDelete::Cascade)];
    fn key(&self) -> i64 {
        self.user_id
    }
    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Profile::USER_ID, &self.user_id);
        row.put(Profile::BIO, &self.bio);
    }
    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(Profile {
            user_id: row.get(Profile::USER_ID)?,
            bio: row.get(Profile::BIO)?,
        })
    }
}

/// A user's profile, if any.
#[derive(Debug, Clone, Copy)]
pub struct UserProfile;

impl Relation for UserProfile {
    type From = crate::model::User;
    type To = crate::model::Profile;
    type Slot = U1;
    type Link = HasOne<Column<Profile, i64, PrimaryKey>>;
    const LINK: Self::Link = HasOne(Profile::USER_ID);
}

/// The user a profile belongs to.
#[derive(Debug, Clone, Copy)]
pub struct ProfileUser;

impl Relation for ProfileUser {
    type From = crate::model::Profile;
    type To = crate::model::User;
    type Slot = U0;
    type Link = BelongsTo<Column<Profile, i64, PrimaryKey>>;
    const LINK: Self::Link = BelongsTo(Profile::USER_ID);
}

impl User {
    pub const PROFILE: UserProfile = UserProfile;
}
