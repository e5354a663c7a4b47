// A join entity keyed by (user_id, group_id): its sort-key column also has an
// index of its own (`IndexedSortKey`), so the many-to-many is included from
// either side on every backend, DynamoDB included.
use keyway::prelude::*;
use keyway::typenum::{U0, U1, U3};

use super::{Group, User};

/// A user enrolled in a group.
#[derive(Debug, Clone, PartialEq)]
pub struct Enrollment {
    pub user_id: i64,
    pub group_id: i64,
    pub role: String,
}

impl Enrollment {
    pub const USER_ID: Column<Enrollment, i64, PrimaryKey> = Column::new("user_id");
    pub const GROUP_ID: Column<Enrollment, i64, IndexedSortKey> = Column::new("group_id");
    pub const ROLE: Column<Enrollment, String> = Column::new("role");
    pub const USER: EnrollmentUser = EnrollmentUser;
    pub const GROUP: EnrollmentGroup = EnrollmentGroup;
}

impl Entity for Enrollment {
    type Key = (i64, i64);
    const TABLE: &'static str = "enrollments";
    const LAYOUT: Option<Layout> = crate::model::shared(
        Layout::new("app", "Enrollment").key("USER#{user_id}", "ENROLLMENT#{group_id}"),
    );
    const COLUMNS: &'static [ColumnDef] = &[
        Enrollment::USER_ID.def(),
        Enrollment::GROUP_ID.def(),
        Enrollment::ROLE.def(),
    ];
    const FOREIGN_KEYS: &'static [ForeignKeyDef] = &[
        ForeignKeyDef::new(Enrollment::USER_ID, User::ID).on_delete(OnDelete::Cascade),
        ForeignKeyDef::new(Enrollment::GROUP_ID, Group::ID).on_delete(OnDelete::Cascade),
    ];
    fn key(&self) -> (i64, i64) {
        (self.user_id, self.group_id)
    }
    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Enrollment::USER_ID, &self.user_id);
        row.put(Enrollment::GROUP_ID, &self.group_id);
        row.put(Enrollment::ROLE, &self.role);
    }
    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(Enrollment {
            user_id: row.get(Enrollment::USER_ID)?,
            group_id: row.get(Enrollment::GROUP_ID)?,
            role: row.get(Enrollment::ROLE)?,
        })
    }
}

/// A user's enrollments (through the partition key).
#[derive(Debug, Clone, Copy)]
pub struct UserEnrollments;
impl Relation for UserEnrollments {
    type From = User;
    type To = Enrollment;
    type Slot = U3;
    type Link = HasMany<Column<Enrollment, i64, PrimaryKey>>;
    const LINK: Self::Link = HasMany(Enrollment::USER_ID);
}

/// A group's enrollments (through the index on the sort key).
#[derive(Debug, Clone, Copy)]
pub struct GroupEnrollments;
impl Relation for GroupEnrollments {
    type From = Group;
    type To = Enrollment;
    type Slot = U1;
    type Link = HasMany<Column<Enrollment, i64, IndexedSortKey>>;
    const LINK: Self::Link = HasMany(Enrollment::GROUP_ID);
}

/// The enrolled user.
#[derive(Debug, Clone, Copy)]
pub struct EnrollmentUser;
impl Relation for EnrollmentUser {
    type From = Enrollment;
    type To = User;
    type Slot = U0;
    type Link = BelongsTo<Column<Enrollment, i64, PrimaryKey>>;
    const LINK: Self::Link = BelongsTo(Enrollment::USER_ID);
}

/// The group enrolled in.
#[derive(Debug, Clone, Copy)]
pub struct EnrollmentGroup;
impl Relation for EnrollmentGroup {
    type From = Enrollment;
    type To = Group;
    type Slot = U1;
    type Link = BelongsTo<Column<Enrollment, i64, IndexedSortKey>>;
    const LINK: Self::Link = BelongsTo(Enrollment::GROUP_ID);
}

impl User {
    pub const ENROLLMENTS: UserEnrollments = UserEnrollments;
}

impl Group {
    pub const ENROLLMENTS: GroupEnrollments = GroupEnrollments;
}
