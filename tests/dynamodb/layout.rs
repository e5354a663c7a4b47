//! Single-table design on DynamoDB: the examples' `User`, `Profile` and
//! `Todo` and this file's `Badge`, `Lease` and `Doc` share the table `app`
//! ([`keyway::Layout`]). A user's profile and badges are in the user's
//! partition (`USER#{id}`): including them is one Query per user, and the
//! request counter of the proxy shows it. Todos join a user's partition of
//! the overloaded index GSI1.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use keyway::typenum::U6;
use keyway::{Error, PartitionKey};

use super::*;
use crate::model::{Profile, Todo, User};

/// A badge a user earned: in the user's partition, sorted by name.
#[derive(Debug, Clone, PartialEq)]
pub struct Badge {
    pub user_id: i64,
    pub name: String,
    pub level: i32,
}

impl Badge {
    pub const USER_ID: Column<Badge, i64, PartitionKey> = Column::new("user_id");
    pub const NAME: Column<Badge, String, SortKey> = Column::new("name");
    pub const LEVEL: Column<Badge, i32> = Column::new("level");

    fn new(user_id: i64, name: &str, level: i32) -> Self {
        Badge {
            user_id,
            name: name.into(),
            level,
        }
    }
}

impl Entity for Badge {
    type Key = (i64, String);
    const TABLE: &'static str = "badges";
    const LAYOUT: Option<Layout> =
        Some(Layout::new("app", "Badge").key("USER#{user_id}", "BADGE#{name}"));
    const COLUMNS: &'static [ColumnDef] =
        &[Badge::USER_ID.def(), Badge::NAME.def(), Badge::LEVEL.def()];
    const FOREIGN_KEYS: &'static [ForeignKeyDef] =
        &[ForeignKeyDef::new(Badge::USER_ID, User::ID).on_delete(OnDelete::Cascade)];
    fn key(&self) -> (i64, String) {
        (self.user_id, self.name.clone())
    }
    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Badge::USER_ID, &self.user_id);
        row.put(Badge::NAME, &self.name);
        row.put(Badge::LEVEL, &self.level);
    }
    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(Badge {
            user_id: row.get(Badge::USER_ID)?,
            name: row.get(Badge::NAME)?,
            level: row.get(Badge::LEVEL)?,
        })
    }
}

/// A user's badges.
#[derive(Debug, Clone, Copy)]
pub struct UserBadges;

impl Relation for UserBadges {
    type From = User;
    type To = Badge;
    type Slot = U6;
    type Link = HasMany<Column<Badge, i64, PartitionKey>>;
    const LINK: Self::Link = HasMany(Badge::USER_ID);
}

/// A lease that expires: DynamoDB's Time to Live is turned on for `app`.
#[derive(Debug, Clone, PartialEq)]
pub struct Lease {
    pub id: i64,
    pub until: i64,
}

impl Lease {
    pub const ID: Column<Lease, i64, PrimaryKey> = Column::new("id");
    pub const UNTIL: Column<Lease, i64> = Column::new("until").expires_at();
}

impl Entity for Lease {
    type Key = i64;
    const TABLE: &'static str = "leases";
    const LAYOUT: Option<Layout> = Some(Layout::new("app", "Lease").key("LEASE#{id}", "LEASE"));
    const COLUMNS: &'static [ColumnDef] = &[Lease::ID.def(), Lease::UNTIL.def()];
    fn key(&self) -> i64 {
        self.id
    }
    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Lease::ID, &self.id);
        row.put(Lease::UNTIL, &self.until);
    }
    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(Lease {
            id: row.get(Lease::ID)?,
            until: row.get(Lease::UNTIL)?,
        })
    }
}

/// A document filed in a folder: the folder's partition of GSI2 lists it,
/// and its name is followed by `#` in the template.
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    pub id: i64,
    pub folder: Option<String>,
}

impl Doc {
    pub const ID: Column<Doc, i64, PrimaryKey> = Column::new("id");
    pub const FOLDER: Column<Doc, Option<String>, Secondary> = Column::new("folder");
}

