//! Embedded structs on every backend, through indexed queries only: exact
//! round trips (an absent optional struct told apart from one whose fields
//! are all `None`), filters on their fields, projections of a field,
//! updates of a whole struct or of one field, and refusals.

use keyway::prelude::*;
use keyway::{Backend, Error, Numeric};
use proptest::prelude::{Strategy, any};
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRng, TestRunner};

use crate::model::{Address, Customer, Money};

fn customers() -> Vec<Customer> {
    let mut ann = Customer::new(1, "red", "Ann", "Lyon");
    ann.office = Some(Address {
        street: "2 Rue de la Paix".into(),
        city: "Paris".into(),
        zip: Some("75002".into()),
        floor: Some(3),
    });
    ann.balance = Money::new("12.50", "EUR");
    let mut bob = Customer::new(2, "red", "Bob", "Paris");
    // An office whose optional fields are all `None`: not an absent office.
    bob.office = Some(Address::new("9 Quai", "Lyon"));
    bob.balance = Money::new("-0.01", "USD");
    let mut eve = Customer::new(3, "red", "Eve", "Lyon");
    eve.home.zip = Some("69001".into());
    eve.balance = Money::new("9999999999.99", "EUR");
    let other = Customer::new(4, "blue", "Zed", "Lyon");
    vec![ann, bob, eve, other]
}

async fn ids<B: Backend>(
    db: &Db<B>,
    filter: keyway::Filter<Customer, keyway::Indexed>,
) -> Vec<i64> {
    let found = db
        .all(Customer::query().filter(filter))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mut ids: Vec<i64> = found.iter().map(|c| c.id).collect();
    ids.sort_unstable();
    ids
}

pub async fn embedded_structs_round_trip<B: Backend>(db: &Db<B>) {
    db.create_schema::<Customer>().await.unwrap();
    let rows = customers();
    db.insert_many(&rows).await.unwrap();
    for row in &rows {
        assert_eq!(&db.get::<Customer>(row.id).await.unwrap(), row);
    }
    // A decimal field comes back at its field's scale.
    let ann = db.get::<Customer>(1).await.unwrap();
    assert_eq!(ann.balance.amount.to_string(), "12.50");
    let one = Customer::new(5, "red", "Kim", "Nice");
    db.insert(&one).await.unwrap();
    assert_eq!(db.get::<Customer>(5).await.unwrap(), one);
    let red = db
        .all(Customer::query().filter(Customer::TEAM.eq("red")))
        .await
        .unwrap();
    assert_eq!(red.len(), 4);
    // Updates: a whole struct, an optional one set and cleared, one field.
    let moved = Address {
        street: "5 Via Roma".into(),
        city: "Turin".into(),
        zip: None,
        floor: Some(-1),
    };
    db.update(
        Customer::update(2)
            .set_embedded(Customer::HOME, moved.clone())
            .set_embedded(Customer::OFFICE, None),
    )
    .await
    .unwrap();
    let bob = db.get::<Customer>(2).await.unwrap();
    assert_eq!((bob.home, bob.office), (moved, None));
    db.update(
        Customer::update(3)
            .set_embedded(Customer::OFFICE, Address::new("1 Dock", "Oslo"))
            .set(Customer::HOME.field(Address::CITY), "Bergen")
            .set(Customer::HOME.field(Address::ZIP), None::<String>)
            .set(
                Customer::BALANCE.field(Money::AMOUNT),
                Numeric::parse("7").unwrap(),
            ),
    )
    .await
    .unwrap();
    let eve = db.get::<Customer>(3).await.unwrap();
    assert_eq!(eve.office, Some(Address::new("1 Dock", "Oslo")));
    assert_eq!((eve.home.city.as_str(), eve.home.zip), ("Bergen", None));
    assert_eq!(eve.home.street, "1 Main St");
    assert_eq!(eve.balance, Money::new("7.00", "EUR"));
    // By filter, every matching row.
    let updated = db
        .update(
            Customer::query()
                .filter(Customer::TEAM.eq("blue"))
                .update()
                .set_embedded(Customer::BALANCE, Money::new("1", "NOK")),
        )
        .await
        .unwrap();
    assert_eq!(updated, 1);
    assert_eq!(
        db.get::<Customer>(4).await.unwrap().balance,
        Money::new("1.00", "NOK")
    );
}

