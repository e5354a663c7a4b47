//! Migrations on every backend: generated from the impls, applied,
//! introspected, rolled back, refused, raced.

mod model;

use std::path::{Path, PathBuf};

use keyway::Executor;
use keyway::migrate::{Change, ColumnSpec, SchemaSpec, Step};
use keyway::prelude::*;
use keyway_any::AnyBackend;
use keyway_migrate::{AppliedMigration, Migrator, RustStep, State};
use model::{Owner, v1, v2, v3};

fn url(var: &str, default: &str) -> String {
    std::env::var(var).unwrap_or_else(|_| default.to_owned())
}

/// A fresh folder for one run's migration files.
fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("keyway-migrate-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Gives every task without a priority the priority 3.
struct FillPriority;

impl RustStep for FillPriority {
    async fn run<X: Executor>(&self, db: &Db<X>) -> keyway::Result<()> {
        let unset = v2::Task::query()
            .filter(v2::Task::PRIORITY.is_null())
            .scan();
        db.update(unset.update().set(v2::Task::PRIORITY, Some(3)))
            .await?;
        Ok(())
    }
}

fn migrator(dir: &Path) -> Migrator<AnyBackend> {
    Migrator::new(dir)
        .rename_column("mig_tasks", "done", "finished")
        .rust_step("fill_priority", FillPriority)
}

/// Rewrites migration `version`'s file with `edit` applied to its steps.
fn edit_file(dir: &Path, version: &str, edit: impl FnOnce(&mut Vec<serde_json::Value>)) {
    let path = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with(version)
        })
        .unwrap();
    let mut content: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    edit(content["steps"].as_array_mut().unwrap());
    std::fs::write(&path, serde_json::to_string_pretty(&content).unwrap()).unwrap();
}

/// Writes migration `version_name` with `steps` by hand.
fn write_file(dir: &Path, file: &str, steps: &[Step]) {
    let text = serde_json::json!({ "steps": steps });
    std::fs::write(dir.join(file), serde_json::to_string_pretty(&text).unwrap()).unwrap();
}

fn invalid(result: keyway::Result<impl std::fmt::Debug>, needle: &str) {
    match result {
        Err(keyway::Error::Invalid { detail, .. }) => {
            assert!(
                detail.contains(needle),
                "{detail:?} does not say {needle:?}"
            )
        }
        other => panic!("expected Error::Invalid saying {needle:?}, got {other:?}"),
    }
}

/// Drops every table these tests make, children first (what an earlier,
/// failed run left behind included).
async fn clean(db: &Db<AnyBackend>) {
    let jobs = keyway::TableDef {
        name: "mig_jobs",
        ..keyway::TableDef::of::<v1::Task>()
    };
    db.executor().drop_table(jobs).await.unwrap();
    db.drop_schema::<(Owner, v2::Task, v2::Label, AppliedMigration)>()
        .await
        .unwrap();
}