impl Entity for Doc {
    type Key = i64;
    const TABLE: &'static str = "docs";
    const LAYOUT: Option<Layout> = Some(
        Layout::new("app", "Doc")
            .key("DOC#{id}", "DOC")
            .indexes(&[LayoutIndex::new("GSI2", "FOLDER#{folder}#DOCS", "DOC#{id}")]),
    );
    const COLUMNS: &'static [ColumnDef] = &[Doc::ID.def(), Doc::FOLDER.def()];
    fn key(&self) -> i64 {
        self.id
    }
    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Doc::ID, &self.id);
        row.put(Doc::FOLDER, &self.folder);
    }
    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(Doc {
            id: row.get(Doc::ID)?,
            folder: row.get(Doc::FOLDER)?,
        })
    }
}

async fn seeded(db: &Db<DynamoDb>) -> (i64, i64) {
    db.create_schema::<(User, Profile, Todo, Badge)>()
        .await
        .unwrap();
    let ann = db.insert(&User::new("Ann", "ann@x.test")).await.unwrap();
    let bob = db.insert(&User::new("Bob", "bob@x.test")).await.unwrap();
    db.insert(&Profile {
        user_id: ann,
        bio: "likes tea".into(),
    })
    .await
    .unwrap();
    let badges = [
        Badge::new(ann, "silver", 2),
        Badge::new(ann, "gold", 3),
        Badge::new(ann, "bronze", 1),
        Badge::new(bob, "gold", 3),
    ];
    db.insert_many(&badges).await.unwrap();
    db.insert_many(&[
        Todo::new(ann, "a", 1),
        Todo::new(ann, "b", 2),
        Todo::new(bob, "c", 1),
    ])
    .await
    .unwrap();
    (ann, bob)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_and_their_collection_are_one_query() {
    let (db, proxy) = faults::open_faulty().await;
    let (ann, bob) = seeded(&db).await;
    let counts = |p: &fault_proxy::FaultProxy| {
        ["GetItem", "BatchGetItem", "Query", "Scan"].map(|op| p.seen(op))
    };
    let before = counts(&proxy);
    let q = User::query()
        .filter(User::ID.eq(ann))
        .include(User::PROFILE)
        .include(UserBadges);
    let users = db.all(q).await.unwrap();
    let after = counts(&proxy);
    assert_eq!(
        after
            .iter()
            .zip(&before)
            .map(|(a, b)| a - b)
            .collect::<Vec<_>>(),
        [0, 0, 1, 0],
        "one Query of USER#{{ann}}: the user, the profile and the badges"
    );
    let [user] = users.as_slice() else {
        panic!("{users:?}")
    };
    assert_eq!(user.name, "Ann");
    assert_eq!(
        user.get(User::PROFILE).map(|p| p.bio.as_str()),
        Some("likes tea")
    );
    let names: Vec<&str> = user
        .get(UserBadges)
        .iter()
        .map(|b| b.name.as_str())
        .collect();
    assert_eq!(names, ["bronze", "gold", "silver"], "in key order");

    // Two users: one Query per partition, no BatchGetItem; the todos of
    // GSI1's partitions one Query per user more.
    let before = counts(&proxy);
    let q = User::query()
        .filter(User::ID.in_list([ann, bob]))
        .include(User::PROFILE)
        .include(UserBadges)
        .include(User::TODOS);
    let mut users = db.all(q).await.unwrap();
    let after = counts(&proxy);
    assert_eq!(
        after
            .iter()
            .zip(&before)
            .map(|(a, b)| a - b)
            .collect::<Vec<_>>(),
        [0, 0, 4, 0]
    );
    users.sort_by_key(|u| u.id);
    let shape: Vec<(usize, bool, usize)> = users
        .iter()
        .map(|u| {
            let p = u.get(User::PROFILE).is_some();
            (u.get(UserBadges).len(), p, u.get(User::TODOS).len())
        })
        .collect();
    assert_eq!(shape, [(3, true, 2), (1, false, 1)]);

    // Every user, with everything of theirs in the shared table: one Scan
    // (of one page here) reads them all.
    let before = counts(&proxy);
    let q = User::query()
        .scan()
        .include(User::PROFILE)
        .include(UserBadges)
        .include(User::TODOS);
    let mut everyone = db.all(q).await.unwrap();
    let after = counts(&proxy);
    assert_eq!(
        after
            .iter()
            .zip(&before)
            .map(|(a, b)| a - b)
            .collect::<Vec<_>>(),
        [0, 0, 0, 1]
    );
    everyone.sort_by_key(|u| u.id);
    let again: Vec<(usize, bool, usize)> = everyone
        .iter()
        .map(|u| {
            let p = u.get(User::PROFILE).is_some();
            (u.get(UserBadges).len(), p, u.get(User::TODOS).len())
        })
        .collect();
    assert_eq!(again, shape);

    // A missing user: nothing, in one Query.
    let before = counts(&proxy);
    let none = db
        .all(User::query().filter(User::ID.eq(999)).include(UserBadges))
        .await
        .unwrap();
    assert!(none.is_empty());
    assert_eq!(proxy.seen("Query") - before[2], 1);
}

#[tokio::test]
async fn sort_key_templates_answer_prefixes_and_ranges() {
    let db = open().await;
    let (ann, _) = seeded(&db).await;
    db.insert(&Badge::new(ann, "goldfish", 1)).await.unwrap();
    let names = |rows: Vec<Badge>| rows.into_iter().map(|b| b.name).collect::<Vec<_>>();
    let prefixed =
        Badge::query().filter(Badge::USER_ID.eq(ann).and(Badge::NAME.starts_with("gold")));
    assert_eq!(names(db.all(prefixed).await.unwrap()), ["gold", "goldfish"]);
    let after = Badge::query()
        .filter(Badge::USER_ID.eq(ann).and(Badge::NAME.gt("gold")))
        .order_by(Badge::NAME.desc());
    assert_eq!(names(db.all(after).await.unwrap()), ["silver", "goldfish"]);
    let one = db.find::<Badge>((ann, "silver".to_owned())).await.unwrap();
    assert_eq!(one.map(|b| b.level), Some(2));
    // The key is typed: the user's partition and the name, nothing else.
    db.update(Badge::update((ann, "silver".to_owned())).set(Badge::LEVEL, 5))
        .await
        .unwrap();
    assert_eq!(
        db.get::<Badge>((ann, "silver".to_owned()))
            .await
            .unwrap()
            .level,
        5
    );
    // Deleting the user cascades to the badges in its partition.
    let todos = Todo::query().filter(Todo::OWNER_ID.eq(ann));
    db.delete(todos.delete()).await.unwrap();
    db.delete(User::delete(ann)).await.unwrap();
    assert_eq!(
        db.count(Badge::query().filter(Badge::USER_ID.eq(ann)))
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn items_carry_their_keys_and_type() {
    let db = open().await;
    let (ann, _) = seeded(&db).await;
    let client = db.executor().client();
    let key = HashMap::from([
        (
            "PK".to_owned(),
            AttributeValue::S(format!("USER#{ann:0>20}")),
        ),
        ("SK".to_owned(), AttributeValue::S("BADGE#gold".into())),
    ]);
    let item = client
        .get_item()
        .table_name(db.executor().table_name("app"))
        .set_key(Some(key))
        .send()
        .await
        .unwrap()
        .item
        .unwrap();
    assert_eq!(item["_et"], AttributeValue::S("Badge".into()));
    assert_eq!(item["level"], AttributeValue::N("3".into()));
    let todo = db
        .first(Todo::query().filter(Todo::OWNER_ID.eq(ann)))
        .await
        .unwrap()
        .unwrap();
    let key = HashMap::from([
        (
            "PK".to_owned(),
            AttributeValue::S(format!("TODO#{:0>20}", todo.id)),
        ),
        ("SK".to_owned(), AttributeValue::S("TODO".into())),
    ]);
    let item = client
        .get_item()
        .table_name(db.executor().table_name("app"))
        .set_key(Some(key))
        .send()
        .await
        .unwrap()
        .item
        .unwrap();
    assert_eq!(
        item["GSI1PK"],
        AttributeValue::S(format!("USER#{ann:0>20}"))
    );
    // Moving a todo moves its place in GSI1.
    let bob = db.insert(&User::new("Bo", "bo@x.test")).await.unwrap();
    db.update(Todo::update(todo.id).set(Todo::OWNER_ID, bob))
        .await
        .unwrap();
    let of = |u: i64| db.count(Todo::query().filter(Todo::OWNER_ID.eq(u)));
    assert_eq!((of(ann).await.unwrap(), of(bob).await.unwrap()), (1, 1));
}

#[tokio::test]
async fn time_to_live_is_the_shared_tables() {
    let db = open().await;
    db.create_schema::<(User, Lease)>().await.unwrap();
    let client = db.executor().client();
    let ttl = client
        .describe_time_to_live()
        .table_name(db.executor().table_name("app"))
        .send()
        .await
        .unwrap()
        .time_to_live_description
        .unwrap();
    assert_eq!(ttl.attribute_name(), Some(keyway::TTL_ATTRIBUTE));
    db.insert(&Lease {
        id: 1,
        until: 4_000_000_000,
    })
    .await
    .unwrap();
    db.insert(&User::new("Ann", "ann@x.test")).await.unwrap();
    let items = client
        .scan()
        .table_name(db.executor().table_name("app"))
        .send()
        .await
        .unwrap()
        .items
        .unwrap();
    let expiring: Vec<&AttributeValue> = items
        .iter()
        .filter_map(|i| i.get(keyway::TTL_ATTRIBUTE))
        .collect();
    assert_eq!(
        expiring,
        [&AttributeValue::N("4000000000".into())],
        "the lease only"
    );
}

/// A user's ids among its keys: collides with `User` (same texts begin both templates).
#[derive(Debug)]
struct Shadow;

impl Entity for Shadow {
    type Key = i64;
    const TABLE: &'static str = "shadows";
    const LAYOUT: Option<Layout> = Some(Layout::new("app", "Shadow").key("USER#{id}", "USER#{id}"));
    const COLUMNS: &'static [ColumnDef] = &[Shadow::ID.def()];
    fn key(&self) -> i64 {
        0
    }
    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Shadow::ID, &0);
    }
    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        row.get(Shadow::ID).map(|_: i64| Shadow)
    }
}

