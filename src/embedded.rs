//! Embedded structs: a value of several fields, mapped by hand like an
//! entity, stored in one column of the entity that embeds it. On SQL each
//! field is a column of its own, named `{column}_{field}`; on DynamoDB the
//! struct is one map attribute.

use std::marker::PhantomData;

use crate::filter::{Expr, Filter};
use crate::row::{ColumnOf, sealed};
use crate::{
    Column, ColumnDef, ColumnRole, ColumnType, DecodeError, Entity, Error, Field, IndexKind,
    Marker, NotNull, Plain, Result, Unindexed, Value, ValueReader, ValueWriter,
};

/// A struct stored inside an entity's row: its fields are declared as
/// [`Column`] handles of the struct itself, listed in `FIELDS`, and mapped
/// by hand in `write` and `read`, as an [`Entity`] maps its columns.
///
/// The entity embeds it through an [`Embed`] handle. On SQL each field is
/// a column named `{column}_{field}` (`home_city`); on DynamoDB the struct
/// is one map (`M`) attribute. Fields hold any column type but another
/// embedded struct, and are [`Plain`] (no key, no index).
///
/// ```
/// use keyway::{Column, ColumnDef, Embedded, Result, StructReader, StructWriter};
///
/// #[derive(Debug, Clone, PartialEq)]
/// pub struct Address { pub street: String, pub city: String, pub zip: Option<String> }
///
/// impl Address {
///     pub const STREET: Column<Address, String> = Column::new("street");
///     pub const CITY: Column<Address, String> = Column::new("city");
///     pub const ZIP: Column<Address, Option<String>> = Column::new("zip");
/// }
///
/// impl Embedded for Address {
///     const FIELDS: &'static [ColumnDef] = &[Address::STREET.def(), Address::CITY.def(), Address::ZIP.def()];
///     fn write(&self, out: &mut impl StructWriter<Self>) {
///         out.put(Address::STREET, &self.street);
///         out.put(Address::CITY, &self.city);
///         out.put(Address::ZIP, &self.zip);
///     }
///     fn read(row: &mut impl StructReader<Self>) -> Result<Self> {
///         Ok(Address { street: row.get(Address::STREET)?, city: row.get(Address::CITY)?, zip: row.get(Address::ZIP)? })
///     }
/// }
/// ```
pub trait Embedded: Sized + Send + Sync + 'static {
    /// The fields, each built from its handle with `.def()`, in the order
    /// `write` and `read` use.
    const FIELDS: &'static [ColumnDef];

    /// Puts every field's value through its handle, in `FIELDS` order; a
    /// field out of order, missing or put twice is
    /// [`Error::Invalid`](crate::Error::Invalid) when the entity is written.
    fn write(&self, out: &mut impl StructWriter<Self>);

    /// Gets every field's value through its handle, in `FIELDS` order.
    fn read(row: &mut impl StructReader<Self>) -> Result<Self>;
}

/// Where [`Embedded::write`] puts its fields, one [`put`](Self::put) per
/// field through the field's handle.
pub trait StructWriter<S> {
    /// Puts `value` as the value of `field`.
    fn put<T: Field, K: IndexKind>(&mut self, field: Column<S, T, K>, value: &T);
}

/// Where [`Embedded::read`] gets its fields from, one [`get`](Self::get)
/// per field through the field's handle.
pub trait StructReader<S> {
    /// Reads the value of `field`; a stored value that does not fit its
    /// type is [`Error::Decode`](crate::Error::Decode) naming the entity and
    /// `column.field`.
    fn get<T: Field, K: IndexKind>(&mut self, field: Column<S, T, K>) -> Result<T>;
}

