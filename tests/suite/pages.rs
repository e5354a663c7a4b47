//! Keyset pagination: walking every page forward and back gives each row
//! once, in the query's order, with ties broken by the key; rows written
//! between pages neither repeat nor hide the others; a cursor that was
//! altered or made for another query is `Error::Invalid`.

use keyway::prelude::*;
use keyway::{Backend, Error, Page, Supports, Unindexed};

use crate::model::{FileEntry, Tag, Todo, User};

/// The page a walk asks for: the first, or the one after / before a cursor.
fn turn<E, A, L, O>(
    p: keyway::Paginate<E, A, L, O>,
    cursor: Option<(bool, String)>,
) -> keyway::Paginate<E, A, L, O> {
    match cursor {
        None => p,
        Some((true, c)) => p.after(&c),
        Some((false, c)) => p.before(&c),
    }
}

/// Reads every page forward, then back from the last, checking the cursors
/// on the way; returns each row's `key`, in order.
async fn walk<T, K, F, Fut>(size: usize, key: impl Fn(&T) -> K, read: F) -> Vec<K>
where
    K: PartialEq + std::fmt::Debug,
    F: Fn(Option<(bool, String)>) -> Fut,
    Fut: std::future::Future<Output = keyway::Result<Page<T>>>,
{
    let keys = |p: &Page<T>| p.items.iter().map(&key).collect::<Vec<K>>();
    let mut pages: Vec<(Vec<K>, Option<String>)> = Vec::new();
    let mut page = read(None).await.unwrap();
    assert!(page.prev.is_none(), "the first page has nothing before it");
    loop {
        assert!(page.items.len() <= size);
        let next = page.next.clone();
        pages.push((keys(&page), page.prev.clone()));
        match next {
            Some(c) => page = read(Some((true, c))).await.unwrap(),
            None => break,
        }
    }
    // Back from the last page: the same pages, in reverse.
    let mut prev = pages.last().unwrap().1.clone();
    for (want, _) in pages.iter().rev().skip(1) {
        let back = read(Some((false, prev.expect("a page before"))))
            .await
            .unwrap();
        assert_eq!(&keys(&back), want);
        prev = back.prev.clone();
    }
    assert!(prev.is_none(), "back at the first page");
    pages.into_iter().flat_map(|p| p.0).collect()
}