impl Shadow {
    const ID: Column<Shadow, i64, PrimaryKey> = Column::new("id");
}

/// An entity of type `User` under another name.
#[derive(Debug)]
struct Impostor;

impl Entity for Impostor {
    type Key = i64;
    const TABLE: &'static str = "impostors";
    const LAYOUT: Option<Layout> = Some(Layout::new("app", "User").key("IMP#{id}", "IMP"));
    const COLUMNS: &'static [ColumnDef] = &[Impostor::ID.def(), Impostor::EMAIL.def()];
    fn key(&self) -> i64 {
        0
    }
    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Impostor::ID, &0);
        row.put(Impostor::EMAIL, &0);
    }
    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        row.get(Impostor::ID).map(|_: i64| Impostor)
    }
}

impl Impostor {
    const ID: Column<Impostor, i64, PrimaryKey> = Column::new("id");
    /// An index keyed on `email` as a number, where `User`'s is text.
    const EMAIL: Column<Impostor, i64, Secondary> = Column::new("email");
}

/// An entity whose index on `email` is a number, where `User` writes text.
#[derive(Debug)]
struct Numbered;

impl Numbered {
    const ID: Column<Numbered, i64, PrimaryKey> = Column::new("id");
    const EMAIL: Column<Numbered, i64, Secondary> = Column::new("email");
}