/// What an [`Embed`] column holds: an [`Embedded`] struct, or `Option` of
/// one (`None` stores every field's column as NULL on SQL, and no
/// attribute on DynamoDB).
pub trait EmbeddedValue: Send + Sync + 'static {
    /// The struct.
    type Struct: Embedded;
    /// Whether the column may hold no struct.
    const NULLABLE: bool;
    /// Encodes the value: [`Value::Struct`], or `Null`.
    #[doc(hidden)]
    fn encode(&self) -> std::result::Result<Value, String>;
    /// Decodes a stored value, naming `entity` and `column` in errors.
    #[doc(hidden)]
    fn decode(value: Value, entity: &'static str, column: &'static str) -> Result<Self>
    where
        Self: Sized;
}

impl<S: Embedded> EmbeddedValue for S {
    type Struct = S;
    const NULLABLE: bool = false;
    fn encode(&self) -> std::result::Result<Value, String> {
        encode_struct(self)
    }
    fn decode(value: Value, entity: &'static str, column: &'static str) -> Result<Self> {
        match value {
            Value::Struct(fields) => decode_struct(fields, entity, column),
            other => Err(Error::Decode {
                entity,
                column: column.to_owned(),
                source: match other {
                    Value::Null => DecodeError::UnexpectedNull,
                    other => DecodeError::mismatch(ColumnType::Struct(S::FIELDS), &other),
                },
            }),
        }
    }
}

impl<S: Embedded> EmbeddedValue for Option<S> {
    type Struct = S;
    const NULLABLE: bool = true;
    fn encode(&self) -> std::result::Result<Value, String> {
        match self {
            None => Ok(Value::Null),
            Some(s) => encode_struct(s),
        }
    }
    fn decode(value: Value, entity: &'static str, column: &'static str) -> Result<Self> {
        match value {
            Value::Null => Ok(None),
            other => S::decode(other, entity, column).map(Some),
        }
    }
}

/// The struct's fields as a [`Value::Struct`], checked against `FIELDS`.
fn encode_struct<S: Embedded>(value: &S) -> std::result::Result<Value, String> {
    let mut out = FieldsWriter::<S> {
        values: Vec::with_capacity(S::FIELDS.len()),
        wrong: None,
        _marker: PhantomData,
    };
    value.write(&mut out);
    if let Some(why) = out.wrong {
        return Err(why);
    }
    if out.values.len() != S::FIELDS.len() {
        let missing: Vec<_> = S::FIELDS[out.values.len()..]
            .iter()
            .map(|f| format!("`{}`", f.name))
            .collect();
        return Err(format!(
            "`{}::write` put {} of {} fields: {} not put; put every field `FIELDS` lists, in order",
            crate::schema::short_type_name::<S>(),
            out.values.len(),
            S::FIELDS.len(),
            missing.join(", ")
        ));
    }
    Ok(Value::Struct(out.values))
}

struct FieldsWriter<S> {
    values: Vec<Value>,
    wrong: Option<String>,
    _marker: Marker<S>,
}

impl<S: Embedded> StructWriter<S> for FieldsWriter<S> {
    fn put<T: Field, K: IndexKind>(&mut self, field: Column<S, T, K>, value: &T) {
        let at = self.values.len();
        match S::FIELDS.get(at) {
            Some(def) if def.same_column(&field.def()) => {
                let before = self.values.len();
                value.write(&mut self.values);
                if self.values.len() != before + 1 {
                    self.wrong.get_or_insert_with(|| {
                        format!("field `{}` wrote other than one value", def.name)
                    });
                }
            }
            _ => {
                self.wrong.get_or_insert_with(|| {
                    format!(
                        "`{}::write` put field `{}` where `FIELDS` has {}: put the fields in `FIELDS` order, each once",
                        crate::schema::short_type_name::<S>(),
                        field.name(),
                        S::FIELDS
                            .get(at)
                            .map_or("no more fields".to_owned(), |d| format!("`{}`", d.name)),
                    )
                });
                // Keep the count, so that the error is the first wrong field.
                self.values.push(Value::Null);
            }
        }
    }
}

