//! Migration files: `migrations/0001_create_todos.json`, each a list of
//! portable steps, numbered in the order they apply; beside them
//! `schema.json`, the schema they leave.

use std::fs;
use std::path::{Path, PathBuf};

use keyway::migrate::{SchemaSpec, Step};
use keyway::{Error, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The snapshot's file name in the migrations folder.
pub const SNAPSHOT: &str = "schema.json";

/// One migration, as read from its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    /// Its number, as its file name writes it (`0003`).
    pub version: String,
    /// Its name (`add_priority`).
    pub name: String,
    /// Its steps, in the order they apply; undone in reverse.
    pub steps: Vec<Step>,
    /// The SHA-256 of its steps (not of their layout in the file), hex.
    pub checksum: String,
    /// Where it was read from.
    pub path: PathBuf,
}

/// A migration file's content.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Content {
    steps: Vec<Step>,
}

impl Migration {
    /// The steps that undo it, in the order they apply.
    pub fn down_steps(&self) -> Vec<Step> {
        self.steps.iter().rev().map(Step::inverse).collect()
    }
}

fn invalid(detail: String) -> Error {
    Error::Invalid {
        what: "migration",
        detail,
    }
}

fn io(path: &Path, e: std::io::Error) -> Error {
    invalid(format!("{}: {e}", path.display()))
}

/// The SHA-256 of `steps` in their canonical JSON, hex.
pub fn checksum(steps: &[Step]) -> String {
    let canonical = serde_json::to_vec(steps).expect("steps serialize");
    Sha256::digest(&canonical)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The migrations of `dir`, in order; an absent folder has none. Files
/// that are not `NNNN_name.json` (the snapshot, a README) are left alone;
/// two files of one number are refused.
pub fn read_dir(dir: &Path) -> Result<Vec<Migration>> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io(dir, e)),
    };
    let mut out: Vec<Migration> = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| io(dir, e))?.path();
        let json = path.extension().is_some_and(|e| e == "json");
        let snapshot = path.file_name().is_some_and(|n| n == SNAPSHOT);
        let Some((version, name)) = file_name_parts(&path) else {
            if json && !snapshot {
                return Err(invalid(format!(
                    "{} is not named as a migration is (`0003_add_priority.json`: a number, \
                     `_`, lower-case letters, digits and `_`)",
                    path.display()
                )));
            }
            continue;
        };
        let text = fs::read_to_string(&path).map_err(|e| io(&path, e))?;
        let content: Content =
            serde_json::from_str(&text).map_err(|e| invalid(format!("{}: {e}", path.display())))?;
        out.push(Migration {
            checksum: checksum(&content.steps),
            version,
            name,
            steps: content.steps,
            path,
        });
    }
    out.sort_by_key(|m| number(&m.version));
    for pair in out.windows(2) {
        if number(&pair[0].version) == number(&pair[1].version) {
            return Err(invalid(format!(
                "two migrations are numbered {}: {} and {}; renumber one",
                pair[0].version,
                pair[0].path.display(),
                pair[1].path.display()
            )));
        }
    }
    Ok(out)
}

/// A migration's number, as a number (`0003` is 3).
pub(crate) fn number(version: &str) -> u64 {
    version.parse().unwrap_or(u64::MAX)
}

/// `0003` and `add_priority` of `0003_add_priority.json`.
fn file_name_parts(path: &Path) -> Option<(String, String)> {
    let stem = path.file_name()?.to_str()?.strip_suffix(".json")?;
    let (version, name) = stem.split_once('_')?;
    let digits = !version.is_empty() && version.len() <= 18;
    if !digits || !version.bytes().all(|b| b.is_ascii_digit()) || !valid_name(name) {
        return None;
    }
    Some((version.to_owned(), name.to_owned()))
}

/// Whether `name` is lower-case letters, digits and `_`.
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Writes migration `name` after the `existing` ones, and the snapshot of
/// the schema it leaves; returns it.
pub fn write(
    dir: &Path,
    existing: &[Migration],
    name: &str,
    steps: Vec<Step>,
    snapshot: &SchemaSpec,
) -> Result<Migration> {
    if !valid_name(name) {
        return Err(invalid(format!(
            "a migration's name is lower-case letters, digits and `_` (`add_priority`), not {name:?}"
        )));
    }
    let next = existing.last().map_or(1, |m| number(&m.version) + 1);
    let version = format!("{next:04}");
    fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let path = dir.join(format!("{version}_{name}.json"));
    let content = Content { steps };
    let text = serde_json::to_string_pretty(&content).expect("steps serialize") + "\n";
    fs::write(&path, text).map_err(|e| io(&path, e))?;
    write_snapshot(dir, snapshot)?;
    Ok(Migration {
        version,
        name: name.to_owned(),
        checksum: checksum(&content.steps),
        steps: content.steps,
        path,
    })
}

/// Writes `schema.json`.
pub fn write_snapshot(dir: &Path, snapshot: &SchemaSpec) -> Result<()> {
    let path = dir.join(SNAPSHOT);
    let text = serde_json::to_string_pretty(snapshot).expect("specs serialize") + "\n";
    fs::write(&path, text).map_err(|e| io(&path, e))
}

/// The snapshot of `dir`, if it has one.
pub fn read_snapshot(dir: &Path) -> Result<Option<SchemaSpec>> {
    let path = dir.join(SNAPSHOT);
    match fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| invalid(format!("{}: {e}", path.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io(&path, e)),
    }
}

/// The schema before each of `migrations` and the one after the last (one
/// more than there are migrations), each applied in turn to the empty
/// schema; a step that does not fit the schema before it is refused,
/// naming its file.
pub fn schemas(migrations: &[Migration]) -> Result<Vec<SchemaSpec>> {
    let mut out = vec![SchemaSpec::default()];
    for m in migrations {
        let mut spec = out.last().expect("one at least").clone();
        for step in &m.steps {
            spec.apply(step)
                .map_err(|e| invalid(format!("{} (step \"{step}\"): {e}", m.path.display())))?;
        }
        out.push(spec);
    }
    Ok(out)
}

/// The schema `migrations` leave ([`schemas`]' last).
pub fn fold(migrations: &[Migration]) -> Result<SchemaSpec> {
    Ok(schemas(migrations)?.pop().expect("one at least"))
}