impl Entity for Numbered {
    type Key = i64;
    const TABLE: &'static str = "numbered";
    const LAYOUT: Option<Layout> = Some(Layout::new("app", "Numbered").key("NUM#{id}", "NUM"));
    const COLUMNS: &'static [ColumnDef] = &[Numbered::ID.def(), Numbered::EMAIL.def()];
    fn key(&self) -> i64 {
        0
    }
    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Numbered::ID, &0);
        row.put(Numbered::EMAIL, &0);
    }
    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        row.get(Numbered::ID).map(|_: i64| Numbered)
    }
}

/// A renewal of a lease, which DynamoDB's Time to Live deletes.
#[derive(Debug)]
struct Renewal;

impl Renewal {
    const ID: Column<Renewal, i64, PrimaryKey> = Column::new("id");
    const LEASE_ID: Column<Renewal, i64, Secondary> = Column::new("lease_id");
}

impl Entity for Renewal {
    type Key = i64;
    const TABLE: &'static str = "renewals";
    const LAYOUT: Option<Layout> =
        Some(Layout::new("app", "Renewal").key("RENEWAL#{id}", "RENEWAL"));
    const COLUMNS: &'static [ColumnDef] = &[Renewal::ID.def(), Renewal::LEASE_ID.def()];
    const FOREIGN_KEYS: &'static [ForeignKeyDef] =
        &[ForeignKeyDef::new(Renewal::LEASE_ID, Lease::ID)];
    fn key(&self) -> i64 {
        0
    }
    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Renewal::ID, &0);
        row.put(Renewal::LEASE_ID, &0);
    }
    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        row.get(Renewal::ID).map(|_: i64| Renewal)
    }
}

