//! The schema as data: what the `Entity` impls declare, in owned values that
//! a migration file records and that later code compares, whatever the
//! backend. Embedded structs are already a column per field here, as SQL
//! stores them.

use std::fmt;
use std::str::FromStr;

use crate::{
    ColumnDef, ColumnRole, ColumnType, Error, ForeignKeySchema, IndexSchema, OnDelete, Result,
};
use crate::{Schema, TableDef};

/// Every table of a schema, parents before children.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SchemaSpec {
    /// The tables.
    pub tables: Vec<TableSpec>,
}

/// One table.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TableSpec {
    /// Its name.
    pub name: String,
    /// Its columns, in table order.
    pub columns: Vec<ColumnSpec>,
    /// The key's columns: the primary (partition) key, then the sort key.
    pub primary_key: Vec<String>,
    /// Its indexes besides the primary key, single-column ones included.
    #[cfg_attr(feature = "serde", serde(default))]
    pub indexes: Vec<IndexSchema>,
    /// Its foreign keys (`on_delete`: `restrict`, `cascade` or `set null`).
    #[cfg_attr(feature = "serde", serde(default))]
    pub foreign_keys: Vec<ForeignKeySchema>,
    /// The column that says when each row expires, if any
    /// ([`Column::expires_at`](crate::Column::expires_at)).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub expires_at: Option<String>,
    /// Where DynamoDB keeps its items in a shared table
    /// ([`Entity::LAYOUT`](crate::Entity::LAYOUT)), if it does.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub layout: Option<LayoutSpec>,
}

/// A [`Layout`](crate::Layout) as data.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LayoutSpec {
    /// The shared table.
    pub table: String,
    /// The entity type.
    pub entity_type: String,
    /// The partition key template.
    pub partition: String,
    /// The sort key template.
    pub sort: String,
    /// The overloaded indexes: name, partition and sort templates.
    #[cfg_attr(feature = "serde", serde(default))]
    pub indexes: Vec<(String, String, String)>,
}

impl LayoutSpec {
    /// `layout` as data.
    pub fn of(layout: &crate::Layout) -> LayoutSpec {
        LayoutSpec {
            table: layout.table.to_owned(),
            entity_type: layout.entity_type.to_owned(),
            partition: layout.partition.to_owned(),
            sort: layout.sort.to_owned(),
            indexes: layout
                .indexes
                .iter()
                .map(|i| (i.name.to_owned(), i.partition.to_owned(), i.sort.to_owned()))
                .collect(),
        }
    }
}

/// One column.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ColumnSpec {
    /// Its name.
    pub name: String,
    /// Its type.
    #[cfg_attr(feature = "serde", serde(rename = "type"))]
    pub ty: TypeSpec,
    /// Whether it admits NULL.
    #[cfg_attr(feature = "serde", serde(default))]
    pub nullable: bool,
    /// Whether the database generates its value on insert (an integer key).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "std::ops::Not::not")
    )]
    pub auto: bool,
    /// The embedded struct column this column is a field of, if it is one
    /// (DynamoDB keeps the struct as one map attribute).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub embedded_in: Option<String>,
}

/// A column's type: keyway's portable type and, for a decimal, its
/// precision and scale. Written as text: `i64`, `text`, `decimal(12,2)`,
/// `list<text>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TypeSpec {
    /// The portable type (never a struct: its fields are columns).
    pub ty: ColumnType,
    /// A decimal's precision and scale, if declared.
    pub decimal: Option<(u8, u8)>,
}

impl SchemaSpec {
    /// The tables of `S`, as its impls declare them, parents first.
    pub fn of<S: Schema>() -> Result<SchemaSpec> {
        let mut tables = S::tables();
        for (table, arity) in &tables {
            table.validate(*arity)?;
        }
        crate::db::parents_first(&mut tables);
        Ok(SchemaSpec {
            tables: tables.iter().map(|(t, _)| TableSpec::of(t)).collect(),
        })
    }

    /// The table named `name`.
    pub fn table(&self, name: &str) -> Option<&TableSpec> {
        self.tables.iter().find(|t| t.name == name)
    }

    pub(crate) fn table_mut(&mut self, name: &str) -> Result<&mut TableSpec> {
        self.tables
            .iter_mut()
            .find(|t| t.name == name)
            .ok_or_else(|| invalid(format!("there is no table `{name}`")))
    }
}

impl TableSpec {
    /// `table` as its impl declares it, embedded structs flattened.
    pub fn of(table: &TableDef) -> TableSpec {
        super::table_def::note_layouts(table);
        let flat = table.flat();
        TableSpec {
            name: table.name.to_owned(),
            columns: flat
                .columns
                .iter()
                .map(|c| ColumnSpec {
                    embedded_in: table.embedded_field(c.name).map(|(s, _)| s.name.to_owned()),
                    ..ColumnSpec::of(c)
                })
                .collect(),
            primary_key: flat.key_columns().map(|c| c.name.to_owned()).collect(),
            indexes: flat
                .all_indexes()
                .into_iter()
                .map(|ix| IndexSchema {
                    name: ix.name,
                    columns: ix.columns.iter().map(|c| (*c).to_owned()).collect(),
                    unique: ix.unique,
                })
                .collect(),
            foreign_keys: flat
                .foreign_keys
                .iter()
                .map(|fk| ForeignKeySchema {
                    column: fk.column.to_owned(),
                    parent_table: fk.parent_table.to_owned(),
                    parent_column: fk.parent_column.to_owned(),
                    on_delete: fk.on_delete.name().to_owned(),
                })
                .collect(),
            expires_at: table.expires_at_column().map(|(_, c)| c.name.to_owned()),
            layout: table.layout.as_ref().map(LayoutSpec::of),
        }
    }

