//! The schema model, derived from the `Entity` impls alone.

use crate::{ColumnType, Entity, Error, ForeignKeyDef, Generated, Numeric, OnDelete, Result};

/// What part a column plays in its table's keys and indexes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ColumnRole {
    /// An ordinary column.
    Plain,
    /// The primary key, or its partition part when the key is composite.
    PrimaryKey,
    /// The sort part of a composite (partition + sort) key.
    SortKey,
    /// A column with a single-column unique index.
    Unique,
    /// A column with a single-column, non-unique secondary index.
    Indexed,
    /// The sort part of a composite key that also has a single-column,
    /// non-unique secondary index.
    IndexedSortKey,
}

/// One column of a table: name, storage type, nullability and role.
///
/// Build it from the column handle with [`Column::def`](crate::Column::def), so
/// that the name and type are written once (or with [`ColumnDef::new`]). A
/// definition packs its name, type and nullability into a key when it is
/// built, which the checks of `write` and `read` compare: change its fields
/// through a new definition, not by assigning to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ColumnDef {
    /// The column's name in the database.
    pub name: &'static str,
    /// Its storage type.
    pub ty: ColumnType,
    /// Whether it admits NULL.
    pub nullable: bool,
    /// Its role in keys and indexes.
    pub role: ColumnRole,
    /// Whether the database generates its value on insert (integer keys only).
    pub auto: bool,
    /// The precision and scale of a [`ColumnType::Decimal`] column
    /// ([`Column::decimal`](crate::Column::decimal)): how many digits it
    /// holds in all, and how many of them after the decimal point.
    pub decimal: Option<(u8, u8)>,
    /// How keyway generates the column's value on insert, if it does (a
    /// UUID key: `Column::uuid_v7`, with the `uuid` feature).
    pub generated: Option<Generated>,
    /// Whether the column is the entity's version, for optimistic locking
    /// ([`Column::version`](crate::Column::version)): inserts store 1,
    /// every write adds 1, and a write given a version checks it.
    pub version: bool,
    /// Whether the column is the entity's deleted-at stamp, for soft delete
    /// ([`Column::deleted_at`](crate::Column::deleted_at)).
    pub deleted_at: bool,
    /// Whether the column says when the row expires
    /// ([`Column::expires_at`](crate::Column::expires_at)).
    pub expires_at: bool,
    /// `name` packed into a number, computed once when the definition is
    /// built, so that checking an entity's `write` and `read` against
    /// `COLUMNS` compares two numbers per column ([`ColumnDef::same_column`]).
    pub(crate) name_key: u128,
}

impl ColumnDef {
    /// A column definition; [`Column::def`](crate::Column::def) builds it
    /// from a handle.
    ///
    /// ```
    /// use keyway::{Column, ColumnDef, ColumnRole, ColumnType};
    /// struct User;
    /// const NAME: Column<User, String> = Column::new("name");
    /// let by_hand = ColumnDef::new("name", ColumnType::Text, false, ColumnRole::Plain, false);
    /// assert_eq!(NAME.def(), by_hand);
    /// assert!(NAME.def().same_column(&by_hand));
    /// ```
    pub const fn new(
        name: &'static str,
        ty: ColumnType,
        nullable: bool,
        role: ColumnRole,
        auto: bool,
    ) -> Self {
        ColumnDef {
            name,
            ty,
            nullable,
            role,
            auto,
            decimal: None,
            generated: None,
            version: false,
            deleted_at: false,
            expires_at: false,
            name_key: name_key(name, ty, nullable),
        }
    }

    /// The same definition, declared `DECIMAL(precision, scale)`.
    ///
    /// ```
    /// use keyway::{ColumnDef, ColumnRole, ColumnType};
    /// let price = ColumnDef::new("price", ColumnType::Decimal, false, ColumnRole::Plain, false)
    ///     .with_decimal(12, 2);
    /// assert_eq!(price.decimal, Some((12, 2)));
    /// ```
    pub const fn with_decimal(mut self, precision: u8, scale: u8) -> Self {
        self.decimal = Some((precision, scale));
        self
    }

