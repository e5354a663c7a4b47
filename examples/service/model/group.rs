// Groups of users and the join entity between them: a many-to-many read from
// either side through two has-many and two belongs-to relations.
use keyway::prelude::*;
use keyway::typenum::{U0, U1, U2};

use crate::model::User;

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
    const LAYOUT: Option<Layout> = Some(Layout::new("app", "Group").key("GROUP#{id}", "GROUP"));
    const COLUMNS: &'static [ColumnDef] = &[Group::ID.def(), Group::NAME.def()];
    fn key(&self) -> i64 {
        self.id
    }
    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Group::ID, &self.id);
        row.put(Group::NAME, &self.name);
    }
    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(Group {
            id: row.get(Group::ID)?,
            name: row.get(Group::NAME)?,
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
    const LAYOUT: Option<Layout> = Some(
        Layout::new("app", "Membership")
            .key("MEMBERSHIP#{id}", "MEMBERSHIP")
            .indexes(&[
                LayoutIndex::new("GSI1", "USER#{user_id}", "MEMBERSHIP#{id}"),
                LayoutIndex::new("GSI2", "GROUP#{group_id}", "MEMBERSHIP#{id}"),
            ]),
    );
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
    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Membership::ID, &self.id);
        row.put(Membership::USER_ID, &self.user_id);
        row.put(Membership::GROUP_ID, &self.group_id);
    }
    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(Membership {
            id: row.get(Membership::ID)?,
            user_id: row.get(Membership::USER_ID)?,
            group_id: row.get(Membership::GROUP_ID)?,
        })
    }
}

/// A user's memberships.
#[derive(Debug, Clone, Copy)]
pub struct UserMemberships;

impl Relation for UserMemberships {
    type From = crate::model::User;
    type To = crate::model::Membership;
    type Slot = U2;
    type Link = HasMany<Column<Membership, i64, Secondary>>;
    const LINK: Self::Link = HasMany(Membership::USER_ID);
}

/// A group's memberships.
#[derive(Debug, Clone, Copy)]
pub struct GroupMemberships;

impl Relation for GroupMemberships {
    type From = crate::model::Group;
    type To = crate::model::Membership;
    type Slot = U0;
    type Link = HasMany<Column<Membership, i64, Secondary>>;
    const LINK: Self::Link = HasMany(Membership::GROUP_ID);
}

/// The user of a membership.
#[derive(Debug, Clone, Copy)]
pub struct MembershipUser;

impl Relation for MembershipUser {
    type From = crate::model::Membership;
    type To = crate::model::User;
    type Slot = U0;
    type Link = BelongsTo<Column<Membership, i64, Secondary>>;
    const LINK: Self::Link = BelongsTo(Membership::USER_ID);
}

/// The group of a membership.
#[derive(Debug, Clone, Copy)]
pub struct MembershipGroup;

impl Relation for MembershipGroup {
    type From = crate::model::Membership;
    type To = crate::model::Group;
    type Slot = U1;
    type Link = BelongsTo<Column<Membership, i64, Secondary>>;
    const LINK: Self::Link = BelongsTo(Membership::GROUP_ID);
}

impl User {
    pub const MEMBERSHIPS: UserMemberships = UserMemberships;
}
