//! Text matching: `starts_with`, `ends_with`, `contains`, `like` and their
//! case-insensitive forms give the same rows on every backend, special
//! characters in the value are matched as themselves, and `starts_with`
//! on a text sort key is part of the key condition.

use std::collections::BTreeSet;

use keyway::prelude::*;
use keyway::{Backend, Filter, Indexed, TextTest, Unindexed};

use crate::model::{FileEntry, Todo, User};

/// Titles chosen to trip pattern syntax: every wildcard and escape
/// character of LIKE and GLOB, case, non-ASCII letters, the empty text.
const TITLES: &[&str] = &[
    "Fix the roof",
    "fix 100% of bugs",
    "fix 1000 bugs",
    "under_score",
    "underXscore",
    "bang! now",
    "star*glob?[x]",
    "back\\slash",
    "ÉCOLE",
    "école",
    "",
    "FIX",
];

/// Values and patterns to match the titles with.
const VALUES: &[&str] = &[
    "fix", "FIX", "Fix", "100%", "%", "_", "_score", "!", "*", "?", "[x]", "\\", "É", "é", "", "x",
    "bug", "bugs", "ix",
];

/// Like-patterns: `%`, `_` and `\` escapes.
const PATTERNS: &[&str] = &[
    "fix%",
    "%bugs",
    "%100\\%%",
    "under\\_score",
    "under_score",
    "%!%",
    "%\\\\%",
    "_",
    "",
    "%",
    "star*%",
    "%[x]",
    "f_x%",
    "%É%",
    "_cole",
];

async fn titles<B: Backend>(db: &Db<B>, filter: Filter<Todo, Unindexed>) -> BTreeSet<String> {
    let rows = db.all(Todo::query().filter(filter).scan()).await.unwrap();
    rows.into_iter().map(|t| t.title).collect()
}

fn expected(test: TextTest, value: &str, ignore_case: bool) -> BTreeSet<String> {
    TITLES
        .iter()
        .filter(|t| keyway::text_matches(test, value, ignore_case, t))
        .map(|t| t.to_string())
        .collect()
}