    /// The column named `name`.
    pub fn column(&self, name: &str) -> Option<&ColumnSpec> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The index named `name`.
    pub fn index(&self, name: &str) -> Option<&IndexSchema> {
        self.indexes.iter().find(|i| i.name == name)
    }

    /// The foreign key of column `column`.
    pub fn foreign_key(&self, column: &str) -> Option<&ForeignKeySchema> {
        self.foreign_keys.iter().find(|fk| fk.column == column)
    }

    /// Whether an index or a foreign key covers column `name`, or the key
    /// holds it (MySQL stores such a text column as `VARCHAR`).
    pub fn is_indexed(&self, name: &str) -> bool {
        self.primary_key.iter().any(|k| k == name)
            || self
                .indexes
                .iter()
                .any(|ix| ix.columns.iter().any(|c| c == name))
            || self.foreign_keys.iter().any(|fk| fk.column == name)
    }
}

impl TypeSpec {
    /// A column definition of this type (with its decimal's precision).
    pub fn column_def(
        self,
        name: &'static str,
        nullable: bool,
        role: ColumnRole,
        auto: bool,
    ) -> ColumnDef {
        let def = ColumnDef::new(name, self.ty, nullable, role, auto);
        match self.decimal {
            Some((p, s)) => def.with_decimal(p, s),
            None => def,
        }
    }
}

impl ColumnSpec {
    /// `column` as declared (a flat column, not an embedded struct).
    pub fn of(column: &ColumnDef) -> ColumnSpec {
        ColumnSpec {
            name: column.name.to_owned(),
            ty: TypeSpec {
                ty: column.ty,
                decimal: column.decimal,
            },
            nullable: column.nullable,
            auto: column.auto,
            embedded_in: None,
        }
    }
}

/// The action a spec's `on_delete` names.
pub fn on_delete_of(name: &str) -> Result<OnDelete> {
    match name {
        "cascade" => Ok(OnDelete::Cascade),
        "set null" => Ok(OnDelete::SetNull),
        "restrict" => Ok(OnDelete::Restrict),
        other => Err(invalid(format!(
            "a foreign key's on_delete is `restrict`, `cascade` or `set null`, not `{other}`"
        ))),
    }
}

pub(crate) fn invalid(detail: String) -> Error {
    Error::Invalid {
        what: "migration",
        detail,
    }
}

impl fmt::Display for TypeSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.ty, self.decimal) {
            (ColumnType::List(element), _) => write!(f, "list<{}>", element.name()),
            (ColumnType::Decimal, Some((p, s))) => write!(f, "decimal({p},{s})"),
            (ty, _) => f.write_str(ty.name()),
        }
    }
}

impl FromStr for TypeSpec {
    type Err = Error;

    fn from_str(text: &str) -> Result<TypeSpec> {
        let scalar = |name: &str| ColumnType::SCALARS.iter().find(|t| t.name() == name.trim());
        let bad = || {
            invalid(format!(
                "`{text}` is not a column type (i64, text, decimal(12,2), list<text>, ...)"
            ))
        };
        let text = text.trim();
        if let Some(element) = text.strip_prefix("list<").and_then(|t| t.strip_suffix('>')) {
            let element = scalar(element).ok_or_else(bad)?;
            return Ok(TypeSpec {
                ty: ColumnType::List(element),
                decimal: None,
            });
        }
        if let Some(args) = text
            .strip_prefix("decimal(")
            .and_then(|t| t.strip_suffix(')'))
        {
            let (p, s) = args.split_once(',').ok_or_else(bad)?;
            let p: u8 = p.trim().parse().map_err(|_| bad())?;
            let s: u8 = s.trim().parse().map_err(|_| bad())?;
            return Ok(TypeSpec {
                ty: ColumnType::Decimal,
                decimal: Some((p, s)),
            });
        }
        Ok(TypeSpec {
            ty: *scalar(text).ok_or_else(bad)?,
            decimal: None,
        })
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for TypeSpec {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for TypeSpec {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_read_back_as_written() {
        for text in [
            "i64",
            "text",
            "decimal(12,2)",
            "list<text>",
            "list<uuid>",
            "json",
        ] {
            assert_eq!(text.parse::<TypeSpec>().unwrap().to_string(), text);
        }
        for bad in [
            "",
            "int",
            "decimal(a,2)",
            "list<list<text>>",
            "decimal(12)",
            "struct",
        ] {
            assert!(bad.parse::<TypeSpec>().is_err(), "{bad}");
        }
    }
}
