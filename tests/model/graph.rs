// Tags, profiles, groups and memberships: every kind of relation, nested
// includes and a many-to-many through a join entity.
use keyway::prelude::*;
use keyway::typenum::{U0, U1, U2};

use crate::model::{Todo, User};

/// A label on a todo; deleting the todo sets `todo_id` to NULL.
#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    pub id: i64,
    pub todo_id: Option<i64>,
    pub label: String,
}

impl Tag {
    pub const ID: Column<Tag, i64, PrimaryKey> = Column::new("id").auto();
    pub const TODO_ID: Column<Tag, Option<i64>, Secondary> = Column::new("todo_id");
    pub const LABEL: Column<Tag, String> = Column::new("label");
    pub const TODO: TagTodo = TagTodo;

    pub fn new(todo_id: i64, label: &str) -> Self {
        Tag {
            id: 0,
            todo_id: Some(todo_id),
            label: label.into(),
        }
    }
}

impl Entity for Tag {
    type Key = i64;
    const TABLE: &'static str = "tags";
    const COLUMNS: &'static [ColumnDef] = &[Tag::ID.def(), Tag::TODO_ID.def(), Tag::LABEL.def()];
    const FOREIGN_KEYS: &'static [ForeignKeyDef] =
        &[ForeignKeyDef::new(Tag::TODO_ID, Todo::ID).on_delete(OnDelete::SetNull)];
    fn key(&self) -> i64 {
        self.id
    }
    fn write(&self, row: &mut impl RowWriter) {
        row.put(&self.id);
        row.put(&self.todo_id);
        row.put(&self.label);
    }
    fn read(row: &mut impl RowReader) -> Result<Self> {
        Ok(Tag {
            id: row.get()?,
            todo_id: row.get()?,
            label: row.get()?,
        })
    }
}

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
    const COLUMNS: &'static [ColumnDef] = &[Profile::USER_ID.def(), Profile::BIO.def()];
    const FOREIGN_KEYS: &'static [ForeignKeyDef] =
        &[ForeignKeyDef::new(Profile::USER_ID, User::ID).on_delete(OnDelete::Cascade)];
    fn key(&self) -> i64 {
        self.user_id
    }
    fn write(&self, row: &mut impl RowWriter) {
        row.put(&self.user_id);
        row.put(&self.bio);
    }
    fn read(row: &mut impl RowReader) -> Result<Self> {
        Ok(Profile {
            user_id: row.get()?,
            bio: row.get()?,
        })
    }
}

/// A group of users.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub id: i64,
    pub name: String,
}

impl Group {
    pub const ID: Column<Group, i64, PrimaryKey> = Column::new("id").auto();
    pub const NAME: Column<Group, String, Unique> = Column::new("name");
    pub const MEMBERSHIPS: GroupMemberships = GroupMemberships;
}

impl Entity for Group {
    type Key = i64;
    const TABLE: &'static str = "groups_";
    const COLUMNS: &'static [ColumnDef] = &[Group::ID.def(), Group::NAME.def()];
    fn key(&self) -> i64 {
        self.id
    }
    fn write(&self, row: &mut impl RowWriter) {
        row.put(&self.id);
        row.put(&self.name);
    }
    fn read(row: &mut impl RowReader) -> Result<Self> {
        Ok(Group {
            id: row.get()?,
            name: row.get()?,
        })
    }
}

/// The join entity between users and groups.
#[derive(Debug, Clone, PartialEq)]
pub struct Membership {
    pub id: i64,
    pub user_id: i64,
    pub group_id: i64,
}

impl Membership {
    pub const ID: Column<Membership, i64, PrimaryKey> = Column::new("id").auto();
    pub const USER_ID: Column<Membership, i64, Secondary> = Column::new("user_id");
    pub const GROUP_ID: Column<Membership, i64, Secondary> = Column::new("group_id");
    pub const USER: MembershipUser = MembershipUser;
    pub const GROUP: MembershipGroup = MembershipGroup;

    pub fn new(user_id: i64, group_id: i64) -> Self {
        Membership {
            id: 0,
            user_id,
            group_id,
        }
    }
}

impl Entity for Membership {
    type Key = i64;
    const TABLE: &'static str = "memberships";
    const COLUMNS: &'static [ColumnDef] = &[
        Membership::ID.def(),
        Membership::USER_ID.def(),
        Membership::GROUP_ID.def(),
    ];
    const INDEXES: &'static [IndexDef] = &[IndexDef::unique(
        "memberships_pair",
        &["user_id", "group_id"],
    )];
    const FOREIGN_KEYS: &'static [ForeignKeyDef] = &[
        ForeignKeyDef::new(Membership::USER_ID, User::ID).on_delete(OnDelete::Cascade),
        ForeignKeyDef::new(Membership::GROUP_ID, Group::ID).on_delete(OnDelete::Cascade),
    ];
    fn key(&self) -> i64 {
        self.id
    }
    fn write(&self, row: &mut impl RowWriter) {
        row.put(&self.id);
        row.put(&self.user_id);
        row.put(&self.group_id);
    }
    fn read(row: &mut impl RowReader) -> Result<Self> {
        Ok(Membership {
            id: row.get()?,
            user_id: row.get()?,
            group_id: row.get()?,
        })
    }
}

macro_rules! relation {
    ($name:ident: $from:ty => $to:ty, $slot:ty, $link:ident($col:expr): $coltype:ty) => {
        #[derive(Debug, Clone, Copy)]
        pub struct $name;
        impl Relation for $name {
            type From = $from;
            type To = $to;
            type Slot = $slot;
            type Link = $link<$coltype>;
            const LINK: Self::Link = $link($col);
        }
    };
}

relation!(TodoTags: Todo => Tag, U1, HasMany(Tag::TODO_ID): Column<Tag, Option<i64>, Secondary>);
relation!(TagTodo: Tag => Todo, U0, BelongsTo(Tag::TODO_ID): Column<Tag, Option<i64>, Secondary>);
relation!(UserProfile: User => Profile, U1, HasOne(Profile::USER_ID): Column<Profile, i64, PrimaryKey>);
relation!(ProfileUser: Profile => User, U0, BelongsTo(Profile::USER_ID): Column<Profile, i64, PrimaryKey>);
relation!(UserMemberships: User => Membership, U2, HasMany(Membership::USER_ID): Column<Membership, i64, Secondary>);
relation!(GroupMemberships: Group => Membership, U0, HasMany(Membership::GROUP_ID): Column<Membership, i64, Secondary>);
relation!(MembershipUser: Membership => User, U0, BelongsTo(Membership::USER_ID): Column<Membership, i64, Secondary>);
relation!(MembershipGroup: Membership => Group, U1, BelongsTo(Membership::GROUP_ID): Column<Membership, i64, Secondary>);

impl User {
    pub const PROFILE: UserProfile = UserProfile;
    pub const MEMBERSHIPS: UserMemberships = UserMemberships;
}

impl Todo {
    pub const TAGS: TodoTags = TodoTags;
}