/// The whole life of a schema on one database.
async fn scenario(url: &str, name: &str) {
    let db = keyway_any::connect(url).await.expect("the database opens");
    clean(&db).await;
    let dir = folder(name);
    let m = migrator(&dir);

    // v1: generated from the impls, applied, introspected equal.
    let first = m.generate::<v1::Schema>("create").unwrap().unwrap();
    assert_eq!(first.version, "0001");
    assert!(m.generate::<v1::Schema>("again").unwrap().is_none());
    m.check::<v1::Schema>().unwrap();
    assert_eq!(m.status(&db).await.unwrap()[0].state, State::Pending);
    assert_eq!(m.up(&db).await.unwrap(), ["0001"]);
    m.verify::<v1::Schema>(&db).await.unwrap();
    // Against the database itself: nothing to do for v1, v2's changes for
    // v2 (a column renamed is seen where the database describes columns).
    assert!(m.plan_live::<v1::Schema>(&db).await.unwrap().is_empty());
    let live: Vec<String> = m
        .plan_live::<v2::Schema>(&db)
        .await
        .unwrap()
        .iter()
        .map(|(step, _)| step.to_string())
        .collect();
    assert!(live.contains(&"create table mig_labels".into()), "{live:?}");
    if db.executor().system() != "dynamodb" {
        let rename = "rename column mig_tasks.done to finished";
        assert!(live.contains(&rename.into()), "{live:?}");
    }
    let ann = db
        .insert(&Owner {
            id: 0,
            name: "Ann".into(),
        })
        .await
        .unwrap();
    for (title, done) in [("a", true), ("b", false), ("c", true)] {
        let task = v1::Task {
            id: 0,
            owner_id: ann,
            title: title.into(),
            done,
        };
        db.insert(&task).await.unwrap();
    }

    // v2: a renamed column, a new nullable column, a new index, a new entity.
    let second = m.generate::<v2::Schema>("v2").unwrap().unwrap();
    let kinds: Vec<String> = second.steps.iter().map(|s| s.to_string()).collect();
    assert!(
        kinds.contains(&"rename column mig_tasks.done to finished".into()),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&"create table mig_labels".into()),
        "{kinds:?}"
    );
    invalid(m.check::<v1::Schema>(), "generate a migration");
    m.check::<v2::Schema>().unwrap();
    let plan = m.plan(&db).await.unwrap();
    assert_eq!(plan.len(), 1);
    assert!(plan[0].steps.iter().any(|(_, sql)| !sql.is_empty()));
    assert_eq!(m.up(&db).await.unwrap(), ["0002"]);
    m.verify::<v2::Schema>(&db).await.unwrap();
    let tasks = db
        .all(v2::Task::query().scan().order_by(v2::Task::ID.asc()))
        .await
        .unwrap();
    let kept: Vec<(String, bool, Option<i64>)> = tasks
        .iter()
        .map(|t| (t.title.clone(), t.finished, t.priority))
        .collect();
    assert_eq!(
        kept,
        [
            ("a".into(), true, None),
            ("b".into(), false, None),
            ("c".into(), true, None)
        ]
    );
    db.insert(&v2::Label {
        id: 0,
        task_id: tasks[0].id,
        text: "x".into(),
    })
    .await
    .unwrap();

    // Down drops a table and a column: refused unless allowed.
    invalid(
        m.down(&db, 1).await,
        "refused unless destructive steps are allowed",
    );
    let undo = migrator(&dir).allow_destructive(true);
    assert_eq!(undo.down(&db, 1).await.unwrap(), ["0002"]);
    db.verify_schema::<v1::Schema>().await.unwrap();
    let back = db
        .all(v1::Task::query().scan().order_by(v1::Task::ID.asc()))
        .await
        .unwrap();
    assert_eq!(
        back.iter().map(|t| t.done).collect::<Vec<_>>(),
        [true, false, true]
    );
    assert_eq!(m.up(&db).await.unwrap(), ["0002"]);
    m.verify::<v2::Schema>(&db).await.unwrap();

    // Expand and contract: priority NOT NULL, refused while rows have none,
    // applied once a Rust step fills it first.
    let third = m
        .generate::<v3::Schema>("priority_required")
        .unwrap()
        .unwrap();
    assert!(matches!(third.steps.as_slice(), [Step::AlterColumn { .. }]));
    invalid(m.up(&db).await, "NOT NULL");
    assert_eq!(m.status(&db).await.unwrap()[2].state, State::Pending);
    edit_file(&dir, "0003", |steps| {
        steps.insert(0, serde_json::json!({ "rust": { "up": "fill_priority" } }))
    });
    assert_eq!(m.up(&db).await.unwrap(), ["0003"]);
    m.verify::<v3::Schema>(&db).await.unwrap();
    let live = m.plan_live::<v3::Schema>(&db).await.unwrap();
    assert!(live.is_empty(), "{live:?}");
    let filled = db.all(v3::Task::query().scan()).await.unwrap();
    assert_eq!(filled.len(), 3);
    assert!(filled.iter().all(|t| t.priority == 3));

    // A failure midway leaves the database at the last good migration.
    let add = Step::AddColumn {
        table: "mig_tasks".into(),
        column: ColumnSpec {
            name: "extra".into(),
            ty: "i64".parse().unwrap(),
            nullable: true,
            auto: false,
            embedded_in: None,
        },
    };
    let bad_index = Step::AddIndex {
        table: "mig_tasks".into(),
        index: keyway::IndexSchema {
            name: "mig_tasks_priority_key".into(),
            columns: vec!["priority".into()],
            unique: true, // every priority is 3
        },
    };
    write_file(&dir, "0004_fails.json", &[add.clone(), bad_index]);
    assert!(m.up(&db).await.is_err());
    let status = m.status(&db).await.unwrap();
    assert_eq!(status[3].state, State::Pending, "{status:?}");
    db.verify_schema::<v3::Schema>().await.unwrap();
    std::fs::remove_file(dir.join("0004_fails.json")).unwrap();

    // An applied migration edited afterwards is caught.
    let original = std::fs::read_to_string(&first.path).unwrap();
    edit_file(&dir, "0001", |steps| {
        steps.push(serde_json::json!({ "rust": { "up": "fill_priority" } }))
    });
    invalid(m.up(&db).await, "was edited");
    assert_eq!(m.status(&db).await.unwrap()[0].state, State::Edited);
    std::fs::write(&first.path, original).unwrap();

    // Two runs at once apply a migration once.
    write_file(&dir, "0004_extra.json", std::slice::from_ref(&add));
    let (a, b) = tokio::join!(m.up(&db), m.up(&db));
    let mut both = a.unwrap();
    both.extend(b.unwrap());
    assert_eq!(both, ["0004"]);

    // A change behind keyway's back is caught by the drift check.
    let before = keyway_migrate_fold(&dir);
    let sneaky = Step::AddIndex {
        table: "mig_owners".into(),
        index: keyway::IndexSchema {
            name: "mig_owners_sneaky_idx".into(),
            columns: vec!["name".into()],
            unique: false,
        },
    };
    let mut after = before.clone();
    after.apply(&sneaky).unwrap();
    let change = Change {
        step: &sneaky,
        before: &before,
        after: &after,
    };
    db.executor().apply_change(&change).await.unwrap();
    match db.verify_schema::<v3::Schema>().await {
        Err(keyway::Error::SchemaDrift { differences }) => {
            assert!(
                differences.iter().any(|d| d.to_string().contains("sneaky")),
                "{differences:?}"
            )
        }
        other => panic!("expected the drift to be caught, got {other:?}"),
    }
    // The live plan undoes it (and drops `extra`, which the code does not
    // declare, where the database describes columns).
    let live = m.plan_live::<v3::Schema>(&db).await.unwrap();
    let sneaky_goes = |s: &Step| matches!(s, Step::DropIndex { index, .. } if index.name == "mig_owners_sneaky_idx");
    let extra_goes =
        |s: &Step| matches!(s, Step::DropColumn { column, .. } if column.name == "extra");
    assert!(live.iter().any(|(s, _)| sneaky_goes(s)), "{live:?}");
    assert!(
        live.iter().all(|(s, _)| sneaky_goes(s) || extra_goes(s)),
        "{live:?}"
    );

    // Rolling everything back leaves no table of the schema.
    let undo = migrator(&dir).allow_destructive(true);
    assert_eq!(
        undo.down(&db, 10).await.unwrap(),
        ["0004", "0003", "0002", "0001"]
    );
    assert!(
        m.status(&db)
            .await
            .unwrap()
            .iter()
            .all(|s| s.state == State::Pending)
    );
    let owners = keyway::TableDef::of::<Owner>();
    assert!(
        db.executor()
            .describe_table(owners)
            .await
            .unwrap()
            .is_none()
    );
    db.drop_schema::<(Owner, v2::Task, v2::Label, AppliedMigration)>()
        .await
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

