//! Filters on a path inside a JSON document column: `Todo::META.path(["labels",
//! "color"]).eq("red")`, `has_key`, `contains`. They are [`Unindexed`]
//! access, lowered to jsonb operators on PostgreSQL, `json_extract` on
//! SQLite, `JSON_VALUE` / `JSON_CONTAINS` on MySQL and document paths with
//! aliased names on DynamoDB.

use std::marker::PhantomData;

use crate::filter::{CmpOp, Expr, Filter, JsonTest};
use crate::{
    Access, Column, Entity, IndexKind, Json, Marker, PathSet, Unindexed, UpdateKey, UpdateStmt,
    UpdateWhere, Value,
};

/// A JSON document column type: `serde_json::Value` and [`Json<T>`].
#[diagnostic::on_unimplemented(
    message = "`path` and `has_key` reach into JSON document columns, but this column holds `{Self}`",
    label = "not a JSON document column",
    note = "declare the column as `Column<_, serde_json::Value>` or `Column<_, keyway::Json<T>>` to filter inside it"
)]
pub trait Document: crate::Field {}
impl Document for serde_json::Value {}
impl<T: serde::Serialize + serde::de::DeserializeOwned + Send + Sync + 'static> Document
    for Json<T>
{
}
impl<T: Document + crate::NotNull> Document for Option<T> {}

/// A JSON scalar a path filter compares with: a string, a number or a
/// boolean.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonScalar(Value);

impl From<&str> for JsonScalar {
    fn from(s: &str) -> Self {
        JsonScalar(Value::Text(s.to_owned()))
    }
}
impl From<String> for JsonScalar {
    fn from(s: String) -> Self {
        JsonScalar(Value::Text(s))
    }
}
impl From<bool> for JsonScalar {
    fn from(b: bool) -> Self {
        JsonScalar(Value::Bool(b))
    }
}
impl From<f64> for JsonScalar {
    fn from(v: f64) -> Self {
        JsonScalar(Value::F64(v))
    }
}
macro_rules! int_scalar {
    ($($t:ty),*) => {$(
        impl From<$t> for JsonScalar {
            fn from(v: $t) -> Self {
                JsonScalar(Value::I64(v.into()))
            }
        }
    )*};
}
int_scalar!(i8, i16, i32, i64, u8, u16, u32);

/// A path inside the JSON document column of entity `E`, from
/// [`Column::path`].
pub struct JsonPath<E> {
    column: &'static str,
    keys: Vec<String>,
    _marker: Marker<E>,
}

impl<E, T: crate::Field, K: IndexKind> Column<E, T, K> {
    /// The value at `keys` inside the document, for a filter:
    ///
    /// ```
    /// # mod model { include!("../examples/todo/model/account.rs"); }
    /// use model::Account;
    /// let dark = Account::SETTINGS.path(["theme"]).eq("dark");
    /// let tagged = Account::SETTINGS.path(["tags"]).contains("work");
    /// # let _ = (dark, tagged);
    /// ```
    ///
    /// A key holding `"` or `\`, or an empty key, is refused with
    /// [`Error::OutOfRange`](crate::Error::OutOfRange) when the query runs
    /// (SQLite and MySQL cannot address it).
    pub fn path<S: Into<String>>(self, keys: impl IntoIterator<Item = S>) -> JsonPath<E>
    where
        T: Document,
    {
        JsonPath {
            column: self.name(),
            keys: keys.into_iter().map(Into::into).collect(),
            _marker: PhantomData,
        }
    }

    /// Whether the document holds `key` at its top level.
    pub fn has_key(self, key: impl Into<String>) -> Filter<E, Unindexed>
    where
        E: Entity,
        T: Document,
    {
        self.path([key.into()]).exists()
    }
}

/// `keys` as bound values, and as the `$."a"."b"` text of SQLite and
/// MySQL: each [`Value::Unencodable`] when a key cannot be addressed.
fn encode_keys(keys: &[String]) -> (Vec<Value>, Value) {
    let bad = keys
        .iter()
        .find(|k| k.is_empty() || k.contains(['"', '\\']))
        .map(|k| format!("the document key {k:?} cannot be addressed: keys holding `\"` or `\\`, and empty keys, are refused"));
    let path_value = |k: &String| match &bad {
        Some(why) => Value::Unencodable(why.clone()),
        None => Value::Text(k.clone()),
    };
    let path = keys.iter().map(path_value).collect();
    let path_text = match &bad {
        Some(why) => Value::Unencodable(why.clone()),
        None => {
            let mut text = String::from("$");
            for k in keys {
                text.push_str(".\"");
                text.push_str(k);
                text.push('"');
            }
            Value::Text(text)
        }
    };
    (path, path_text)
}

impl<E: Entity> JsonPath<E> {
    fn test(self, test: JsonTest, value: Value) -> Filter<E, Unindexed> {
        let (path, path_text) = encode_keys(&self.keys);
        let json = match &value {
            Value::Null => Value::Null,
            Value::Text(s) => Value::Json(serde_json::Value::from(s.as_str()).to_string()),
            Value::I64(n) => Value::Json(n.to_string()),
            Value::F64(f) => match serde_json::Number::from_f64(*f) {
                Some(n) => Value::Json(n.to_string()),
                None => Value::Unencodable(format!("{f} is not a JSON number")),
            },
            Value::Bool(b) => Value::Json(b.to_string()),
            other => Value::Unencodable(format!("a {} is not a JSON scalar", other.kind())),
        };
        let value = match (&json, value) {
            (Value::Unencodable(why), _) => Value::Unencodable(why.clone()),
            (_, value) => value,
        };
        Filter::new(Expr::Json {
            column: self.column,
            path,
            path_text,
            test,
            value,
            json,
        })
    }