/// What the shared table cannot hold is refused before anything is made:
/// an entity whose index would be keyed on what another writes as another
/// type, a foreign key onto an entity DynamoDB's Time to Live deletes, an
/// entity that has a table of its own already, a layout naming a table
/// keyed otherwise.
#[tokio::test]
async fn what_a_shared_table_cannot_hold_is_refused() {
    let db = open().await;
    db.create_schema::<(User, Lease)>().await.unwrap();
    match db.create_schema::<Numbered>().await {
        Err(Error::Invalid {
            what: "layout",
            detail,
        }) => assert!(detail.contains("`email`"), "{detail}"),
        other => panic!("{other:?}"),
    }
    match db.create_schema::<Renewal>().await {
        Err(Error::Unsupported { detail, .. }) => {
            assert!(detail.contains("Time to Live"), "{detail}")
        }
        other => panic!("{other:?}"),
    }
    // Badge's own table, then its layout: its items would stay behind.
    let own = keyway::TableDef {
        layout: None,
        ..keyway::TableDef::of::<Badge>()
    };
    keyway::Executor::create_table(db.executor(), own)
        .await
        .unwrap();
    match db.create_schema::<Badge>().await {
        Err(Error::Invalid { detail, .. }) => {
            assert!(detail.contains("a table of its own"), "{detail}")
        }
        other => panic!("{other:?}"),
    }
    // A layout in a table of another entity's own.
    let into_badges = keyway::TableDef {
        layout: Some(Layout::new("badges", "Doc").key("DOC#{id}", "DOC")),
        ..keyway::TableDef::of::<Doc>()
    };
    match keyway::Executor::create_table(db.executor(), into_badges).await {
        Err(Error::Invalid { detail, .. }) => {
            assert!(detail.contains("keyed otherwise"), "{detail}")
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn colliding_layouts_are_refused() {
    let db = open().await;
    db.create_schema::<User>().await.unwrap();
    let invalid = |r: keyway::Result<()>, what: &str| match r {
        Err(Error::Invalid {
            what: "layout",
            detail,
        }) if detail.contains(what) => {}
        other => panic!("expected a layout collision naming {what:?}, got {other:?}"),
    };
    invalid(db.create_schema::<Shadow>().await, "do not tell them apart");
    invalid(db.create_schema::<Impostor>().await, "entity type `User`");
    // Nothing was made for them: the user's table and record stand alone.
    let shadow = keyway::TableDef::of::<Shadow>();
    let live = keyway::Executor::describe_table(db.executor(), shadow)
        .await
        .unwrap();
    assert!(live.is_none(), "{live:?}");
    db.insert(&User::new("Ann", "ann@x.test")).await.unwrap();
    assert_eq!(db.count(User::query().scan()).await.unwrap(), 1);
}

#[tokio::test]
async fn ambiguous_template_values_are_refused() {
    let db = open().await;
    db.create_schema::<Doc>().await.unwrap();
    let filed = |id: i64, folder: &str| Doc {
        id,
        folder: Some(folder.into()),
    };
    db.insert(&filed(1, "inbox")).await.unwrap();
    db.insert(&Doc {
        id: 2,
        folder: None,
    })
    .await
    .unwrap();
    match db.insert(&filed(3, "in#box")).await {
        Err(Error::Invalid {
            what: "layout",
            detail,
        }) => {
            assert!(detail.contains("`Doc.folder` holds `#`"), "{detail}")
        }
        other => panic!("expected the value to be refused, got {other:?}"),
    }
    assert!(
        db.find::<Doc>(3).await.unwrap().is_none(),
        "nothing written"
    );
    let inbox = db
        .all(Doc::query().filter(Doc::FOLDER.eq("inbox")))
        .await
        .unwrap();
    assert_eq!(inbox, [filed(1, "inbox")]);
    // A NULL folder leaves the document out of GSI2, not out of the table.
    assert_eq!(db.count(Doc::query().scan()).await.unwrap(), 2);
}