/// The struct from its fields' values, in `FIELDS` order.
fn decode_struct<S: Embedded>(
    values: Vec<Value>,
    entity: &'static str,
    column: &'static str,
) -> Result<S> {
    if values.len() != S::FIELDS.len() {
        return Err(Error::Decode {
            entity,
            column: column.to_owned(),
            source: DecodeError::Invalid(format!(
                "an embedded `{}` has {} fields, the stored value {}",
                crate::schema::short_type_name::<S>(),
                S::FIELDS.len(),
                values.len()
            )),
        });
    }
    let mut reader = FieldsReader::<S> {
        values: values.into_iter(),
        at: 0,
        failed: false,
        entity,
        column,
        _marker: PhantomData,
    };
    let value = S::read(&mut reader)?;
    if reader.failed || reader.at != S::FIELDS.len() {
        return Err(Error::Invalid {
            what: "entity",
            detail: format!(
                "`{}::read` got {} of {} fields: get every field `FIELDS` lists, in order",
                crate::schema::short_type_name::<S>(),
                reader.at,
                S::FIELDS.len()
            ),
        });
    }
    Ok(value)
}

struct FieldsReader<S> {
    values: std::vec::IntoIter<Value>,
    at: usize,
    /// A `get` was refused: every later one is too.
    failed: bool,
    entity: &'static str,
    column: &'static str,
    _marker: Marker<S>,
}

impl<S: Embedded> StructReader<S> for FieldsReader<S> {
    fn get<T: Field, K: IndexKind>(&mut self, field: Column<S, T, K>) -> Result<T> {
        let at = self.at;
        self.at += 1;
        let name = |f: &str| format!("{}.{f}", self.column);
        match S::FIELDS.get(at) {
            Some(def) if !self.failed && def.same_column(&field.def()) => {
                let value = self.values.next().unwrap_or(Value::Null);
                T::from_value(value).map_err(|source| Error::Decode {
                    entity: self.entity,
                    column: name(def.name),
                    source,
                })
            }
            _ => {
                // Nothing more is read: a later `get` is refused too.
                self.failed = true;
                Err(Error::Invalid {
                    what: "entity",
                    detail: format!(
                        "`{}::read` got field `{}` where `FIELDS` has {}: get the fields in `FIELDS` order, each once",
                        crate::schema::short_type_name::<S>(),
                        field.name(),
                        S::FIELDS
                            .get(at)
                            .map_or("no more fields".to_owned(), |d| format!("`{}`", d.name)),
                    ),
                })
            }
        }
    }
}

/// A handle on the column of entity `E` that embeds a struct: `V` is the
/// [`Embedded`] struct, or `Option` of it.
///
/// ```
/// # mod model { include!("../tests/model/customer.rs"); pub const fn shared(_: keyway::Layout) -> Option<keyway::Layout> { None } }
/// use model::{Address, Customer};
/// # fn main() {
/// // One column per field on SQL: `home_street`, `home_city`, `home_zip`.
/// let in_lyon = Customer::HOME.field(Address::CITY).eq("Lyon");
/// // A field of an optional struct reads as optional.
/// let no_office = Customer::OFFICE.is_null();
/// # let _ = (in_lyon, no_office);
/// # }
/// ```
pub struct Embed<E, V> {
    name: &'static str,
    name_key: u128,
    _marker: Marker<(E, V)>,
}

impl<E, V> Clone for Embed<E, V> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<E, V> Copy for Embed<E, V> {}

impl<E, V> std::fmt::Debug for Embed<E, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Embed({})", self.name)
    }
}

