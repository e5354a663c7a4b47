//! The statement cache returns, for every statement, exactly the text and the
//! parameters the direct lowering gives, however many shapes it has seen:
//! random reads, updates and deletes through one cache per dialect.

#[path = "../../../tests/model/mod.rs"]
mod model;

use std::cell::RefCell;

use keyway::{CmpOp, DeleteStmt, Direction, Expr, SelectStmt, Selection, TableDef, UpdateStmt};
use keyway::{Entity, Value};
use keyway_sql::{BoundRef, Dialect, Lowered, MySql, Postgres, Sqlite, StatementCache};
use model::{Message, Todo, User};
use proptest::prelude::*;

/// Columns of `todos` (the filters only need names; types do not matter to lowering).
fn column() -> impl Strategy<Value = &'static str> {
    prop::sample::select(Todo::COLUMNS.iter().map(|c| c.name).collect::<Vec<_>>())
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<i64>().prop_map(Value::I64),
        any::<bool>().prop_map(Value::Bool),
        "[a-z'\"?$]{0,6}".prop_map(Value::Text),
    ]
}

fn op() -> impl Strategy<Value = CmpOp> {
    prop::sample::select(vec![
        CmpOp::Eq,
        CmpOp::Ne,
        CmpOp::Lt,
        CmpOp::Le,
        CmpOp::Gt,
        CmpOp::Ge,
    ])
}

fn expr() -> impl Strategy<Value = Expr> {
    let leaf = prop_oneof![
        (column(), op(), value()).prop_map(|(column, op, value)| Expr::Cmp { column, op, value }),
        (column(), prop::collection::vec(value(), 0..4))
            .prop_map(|(column, values)| Expr::InList { column, values }),
        (column(), any::<bool>()).prop_map(|(column, negated)| Expr::IsNull { column, negated }),
    ];
    leaf.prop_recursive(3, 16, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Expr::And),
            prop::collection::vec(inner.clone(), 0..3).prop_map(Expr::Or),
            inner.prop_map(|e| Expr::Not(Box::new(e))),
        ]
    })
}

fn table() -> impl Strategy<Value = TableDef> {
    prop_oneof![Just(TableDef::of::<Todo>()), Just(TableDef::of::<User>())]
}

prop_compose! {
    fn select()(
        table in table(),
        selection in prop_oneof![
            Just(Selection::Entity),
            Just(Selection::Count),
            prop::collection::vec(column(), 1..3).prop_map(Selection::Columns),
        ],
        filter in prop::option::of(expr()),
        order in prop::collection::vec(
            (column(), prop::sample::select(vec![Direction::Asc, Direction::Desc])),
            0..3,
        ),
        limit in prop::option::of(0..4u64),
        offset in prop::option::of(0..4u64),
    ) -> SelectStmt {
        SelectStmt { table, selection, filter, order, limit, offset, scan: false, lock: None }
    }
}

prop_compose! {
    fn update()(
        table in table(),
        set in prop::collection::vec((column(), value()), 1..3),
        filter in prop::option::of(expr()),
        add in prop::collection::vec((column(), any::<i64>().prop_map(Value::I64)), 0..2),
        condition in prop::option::of(expr()),
    ) -> UpdateStmt {
        UpdateStmt {
            table,
            set,
            paths: Vec::new(),
            filter,
            add,
            condition,
        }
    }
}

prop_compose! {
    fn delete()(
        table in table(),
        filter in prop::option::of(expr()),
        condition in prop::option::of(expr()),
    ) -> DeleteStmt {
        DeleteStmt { table, filter, condition }
    }
}

#[derive(Debug)]
enum Stmt {
    Select(SelectStmt),
    Update(UpdateStmt),
    Delete(DeleteStmt),
}

fn stmt() -> impl Strategy<Value = Stmt> {
    prop_oneof![
        3 => select().prop_map(Stmt::Select),
        1 => update().prop_map(Stmt::Update),
        1 => delete().prop_map(Stmt::Delete),
    ]
}

thread_local! {
    static SQLITE: RefCell<StatementCache<Sqlite>> = RefCell::new(StatementCache::new());
    static POSTGRES: RefCell<StatementCache<Postgres>> = RefCell::new(StatementCache::new());
    static MYSQL: RefCell<StatementCache<MySql>> = RefCell::new(StatementCache::new());
}

/// The cached lowering of `stmt` equals the direct one, text and parameters.
fn check<D: Dialect>(cache: &RefCell<StatementCache<D>>, stmt: &Stmt) {
    let mut cache = cache.borrow_mut();
    let (cached, direct): (_, Lowered) = match stmt {
        Stmt::Select(s) => (cache.select(s), keyway_sql::select::<D>(s)),
        Stmt::Update(s) => (cache.update(s), keyway_sql::update::<D>(s.clone())),
        Stmt::Delete(s) => (cache.delete(s), keyway_sql::delete::<D>(s.clone())),
    };
    assert_eq!(cached.sql, direct.sql, "{stmt:?}");
    let params: Vec<_> = cached
        .params
        .iter()
        .map(|p| (p.column, p.value.to_bound()))
        .collect();
    let expected: Vec<_> = direct
        .params
        .iter()
        .map(|p| (p.column, p.value.clone()))
        .collect();
    assert_eq!(params, expected, "{stmt:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn cached_text_and_params_are_the_direct_lowering(stmt in stmt()) {
        SQLITE.with(|c| check(c, &stmt));
        POSTGRES.with(|c| check(c, &stmt));
        MYSQL.with(|c| check(c, &stmt));
    }
}

