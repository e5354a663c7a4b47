//! An entity whose `write` does not write one value per column is refused
//! with `Error::Invalid` before anything is sent, on every backend.

use keyway::prelude::*;
use keyway::{Backend, Error};

/// Writes `writes` of its columns' values (normally 2: its key and name),
/// repeating the name past the second.
#[derive(Debug, Clone, PartialEq)]
struct Misfit {
    id: i64,
    name: String,
    writes: usize,
}

impl Misfit {
    const ID: Column<Misfit, i64, PrimaryKey> = Column::new("id");
    const NAME: Column<Misfit, String> = Column::new("name");

    fn new(id: i64, writes: usize) -> Self {
        Misfit {
            id,
            name: format!("misfit {id}"),
            writes,
        }
    }
}

impl Entity for Misfit {
    type Key = i64;
    const TABLE: &'static str = "misfits";
    const COLUMNS: &'static [ColumnDef] = &[Misfit::ID.def(), Misfit::NAME.def()];

    fn key(&self) -> i64 {
        self.id
    }

    fn write(&self, row: &mut impl RowWriter) {
        for i in 0..self.writes {
            match i {
                0 => row.put(&self.id),
                _ => row.put(&self.name),
            }
        }
    }

    fn read(row: &mut impl RowReader) -> Result<Self> {
        Ok(Misfit {
            id: row.get()?,
            name: row.get()?,
            writes: 2,
        })
    }
}

pub async fn wrong_row_length_is_refused<B: Backend>(db: &Db<B>) {
    db.create_schema::<Misfit>().await.unwrap();
    for writes in [0, 1, 3] {
        let err = db.insert(&Misfit::new(1, writes)).await.unwrap_err();
        assert!(
            matches!(&err, Error::Invalid { what: "entity", detail }
                if detail.contains(&format!("wrote {writes} values for 2 columns"))),
            "{writes} values: {err:?}"
        );
        // In a batch, the bad row refuses the whole insert.
        let batch = [Misfit::new(2, 2), Misfit::new(3, writes), Misfit::new(4, 2)];
        let err = db.insert_many(&batch).await.unwrap_err();
        assert!(matches!(err, Error::Invalid { .. }), "{err:?}");
    }
    for id in 1..=4 {
        assert_eq!(db.find::<Misfit>(id).await.unwrap(), None, "misfit {id}");
    }
    let good = Misfit::new(5, 2);
    db.insert(&good).await.unwrap();
    assert_eq!(db.get::<Misfit>(5).await.unwrap(), good);
}
