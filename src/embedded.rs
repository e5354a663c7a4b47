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
        entity,
        column,
        _marker: PhantomData,
    };
    let value = S::read(&mut reader)?;
    if reader.at != S::FIELDS.len() {
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
            Some(def) if def.same_column(&field.def()) => {
                let value = self.values.next().unwrap_or(Value::Null);
                T::from_value(value).map_err(|source| Error::Decode {
                    entity: self.entity,
                    column: name(def.name),
                    source,
                })
            }
            _ => {
                // Nothing more is read: a later `get` is refused too.
                self.at = usize::MAX - S::FIELDS.len();
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
/// # mod model { include!("../tests/model/customer.rs"); }
/// use model::{Address, Customer};
/// // One column per field on SQL: `home_street`, `home_city`, `home_zip`.
/// let in_lyon = Customer::HOME.field(Address::CITY).eq("Lyon");
/// // A field of an optional struct reads as optional.
/// let no_office = Customer::OFFICE.is_null();
/// # let _ = (in_lyon, no_office);
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
    /// A handle on the column named `name`.
    pub const fn new(name: &'static str) -> Self {
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

impl<E: Entity, S: Embedded> Embed<E, S> {
    /// One field of the struct, as a column of `E`: filter it (an
    /// [`Unindexed`] condition), order by it or select it.
    pub fn field<T: Field, K: IndexKind>(self, field: Column<S, T, K>) -> Column<E, T, Plain> {
        self.leaf(field.def())
    }
}

impl<E: Entity, S: Embedded> Embed<E, Option<S>> {
    /// One field of the optional struct, as an optional column of `E`
    /// (`None` where the row holds no struct).
    pub fn field<T: OrNull, K: IndexKind>(
        self,
        field: Column<S, T, K>,
    ) -> Column<E, T::Optional, Plain> {
        self.leaf(field.def())
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
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    type Names = HashMap<(&'static str, &'static str), &'static str>;
    static NAMES: OnceLock<Mutex<Names>> = OnceLock::new();
    let mut names = NAMES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    names
        .entry((column, field))
        .or_insert_with(|| Box::leak(format!("{column}_{field}").into_boxed_str()))
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