    /// Whether `self` and `other` are the same column: the same name, type
    /// and nullability. One comparison of two numbers computed when the
    /// definitions were built; a name longer than 14 bytes is also compared
    /// byte by byte.
    ///
    /// ```
    /// use keyway::{Column, PrimaryKey};
    /// struct User;
    /// const ID: Column<User, i64, PrimaryKey> = Column::new("id");
    /// const NAME: Column<User, String> = Column::new("name");
    /// const NICK: Column<User, Option<String>> = Column::new("name");
    /// assert!(ID.def().same_column(&ID.def()));
    /// assert!(!ID.def().same_column(&NAME.def()));
    /// assert!(!NAME.def().same_column(&NICK.def())); // same name, nullable
    /// ```
    #[inline(always)]
    pub fn same_column(&self, other: &ColumnDef) -> bool {
        self.name_key == other.name_key
            && (other.name.len() <= NAME_KEY_BYTES || self.name == other.name)
            // Two embedded structs of one name: the same fields too.
            && (self.name_key >> 113 & 0x7f != STRUCT_TAG || self.ty == other.ty)
    }
    /// A decimal value of this column (of `entity`) at the column's scale,
    /// or [`Error::OutOfRange`] if it does not fit there unchanged; a column
    /// without a declared precision takes the value as it is.
    pub fn fit_decimal(&self, entity: &'static str, value: Numeric) -> Result<Numeric> {
        let Some((precision, scale)) = self.decimal else {
            return Ok(value);
        };
        value
            .fit(precision, scale)
            .map_err(|detail| Error::OutOfRange {
                entity,
                column: self.name.to_owned(),
                detail,
            })
    }

    /// Whether the column is part of the primary key.
    pub const fn is_key(&self) -> bool {
        matches!(
            self.role,
            ColumnRole::PrimaryKey | ColumnRole::SortKey | ColumnRole::IndexedSortKey
        )
    }
}

/// [`ColumnType::Struct`]'s tag, as [`name_key`] packs it.
const STRUCT_TAG: u128 = ColumnType::Struct(&[]).tag() as u128;

/// The bytes of a name that [`name_key`] holds exactly.
const NAME_KEY_BYTES: usize = 14;

/// A column's name, type and nullability packed into one number: the
/// name's length (top byte, saturated), its type and nullability (the next
/// byte), and its first 14 bytes. Two columns of names of up to 14 bytes
/// have the same key exactly when they have the same name, type and
/// nullability.
pub(crate) const fn name_key(name: &str, ty: ColumnType, nullable: bool) -> u128 {
    let bytes = name.as_bytes();
    let len = if bytes.len() > 255 { 255 } else { bytes.len() };
    let kind = (((ty.tag() & 0x7f) as u128) << 1) | nullable as u128;
    let mut key = ((len as u128) << 120) | (kind << 112);
    let mut i = 0;
    while i < bytes.len() && i < NAME_KEY_BYTES {
        key |= (bytes[i] as u128) << (8 * i);
        i += 1;
    }
    key
}

/// A secondary index over one or more columns, declared in [`Entity::INDEXES`].
///
/// Single-column indexes are simpler to declare through the column handle's kind
/// ([`Unique`](crate::Unique), [`Secondary`](crate::Secondary)); use `IndexDef`
/// for indexes over several columns.
///
/// ```
/// use keyway::IndexDef;
/// const BY_OWNER_TITLE: IndexDef = IndexDef::unique("todos_owner_title", &["owner_id", "title"]);
/// assert!(BY_OWNER_TITLE.unique);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexDef {
    /// The index name (unique within the database).
    pub name: &'static str,
    /// The indexed columns, in order.
    pub columns: &'static [&'static str],
    /// Whether the index forbids duplicates.
    pub unique: bool,
}

