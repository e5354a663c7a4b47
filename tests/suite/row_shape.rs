//! An entity whose `write` or `read` does not follow `COLUMNS` (a column out
//! of order, missing, twice, or not listed) is refused with `Error::Invalid`
//! naming the column, before anything is sent, on every backend: a swapped
//! `put` of two text columns never stores a name as an email.

use keyway::prelude::*;
use keyway::{Backend, Error};

/// How `Misfit::write` goes wrong.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Fault {
    /// Puts every column in `COLUMNS` order.
    None,
    /// Puts `email` before `name` (both text).
    Swapped,
    /// Leaves `email` out.
    Missing,
    /// Puts `name` twice.
    Twice,
    /// Puts a column that `COLUMNS` does not list.
    Unlisted,
}

#[derive(Debug, Clone, PartialEq)]
struct Misfit {
    id: i64,
    name: String,
    email: String,
    fault: Fault,
}

impl Misfit {
    const ID: Column<Misfit, i64, PrimaryKey> = Column::new("id");
    const NAME: Column<Misfit, String> = Column::new("name");
    const EMAIL: Column<Misfit, String> = Column::new("email");
    /// A handle that `COLUMNS` leaves out.
    const NICK: Column<Misfit, String> = Column::new("nick");

    fn new(id: i64, fault: Fault) -> Self {
        Misfit {
            id,
            name: format!("name {id}"),
            email: format!("{id}@example.com"),
            fault,
        }
    }
}

impl Entity for Misfit {
    type Key = i64;
    const TABLE: &'static str = "misfits";
    const COLUMNS: &'static [ColumnDef] =
        &[Misfit::ID.def(), Misfit::NAME.def(), Misfit::EMAIL.def()];

    fn key(&self) -> i64 {
        self.id
    }

    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Misfit::ID, &self.id);
        match self.fault {
            Fault::None => {
                row.put(Misfit::NAME, &self.name);
                row.put(Misfit::EMAIL, &self.email);
            }
            Fault::Swapped => {
                row.put(Misfit::EMAIL, &self.email);
                row.put(Misfit::NAME, &self.name);
            }
            Fault::Missing => row.put(Misfit::NAME, &self.name),
            Fault::Twice => {
                row.put(Misfit::NAME, &self.name);
                row.put(Misfit::EMAIL, &self.email);
                row.put(Misfit::NAME, &self.name);
            }
            Fault::Unlisted => {
                row.put(Misfit::NAME, &self.name);
                row.put(Misfit::NICK, &self.name);
            }
        }
    }

    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(Misfit {
            id: row.get(Misfit::ID)?,
            name: row.get(Misfit::NAME)?,
            email: row.get(Misfit::EMAIL)?,
            fault: Fault::None,
        })
    }
}

/// How a `Reader` reads the table wrongly.
const SWAPPED: u8 = 0;
const SHORT: u8 = 1;
const FORGIVING: u8 = 2;

/// The same table, read with `email` before `name` (`SWAPPED`), with
/// `email` left out (`SHORT`), or by a `read` that swallows the refusal of
/// a `get` out of order and goes on (`FORGIVING`): none may hand back the
/// name as the email.
#[derive(Debug)]
struct Reader<const HOW: u8> {
    email: Option<String>,
}

impl<const HOW: u8> Reader<HOW> {
    const ID: Column<Self, i64, PrimaryKey> = Column::new("id");
    const NAME: Column<Self, String> = Column::new("name");
    const EMAIL: Column<Self, String> = Column::new("email");
}

impl<const HOW: u8> Entity for Reader<HOW> {
    type Key = i64;
    const TABLE: &'static str = "misfits";
    const COLUMNS: &'static [ColumnDef] = &[Self::ID.def(), Self::NAME.def(), Self::EMAIL.def()];

    fn key(&self) -> i64 {
        0
    }

    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Self::ID, &0);
        row.put(Self::NAME, &String::new());
        row.put(Self::EMAIL, &String::new());
    }

    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        row.get(Self::ID)?;
        let email = match HOW {
            SWAPPED => {
                let email = row.get(Self::EMAIL)?;
                row.get(Self::NAME)?;
                Some(email)
            }
            SHORT => {
                row.get(Self::NAME)?;
                None
            }
            _ => {
                let _ = row.get(Self::EMAIL).ok();
                Some(row.get(Self::EMAIL)?)
            }
        };
        Ok(Reader { email })
    }
}

/// A field whose own `write` puts two values: its entity's rows have one
/// value too many, which no backend may shift into the next column.
#[derive(Debug, Clone, PartialEq)]
struct Twice(String);

impl keyway::Field for Twice {
    const TYPE: keyway::ColumnType = keyway::ColumnType::Text;
    fn to_value(&self) -> keyway::Value {
        keyway::Value::Text(self.0.clone())
    }
    fn from_value(value: keyway::Value) -> Result<Self, keyway::DecodeError> {
        String::from_value(value).map(Twice)
    }
    fn write(&self, row: &mut (impl keyway::ValueWriter + ?Sized)) {
        row.put_value(self.to_value());
        row.put_value(self.to_value());
    }
}
impl keyway::NotNull for Twice {}