    fn cmp(self, op: CmpOp, value: impl Into<JsonScalar>) -> Filter<E, Unindexed> {
        self.test(JsonTest::Cmp(op), value.into().0)
    }

    /// The value there is `value` (of the same kind: the string `"3"` is
    /// not the number `3`).
    pub fn eq(self, value: impl Into<JsonScalar>) -> Filter<E, Unindexed> {
        self.cmp(CmpOp::Eq, value)
    }

    /// The value there is of `value`'s kind and differs from it.
    pub fn ne(self, value: impl Into<JsonScalar>) -> Filter<E, Unindexed> {
        self.cmp(CmpOp::Ne, value)
    }

    /// The value there is of `value`'s kind and below it (numbers by
    /// value, strings by their bytes).
    pub fn lt(self, value: impl Into<JsonScalar>) -> Filter<E, Unindexed> {
        self.cmp(CmpOp::Lt, value)
    }

    /// `lt` or equal.
    pub fn le(self, value: impl Into<JsonScalar>) -> Filter<E, Unindexed> {
        self.cmp(CmpOp::Le, value)
    }

    /// The value there is of `value`'s kind and above it.
    pub fn gt(self, value: impl Into<JsonScalar>) -> Filter<E, Unindexed> {
        self.cmp(CmpOp::Gt, value)
    }

    /// `gt` or equal.
    pub fn ge(self, value: impl Into<JsonScalar>) -> Filter<E, Unindexed> {
        self.cmp(CmpOp::Ge, value)
    }

    /// The path is present in the document (its value may be `null`).
    pub fn exists(self) -> Filter<E, Unindexed> {
        self.test(JsonTest::Exists, Value::Null)
    }

    /// The value there is an array holding `value`.
    pub fn contains(self, value: impl Into<JsonScalar>) -> Filter<E, Unindexed> {
        self.test(JsonTest::Contains, value.into().0)
    }
}

/// The update of one path inside a document: the value set there, and the
/// condition that the path's parent is an object.
fn path_set<E>(path: JsonPath<E>, value: serde_json::Value) -> (PathSet, Expr) {
    let (keys, path_text) = encode_keys(&path.keys);
    let parent = &path.keys[..path.keys.len().saturating_sub(1)];
    let (parent_keys, parent_text) = encode_keys(parent);
    let keys = match keys.iter().find(|k| matches!(k, Value::Unencodable(_))) {
        Some(bad) => bad.clone(),
        None if keys.is_empty() => Value::Unencodable(
            "an empty path names the whole document: set the column itself".into(),
        ),
        None => Value::List(keys),
    };
    let set = PathSet {
        column: path.column,
        path_text: match &keys {
            Value::Unencodable(why) => Value::Unencodable(why.clone()),
            _ => path_text,
        },
        path: keys,
        value: Value::Json(value.to_string()),
    };
    let guard = Expr::Json {
        column: path.column,
        path: parent_keys,
        path_text: parent_text,
        test: JsonTest::Object,
        value: Value::Null,
        json: Value::Null,
    };
    (set, guard)
}

impl<E: Entity> UpdateKey<E> {
    /// Sets the value at `path` inside a JSON document column, keeping the
    /// rest of the document: `jsonb_set` on PostgreSQL, `JSON_SET` on MySQL,
    /// `json_set` on SQLite, `SET #doc.#a.#b` on DynamoDB. The path's parent
    /// must be an object in the stored document (the last key is added or
    /// replaced); where it is not, nothing is written and the update is
    /// [`Error::ConditionFailed`](crate::Error::ConditionFailed)
    /// ([`NotFound`](crate::Error::NotFound) when no row has the key).
    ///
    /// ```
    /// # mod model { include!("../examples/todo/model/account.rs"); }
    /// use model::Account;
    /// use keyway::EntityExt;
    /// let u = Account::update(uuid::Uuid::nil()).set_path(Account::SETTINGS.path(["theme"]), "dark");
    /// # let _ = u;
    /// ```
    pub fn set_path(mut self, path: JsonPath<E>, value: impl Into<serde_json::Value>) -> Self {
        let (set, guard) = path_set(path, value.into());
        push_path(&mut self.stmt, set, guard);
        self
    }
}

impl<E: Entity, A: Access> UpdateWhere<E, A> {
    /// Sets the value at `path` inside a JSON document column of every
    /// matching row whose document has the path's parent as an object (the
    /// others are not matched): see [`UpdateKey::set_path`].
    pub fn set_path(mut self, path: JsonPath<E>, value: impl Into<serde_json::Value>) -> Self {
        let (set, guard) = path_set(path, value.into());
        push_path(&mut self.stmt, set, guard);
        self
    }
}

/// Adds a path set (a later one of the same path wins) and its guard.
fn push_path(stmt: &mut UpdateStmt, set: PathSet, guard: Expr) {
    match stmt
        .paths
        .iter_mut()
        .find(|p| p.column == set.column && p.path == set.path)
    {
        Some(slot) => slot.value = set.value,
        None => {
            stmt.paths.push(set);
            stmt.filter = Some(match stmt.filter.take() {
                Some(filter) => filter.and(guard),
                None => guard,
            });
        }
    }
}