impl IndexDef {
    /// A unique index over `columns`.
    pub const fn unique(name: &'static str, columns: &'static [&'static str]) -> Self {
        IndexDef {
            name,
            columns,
            unique: true,
        }
    }

    /// A non-unique index over `columns`.
    pub const fn non_unique(name: &'static str, columns: &'static [&'static str]) -> Self {
        IndexDef {
            name,
            columns,
            unique: false,
        }
    }
}

/// Everything the backends need to know about one entity's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableDef {
    /// The entity's Rust name, for error messages.
    pub entity: &'static str,
    /// The table name.
    pub name: &'static str,
    /// The columns, in the order `Entity::write` and `Entity::read` use.
    pub columns: &'static [ColumnDef],
    /// The indexes declared over several columns.
    pub indexes: &'static [IndexDef],
    /// The foreign keys to parent tables.
    pub foreign_keys: &'static [ForeignKeyDef],
    /// Where DynamoDB keeps the items in a shared table
    /// ([`Entity::LAYOUT`]); `None` for a table of their own.
    pub layout: Option<crate::Layout>,
}

impl TableDef {
    /// The table of entity `E`.
    pub fn of<E: Entity>() -> Self {
        TableDef {
            entity: short_type_name::<E>(),
            name: E::TABLE,
            columns: E::COLUMNS,
            indexes: E::INDEXES,
            foreign_keys: E::FOREIGN_KEYS,
            layout: E::LAYOUT,
        }
    }

    /// The key columns: the primary (partition) key, then the sort key if any.
    pub fn key_columns(&self) -> impl Iterator<Item = &'static ColumnDef> + 'static {
        let cols = self.columns;
        let part = cols.iter().filter(|c| c.role == ColumnRole::PrimaryKey);
        let sort = cols
            .iter()
            .filter(|c| matches!(c.role, ColumnRole::SortKey | ColumnRole::IndexedSortKey));
        part.chain(sort)
    }

    /// The column the database generates on insert, if any.
    pub fn auto_column(&self) -> Option<(usize, &'static ColumnDef)> {
        self.columns.iter().enumerate().find(|(_, c)| c.auto)
    }

    /// The deleted-at column ([`Column::deleted_at`](crate::Column::deleted_at)),
    /// if the entity has one, and its position.
    pub fn deleted_at_column(&self) -> Option<(usize, &'static ColumnDef)> {
        self.columns.iter().enumerate().find(|(_, c)| c.deleted_at)
    }

    /// The expiry column ([`Column::expires_at`](crate::Column::expires_at)),
    /// if the entity has one, and its position.
    pub fn expires_at_column(&self) -> Option<(usize, &'static ColumnDef)> {
        self.columns.iter().enumerate().find(|(_, c)| c.expires_at)
    }

    /// The version column ([`Column::version`](crate::Column::version)),
    /// if the entity has one, and its position.
    pub fn version_column(&self) -> Option<(usize, &'static ColumnDef)> {
        self.columns.iter().enumerate().find(|(_, c)| c.version)
    }

    /// Every index of the table: single-column ones from the column roles (named
    /// `{table}_{column}_key` / `{table}_{column}_idx`), then `INDEXES`.
    pub fn all_indexes(&self) -> Vec<IndexSpec> {
        let single = self.columns.iter().filter_map(|c| {
            let unique = match c.role {
                ColumnRole::Unique => true,
                ColumnRole::Indexed | ColumnRole::IndexedSortKey => false,
                _ => return None,
            };
            let suffix = if unique { "key" } else { "idx" };
            Some(IndexSpec {
                name: format!("{}_{}_{suffix}", self.name, c.name),
                columns: vec![c.name],
                unique,
            })
        });
        let declared = self.indexes.iter().map(|i| IndexSpec {
            name: i.name.to_owned(),
            columns: i.columns.to_vec(),
            unique: i.unique,
        });
        single.chain(declared).collect()
    }

    /// Checks that an entity's `write` wrote `values` values, one per
    /// column: [`Error::Invalid`] otherwise, before anything is sent.
    pub fn check_row(&self, values: usize) -> Result<()> {
        if values == self.columns.len() {
            return Ok(());
        }
        Err(Error::Invalid {
            what: "entity",
            detail: format!(
                "`{}::write` wrote {values} values for {} columns: each column's `Field::write` must write exactly one value",
                self.entity,
                self.columns.len()
            ),
        })
    }