#[test]
fn statements_differing_only_in_values_share_one_shape() {
    let mut cache = StatementCache::<Postgres>::new();
    for id in 0..100 {
        let stmt = DeleteStmt::new(
            TableDef::of::<User>(),
            Some(Expr::Cmp {
                column: "id",
                op: CmpOp::Eq,
                value: Value::I64(id),
            }),
        );
        let cached = cache.delete(&stmt);
        assert_eq!(cached.sql, r#"DELETE FROM "users" WHERE "id" = $1"#);
        assert_eq!(cached.params[0].value, BoundRef::One(&Value::I64(id)));
    }
    assert_eq!(cache.len(), 1);
}

#[test]
fn null_comparisons_and_list_lengths_are_shapes_of_their_own() {
    let mut cache = StatementCache::<Sqlite>::new();
    let read = |value: Value, list: usize| {
        let mut stmt = SelectStmt::new(TableDef::of::<Todo>());
        stmt.filter = Some(
            Expr::Cmp {
                column: "note",
                op: CmpOp::Eq,
                value,
            }
            .and(Expr::InList {
                column: "id",
                values: (0..list as i64).map(Value::I64).collect(),
            }),
        );
        stmt
    };
    let texts: Vec<String> = [
        read(Value::Null, 1),
        read(Value::Text("x".into()), 1),
        read(Value::Text("y".into()), 2),
        read(Value::Null, 0),
    ]
    .iter()
    .map(|s| cache.select(s).sql.to_owned())
    .collect();
    assert!(
        texts[0].ends_with(r#""note" IS NULL AND "id" IN (?)"#),
        "{}",
        texts[0]
    );
    assert!(
        texts[1].ends_with(r#""note" = ? AND "id" IN (?)"#),
        "{}",
        texts[1]
    );
    assert!(
        texts[2].ends_with(r#""note" = ? AND "id" IN (?, ?)"#),
        "{}",
        texts[2]
    );
    assert!(
        texts[3].ends_with(r#""note" IS NULL AND 1 = 0"#),
        "{}",
        texts[3]
    );
    assert_eq!(cache.len(), 4);
}

#[test]
fn a_full_cache_starts_again_and_stays_right() {
    let mut cache = StatementCache::<MySql>::new();
    for round in 0..2 {
        for limit in 0..700u64 {
            let mut stmt = SelectStmt::new(TableDef::of::<User>());
            stmt.limit = Some(limit);
            let sql = cache.select(&stmt).sql.to_owned();
            assert_eq!(sql, keyway_sql::select::<MySql>(&stmt).sql, "round {round}");
        }
    }
    assert!(cache.len() <= 512, "{}", cache.len());
}

/// The lookup by key is found by table and arity alone, and is exactly the
/// lowering of `SelectStmt::by_key` (scalar and composite keys).
#[test]
fn reads_by_key_are_the_lowering_of_select_by_key() {
    fn check<D: Dialect, E: Entity>(key: E::Key) {
        let mut cache = StatementCache::<D>::new();
        let arity = <E::Key as keyway::Key>::ARITY;
        let direct = keyway_sql::select::<D>(&SelectStmt::by_key::<E>(&key));
        for _ in 0..2 {
            assert_eq!(cache.by_key::<E>(&key), direct.sql);
        }
        assert_eq!(direct.params.len(), arity);
        // A walked read of the same text is a shape of its own.
        assert_eq!(cache.select(&SelectStmt::by_key::<E>(&key)).sql, direct.sql);
        assert_eq!(cache.len(), 2);
    }
    check::<Sqlite, User>(7);
    check::<Postgres, Todo>(7);
    check::<MySql, Message>(("general".into(), 1_700_000_000));
    check::<Postgres, Message>(("general".into(), 1_700_000_000));
}

/// An insert's text is found by table, row count and plan, and is exactly
/// what `insert_planned` writes for that many rows.
#[test]
fn inserts_are_the_lowering_of_insert_planned() {
    fn check<D: Dialect, E: Entity>(returning: bool) {
        let mut cache = StatementCache::<D>::new();
        let plan = keyway_sql::InsertPlan {
            returning,
            ..keyway_sql::InsertPlan::of::<D>()
        };
        let table = TableDef::of::<E>();
        for rows in [1, 2, 7, 1, 2] {
            let stmt = keyway::InsertStmt {
                table,
                rows: vec![vec![Value::I64(3); table.columns.len()]; rows],
            };
            let direct = keyway_sql::insert_planned::<D>(stmt, plan);
            assert_eq!(
                cache.insert(&table, rows, plan),
                direct[0].sql,
                "{rows} rows"
            );
        }
        assert_eq!(cache.len(), 3);
        assert_eq!(cache.insert(&table, 0, plan), "");
    }
    check::<Sqlite, User>(true);
    check::<Postgres, Todo>(true);
    check::<MySql, Todo>(false);
    check::<MySql, Message>(false);
}
