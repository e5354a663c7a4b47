//! Golden tests: an embedded struct is a column per field on every dialect,
//! in `CREATE TABLE`, `INSERT`, `SELECT`, `UPDATE` and filters.

#[path = "../../../tests/model/mod.rs"]
mod model;

use keyway::{EntityExt, InsertStmt, Numeric, TableDef, UpdateWrite, Value};
use keyway_sql::{MySql, Postgres, Sqlite, create_table, insert, select, update};
use model::{Address, Customer, Money};

#[test]
fn a_column_per_field_in_create_table() {
    let t = TableDef::of::<Customer>();
    assert_eq!(
        create_table::<Sqlite>(&t)[0],
        r#"CREATE TABLE IF NOT EXISTS "customers" ("id" INTEGER NOT NULL, "team" TEXT NOT NULL, "name" TEXT NOT NULL, "home_street" TEXT NOT NULL, "home_city" TEXT NOT NULL, "home_zip" TEXT, "home_floor" INTEGER, "office_street" TEXT, "office_city" TEXT, "office_zip" TEXT, "office_floor" INTEGER, "balance_amount" INTEGER NOT NULL, "balance_currency" TEXT NOT NULL, PRIMARY KEY ("id")) STRICT"#
    );
    assert_eq!(
        create_table::<Postgres>(&t)[0],
        r#"CREATE TABLE IF NOT EXISTS "customers" ("id" BIGINT NOT NULL, "team" TEXT NOT NULL, "name" TEXT NOT NULL, "home_street" TEXT NOT NULL, "home_city" TEXT NOT NULL, "home_zip" TEXT, "home_floor" INTEGER, "office_street" TEXT, "office_city" TEXT, "office_zip" TEXT, "office_floor" INTEGER, "balance_amount" NUMERIC(12,2) NOT NULL, "balance_currency" TEXT NOT NULL, PRIMARY KEY ("id"))"#
    );
    assert_eq!(
        create_table::<MySql>(&t)[0],
        "CREATE TABLE IF NOT EXISTS `customers` (`id` BIGINT NOT NULL, `team` VARCHAR(255) NOT NULL, `name` LONGTEXT NOT NULL, `home_street` LONGTEXT NOT NULL, `home_city` LONGTEXT NOT NULL, `home_zip` LONGTEXT, `home_floor` INT, `office_street` LONGTEXT, `office_city` LONGTEXT, `office_zip` LONGTEXT, `office_floor` INT, `balance_amount` DECIMAL(12,2) NOT NULL, `balance_currency` LONGTEXT NOT NULL, PRIMARY KEY (`id`), KEY `customers_team_idx` (`team`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"
    );
}

/// An absent optional struct binds NULL for each of its fields.
#[test]
fn insert_binds_each_field() {
    let mut ann = Customer::new(1, "red", "Ann", "Lyon");
    ann.home.floor = Some(2);
    let mut row = Vec::new();
    keyway::write_row(&ann, &mut row).unwrap();
    let stmt = InsertStmt {
        table: TableDef::of::<Customer>(),
        rows: vec![row],
    };
    let lowered = insert::<Postgres>(stmt).pop().unwrap();
    assert_eq!(
        lowered.sql,
        r#"INSERT INTO "customers" ("id", "team", "name", "home_street", "home_city", "home_zip", "home_floor", "office_street", "office_city", "office_zip", "office_floor", "balance_amount", "balance_currency") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"#
    );
    let values: Vec<_> = lowered
        .params
        .iter()
        .map(|p| (p.column, format!("{:?}", p.value)))
        .collect();
    assert_eq!(values[4], ("home_city", r#"One(Text("Lyon"))"#.to_owned()));
    assert_eq!(values[6], ("home_floor", "One(I32(2))".to_owned()));
    assert_eq!(values[7], ("office_street", "One(Null)".to_owned()));
    assert_eq!(values[10], ("office_floor", "One(Null)".to_owned()));
}

#[test]
fn select_filters_and_updates_name_the_fields_columns() {
    let q = Customer::query()
        .filter(Customer::HOME.field(Address::CITY).eq("Lyon"))
        .filter(Customer::OFFICE.is_null())
        .order_by(Customer::BALANCE.field(Money::AMOUNT).desc());
    assert_eq!(
        select::<Sqlite>(q.statement()).sql,
        r#"SELECT "id", "team", "name", "home_street", "home_city", "home_zip", "home_floor", "office_street", "office_city", "office_zip", "office_floor", "balance_amount", "balance_currency" FROM "customers" WHERE "home_city" = ? AND "office_street" IS NULL ORDER BY "balance_amount" DESC"#
    );
    let stmt = Customer::update(7)
        .set_embedded(Customer::OFFICE, None)
        .set(
            Customer::BALANCE.field(Money::AMOUNT),
            Numeric::parse("1.50").unwrap(),
        )
        .into_stmt()
        .unwrap();
    let lowered = update::<MySql>(stmt);
    assert_eq!(
        lowered.sql,
        "UPDATE `customers` SET `office_street` = ?, `office_city` = ?, `office_zip` = ?, `office_floor` = ?, `balance_amount` = ? WHERE `id` = ?"
    );
    assert!(
        lowered.params[..4]
            .iter()
            .all(|p| matches!(p.value, keyway_sql::Bound::One(Value::Null)))
    );
}