impl<E, V: EmbeddedValue> Embed<E, V> {
    /// A handle on the column named `name`. A struct that cannot be
    /// embedded so does not compile: one without fields, one holding an
    /// embedded struct, or an optional one whose fields are all `Option`.
    pub const fn new(name: &'static str) -> Self {
        let fields = V::Struct::FIELDS;
        assert!(!fields.is_empty(), "an embedded struct declares no fields");
        let (mut i, mut required) = (0, false);
        while i < fields.len() {
            assert!(
                !matches!(fields[i].ty, ColumnType::Struct(_)),
                "an embedded struct inside an embedded struct is not supported: embed both in the entity, or store the inner one as `Json<T>`"
            );
            required |= !fields[i].nullable;
            i += 1;
        }
        assert!(
            required || !V::NULLABLE,
            "an optional embedded struct needs a field that is not `Option` (an absent struct and one whose fields are all `None` would read the same)"
        );
        Embed {
            name,
            name_key: crate::schema::name_key(
                name,
                ColumnType::Struct(V::Struct::FIELDS),
                V::NULLABLE,
            ),
            _marker: PhantomData,
        }
    }

    /// The column's name.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The schema entry for this column, for `Entity::COLUMNS`.
    pub const fn def(&self) -> ColumnDef {
        ColumnDef {
            name: self.name,
            ty: ColumnType::Struct(V::Struct::FIELDS),
            nullable: V::NULLABLE,
            role: ColumnRole::Plain,
            auto: false,
            decimal: None,
            generated: None,
            version: false,
            deleted_at: false,
            expires_at: false,
            name_key: self.name_key,
        }
    }

    /// The handle of one field inside the struct, named `{column}_{field}`:
    /// a column of `E` for filters, ordering and projections. A field of an
    /// optional struct is read as optional.
    fn leaf<T: Field>(self, field: ColumnDef) -> Column<E, T, Plain> {
        Column::leaf(leaf_name(self.name, field.name), field)
    }
}

/// A field handle of the embedded struct `S`: a `Column<S, _>` declared
/// beside `S`'s `Embedded` impl.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a field of the embedded struct `{S}`",
    label = "a column of another struct or entity",
    note = "`field` takes a column handle declared on `{S}` (`Column<{S}, _>`, listed in `{S}::FIELDS`)"
)]
pub trait FieldOf<S>: Copy {
    /// The type the field holds.
    type Value: OrNull;
    /// The field's definition.
    fn field_def(&self) -> ColumnDef;
}

impl<S, T: OrNull, K: IndexKind> FieldOf<S> for Column<S, T, K> {
    type Value = T;
    fn field_def(&self) -> ColumnDef {
        self.def()
    }
}

impl<E: Entity, S: Embedded> Embed<E, S> {
    /// One field of the struct, as a column of `E`: filter it (an
    /// [`Unindexed`] condition), order by it or select it.
    pub fn field<F: FieldOf<S>>(self, field: F) -> Column<E, F::Value, Plain> {
        self.leaf(field.field_def())
    }
}

impl<E: Entity, S: Embedded> Embed<E, Option<S>> {
    /// One field of the optional struct, as an optional column of `E`
    /// (`None` where the row holds no struct).
    pub fn field<F: FieldOf<S>>(
        self,
        field: F,
    ) -> Column<E, <F::Value as OrNull>::Optional, Plain> {
        self.leaf(field.field_def())
    }

    /// The row holds no struct (an [`Unindexed`] condition).
    pub fn is_null(self) -> Filter<E, Unindexed> {
        self.presence(false)
    }

    /// The row holds a struct.
    pub fn is_not_null(self) -> Filter<E, Unindexed> {
        self.presence(true)
    }

    /// Whether the struct is there, told by its first field that is never
    /// NULL (an optional struct has one: [`TableDef::validate`](crate::TableDef::validate)).
    fn presence(self, negated: bool) -> Filter<E, Unindexed> {
        let witness = S::FIELDS.iter().find(|f| !f.nullable);
        Filter::new(match witness {
            Some(f) => Expr::IsNull {
                column: leaf_name(self.name, f.name),
                negated,
            },
            // Refused when the schema is checked; match nothing meanwhile.
            None => Expr::Or(Vec::new()),
        })
    }
}

impl<E, V> sealed::Sealed for Embed<E, V> {}