pub async fn embedded_fields_filter<B: Backend>(db: &Db<B>) {
    db.create_schema::<Customer>().await.unwrap();
    db.insert_many(&customers()).await.unwrap();
    let red = || Customer::TEAM.eq("red");
    let home_city = || Customer::HOME.field(Address::CITY);
    assert_eq!(ids(db, red().and(home_city().eq("Lyon"))).await, [1, 3]);
    assert_eq!(ids(db, red().and(home_city().ne("Lyon"))).await, [2]);
    assert_eq!(
        ids(db, red().and(home_city().in_list(["Paris", "Oslo"]))).await,
        [2]
    );
    assert_eq!(
        ids(db, red().and(Customer::HOME.field(Address::ZIP).is_null())).await,
        [1, 2]
    );
    // An optional struct: absent, present, and a field of it (absent when
    // the struct is).
    assert_eq!(ids(db, red().and(Customer::OFFICE.is_null())).await, [3]);
    assert_eq!(
        ids(db, red().and(Customer::OFFICE.is_not_null())).await,
        [1, 2]
    );
    let office_zip = || Customer::OFFICE.field(Address::ZIP);
    assert_eq!(ids(db, red().and(office_zip().is_null())).await, [2, 3]);
    assert_eq!(ids(db, red().and(office_zip().eq("75002"))).await, [1]);
    let office_city = || Customer::OFFICE.field(Address::CITY);
    assert_eq!(ids(db, red().and(office_city().eq("Lyon"))).await, [2]);
    // Decimal fields compare by value.
    let amount = || Customer::BALANCE.field(Money::AMOUNT);
    let zero = Numeric::parse("0").unwrap();
    assert_eq!(ids(db, red().and(amount().gt(zero))).await, [1, 3]);
    assert_eq!(
        ids(db, red().and(amount().le(Numeric::parse("12.50").unwrap()))).await,
        [1, 2]
    );
    // A field selected on its own, of a struct and of an optional one.
    let mut picked = db
        .all(
            Customer::query()
                .filter(red())
                .select((Customer::ID, home_city(), office_city())),
        )
        .await
        .unwrap();
    picked.sort();
    assert_eq!(
        picked,
        [
            (1, "Lyon".to_owned(), Some("Paris".to_owned())),
            (2, "Paris".to_owned(), Some("Lyon".to_owned())),
            (3, "Lyon".to_owned(), None),
        ]
    );
}

pub async fn embedded_refusals<B: Backend>(db: &Db<B>) {
    db.create_schema::<Customer>().await.unwrap();
    db.insert_many(&customers()).await.unwrap();
    // A field handle that `Address::FIELDS` does not list.
    const COUNTRY: Column<Address, String> = Column::new("country");
    let err = db
        .update(Customer::update(1).set(Customer::HOME.field(COUNTRY), "FR"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Invalid { what: "update", detail } if detail.contains("home_country")),
        "{err}"
    );
    // One field of an optional struct cannot be set alone.
    let err = db
        .update(Customer::update(1).set(
            Customer::OFFICE.field(Address::CITY),
            Some("Rome".to_owned()),
        ))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Invalid { what: "update", detail } if detail.contains("set_embedded")),
        "{err}"
    );
    // A struct set whole and one of its fields, in one update.
    let err = db
        .update(
            Customer::update(1)
                .set_embedded(Customer::HOME, Address::new("a", "b"))
                .set(Customer::HOME.field(Address::CITY), "c"),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Invalid { what: "update", .. }),
        "{err}"
    );
    // A decimal field beyond its scale: refused, nothing stored.
    let mut rich = Customer::new(9, "red", "Rich", "Lyon");
    rich.balance = Money::new("1.005", "EUR");
    let err = db.insert(&rich).await.unwrap_err();
    assert!(
        matches!(&err, Error::OutOfRange { entity: "Customer", column, .. } if column.contains("amount")),
        "{err}"
    );
    let err = db.insert_many(&[rich.clone()]).await.unwrap_err();
    assert!(matches!(err, Error::OutOfRange { .. }), "{err}");
    let err = db
        .update(Customer::update(1).set_embedded(Customer::BALANCE, Money::new("0.001", "EUR")))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::OutOfRange { .. }), "{err}");
    assert!(matches!(
        db.get::<Customer>(9).await,
        Err(Error::NotFound { .. })
    ));
    assert_eq!(db.get::<Customer>(1).await.unwrap(), customers()[0]);
}

