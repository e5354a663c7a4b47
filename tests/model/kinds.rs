// One column of every supported type, keyed by a caller-chosen string.
use keyway::prelude::*;

/// A row holding every value type keyway supports.
#[derive(Debug, Clone, PartialEq)]
pub struct Kinds {
    pub key: String,
    pub flag: bool,
    pub small: i16,
    pub medium: i32,
    pub large: i64,
    pub unsigned: u32,
    pub huge: u64,
    pub single: f32,
    pub double: f64,
    pub text: String,
    pub bytes: Vec<u8>,
    pub maybe_int: Option<i64>,
    pub maybe_text: Option<String>,
    pub maybe_bytes: Option<Vec<u8>>,
    pub maybe_double: Option<f64>,
    pub tiny: i8,
    pub octet: u8,
    pub word: u16,
}

impl Kinds {
    pub const KEY: Column<Kinds, String, PrimaryKey> = Column::new("key");
    pub const FLAG: Column<Kinds, bool> = Column::new("flag");
    pub const SMALL: Column<Kinds, i16> = Column::new("small");
    pub const MEDIUM: Column<Kinds, i32> = Column::new("medium");
    pub const LARGE: Column<Kinds, i64> = Column::new("large");
    pub const UNSIGNED: Column<Kinds, u32> = Column::new("unsigned_");
    pub const HUGE: Column<Kinds, u64> = Column::new("huge");
    pub const SINGLE: Column<Kinds, f32> = Column::new("single");
    pub const DOUBLE: Column<Kinds, f64> = Column::new("double_");
    pub const TEXT: Column<Kinds, String> = Column::new("text_");
    pub const BYTES: Column<Kinds, Vec<u8>> = Column::new("bytes_");
    pub const MAYBE_INT: Column<Kinds, Option<i64>> = Column::new("maybe_int");
    pub const MAYBE_TEXT: Column<Kinds, Option<String>> = Column::new("maybe_text");
    pub const MAYBE_BYTES: Column<Kinds, Option<Vec<u8>>> = Column::new("maybe_bytes");
    pub const MAYBE_DOUBLE: Column<Kinds, Option<f64>> = Column::new("maybe_double");
    pub const TINY: Column<Kinds, i8> = Column::new("tiny");
    pub const OCTET: Column<Kinds, u8> = Column::new("octet");
    pub const WORD: Column<Kinds, u16> = Column::new("word");

    /// A row with ordinary values.
    pub fn sample(key: &str) -> Self {
        Kinds {
            key: key.into(),
            flag: true,
            small: -12,
            medium: 70_000,
            large: 1 << 40,
            unsigned: u32::MAX,
            huge: 1 << 62,
            single: 1.5,
            double: -2.25,
            text: "plain".into(),
            bytes: vec![0, 1, 2, 255],
            maybe_int: Some(7),
            maybe_text: None,
            maybe_bytes: Some(vec![]),
            maybe_double: None,
            tiny: -100,
            octet: 200,
            word: 60_000,
        }
    }
}

impl Entity for Kinds {
    type Key = String;
    const TABLE: &'static str = "kinds";
    const LAYOUT: Option<Layout> =
        crate::model::shared(Layout::new("app", "Kinds").key("KINDS#{key}", "KINDS"));
    const COLUMNS: &'static [ColumnDef] = &[
        Kinds::KEY.def(),
        Kinds::FLAG.def(),
        Kinds::SMALL.def(),
        Kinds::MEDIUM.def(),
        Kinds::LARGE.def(),
        Kinds::UNSIGNED.def(),
        Kinds::HUGE.def(),
        Kinds::SINGLE.def(),
        Kinds::DOUBLE.def(),
        Kinds::TEXT.def(),
        Kinds::BYTES.def(),
        Kinds::MAYBE_INT.def(),
        Kinds::MAYBE_TEXT.def(),
        Kinds::MAYBE_BYTES.def(),
        Kinds::MAYBE_DOUBLE.def(),
        Kinds::TINY.def(),
        Kinds::OCTET.def(),
        Kinds::WORD.def(),
    ];

    fn key(&self) -> String {
        self.key.clone()
    }

    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Kinds::KEY, &self.key);
        row.put(Kinds::FLAG, &self.flag);
        row.put(Kinds::SMALL, &self.small);
        row.put(Kinds::MEDIUM, &self.medium);
        row.put(Kinds::LARGE, &self.large);
        row.put(Kinds::UNSIGNED, &self.unsigned);
        row.put(Kinds::HUGE, &self.huge);
        row.put(Kinds::SINGLE, &self.single);
        row.put(Kinds::DOUBLE, &self.double);
        row.put(Kinds::TEXT, &self.text);
        row.put(Kinds::BYTES, &self.bytes);
        row.put(Kinds::MAYBE_INT, &self.maybe_int);
        row.put(Kinds::MAYBE_TEXT, &self.maybe_text);
        row.put(Kinds::MAYBE_BYTES, &self.maybe_bytes);
        row.put(Kinds::MAYBE_DOUBLE, &self.maybe_double);
        row.put(Kinds::TINY, &self.tiny);
        row.put(Kinds::OCTET, &self.octet);
        row.put(Kinds::WORD, &self.word);
    }

    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(Kinds {
            key: row.get(Kinds::KEY)?,
            flag: row.get(Kinds::FLAG)?,
            small: row.get(Kinds::SMALL)?,
            medium: row.get(Kinds::MEDIUM)?,
            large: row.get(Kinds::LARGE)?,
            unsigned: row.get(Kinds::UNSIGNED)?,
            huge: row.get(Kinds::HUGE)?,
            single: row.get(Kinds::SINGLE)?,
            double: row.get(Kinds::DOUBLE)?,
            text: row.get(Kinds::TEXT)?,
            bytes: row.get(Kinds::BYTES)?,
            maybe_int: row.get(Kinds::MAYBE_INT)?,
            maybe_text: row.get(Kinds::MAYBE_TEXT)?,
            maybe_bytes: row.get(Kinds::MAYBE_BYTES)?,
            maybe_double: row.get(Kinds::MAYBE_DOUBLE)?,
            tiny: row.get(Kinds::TINY)?,
            octet: row.get(Kinds::OCTET)?,
            word: row.get(Kinds::WORD)?,
        })
    }
}
