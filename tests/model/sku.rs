// A stock-keeping unit: keyed by a code the rows give (no generated key),
// with a unique name and a version, for upserts on either.
use keyway::prelude::*;

#[derive(Debug, Clone, PartialEq)]
pub struct Sku {
    pub code: String,
    pub name: String,
    pub stock: i64,
    pub note: Option<String>,
    pub version: i64,
}

impl Sku {
    pub const CODE: Column<Sku, String, PrimaryKey> = Column::new("code");
    pub const NAME: Column<Sku, String, Unique> = Column::new("name");
    pub const STOCK: Column<Sku, i64> = Column::new("stock");
    pub const NOTE: Column<Sku, Option<String>> = Column::new("note");
    pub const VERSION: Column<Sku, i64> = Column::new("version").version();

    pub fn new(code: &str, name: &str, stock: i64) -> Self {
        Sku {
            code: code.into(),
            name: name.into(),
            stock,
            note: None,
            version: 0,
        }
    }

    /// Two batches of the same `rows` codes and names with other stock and
    /// notes: upserted in turn, every row an update (the benches).
    pub fn batches(rows: usize) -> [Vec<Sku>; 2] {
        [0, 1].map(|round| {
            (0..rows)
                .map(|i| Sku {
                    note: (round == 1).then(|| format!("restocked {i}")),
                    ..Sku::new(
                        &format!("sku-{i:05}"),
                        &format!("item {i}"),
                        (i + round) as i64,
                    )
                })
                .collect()
        })
    }
}

impl Entity for Sku {
    type Key = String;
    const TABLE: &'static str = "skus";
    const LAYOUT: Option<Layout> =
        crate::model::shared(Layout::new("app", "Sku").key("SKU#{code}", "SKU"));
    const COLUMNS: &'static [ColumnDef] = &[
        Sku::CODE.def(),
        Sku::NAME.def(),
        Sku::STOCK.def(),
        Sku::NOTE.def(),
        Sku::VERSION.def(),
    ];
    fn key(&self) -> String {
        self.code.clone()
    }
    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Sku::CODE, &self.code);
        row.put(Sku::NAME, &self.name);
        row.put(Sku::STOCK, &self.stock);
        row.put(Sku::NOTE, &self.note);
        row.put(Sku::VERSION, &self.version);
    }
    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(Sku {
            code: row.get(Sku::CODE)?,
            name: row.get(Sku::NAME)?,
            stock: row.get(Sku::STOCK)?,
            note: row.get(Sku::NOTE)?,
            version: row.get(Sku::VERSION)?,
        })
    }
}