pub async fn text_matching_agrees_everywhere<B: Backend>(db: &Db<B>) {
    db.create_schema::<(User, Todo)>().await.unwrap();
    let ann = db.insert(&User::new("Ann", "ann@x.test")).await.unwrap();
    let todos: Vec<Todo> = TITLES.iter().map(|t| Todo::new(ann, t, 1)).collect();
    db.insert_many(&todos).await.unwrap();

    // A few answers written out, so that the reference itself is checked.
    let set = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    assert_eq!(
        titles(db, Todo::TITLE.starts_with("fix")).await,
        set(&["fix 100% of bugs", "fix 1000 bugs"])
    );
    assert_eq!(
        titles(db, Todo::TITLE.starts_with_ignore_case("fix")).await,
        set(&["Fix the roof", "fix 100% of bugs", "fix 1000 bugs", "FIX"])
    );
    assert_eq!(
        titles(db, Todo::TITLE.contains("100%")).await,
        set(&["fix 100% of bugs"])
    );
    assert_eq!(
        titles(db, Todo::TITLE.contains("_")).await,
        set(&["under_score"])
    );
    assert_eq!(
        titles(db, Todo::TITLE.like("under_score")).await,
        set(&["under_score", "underXscore"])
    );
    assert_eq!(
        titles(db, Todo::TITLE.like("under\\_score")).await,
        set(&["under_score"])
    );
    assert_eq!(
        titles(db, Todo::TITLE.contains_ignore_case("é")).await,
        set(&["école"]),
        "only ASCII letters fold"
    );

    for value in VALUES {
        for ci in [false, true] {
            let (s, e, c) = if ci {
                (
                    Todo::TITLE.starts_with_ignore_case(*value),
                    Todo::TITLE.ends_with_ignore_case(*value),
                    Todo::TITLE.contains_ignore_case(*value),
                )
            } else {
                (
                    Todo::TITLE.starts_with(*value),
                    Todo::TITLE.ends_with(*value),
                    Todo::TITLE.contains(*value),
                )
            };
            let got = titles(db, s).await;
            assert_eq!(
                got,
                expected(TextTest::StartsWith, value, ci),
                "starts_with {value:?} {ci}"
            );
            let got = titles(db, e).await;
            assert_eq!(
                got,
                expected(TextTest::EndsWith, value, ci),
                "ends_with {value:?} {ci}"
            );
            let got = titles(db, c).await;
            assert_eq!(
                got,
                expected(TextTest::Contains, value, ci),
                "contains {value:?} {ci}"
            );
        }
    }
    for pattern in PATTERNS {
        for ci in [false, true] {
            let f = if ci {
                Todo::TITLE.like_ignore_case(*pattern)
            } else {
                Todo::TITLE.like(*pattern)
            };
            let got = titles(db, f).await;
            assert_eq!(
                got,
                expected(TextTest::Like, pattern, ci),
                "like {pattern:?} {ci}"
            );
        }
    }
    // Beside other conditions, negated, counted, and on an optional column.
    let q = Todo::query()
        .filter(Todo::TITLE.starts_with_ignore_case("fix").not())
        .filter(Todo::TITLE.contains("o"))
        .scan();
    let got: BTreeSet<String> = db
        .all(q)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.title)
        .collect();
    assert_eq!(
        got,
        BTreeSet::from([
            "under_score".to_string(),
            "underXscore".into(),
            "bang! now".into(),
            "star*glob?[x]".into(),
            "école".into()
        ])
    );
    let n = db.count(Todo::query().filter(Todo::TITLE.ends_with("bugs")).scan());
    assert_eq!(n.await.unwrap(), 2);
    let first = Todo::query()
        .filter(Todo::TITLE.starts_with("fix 1"))
        .scan();
    let noted = Todo::query()
        .filter(Todo::TITLE.eq("FIX"))
        .scan()
        .update()
        .set(Todo::NOTE, Some("Call Bob".to_string()));
    db.update(noted).await.unwrap();
    let q = Todo::query()
        .filter(Todo::NOTE.starts_with_ignore_case("call"))
        .scan();
    assert_eq!(db.all(q).await.unwrap().len(), 1);
    assert_eq!(db.all(first.limit(1)).await.unwrap().len(), 1);
}

pub async fn starts_with_on_a_sort_key<B: Backend>(db: &Db<B>) {
    db.create_schema::<FileEntry>().await.unwrap();
    let files = [
        FileEntry::new("a", "docs/readme.md", 1),
        FileEntry::new("a", "docs/guide/intro.md", 2),
        FileEntry::new("a", "docs%/odd.md", 3),
        FileEntry::new("a", "src/lib.rs", 4),
        FileEntry::new("b", "docs/other.md", 5),
    ];
    db.insert_many(&files).await.unwrap();
    // Indexed: the partition's `eq` with the sort key's `starts_with`.
    let docs: Filter<FileEntry, Indexed> = FileEntry::BUCKET
        .eq("a")
        .and(FileEntry::PATH.starts_with("docs/"));
    let mut got: Vec<String> = db
        .all(FileEntry::query().filter(docs))
        .await
        .unwrap()
        .into_iter()
        .map(|f| f.path)
        .collect();
    got.sort();
    assert_eq!(got, ["docs/guide/intro.md", "docs/readme.md"]);
    let odd = FileEntry::BUCKET
        .eq("a")
        .and(FileEntry::PATH.starts_with("docs%"));
    assert_eq!(db.count(FileEntry::query().filter(odd)).await.unwrap(), 1);
    // What a key condition cannot say is filtered on the items read.
    let md = FileEntry::BUCKET
        .eq("a")
        .and(FileEntry::PATH.ends_with_ignore_case(".MD"))
        .and(FileEntry::PATH.starts_with("docs"));
    assert_eq!(db.count(FileEntry::query().filter(md)).await.unwrap(), 3);
}
