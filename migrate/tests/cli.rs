//! The command line, on an SQLite file: each command's report.

mod model;

use keyway_any::AnyBackend;
use keyway_migrate::{Migrator, cli};
use model::v1;

async fn run(dir: &std::path::Path, db: &str, words: &[&str]) -> keyway::Result<String> {
    let migrator: Migrator<AnyBackend> = Migrator::new(dir);
    let args = words.iter().map(|w| w.to_string());
    let url = db.to_owned();
    let connect = async || keyway_any::connect(&url).await;
    let mut out = Vec::new();
    cli::run::<v1::Schema, _>(migrator, args, connect, &mut out).await?;
    Ok(String::from_utf8(out).unwrap())
}

#[tokio::test]
async fn every_command_reports() {
    let dir = std::env::temp_dir().join(format!("keyway-cli-{}", std::process::id()));
    let file = std::env::temp_dir().join(format!("keyway-cli-{}.db", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_file(&file);
    let db = format!("sqlite://{}", file.display());
    // Commands that need no database never open it: this URL cannot be.
    let nowhere = "postgres://nobody@127.0.0.1:1/none";

    let generated = run(&dir, nowhere, &["generate", "create"]).await.unwrap();
    assert!(generated.starts_with("wrote "), "{generated}");
    assert!(
        generated.contains("  create table mig_tasks\n"),
        "{generated}"
    );
    assert_eq!(
        run(&dir, nowhere, &["generate", "again"]).await.unwrap(),
        "no changes\n"
    );
    assert_eq!(
        run(&dir, nowhere, &["check"]).await.unwrap(),
        "the migrations and the code agree\n"
    );
    assert_eq!(
        run(&dir, &db, &["status"]).await.unwrap(),
        "0001_create: pending\n"
    );
    let plan = run(&dir, &db, &["plan"]).await.unwrap();
    assert!(plan.contains("CREATE TABLE \"mig_tasks\""), "{plan}");
    assert_eq!(
        run(&dir, &db, &["up"]).await.unwrap(),
        "applied 1 migration(s): 0001\n"
    );
    assert_eq!(
        run(&dir, &db, &["plan"]).await.unwrap(),
        "nothing to apply\n"
    );
    assert_eq!(
        run(&dir, &db, &["diff"]).await.unwrap(),
        "the database is as the code declares it\n"
    );
    assert_eq!(
        run(&dir, &db, &["status"]).await.unwrap(),
        "0001_create: applied\n"
    );
    assert_eq!(
        run(&dir, &db, &["verify"]).await.unwrap(),
        "the database, the migrations and the code agree\n"
    );
    // Undoing a create drops tables: refused unless allowed.
    assert!(run(&dir, &db, &["down"]).await.is_err());
    assert_eq!(
        run(&dir, &db, &["down", "1", "--allow-destructive"])
            .await
            .unwrap(),
        "undid 1 migration(s): 0001\n"
    );
    for bad in [&["down", "x"][..], &["launch"], &[]] {
        match run(&dir, &db, bad).await {
            Err(keyway::Error::Invalid { detail, .. }) => {
                assert!(detail.contains("usage:"), "{detail}")
            }
            other => panic!("{bad:?}: {other:?}"),
        }
    }
    // A database made before there were migrations is taken on as it is.
    let _ = std::fs::remove_file(&file);
    let made = keyway_any::connect(&db).await.unwrap();
    made.create_schema::<v1::Schema>().await.unwrap();
    assert_eq!(
        run(&dir, &db, &["baseline"]).await.unwrap(),
        "recorded 1 migration(s): 0001\n"
    );
    assert_eq!(
        run(&dir, &db, &["status"]).await.unwrap(),
        "0001_create: applied\n"
    );
    assert_eq!(
        run(&dir, &db, &["baseline"]).await.unwrap(),
        "recorded 0 migration(s)\n"
    );
    // A file that looks like a migration but is not named as one is not
    // passed over in silence.
    std::fs::write(dir.join("0002-add.json"), r#"{"steps": []}"#).unwrap();
    match run(&dir, nowhere, &["check"]).await {
        Err(keyway::Error::Invalid { detail, .. }) => {
            assert!(detail.contains("0002-add.json"), "{detail}")
        }
        other => panic!("{other:?}"),
    }
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_file(&file);
}