#[derive(Debug)]
struct Echo {
    id: i64,
    said: Twice,
    heard: String,
}

impl Echo {
    const ID: Column<Echo, i64, PrimaryKey> = Column::new("id");
    const SAID: Column<Echo, Twice> = Column::new("said");
    const HEARD: Column<Echo, String> = Column::new("heard");
}

impl Entity for Echo {
    type Key = i64;
    const TABLE: &'static str = "echoes";
    const COLUMNS: &'static [ColumnDef] = &[Echo::ID.def(), Echo::SAID.def(), Echo::HEARD.def()];

    fn key(&self) -> i64 {
        self.id
    }

    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Echo::ID, &self.id);
        row.put(Echo::SAID, &self.said);
        row.put(Echo::HEARD, &self.heard);
    }

    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(Echo {
            id: row.get(Echo::ID)?,
            said: row.get(Echo::SAID)?,
            heard: row.get(Echo::HEARD)?,
        })
    }
}

/// The detail each fault is refused with.
fn expected(fault: Fault) -> &'static str {
    match fault {
        Fault::None => unreachable!("a faultless write is not refused"),
        Fault::Swapped => {
            "`Misfit::write` put column `email` where `Misfit::COLUMNS` has `name` (position 1)"
        }
        Fault::Missing => "`Misfit::write` put 2 of 3 columns: `email` not put",
        Fault::Twice => "`Misfit::write` put column `name` a second time",
        Fault::Unlisted => {
            "`Misfit::write` put column `nick`, which `Misfit::COLUMNS` does not list"
        }
    }
}

fn assert_refused(err: &Error, fault: Fault) {
    assert!(
        matches!(err, Error::Invalid { what: "entity", detail } if detail.starts_with(expected(fault))),
        "{fault:?}: {err:?}"
    );
}

pub async fn wrong_row_shape_is_refused<B: Backend>(db: &Db<B>) {
    db.create_schema::<Misfit>().await.unwrap();
    let faults = [
        Fault::Swapped,
        Fault::Missing,
        Fault::Twice,
        Fault::Unlisted,
    ];
    for fault in faults {
        let err = db.insert(&Misfit::new(1, fault)).await.unwrap_err();
        assert_refused(&err, fault);
        // In a batch, the bad row refuses the whole insert.
        let batch = [
            Misfit::new(2, Fault::None),
            Misfit::new(3, fault),
            Misfit::new(4, Fault::None),
        ];
        let err = db.insert_many(&batch).await.unwrap_err();
        assert_refused(&err, fault);
        // In a transaction too, and the transaction's earlier write is undone.
        let err = db
            .transaction(async |tx| {
                tx.insert(&Misfit::new(5, Fault::None)).await?;
                tx.insert(&Misfit::new(6, fault)).await
            })
            .await
            .unwrap_err();
        assert_refused(&err, fault);
    }
    for id in 1..=6 {
        assert_eq!(db.find::<Misfit>(id).await.unwrap(), None, "misfit {id}");
    }

    // A faultless row goes in; saving it back through a faulty write is
    // refused and leaves the stored row as it was.
    let good = Misfit::new(7, Fault::None);
    db.insert(&good).await.unwrap();
    for fault in faults {
        let mut changed = Misfit::new(7, fault);
        changed.name = "changed".into();
        let err = db.save(&changed).await.unwrap_err();
        assert_refused(&err, fault);
    }
    assert_eq!(db.get::<Misfit>(7).await.unwrap(), good);

    // A read that gets `email` where `COLUMNS` has `name` never hands back
    // the email as the name; nor does one that leaves a column out, or goes
    // on past a refused `get`.
    let swapped =
        "`Reader::read` got column `email` where `Reader::COLUMNS` has `name` (position 1)";
    let err = db.get::<Reader<SWAPPED>>(7).await.unwrap_err();
    assert!(
        matches!(&err, Error::Invalid { what: "entity", detail } if detail.starts_with(swapped)),
        "{err:?}"
    );
    let err = db.get::<Reader<SHORT>>(7).await.unwrap_err();
    assert!(
        matches!(&err, Error::Invalid { what: "entity", detail }
            if detail.starts_with("`Reader::read` got 2 of 3 columns: `email` not got")),
        "{err:?}"
    );
    let err = db.get::<Reader<FORGIVING>>(7).await.unwrap_err();
    assert!(
        matches!(&err, Error::Invalid { what: "entity", detail } if detail.starts_with(swapped)),
        "{err:?}"
    );

    // A field that writes two values is refused; nothing shifts.
    db.create_schema::<Echo>().await.unwrap();
    let echo = Echo {
        id: 1,
        said: Twice("hello".into()),
        heard: "world".into(),
    };
    let err = db.insert(&echo).await.unwrap_err();
    assert!(
        matches!(&err, Error::Invalid { what: "entity", detail }
            if detail.contains("wrote 4 values for 3 columns")),
        "{err:?}"
    );
    let err = db
        .insert_many(std::slice::from_ref(&echo))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Invalid { .. }), "{err:?}");
    assert!(db.find::<Echo>(1).await.unwrap().is_none());
}