impl<E: Entity, V: EmbeddedValue> ColumnOf<E> for Embed<E, V> {
    type Value = V;

    #[inline]
    fn column_def(&self) -> ColumnDef {
        self.def()
    }

    fn write_value<W: ValueWriter + ?Sized>(&self, value: &V, row: &mut W) -> Result<()> {
        match value.encode() {
            Ok(encoded) => {
                row.put_value(encoded);
                Ok(())
            }
            Err(detail) => {
                // Keep the row's count: nothing of a refused write is stored.
                row.put_value(Value::Null);
                Err(Error::Invalid {
                    what: "entity",
                    detail: format!("column `{}`: {detail}", self.name),
                })
            }
        }
    }

    fn read_value<R: ValueReader + ?Sized>(&self, row: &mut R) -> Result<V> {
        let ty = ColumnType::Struct(V::Struct::FIELDS);
        let value = match row.next_value(ty) {
            Ok(value) => value,
            Err(source) => {
                return Err(Error::Decode {
                    entity: row.position().0,
                    column: self.name.to_owned(),
                    source,
                });
            }
        };
        V::decode(value, row.position().0, self.name)
    }
}

/// The SQL name of field `field` of the embedded struct in `column`:
/// `{column}_{field}`, made once per pair and kept for the program's life
/// (there are as many as the program declares).
pub fn leaf_name(column: &'static str, field: &'static str) -> &'static str {
    use crate::intern::{Global, Local, interned};
    type Key = (&'static str, &'static str);
    static NAMES: Global<Key, &'static str> = Global::new();
    thread_local! {
        static SEEN: Local<Key, &'static str> = Default::default();
    }
    interned(&SEEN, &NAMES, (column, field), || {
        Box::leak(format!("{column}_{field}").into_boxed_str())
    })
}

/// Reads an embedded struct stored as one column per field (the SQL
/// backends), `leaf` reading each field's column in turn: `Null` when
/// every column is NULL and the struct has a field that never is (an
/// optional struct that is absent), else [`Value::Struct`].
pub fn read_flat_struct(
    fields: &[ColumnDef],
    mut leaf: impl FnMut(&ColumnDef) -> std::result::Result<Value, DecodeError>,
) -> std::result::Result<Value, DecodeError> {
    let mut values = Vec::with_capacity(fields.len());
    for field in fields {
        values.push(leaf(field)?);
    }
    let absent = values.iter().all(Value::is_null) && fields.iter().any(|f| !f.nullable);
    Ok(if absent {
        Value::Null
    } else {
        Value::Struct(values)
    })
}

/// Hands each field's value of an embedded struct's value (`Null` for an
/// absent struct) to `leaf`, in `FIELDS` order: how the SQL backends bind
/// the struct's columns.
pub fn flatten_struct(fields: &[ColumnDef], value: Value, mut leaf: impl FnMut(Value)) {
    match value {
        Value::Struct(values) if values.len() == fields.len() => values.into_iter().for_each(leaf),
        Value::Unencodable(why) => fields
            .iter()
            .for_each(|_| leaf(Value::Unencodable(why.clone()))),
        Value::Null => fields.iter().for_each(|_| leaf(Value::Null)),
        other => fields.iter().for_each(|_| {
            leaf(Value::Unencodable(format!(
                "an embedded struct of {} fields cannot hold a {}",
                fields.len(),
                other.kind()
            )))
        }),
    }
}

/// A field type and its optional form: `T` and `Option<T>` are both read
/// as `Option<T>` inside an optional embedded struct.
pub trait OrNull: Field {
    /// `Option<T>`.
    type Optional: Field;
}
impl<T: NotNull> OrNull for T {
    type Optional = Option<T>;
}
impl<T: NotNull> OrNull for Option<T> {
    type Optional = Option<T>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{PrimaryKey, RowReader, RowWriter, TableDef};

