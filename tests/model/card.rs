// A card whose embedded preferences hold a JSON document: a path inside a
// document that is itself a field of an embedded struct.
use keyway::prelude::*;

#[derive(Debug, Clone, PartialEq)]
pub struct Prefs {
    pub theme: String,
    pub extra: serde_json::Value,
}

impl Prefs {
    pub const THEME: Column<Prefs, String> = Column::new("theme");
    pub const EXTRA: Column<Prefs, serde_json::Value> = Column::new("extra");
}

impl Embedded for Prefs {
    const FIELDS: &'static [ColumnDef] = &[Prefs::THEME.def(), Prefs::EXTRA.def()];
    fn write(&self, out: &mut impl StructWriter<Self>) {
        out.put(Prefs::THEME, &self.theme);
        out.put(Prefs::EXTRA, &self.extra);
    }
    fn read(row: &mut impl StructReader<Self>) -> Result<Self> {
        Ok(Prefs {
            theme: row.get(Prefs::THEME)?,
            extra: row.get(Prefs::EXTRA)?,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    pub id: i64,
    pub prefs: Prefs,
}

impl Card {
    pub const ID: Column<Card, i64, PrimaryKey> = Column::new("id");
    pub const PREFS: Embed<Card, Prefs> = Embed::new("prefs");

    pub fn new(id: i64, extra: serde_json::Value) -> Self {
        Card {
            id,
            prefs: Prefs {
                theme: "dark".into(),
                extra,
            },
        }
    }
}

impl Entity for Card {
    type Key = i64;
    const TABLE: &'static str = "cards";
    const LAYOUT: Option<Layout> =
        crate::model::shared(Layout::new("app", "Card").key("CARD#{id}", "CARD"));
    const COLUMNS: &'static [ColumnDef] = &[Card::ID.def(), Card::PREFS.def()];
    fn key(&self) -> i64 {
        self.id
    }
    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Card::ID, &self.id);
        row.put(Card::PREFS, &self.prefs);
    }
    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(Card {
            id: row.get(Card::ID)?,
            prefs: row.get(Card::PREFS)?,
        })
    }
}