    /// A decimal value of `column` at the scale the column declares, or
    /// [`Error::OutOfRange`] if it does not fit there unchanged: what every
    /// backend checks before sending a decimal, so that no database rounds
    /// it. A column without a declared precision takes the value as it is.
    ///
    /// ```
    /// use keyway::{Column, Entity, Numeric, TableDef};
    /// # struct Item { id: i64, price: Numeric }
    /// # impl Item {
    /// #     const ID: Column<Item, i64, keyway::PrimaryKey> = Column::new("id");
    /// #     const PRICE: Column<Item, Numeric> = Column::new("price").decimal(5, 2);
    /// # }
    /// # impl Entity for Item {
    /// #     type Key = i64;
    /// #     const TABLE: &'static str = "items";
    /// #     const COLUMNS: &'static [keyway::ColumnDef] = &[Item::ID.def(), Item::PRICE.def()];
    /// #     fn key(&self) -> i64 { self.id }
    /// #     fn write(&self, row: &mut impl keyway::RowWriter<Self>) {
    /// #         row.put(Item::ID, &self.id);
    /// #         row.put(Item::PRICE, &self.price);
    /// #     }
    /// #     fn read(row: &mut impl keyway::RowReader<Self>) -> keyway::Result<Self> {
    /// #         Ok(Item { id: row.get(Item::ID)?, price: row.get(Item::PRICE)? })
    /// #     }
    /// # }
    /// let items = TableDef::of::<Item>();
    /// let fitted = items.fit_decimal("price", Numeric::parse("1.5").unwrap()).unwrap();
    /// assert_eq!(fitted.to_string(), "1.50");
    /// assert!(items.fit_decimal("price", Numeric::parse("1.505").unwrap()).is_err());
    /// assert!(items.fit_decimal("price", Numeric::parse("1000").unwrap()).is_err());
    /// ```
    pub fn fit_decimal(&self, column: &str, value: Numeric) -> Result<Numeric> {
        if let Some(def) = self.column(column) {
            return def.fit_decimal(self.entity, value);
        }
        match self.embedded_field(column) {
            // A field of an embedded struct, named `column.field`.
            Some((whole, field)) => field
                .fit_decimal(self.entity, value)
                .map_err(|e| e.in_column(format!("{}.{}", whole.name, field.name))),
            None => Ok(value),
        }
    }

    /// An entity's values (in `COLUMNS` order) with every decimal at its
    /// column's scale; [`Error::OutOfRange`] for one that does not fit
    /// unchanged ([`fit_decimal`](Self::fit_decimal)).
    pub fn fit_row(&self, values: &mut [crate::Value]) -> Result<()> {
        for (column, value) in self.columns.iter().zip(values.iter_mut()) {
            fit_value(self.entity, column, value)?;
        }
        Ok(())
    }

    /// Finds the column named `name`.
    pub fn column(&self, name: &str) -> Option<&'static ColumnDef> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The embedded struct column and its field that the SQL column `name`
    /// (`{column}_{field}`, [`leaf_name`](crate::leaf_name)) stands for, if
    /// it is one.
    pub fn embedded_field(&self, name: &str) -> Option<(&'static ColumnDef, &'static ColumnDef)> {
        self.columns.iter().find_map(|c| {
            let ColumnType::Struct(fields) = c.ty else {
                return None;
            };
            let rest = name.strip_prefix(c.name)?.strip_prefix('_')?;
            fields.iter().find(|f| f.name == rest).map(|f| (c, f))
        })
    }

    /// The column named `name`, or the field of an embedded struct whose SQL
    /// column is named `name` (`{column}_{field}`).
    pub fn sql_column(&self, name: &str) -> Option<&'static ColumnDef> {
        self.column(name)
            .or_else(|| self.embedded_field(name).map(|(_, field)| field))
    }

    /// Whether a column holds an embedded struct.
    pub fn has_embedded(&self) -> bool {
        embeds(self.columns)
    }