pub async fn pages_in_a_column_order<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
    db.create_schema::<(User, Todo, Tag)>().await.unwrap();
    let ann = db.insert(&User::new("Ann", "ann@x.test")).await.unwrap();
    let todos: Vec<Todo> = (0..23)
        .map(|i| Todo::new(ann, &format!("t{i:02}"), (i % 4) as i16))
        .collect();
    let ids = db.insert_many(&todos).await.unwrap();
    let tags: Vec<Tag> = ids.iter().step_by(3).map(|&t| Tag::new(t, "x")).collect();
    db.insert_many(&tags).await.unwrap();
    let q = || {
        Todo::query()
            .filter(Todo::PRIORITY.ne(3))
            .order_by(Todo::PRIORITY.desc())
            .include(Todo::TAGS)
    };
    // The order asked for, ties broken by the key (as a page does).
    let in_order = |mut rows: Vec<keyway::Loaded<Todo, _>>| {
        rows.sort_by_key(|t| (std::cmp::Reverse(t.priority), t.id));
        rows
    };
    let all = in_order(db.all(q()).await.unwrap());
    assert_eq!(all.len(), 18);
    for size in [1, 5, 18, 40] {
        let tagged = |t: &keyway::Loaded<Todo, _>| (t.id, t.get(Todo::TAGS).len());
        let got = walk(size, tagged, |c| {
            db.page(turn(q().paginate(size as u64), c))
        })
        .await;
        let want: Vec<(i64, usize)> = all
            .iter()
            .map(|t| {
                (
                    t.id,
                    usize::from(tags.iter().any(|g| g.todo_id == Some(t.id))),
                )
            })
            .collect();
        assert_eq!(got, want, "size {size}: rows in order, with their tags");
    }

    // Rows written between pages: the next page starts just after the last
    // row read, whatever was inserted or deleted before it (an offset
    // would repeat or skip a row here).
    let first = db.page(q().paginate(5)).await.unwrap();
    let boundary = first.items.last().unwrap().id;
    db.insert(&Todo::new(ann, "late", 2)).await.unwrap();
    db.insert(&Todo::new(ann, "early", 9)).await.unwrap();
    db.delete(Todo::delete(first.items[0].id)).await.unwrap();
    let second = db
        .page(q().paginate(5).after(first.next.as_deref().unwrap()))
        .await
        .unwrap();
    let now = in_order(db.all(q()).await.unwrap());
    let now: Vec<i64> = now.iter().map(|t| t.id).collect();
    let at = now.iter().position(|i| *i == boundary).unwrap();
    let want: Vec<i64> = now[at + 1..at + 6].to_vec();
    assert_eq!(second.items.iter().map(|t| t.id).collect::<Vec<_>>(), want);
    assert!(
        !second
            .items
            .iter()
            .any(|t| first.items.iter().any(|f| f.id == t.id))
    );

    // The statement of the page after: the query's filter and the keyset
    // past the boundary row, the full order, one row past the page.
    let last = first.items.last().unwrap();
    let stmt = q()
        .paginate(5)
        .after(first.next.as_deref().unwrap())
        .statement()
        .unwrap();
    let cmp = |column, op, value| keyway::Expr::Cmp { column, op, value };
    let p = keyway::Value::I16(last.priority);
    let keyset = keyway::Expr::Or(vec![
        cmp("priority", keyway::CmpOp::Lt, p.clone()),
        keyway::Expr::And(vec![
            cmp("priority", keyway::CmpOp::Eq, p),
            cmp("id", keyway::CmpOp::Gt, keyway::Value::I64(last.id)),
        ]),
    ]);
    let Some(keyway::Expr::And(parts)) = &stmt.filter else {
        panic!("{:?}", stmt.filter)
    };
    assert_eq!(parts.last(), Some(&keyset));
    let desc = keyway::Direction::Desc;
    let asc = keyway::Direction::Asc;
    assert_eq!(stmt.order, [("priority", desc), ("id", asc)]);
    assert_eq!(stmt.limit, Some(6));
    let back = q()
        .paginate(5)
        .before(second.prev.as_deref().unwrap())
        .statement()
        .unwrap();
    assert_eq!(back.order, [("priority", asc), ("id", desc)]);

    // Refusals, each Error::Invalid.
    let next = first.next.clone().unwrap();
    let invalid = |r: keyway::Result<Page<_>>| {
        assert!(
            matches!(r, Err(Error::Invalid { .. })),
            "{:?}",
            r.map(|p| p.items.len())
        );
    };
    let mut altered = next.clone().into_bytes();
    altered[3] = if altered[3] == b'A' { b'B' } else { b'A' };
    invalid(
        db.page(q().paginate(5).after(&String::from_utf8(altered).unwrap()))
            .await,
    );
    invalid(
        db.page(q().paginate(5).after(&next[..next.len() - 2]))
            .await,
    );
    invalid(db.page(q().paginate(5).after("not a cursor")).await);
    invalid(db.page(q().paginate(5).before(&next)).await);
    let plain = |r: keyway::Result<Page<Todo>>| {
        assert!(
            matches!(r, Err(Error::Invalid { .. })),
            "{:?}",
            r.map(|p| p.items)
        );
    };
    let other = || Todo::query().order_by(Todo::TITLE.asc());
    plain(db.page(other().paginate(5).after(&next)).await);
    let by_note = Todo::query().order_by(Todo::NOTE.asc()).paginate(5);
    plain(db.page(by_note).await);
    invalid(db.page(q().paginate(0)).await);
}

pub async fn pages_in_key_order<B: Backend>(db: &Db<B>) {
    db.create_schema::<FileEntry>().await.unwrap();
    let mut files: Vec<FileEntry> = (0..17)
        .map(|i| FileEntry::new("a", &format!("dir/{:02}", 16 - i), i))
        .collect();
    files.extend((0..5).map(|i| FileEntry::new("b", &format!("dir/{i:02}"), i)));
    db.insert_many(&files).await.unwrap();
    let q = || FileEntry::query().filter(FileEntry::BUCKET.eq("a"));
    let key = |f: &FileEntry| (f.bucket.clone(), f.path.clone());
    let got = walk(4, key, |c| db.page(turn(q().paginate(4), c))).await;
    let want: Vec<(String, String)> = (0..17)
        .map(|i| ("a".to_string(), format!("dir/{i:02}")))
        .collect();
    assert_eq!(got, want, "in key order");
    // Every bucket, scanned, in key order (partition, then sort key).
    let all = walk(6, key, |c| {
        db.page(turn(FileEntry::query().scan().paginate(6), c))
    })
    .await;
    assert_eq!(all.len(), 22);
    let mut sorted = all.clone();
    sorted.sort();
    assert_eq!(all, sorted);
}