    /// A struct whose `write` and `read` take their fields in the order
    /// `swapped` says.
    #[derive(Debug, Clone, PartialEq)]
    struct Pair {
        a: i32,
        b: Option<String>,
    }
    static SWAPPED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    impl Pair {
        const A: Column<Pair, i32> = Column::new("a");
        const B: Column<Pair, Option<String>> = Column::new("b");
    }
    impl Embedded for Pair {
        const FIELDS: &'static [ColumnDef] = &[Pair::A.def(), Pair::B.def()];
        fn write(&self, out: &mut impl StructWriter<Self>) {
            if SWAPPED.load(std::sync::atomic::Ordering::Relaxed) {
                out.put(Pair::B, &self.b);
                out.put(Pair::A, &self.a);
            } else {
                out.put(Pair::A, &self.a);
                out.put(Pair::B, &self.b);
            }
        }
        fn read(row: &mut impl StructReader<Self>) -> Result<Self> {
            Ok(Pair {
                a: row.get(Pair::A)?,
                b: row.get(Pair::B)?,
            })
        }
    }

    /// Only optional fields.
    struct Loose {
        b: Option<String>,
    }
    impl Loose {
        const B: Column<Loose, Option<String>> = Column::new("b");
    }
    impl Embedded for Loose {
        const FIELDS: &'static [ColumnDef] = &[Loose::B.def()];
        fn write(&self, out: &mut impl StructWriter<Self>) {
            out.put(Loose::B, &self.b);
        }
        fn read(row: &mut impl StructReader<Self>) -> Result<Self> {
            Ok(Loose {
                b: row.get(Loose::B)?,
            })
        }
    }