    /// The table as the SQL backends store it: each embedded struct's
    /// fields in its place, as columns named `{column}_{field}`, nullable
    /// when the field or the struct is. The same table when none is
    /// embedded; the columns are made once per table.
    pub fn flat(&self) -> TableDef {
        TableDef {
            columns: TableDef::flat_columns(self.columns),
            ..*self
        }
    }

    /// `columns` as the SQL backends store them ([`flat`](Self::flat)):
    /// the same slice when no column holds an embedded struct.
    pub fn flat_columns(columns: &'static [ColumnDef]) -> &'static [ColumnDef] {
        if embeds(columns) {
            flat_columns(columns)
        } else {
            columns
        }
    }

    /// Checks the declaration: names are safe identifiers and unique, there is
    /// exactly one primary (partition) key, at most one sort key, `auto` only on
    /// an integer primary key, and indexes name existing columns.
    pub fn validate(&self, key_arity: usize) -> Result<()> {
        let bad = |detail: String| {
            Err(Error::Invalid {
                what: "schema",
                detail,
            })
        };
        check_identifier(self.name, "table")?;
        if self.columns.is_empty() {
            return bad(format!("`{}` declares no columns", self.entity));
        }
        for (i, c) in self.columns.iter().enumerate() {
            check_identifier(c.name, "column")?;
            if self.columns[..i].iter().any(|o| o.name == c.name) {
                return bad(format!(
                    "`{}` declares column `{}` twice",
                    self.entity, c.name
                ));
            }
            if c.auto && !(c.role == ColumnRole::PrimaryKey && c.ty.is_integer() && key_arity == 1)
            {
                return bad(format!(
                    "`{}.{}`: `auto` needs a scalar integer primary key",
                    self.entity, c.name
                ));
            }
            check_decimal(self.entity, c)?;
            check_embedded(self, c)?;
            if c.generated.is_some()
                && !(c.role == ColumnRole::PrimaryKey && c.ty == ColumnType::Uuid)
            {
                return bad(format!(
                    "`{}.{}`: a generated key is a UUID primary (partition) key",
                    self.entity, c.name
                ));
            }
            if c.is_key() && c.nullable {
                return bad(format!(
                    "`{}.{}`: a key column cannot be nullable",
                    self.entity, c.name
                ));
            }
        }
        if self.columns.iter().filter(|c| c.deleted_at).count() > 1 {
            return bad(format!(
                "`{}` declares more than one deleted-at column",
                self.entity
            ));
        }
        if self.columns.iter().filter(|c| c.expires_at).count() > 1 {
            return bad(format!(
                "`{}` declares more than one expiry column: a row expires once",
                self.entity
            ));
        }
        if self.columns.iter().filter(|c| c.version).count() > 1 {
            return bad(format!(
                "`{}` declares more than one version column: one counts every write",
                self.entity
            ));
        }
        let count = |role| self.columns.iter().filter(|c| c.role == role).count();
        let sorts = count(ColumnRole::SortKey) + count(ColumnRole::IndexedSortKey);
        let parts = count(ColumnRole::PrimaryKey);
        if parts != 1 || sorts > 1 || parts + sorts != key_arity {
            return bad(format!(
                "`{}` has {parts} primary key and {sorts} sort key columns but its `Key` has {key_arity} part(s)",
                self.entity
            ));
        }
        for fk in self.foreign_keys {
            check_identifier(fk.parent_table, "table")?;
            check_identifier(fk.parent_column, "column")?;
            let Some(col) = self.column(fk.column) else {
                return bad(format!(
                    "foreign key names unknown column `{}.{}`",
                    self.entity, fk.column
                ));
            };
            if matches!(col.ty, ColumnType::Struct(_)) {
                return bad(format!(
                    "foreign key on `{}.{}`, an embedded struct: a foreign key is a column of its own",
                    self.entity, fk.column
                ));
            }
            if fk.on_delete == OnDelete::SetNull && !col.nullable {
                return bad(format!(
                    "`{}.{}`: `OnDelete::SetNull` needs a nullable (`Option`) column",
                    self.entity, fk.column
                ));
            }
        }
        for idx in self.all_indexes() {
            check_identifier(&idx.name, "index")?;
            if idx.columns.is_empty() {
                return bad(format!("index `{}` has no columns", idx.name));
            }
            if let Some(missing) = idx.columns.iter().find(|c| self.column(c).is_none()) {
                return bad(format!(
                    "index `{}` names unknown column `{missing}`",
                    idx.name
                ));
            }
            let embedded = |c: &&&str| {
                self.column(c)
                    .is_some_and(|d| matches!(d.ty, ColumnType::Struct(_)))
            };
            if let Some(whole) = idx.columns.iter().find(embedded) {
                return bad(format!(
                    "index `{}` names the embedded struct `{whole}`: an embedded struct is not indexed",
                    idx.name
                ));
            }
        }
        // Every SQL column once: a field's `{column}_{field}` may not be
        // another struct's field's name either.
        let flat = self.flat();
        for (i, c) in flat.columns.iter().enumerate() {
            if flat.columns[..i].iter().any(|o| o.name == c.name) {
                return bad(format!(
                    "`{}` has two fields or columns stored as the SQL column `{}`: rename one",
                    self.entity, c.name
                ));
            }
        }
        Ok(())
    }
}

/// A decimal value of `column` at its scale, and each decimal field of an
/// embedded struct at its own.
fn fit_value(entity: &'static str, column: &ColumnDef, value: &mut crate::Value) -> Result<()> {
    match (column.ty, &mut *value) {
        (_, crate::Value::Decimal(n)) if column.decimal.is_some() => {
            *value = crate::Value::Decimal(column.fit_decimal(entity, *n)?);
        }
        (ColumnType::Struct(fields), crate::Value::Struct(values)) => {
            for (field, value) in fields.iter().zip(values.iter_mut()) {
                fit_value(entity, field, value)
                    .map_err(|e| e.in_column(format!("{}.{}", column.name, field.name)))?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Whether one of `columns` holds an embedded struct.
fn embeds(columns: &[ColumnDef]) -> bool {
    columns
        .iter()
        .any(|c| matches!(c.ty, ColumnType::Struct(_)))
}

/// `columns` with each embedded struct's fields in its place: made once per
/// column list and kept for the program's life.
fn flat_columns(columns: &'static [ColumnDef]) -> &'static [ColumnDef] {
    use crate::intern::{Global, Local, interned};
    /// By the address and length of the declared column list.
    type Key = (usize, usize);
    static FLAT: Global<Key, &'static [ColumnDef]> = Global::new();
    thread_local! {
        static SEEN: Local<Key, &'static [ColumnDef]> = Default::default();
    }
    interned(
        &SEEN,
        &FLAT,
        (columns.as_ptr() as usize, columns.len()),
        || {
            let mut out = Vec::with_capacity(columns.len());
            for c in columns {
                let ColumnType::Struct(fields) = c.ty else {
                    out.push(*c);
                    continue;
                };
                for f in fields {
                    let name = crate::leaf_name(c.name, f.name);
                    let nullable = f.nullable || c.nullable;
                    out.push(ColumnDef {
                        name,
                        nullable,
                        name_key: name_key(name, f.ty, nullable),
                        ..*f
                    });
                }
            }
            Box::leak(out.into_boxed_slice())
        },
    )
}

/// An embedded struct's fields are plain columns of any type but another
/// struct, with names that make no SQL column twice; an optional struct has
/// a field that is never NULL, so that an absent struct is told apart from
/// one whose fields are all `None`.
fn check_embedded(table: &TableDef, c: &ColumnDef) -> Result<()> {
    let ColumnType::Struct(fields) = c.ty else {
        return Ok(());
    };
    let entity = table.entity;
    let detail = if fields.is_empty() {
        format!(
            "`{entity}.{}`: an embedded struct declares no fields",
            c.name
        )
    } else if c.is_key() || c.role != ColumnRole::Plain {
        format!(
            "`{entity}.{}`: an embedded struct is not a key and has no index",
            c.name
        )
    } else if c.nullable && fields.iter().all(|f| f.nullable) {
        format!(
            "`{entity}.{}`: an optional embedded struct needs a field that is not `Option` (an absent struct and one whose fields are all `None` would read the same)",
            c.name
        )
    } else if let Some(f) = fields
        .iter()
        .find(|f| matches!(f.ty, ColumnType::Struct(_)))
    {
        format!(
            "`{entity}.{}.{}`: an embedded struct inside an embedded struct is not supported: embed both in the entity, or store the inner one as `Json<T>`",
            c.name, f.name
        )
    } else if let Some(f) = fields
        .iter()
        .find(|f| f.role != ColumnRole::Plain || f.auto || f.generated.is_some())
    {
        format!(
            "`{entity}.{}.{}`: a field of an embedded struct is a plain column (no key, index, `auto` or generated value)",
            c.name, f.name
        )
    } else {
        for (i, f) in fields.iter().enumerate() {
            check_identifier(f.name, "field")?;
            check_decimal(entity, f)?;
            if fields[..i].iter().any(|o| o.name == f.name) {
                return Err(Error::Invalid {
                    what: "schema",
                    detail: format!("`{entity}.{}` declares field `{}` twice", c.name, f.name),
                });
            }
            let leaf = format!("{}_{}", c.name, f.name);
            check_identifier(&leaf, "column")?;
            if table.columns.iter().any(|o| o.name == leaf) {
                return Err(Error::Invalid {
                    what: "schema",
                    detail: format!(
                        "`{entity}`: column `{leaf}` and field `{}` of the embedded `{}` have the same SQL name",
                        f.name, c.name
                    ),
                });
            }
        }
        return Ok(());
    };
    Err(Error::Invalid {
        what: "schema",
        detail,
    })
}

/// A decimal column declares its precision (1 to 38 digits) and a scale no
/// larger; no other column declares one.
fn check_decimal(entity: &str, c: &ColumnDef) -> Result<()> {
    let detail = match (c.ty, c.decimal) {
        (ColumnType::Decimal, None) => format!(
            "`{entity}.{}`: a decimal column declares its precision and scale, as `Column::new(\"{}\").decimal(12, 2)`",
            c.name, c.name
        ),
        (ColumnType::Decimal, Some((p, s)))
            if p == 0 || p > crate::numeric::MAX_DIGITS || s > p || s > 30 =>
        {
            format!(
                "`{entity}.{}`: DECIMAL({p}, {s}) needs a precision of 1 to 38 digits and a scale no larger, of at most 30 (MySQL's most)",
                c.name
            )
        }
        (ColumnType::Decimal, Some(_)) | (_, None) => return Ok(()),
        (ty, Some(_)) => format!(
            "`{entity}.{}`: a {ty} column has no precision and scale",
            c.name
        ),
    };
    Err(Error::Invalid {
        what: "schema",
        detail,
    })
}

/// A resolved index: name, columns, uniqueness.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexSpec {
    /// The index name.
    pub name: String,
    /// Its columns in order.
    pub columns: Vec<&'static str>,
    /// Whether it is unique.
    pub unique: bool,
}

/// Rejects identifiers that no backend can quote safely: they must be 1 to 63
/// ASCII letters, digits or underscores, not starting with a digit.
pub fn check_identifier(name: &str, what: &'static str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 63
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !name.as_bytes()[0].is_ascii_digit();
    if ok {
        Ok(())
    } else {
        Err(Error::Invalid {
            what: "schema",
            detail: format!(
                "{what} name {name:?} must be 1-63 ASCII letters, digits or `_`, not starting with a digit"
            ),
        })
    }
}

/// `T`'s name without its path or generic arguments (`app::User<X>` ->
/// `User`). Runs on every statement: char searches only, no substring search.
pub(crate) fn short_type_name<T>() -> &'static str {
    let full = std::any::type_name::<T>();
    // Generic arguments hold paths of their own: cut them off first. Scanning
    // back from the end reads only the short name (this runs per statement).
    let head = match full.ends_with('>') {
        true => full.find('<').map_or(full, |at| &full[..at]),
        false => full,
    };
    let start = head.bytes().rposition(|b| b == b':').map_or(0, |at| at + 1);
    &head[start..]
}