/// The schema the files of `dir` leave.
fn keyway_migrate_fold(dir: &Path) -> SchemaSpec {
    let m: Migrator<AnyBackend> = Migrator::new(dir);
    let mut spec = SchemaSpec::default();
    for migration in m.migrations().unwrap() {
        for step in &migration.steps {
            spec.apply(step).unwrap();
        }
    }
    spec
}

#[tokio::test]
async fn sqlite_memory() {
    scenario("sqlite::memory:", "memory").await;
    renames("sqlite::memory:", "renames-sqlite").await;
    step_kinds("sqlite::memory:", "kinds-sqlite").await;
    expiry("sqlite::memory:", "expiry-sqlite").await;
    shared_table("sqlite::memory:", "shared-sqlite").await;
}

#[tokio::test]
async fn sqlite_file() {
    let path = std::env::temp_dir().join(format!("keyway-migrate-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    scenario(&format!("sqlite://{}", path.display()), "file").await;
    let _ = std::fs::remove_file(&path);
}

#[tokio::test]
async fn turso_memory() {
    scenario("turso::memory:", "turso-memory").await;
    renames("turso::memory:", "renames-turso").await;
    step_kinds("turso::memory:", "kinds-turso").await;
    expiry("turso::memory:", "expiry-turso").await;
    shared_table("turso::memory:", "shared-turso").await;
}

#[tokio::test]
async fn turso_file() {
    let path = std::env::temp_dir().join(format!("keyway-migrate-{}.turso.db", std::process::id()));
    scenario(&format!("turso://{}", path.display()), "turso-file").await;
    for suffix in ["", "-wal", "-log"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

#[tokio::test]
async fn postgres() {
    let url = url(
        "KEYWAY_POSTGRES_URL",
        "postgres://postgres@127.0.0.1:5432/test",
    );
    // One after another: they share tables.
    scenario(&url, "pg").await;
    renames(&url, "renames-pg").await;
    step_kinds(&url, "kinds-pg").await;
    expiry(&url, "expiry-pg").await;
    shared_table(&url, "shared-pg").await;
    lock_goes_with_a_dropped_run(&url).await;
}

#[tokio::test]
async fn dynamodb() {
    let url = url(
        "KEYWAY_DYNAMODB_URL",
        "dynamodb://127.0.0.1:8000?region=us-east-1",
    );
    // One after another: they share tables.
    scenario(&url, "dynamodb").await;
    step_kinds(&url, "kinds-dynamodb").await;
    expiry(&url, "expiry-dynamodb").await;
    shared_table(&url, "shared-dynamodb").await;
}

#[tokio::test]
async fn mysql() {
    let url = url("KEYWAY_MYSQL_URL", "mysql://root@127.0.0.1:3306/test");
    // One after another: they share tables.
    scenario(&url, "mysql").await;
    renames(&url, "renames-mysql").await;
    step_kinds(&url, "kinds-mysql").await;
    expiry(&url, "expiry-mysql").await;
    shared_table(&url, "shared-mysql").await;
    lock_goes_with_a_dropped_run(&url).await;
}

/// A foreign key column renamed, its table renamed, the index under the
/// foreign key dropped, and all of it undone, on a SQL database: the
/// constraints follow their names, and the schema comes back as it was.
async fn renames(url: &str, name: &str) {
    let db = keyway_any::connect(url).await.expect("the database opens");
    clean(&db).await;
    let dir = folder(name);
    let m: Migrator<AnyBackend> = Migrator::new(&dir);
    m.generate::<v1::Schema>("create").unwrap();
    let owner_index = keyway::IndexSchema {
        name: "mig_tasks_owner_id_idx".into(),
        columns: vec!["user_id".into()],
        unique: false,
    };
    let steps = [
        Step::RenameColumn {
            table: "mig_tasks".into(),
            from: "owner_id".into(),
            to: "user_id".into(),
        },
        Step::RenameTable {
            from: "mig_tasks".into(),
            to: "mig_jobs".into(),
        },
        Step::DropIndex {
            table: "mig_jobs".into(),
            index: owner_index,
        },
    ];
    write_file(&dir, "0002_renames.json", &steps);
    assert_eq!(m.up(&db).await.unwrap(), ["0001", "0002"]);
    let ann = db
        .insert(&Owner {
            id: 0,
            name: "Ann".into(),
        })
        .await
        .unwrap();
    // The foreign key holds under its new names.
    let orphan = keyway::TableDef {
        name: "mig_jobs",
        ..keyway::TableDef::of::<v1::Task>()
    };
    let live = db.executor().describe_table(orphan).await.unwrap().unwrap();
    assert_eq!(live.foreign_keys.len(), 1, "{live:?}");
    assert_eq!(live.foreign_keys[0].column, "user_id");
    let undo = migrator(&dir).allow_destructive(true);
    assert_eq!(undo.down(&db, 1).await.unwrap(), ["0002"]);
    db.verify_schema::<v1::Schema>().await.unwrap();
    let task = v1::Task {
        id: 0,
        owner_id: ann,
        title: "t".into(),
        done: false,
    };
    db.insert(&task).await.unwrap();
    let stray = v1::Task {
        owner_id: ann + 100,
        ..task
    };
    assert!(matches!(
        db.insert(&stray).await,
        Err(keyway::Error::ForeignKeyViolation { .. })
    ));
    assert_eq!(undo.down(&db, 1).await.unwrap(), ["0001"]);
    clean(&db).await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// MySQL's migration lock belongs to a connection, not a transaction: a
/// run dropped while it holds it (its future cancelled) closes that
/// connection rather than leave the lock held in the pool. (PostgreSQL's
/// ends with the transaction.)
async fn lock_goes_with_a_dropped_run(url: &str) {
    let db = keyway_any::connect(url).await.unwrap();
    let first = db.begin().await.unwrap();
    first.executor().lock_migrations().await.unwrap();
    drop(first);
    let second = db.begin().await.unwrap();
    let took = tokio::time::timeout(
        std::time::Duration::from_secs(20),
        second.executor().lock_migrations(),
    )
    .await;
    assert!(matches!(took, Ok(Ok(()))), "{took:?}");
    second.executor().unlock_migrations().await.unwrap();
    second.commit().await.unwrap();
}

/// Every kind of step applied on one database, and the database then
/// described exactly as the schema the files leave; undone, as v1 again.
async fn step_kinds(url: &str, name: &str) {
    let db = keyway_any::connect(url).await.expect("the database opens");
    clean(&db).await;
    let dir = folder(name);
    let m: Migrator<AnyBackend> = Migrator::new(&dir).allow_destructive(true);
    m.generate::<v1::Schema>("create").unwrap();
    let rank = |ty: &str| ColumnSpec {
        name: "rank".into(),
        ty: ty.parse().unwrap(),
        nullable: true,
        auto: false,
        embedded_in: None,
    };
    let restrict = keyway::ForeignKeySchema {
        column: "owner_id".into(),
        parent_table: "mig_owners".into(),
        parent_column: "id".into(),
        on_delete: "restrict".into(),
    };
    let cascade = keyway::ForeignKeySchema {
        on_delete: "cascade".into(),
        ..restrict.clone()
    };
    let by_owner_title = keyway::IndexSchema {
        name: "mig_tasks_owner_title_key".into(),
        columns: vec!["owner_id".into(), "title".into()],
        unique: true,
    };
    let steps = [
        Step::AddColumn {
            table: "mig_tasks".into(),
            column: rank("i32"),
        },
        Step::AlterColumn {
            table: "mig_tasks".into(),
            from: rank("i32"),
            to: rank("i64"),
        },
        Step::DropForeignKey {
            table: "mig_tasks".into(),
            foreign_key: restrict,
        },
        Step::AddForeignKey {
            table: "mig_tasks".into(),
            foreign_key: cascade,
        },
        Step::AddIndex {
            table: "mig_tasks".into(),
            index: by_owner_title,
        },
        Step::DropColumn {
            table: "mig_tasks".into(),
            column: rank("i64"),
        },
        Step::AddColumn {
            table: "mig_owners".into(),
            column: rank("i32"),
        },
    ];
    write_file(&dir, "0002_kinds.json", &steps);
    assert_eq!(m.up(&db).await.unwrap(), ["0001", "0002"]);
    // Described as the files leave it, table by table.
    let spec = keyway_migrate_fold(&dir);
    for table in &spec.tables {
        let def = table.to_def().unwrap();
        let declared = db.executor().declared_table(&def).unwrap();
        let live = db.executor().describe_table(def).await.unwrap();
        let drift = keyway::drift(&declared, live.as_ref());
        assert!(drift.is_empty(), "{}: {drift:?}", table.name);
    }
    // A cascade now: deleting the owner deletes the task.
    let ann = db
        .insert(&Owner {
            id: 0,
            name: "Ann".into(),
        })
        .await
        .unwrap();
    let task = v1::Task {
        id: 0,
        owner_id: ann,
        title: "t".into(),
        done: false,
    };
    let id = db.insert(&task).await.unwrap();
    // The unique index holds where the database keeps it (on DynamoDB,
    // the code that writes declares its unique indexes: this v1 code does
    // not declare the one the migration added).
    if db.executor().system() != "dynamodb" {
        assert!(matches!(
            db.insert(&task).await,
            Err(keyway::Error::UniqueViolation { .. })
        ));
    }
    db.delete(Owner::delete(ann)).await.unwrap();
    assert!(db.find::<v1::Task>(id).await.unwrap().is_none());
    assert_eq!(m.down(&db, 1).await.unwrap(), ["0002"]);
    db.verify_schema::<v1::Schema>().await.unwrap();
    assert_eq!(m.down(&db, 1).await.unwrap(), ["0001"]);
    clean(&db).await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// A column made the rows' expiry by a migration, and undone: on DynamoDB
/// Time to Live turned on (its attribute filled for the items there) and
/// off again, each seen by the drift check; on SQL nothing to change, and
/// the expired rows are left out of reads as soon as the code declares it.
async fn expiry(url: &str, name: &str) {
    use model::{lease_v1, lease_v2};
    let db = keyway_any::connect(url).await.expect("the database opens");
    db.drop_schema::<(lease_v2::Lease, AppliedMigration)>()
        .await
        .unwrap();
    let dir = folder(name);
    let m: Migrator<AnyBackend> = Migrator::new(&dir);
    m.generate::<lease_v1::Lease>("leases").unwrap().unwrap();
    m.up(&db).await.unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let lease = |name: &str, until| lease_v1::Lease {
        name: name.into(),
        until,
    };
    db.insert_many(&[
        lease("past", Some(now - 60)),
        lease("soon", Some(now + 600)),
        lease("never", None),
    ])
    .await
    .unwrap();

    let second = m.generate::<lease_v2::Lease>("expire").unwrap().unwrap();
    let steps: Vec<String> = second.steps.iter().map(|s| s.to_string()).collect();
    assert_eq!(steps, ["expire rows of mig_leases by until"]);
    let dynamodb = db.executor().system() == "dynamodb";
    if dynamodb {
        // Before it runs, the database does not expire the rows the code
        // says expire.
        let drift = db.verify_schema::<lease_v2::Lease>().await.unwrap_err();
        assert!(
            drift.to_string().contains("does not delete expired items"),
            "{drift}"
        );
    }
    m.up(&db).await.unwrap();
    m.verify::<lease_v2::Lease>(&db).await.unwrap();
    db.verify_schema::<lease_v2::Lease>().await.unwrap();
    assert_eq!(db.count(lease_v2::Lease::query().scan()).await.unwrap(), 2);
    assert_eq!(db.purge_expired::<lease_v2::Lease>().await.unwrap(), 1);
    if dynamodb {
        let drift = db.verify_schema::<lease_v1::Lease>().await.unwrap_err();
        assert!(
            drift
                .to_string()
                .contains("deletes expired items by `keyway_expires`"),
            "{drift}"
        );
    }
    assert_eq!(m.down(&db, 1).await.unwrap(), ["0002"]);
    db.verify_schema::<lease_v1::Lease>().await.unwrap();
    assert_eq!(db.count(lease_v1::Lease::query().scan()).await.unwrap(), 2);
    let m = m.allow_destructive(true);
    m.down(&db, 1).await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

/// Two entities of one shared DynamoDB table (`mig_app`), made, indexed and
/// dropped by migrations: the table is made once, the index is a GSI of the
/// shared table, undoing the index keeps the items, and dropping one entity
/// keeps the other's. The SQL backends make two tables, as without a layout.
async fn shared_table(url: &str, name: &str) {
    use model::{notes_v1, notes_v2};
    let db = keyway_any::connect(url).await.expect("the database opens");
    db.drop_schema::<(notes_v2::Note, notes_v2::Folder, AppliedMigration)>()
        .await
        .unwrap();
    let dir = folder(name);
    let m: Migrator<AnyBackend> = Migrator::new(&dir);
    m.generate::<notes_v1::Schema>("notes").unwrap().unwrap();
    m.up(&db).await.unwrap();
    db.verify_schema::<notes_v1::Schema>().await.unwrap();
    db.insert(&notes_v1::Folder {
        id: 1,
        name: "inbox".into(),
    })
    .await
    .unwrap();
    let note = |id, folder| notes_v1::Note {
        id,
        folder,
        body: format!("note {id}"),
    };
    db.insert_many(&[note(1, 1), note(2, 1), note(3, 2)])
        .await
        .unwrap();

    let second = m
        .generate::<notes_v2::Schema>("by_folder")
        .unwrap()
        .unwrap();
    assert_eq!(second.steps.len(), 1, "{:?}", second.steps);
    m.up(&db).await.unwrap();
    db.verify_schema::<notes_v2::Schema>().await.unwrap();
    let in_one = notes_v2::Note::query().filter(notes_v2::Note::FOLDER.eq(1));
    assert_eq!(db.count(in_one).await.unwrap(), 2);

    assert_eq!(m.down(&db, 1).await.unwrap(), ["0002"]);
    db.verify_schema::<notes_v1::Schema>().await.unwrap();
    assert_eq!(db.count(notes_v1::Note::query().scan()).await.unwrap(), 3);
    let m = m.allow_destructive(true);
    m.down(&db, 1).await.unwrap();
    assert!(
        db.verify_schema::<notes_v1::Schema>().await.is_err(),
        "both gone"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