    #[derive(Debug)]
    struct Holder {
        id: i64,
        pair: Option<Pair>,
    }
    impl Holder {
        const ID: Column<Holder, i64, PrimaryKey> = Column::new("id");
        const PAIR: Embed<Holder, Option<Pair>> = Embed::new("pair");
        const PAIR_A: Column<Holder, i32> = Column::new("pair_a");
    }
    impl Entity for Holder {
        type Key = i64;
        const TABLE: &'static str = "holders";
        const COLUMNS: &'static [ColumnDef] = &[Holder::ID.def(), Holder::PAIR.def()];
        fn key(&self) -> i64 {
            self.id
        }
        fn write(&self, row: &mut impl RowWriter<Self>) {
            row.put(Holder::ID, &self.id);
            row.put(Holder::PAIR, &self.pair);
        }
        fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
            Ok(Holder {
                id: row.get(Holder::ID)?,
                pair: row.get(Holder::PAIR)?,
            })
        }
    }

    fn table(columns: &'static [ColumnDef]) -> TableDef {
        TableDef {
            columns,
            ..TableDef::of::<Holder>()
        }
    }

    #[test]
    fn flat_columns_are_named_and_nullable() {
        let flat = TableDef::of::<Holder>().flat();
        let names: Vec<_> = flat.columns.iter().map(|c| (c.name, c.nullable)).collect();
        assert_eq!(names, [("id", false), ("pair_a", true), ("pair_b", true)]);
        assert_eq!(
            TableDef::of::<Holder>().flat().columns.as_ptr(),
            flat.columns.as_ptr()
        );
        let (whole, field) = TableDef::of::<Holder>().embedded_field("pair_b").unwrap();
        assert_eq!((whole.name, field.name), ("pair", "b"));
        assert!(TableDef::of::<Holder>().embedded_field("pair_c").is_none());
        TableDef::of::<Holder>().validate(1).unwrap();
    }

    #[test]
    fn schemas_that_cannot_be_stored_are_refused() {
        // `Embed::new` refuses it at compile time; a definition built by
        // hand is refused by the schema check.
        const LOOSE: &[ColumnDef] = &[
            Holder::ID.def(),
            ColumnDef::new(
                "loose",
                ColumnType::Struct(Loose::FIELDS),
                true,
                ColumnRole::Plain,
                false,
            ),
        ];
        let err = table(LOOSE).validate(1).unwrap_err().to_string();
        assert!(err.contains("needs a field that is not `Option`"), "{err}");
        const CLASH: &[ColumnDef] = &[Holder::ID.def(), Holder::PAIR_A.def(), Holder::PAIR.def()];
        let err = table(CLASH).validate(1).unwrap_err().to_string();
        assert!(err.contains("same SQL name"), "{err}");
        // `a` with field `b_c` and `a_b` with field `c`: both `a_b_c`.
        const TEXT: ColumnType = ColumnType::Text;
        const BC: &[ColumnDef] = &[ColumnDef::new("b_c", TEXT, false, ColumnRole::Plain, false)];
        const C: &[ColumnDef] = &[ColumnDef::new("c", TEXT, false, ColumnRole::Plain, false)];
        const TWICE: &[ColumnDef] = &[
            Holder::ID.def(),
            ColumnDef::new("a", ColumnType::Struct(BC), false, ColumnRole::Plain, false),
            ColumnDef::new(
                "a_b",
                ColumnType::Struct(C),
                false,
                ColumnRole::Plain,
                false,
            ),
        ];
        let err = table(TWICE).validate(1).unwrap_err().to_string();
        assert!(err.contains("stored as the SQL column `a_b_c`"), "{err}");
        // Two structs of one name but other fields are other columns.
        assert!(!TWICE[1].same_column(&ColumnDef::new(
            "a",
            ColumnType::Struct(C),
            false,
            ColumnRole::Plain,
            false
        )));
    }

    #[test]
    fn absent_and_empty_structs_differ() {
        let fields = Pair::FIELDS;
        let mut nulls = [Value::Null, Value::Null].into_iter();
        let read = read_flat_struct(fields, |_| Ok(nulls.next().unwrap())).unwrap();
        assert_eq!(read, Value::Null);
        let mut values = [Value::I32(1), Value::Null].into_iter();
        let read = read_flat_struct(fields, |_| Ok(values.next().unwrap())).unwrap();
        assert_eq!(read, Value::Struct(vec![Value::I32(1), Value::Null]));
        let mut out = Vec::new();
        flatten_struct(fields, Value::Null, |v| out.push(v));
        assert_eq!(out, [Value::Null, Value::Null]);
    }

    #[test]
    fn fields_out_of_order_are_refused() {
        let holder = Holder {
            id: 1,
            pair: Some(Pair { a: 2, b: None }),
        };
        let mut values = Vec::new();
        crate::write_row(&holder, &mut values).unwrap();
        assert_eq!(values[1], Value::Struct(vec![Value::I32(2), Value::Null]));
        SWAPPED.store(true, std::sync::atomic::Ordering::Relaxed);
        let err = crate::write_row(&holder, &mut Vec::new()).unwrap_err();
        SWAPPED.store(false, std::sync::atomic::Ordering::Relaxed);
        assert!(
            matches!(&err, Error::Invalid { detail, .. } if detail.contains("put field `b` where `FIELDS` has `a`")),
            "{err}"
        );
        // A stored struct of the wrong shape is a decode error naming it.
        let names = ["id", "pair"];
        let short = vec![Value::I64(1), Value::Struct(vec![Value::I32(2)])];
        let err =
            crate::read_row::<Holder, _>(&mut crate::ValuesReader::new("Holder", &names, short));
        assert!(
            matches!(&err, Err(Error::Decode { column, .. }) if column == "pair"),
            "{err:?}"
        );
        let wrong = vec![
            Value::I64(1),
            Value::Struct(vec![Value::Text("x".into()), Value::Null]),
        ];
        let err =
            crate::read_row::<Holder, _>(&mut crate::ValuesReader::new("Holder", &names, wrong));
        assert!(
            matches!(&err, Err(Error::Decode { column, .. }) if column == "pair.a"),
            "{err:?}"
        );
    }
}
