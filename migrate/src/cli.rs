//! The command line: `status`, `plan`, `diff`, `generate NAME`, `up`,
//! `down [N]`, `verify`, `baseline`, `check`, for a program to wire into a binary of its own,
//! since its schema lives in its code:
//!
//! ```no_run
//! # mod model { include!("../../examples/todo/model/user.rs"); }
//! # use model::User;
//! use keyway_migrate::{Migrator, cli};
//!
//! #[tokio::main]
//! async fn main() -> keyway::Result<()> {
//!     let migrator = Migrator::new("migrations");
//!     let args = std::env::args().skip(1);
//!     let connect = async || keyway_sqlite::Sqlite::connect("sqlite://app.db").await;
//!     cli::run::<User, _>(migrator, args, connect, &mut std::io::stdout()).await
//! }
//! ```
//!
//! `generate` and `check` read and write only files, so CI runs them
//! without a database; the others open it through `connect`.

use std::io::Write;

use keyway::{Backend, Db, Result, Schema};

use crate::{Migrator, State, invalid};

/// What `run` prints for no or unknown arguments.
pub const USAGE: &str = "\
usage: <program> <command> [--allow-destructive]
  status          every migration, applied or pending
  plan            the statements the pending migrations run here
  diff            the steps from the database as it is to the code (none run)
  generate NAME   write the next migration from the changes in the code
  up              apply the pending migrations
  down [N]        undo the last N applied migrations (1)
  verify          fail unless the database and the code agree
  baseline        record every migration as applied, for a database already
                  in the code's shape (made before there were migrations)
  check           fail unless the files and the code agree (no database)";

/// Runs one command, given as the program's arguments, writing what it
/// reports to `out`. `--allow-destructive` lets `up` and `down` drop and
/// narrow (as [`Migrator::allow_destructive`]); without it they refuse
/// such steps.
pub async fn run<S, B>(
    migrator: Migrator<B>,
    args: impl IntoIterator<Item = String>,
    connect: impl AsyncFnOnce() -> Result<Db<B>>,
    out: &mut impl Write,
) -> Result<()>
where
    S: Schema,
    B: Backend,
{
    let mut allow = false;
    let mut words = Vec::new();
    for arg in args {
        match arg.as_str() {
            "--allow-destructive" => allow = true,
            _ => words.push(arg),
        }
    }
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let migrator = if allow {
        migrator.allow_destructive(true)
    } else {
        migrator
    };
    let report = |e: std::io::Error| invalid(format!("writing the report: {e}"));
    match words.as_slice() {
        ["generate", name] => {
            match migrator.generate::<S>(name)? {
                Some(m) => {
                    writeln!(out, "wrote {}", m.path.display()).map_err(report)?;
                    for step in &m.steps {
                        writeln!(out, "  {step}").map_err(report)?;
                    }
                }
                None => writeln!(out, "no changes").map_err(report)?,
            }
            Ok(())
        }
        ["check"] => {
            migrator.check::<S>()?;
            writeln!(out, "the migrations and the code agree").map_err(report)
        }
        ["status"] => {
            let db = connect().await?;
            for s in migrator.status(&db).await? {
                let state = match s.state {
                    State::Applied => "applied".to_owned(),
                    State::Pending => "pending".to_owned(),
                    State::Partial { done, total } => {
                        format!("partly applied ({done} of {total} steps)")
                    }
                    State::Edited => "applied, file edited since".to_owned(),
                    State::Missing => "applied, no file here".to_owned(),
                };
                writeln!(out, "{}_{}: {state}", s.version, s.name).map_err(report)?;
            }
            Ok(())
        }
        ["plan"] => {
            let db = connect().await?;
            let plan = migrator.plan(&db).await?;
            if plan.is_empty() {
                writeln!(out, "nothing to apply").map_err(report)?;
            }
            for p in plan {
                writeln!(out, "{}_{}:", p.migration.version, p.migration.name).map_err(report)?;
                for (step, statements) in p.steps {
                    writeln!(out, "  -- {step}").map_err(report)?;
                    for sql in statements {
                        writeln!(out, "  {sql};").map_err(report)?;
                    }
                }
            }
            Ok(())
        }
        ["diff"] => {
            let db = connect().await?;
            let steps = migrator.plan_live::<S>(&db).await?;
            if steps.is_empty() {
                writeln!(out, "the database is as the code declares it").map_err(report)?;
            }
            for (step, statements) in steps {
                writeln!(out, "-- {step}").map_err(report)?;
                for sql in statements {
                    writeln!(out, "{sql};").map_err(report)?;
                }
            }
            Ok(())
        }
        ["up"] => {
            let db = connect().await?;
            let applied = migrator.up(&db).await?;
            writeln!(
                out,
                "applied {} migration(s){}",
                applied.len(),
                list(&applied)
            )
            .map_err(report)
        }
        ["down"] | ["down", _] => {
            let n = match words.get(1) {
                None => 1,
                Some(n) => n
                    .parse()
                    .map_err(|_| invalid(format!("`down` takes a count, not {n:?}\n{USAGE}")))?,
            };
            let db = connect().await?;
            let undone = migrator.down(&db, n).await?;
            writeln!(out, "undid {} migration(s){}", undone.len(), list(&undone)).map_err(report)
        }
        ["baseline"] => {
            let db = connect().await?;
            let recorded = migrator.baseline::<S>(&db).await?;
            writeln!(
                out,
                "recorded {} migration(s){}",
                recorded.len(),
                list(&recorded)
            )
            .map_err(report)
        }
        ["verify"] => {
            let db = connect().await?;
            migrator.verify::<S>(&db).await?;
            writeln!(out, "the database, the migrations and the code agree").map_err(report)
        }
        _ => Err(invalid(format!("unknown command {words:?}\n{USAGE}"))),
    }
}

fn list(versions: &[String]) -> String {
    if versions.is_empty() {
        String::new()
    } else {
        format!(": {}", versions.join(", "))
    }
}