/// Random customers, hostile text included, round-trip exactly.
pub async fn random_embedded_round_trips<B: Backend>(db: &Db<B>) {
    db.create_schema::<Customer>().await.unwrap();
    let text = || "[a-zA-Z0-9 '\"\\\\%_;\u{e9}\u{1F600}-]{0,12}";
    let address = (
        text(),
        text(),
        proptest::option::of(text()),
        any::<Option<i32>>(),
    )
        .prop_map(|(street, city, zip, floor)| Address {
            street,
            city,
            zip,
            floor,
        });
    let customer = (
        any::<i64>(),
        address.clone(),
        proptest::option::of(address),
        -99_999_999_999i64..99_999_999_999,
        text(),
    )
        .prop_map(|(id, home, office, cents, name)| Customer {
            id,
            team: "random".into(),
            name,
            home,
            office,
            balance: Money {
                amount: Numeric::new(i128::from(cents), 2).expect("12 digits"),
                currency: "EUR".into(),
            },
        });
    let strategy = proptest::collection::vec(customer, 1..5);
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::deterministic_rng(Config::default().rng_algorithm),
    );
    for case in 0..16 {
        let mut rows = strategy.new_tree(&mut runner).expect("generate").current();
        rows.sort_by_key(|r| r.id);
        rows.dedup_by_key(|r| r.id);
        db.insert_many(&rows)
            .await
            .unwrap_or_else(|e| panic!("case {case}: insert {rows:?}: {e}"));
        for row in &rows {
            assert_eq!(
                &db.get::<Customer>(row.id).await.unwrap(),
                row,
                "case {case}"
            );
            db.delete(Customer::delete(row.id)).await.unwrap();
        }
    }
}

/// In a transaction: a struct set whole and then one of its fields (one
/// write per row on DynamoDB), and a row saved then changed by field.
pub async fn embedded_in_transactions<B: Backend>(db: &Db<B>) {
    db.create_schema::<Customer>().await.unwrap();
    db.insert_many(&customers()).await.unwrap();
    let oslo = Address::new("1 Dock", "Oslo");
    db.transaction(async |tx| {
        tx.update(Customer::update(1).set_embedded(Customer::HOME, oslo.clone()))
            .await?;
        tx.update(Customer::update(1).set(Customer::HOME.field(Address::FLOOR), Some(9)))
            .await?;
        let mut bob = tx.get::<Customer>(2).await?;
        bob.name = "Robert".into();
        tx.save(&bob).await?;
        tx.update(Customer::update(2).set(Customer::HOME.field(Address::CITY), "Bergen"))
            .await?;
        Ok(())
    })
    .await
    .unwrap();
    let ann = db.get::<Customer>(1).await.unwrap();
    assert_eq!(
        ann.home,
        Address {
            floor: Some(9),
            ..oslo
        }
    );
    let bob = db.get::<Customer>(2).await.unwrap();
    assert_eq!(
        (bob.name.as_str(), bob.home.city.as_str()),
        ("Robert", "Bergen")
    );
    assert_eq!(bob.office, customers()[1].office);
}
