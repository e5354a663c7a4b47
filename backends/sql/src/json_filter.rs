//! Path filters into JSON documents ([`Expr::Json`]), per dialect. Each
//! comparison holds only where the value at the path is of the scalar's kind
//! (the string `"3"` is not the number `3`) and present; strings compare by
//! their bytes on every dialect.

use keyway::{JsonTest, PathSet, Value};

use crate::JsonSyntax;
use crate::out::Out;

/// The parts of one [`Expr::Json`](keyway::Expr::Json).
pub(crate) struct JsonFilter<'v> {
    pub(crate) column: &'static str,
    pub(crate) path: &'v [Value],
    pub(crate) path_text: &'v Value,
    pub(crate) test: JsonTest,
    pub(crate) value: &'v Value,
    pub(crate) json: &'v Value,
}

/// The JSON kinds of a scalar, as each dialect names them.
#[derive(Clone, Copy)]
enum Kind {
    String,
    Number,
    Bool,
}

fn kind(value: &Value) -> Kind {
    match value {
        Value::Text(_) => Kind::String,
        Value::Bool(_) => Kind::Bool,
        _ => Kind::Number,
    }
}

impl Kind {
    /// The `json_type` / `json_each.type` names SQLite gives this kind.
    fn sqlite_types(self) -> &'static str {
        match self {
            Kind::String => "('text')",
            Kind::Number => "('integer', 'real')",
            Kind::Bool => "('true', 'false')",
        }
    }
}

use crate::select::op_text as op;

/// Writes the condition of `f`.
pub(crate) fn write<'v>(w: &mut impl Out<'v>, f: &JsonFilter<'v>) {
    match w.json_syntax() {
        JsonSyntax::Postgres => postgres(w, f),
        JsonSyntax::MySql => mysql(w, f),
        _ => sqlite(w, f),
    }
}

fn sqlite<'v>(w: &mut impl Out<'v>, f: &JsonFilter<'v>) {
    let types = kind(f.value).sqlite_types();
    match f.test {
        JsonTest::Exists => {
            w.push("json_type(").ident(f.column).push(", ");
            w.param(f.column, f.path_text).push(") IS NOT NULL");
        }
        JsonTest::Object => {
            w.push("json_type(").ident(f.column).push(", ");
            w.param(f.column, f.path_text).push(") = 'object'");
        }
        JsonTest::Contains => {
            w.push("(json_type(").ident(f.column).push(", ");
            w.param(f.column, f.path_text);
            w.push(") = 'array' AND EXISTS (SELECT 1 FROM json_each(")
                .ident(f.column)
                .push(", ");
            w.param(f.column, f.path_text)
                .push(") AS e WHERE e.type IN ");
            w.push(types).push(" AND e.value = ");
            w.param(f.column, f.value).push("))");
        }
        JsonTest::Cmp(cmp) => {
            w.push("(json_type(").ident(f.column).push(", ");
            w.param(f.column, f.path_text).push(") IN ").push(types);
            w.push(" AND json_extract(").ident(f.column).push(", ");
            w.param(f.column, f.path_text).push(")").push(op(cmp));
            w.param(f.column, f.value).push(")");
        }
        _ => {
            w.push("1 = 0");
        }
    }
}

/// `("column" -> $k1 -> $k2)`: the value at the path, as jsonb.
fn at<'v>(w: &mut impl Out<'v>, f: &JsonFilter<'v>) {
    w.push("(").ident(f.column);
    for key in f.path {
        w.push(" -> ");
        w.param(f.column, key);
    }
    w.push(")");
}

fn postgres<'v>(w: &mut impl Out<'v>, f: &JsonFilter<'v>) {
    match f.test {
        JsonTest::Exists => {
            at(w, f);
            w.push(" IS NOT NULL");
        }
        JsonTest::Object => {
            w.push("jsonb_typeof(");
            at(w, f);
            w.push(") = 'object'");
        }
        JsonTest::Contains => {
            w.push("(jsonb_typeof(");
            at(w, f);
            w.push(") = 'array' AND ");
            at(w, f);
            w.push(" @> ");
            w.param(f.column, f.json).push(")");
        }
        JsonTest::Cmp(cmp) => {
            w.push("(jsonb_typeof(");
            at(w, f);
            match kind(f.value) {
                // Text in byte order, whatever the database's collation.
                Kind::String => {
                    w.push(") = 'string' AND (");
                    at(w, f);
                    w.push(" #>> '{}') COLLATE \"C\"").push(op(cmp));
                    w.param(f.column, f.value).push(")");
                }
                Kind::Number | Kind::Bool => {
                    w.push(if matches!(kind(f.value), Kind::Bool) {
                        ") = 'boolean' AND "
                    } else {
                        ") = 'number' AND "
                    });
                    at(w, f);
                    w.push(op(cmp));
                    w.param(f.column, f.json).push(")");
                }
            }
        }
        _ => {
            w.push("1 = 0");
        }
    }
}

fn mysql<'v>(w: &mut impl Out<'v>, f: &JsonFilter<'v>) {
    let types = match kind(f.value) {
        Kind::String => "('STRING')",
        Kind::Number => "('INTEGER', 'UNSIGNED INTEGER', 'DOUBLE', 'DECIMAL')",
        Kind::Bool => "('BOOLEAN')",
    };
    match f.test {
        JsonTest::Exists => {
            w.push("JSON_CONTAINS_PATH(")
                .ident(f.column)
                .push(", 'one', ");
            w.param(f.column, f.path_text).push(") = 1");
        }
        JsonTest::Object => {
            w.push("JSON_TYPE(");
            extract(w, f);
            w.push(") = 'OBJECT'");
        }
        // JSON_OVERLAPS looks at the array's own elements only
        // (JSON_CONTAINS would look into nested arrays too).
        JsonTest::Contains => {
            w.push("(JSON_TYPE(");
            extract(w, f);
            w.push(") = 'ARRAY' AND JSON_OVERLAPS(");
            extract(w, f);
            w.push(", ");
            w.param(f.column, f.json).push(") = 1)");
        }
        JsonTest::Cmp(cmp) => {
            w.push("(JSON_TYPE(");
            extract(w, f);
            w.push(") IN ").push(types).push(" AND ");
            match kind(f.value) {
                // Strings by their bytes (no collation, no padding).
                Kind::String => {
                    w.push("CAST(JSON_UNQUOTE(");
                    extract(w, f);
                    w.push(") AS BINARY)").push(op(cmp)).push("CAST(");
                    w.param(f.column, f.value).push(" AS BINARY)");
                }
                // An integer exactly with an integer (as DECIMAL(65,0), which
                // holds every JSON integer); any other pair as doubles, as
                // SQLite compares them.
                Kind::Number if matches!(f.value, Value::I64(_)) => {
                    w.push("(CASE WHEN JSON_TYPE(");
                    extract(w, f);
                    w.push(") IN ('INTEGER', 'UNSIGNED INTEGER') THEN CAST(JSON_UNQUOTE(");
                    extract(w, f);
                    w.push(") AS DECIMAL(65,0))").push(op(cmp));
                    w.param(f.column, f.value).push(" ELSE CAST(JSON_UNQUOTE(");
                    extract(w, f);
                    w.push(") AS DOUBLE)").push(op(cmp));
                    w.param(f.column, f.value).push(" END)");
                }
                Kind::Number => {
                    w.push("CAST(JSON_UNQUOTE(");
                    extract(w, f);
                    w.push(") AS DOUBLE)").push(op(cmp));
                    w.param(f.column, f.value);
                }
                // JSON with JSON (MySQL), or the texts `true` / `false`
                // (MariaDB): false < true.
                Kind::Bool => {
                    extract(w, f);
                    w.push(op(cmp)).push("JSON_EXTRACT(");
                    w.param(f.column, f.json).push(", '$')");
                }
            }
            w.push(")");
        }
        _ => {
            w.push("1 = 0");
        }
    }
}

/// `JSON_EXTRACT("column", $path)`: the value at the path.
fn extract<'v>(w: &mut impl Out<'v>, f: &JsonFilter<'v>) {
    w.push("JSON_EXTRACT(").ident(f.column).push(", ");
    w.param(f.column, f.path_text).push(")");
}

/// A list column holding an element: `$1 = ANY("column")` on PostgreSQL's
/// arrays; a search of the JSON array elsewhere.
pub(crate) fn contains<'v>(
    w: &mut impl Out<'v>,
    column: &'static str,
    value: &'v Value,
    scalar: &'v Value,
    json: &'v Value,
) {
    match w.json_syntax() {
        JsonSyntax::Postgres => {
            w.param(column, value)
                .push(" = ANY(")
                .ident(column)
                .push(")");
        }
        JsonSyntax::MySql => {
            w.push("JSON_OVERLAPS(").ident(column).push(", ");
            w.param(column, json).push(") = 1");
        }
        _ => {
            let types = kind(scalar).sqlite_types();
            w.push("EXISTS (SELECT 1 FROM json_each(").ident(column);
            w.push(") AS e WHERE e.type IN ")
                .push(types)
                .push(" AND e.value = ");
            w.param(column, scalar).push(")");
        }
    }
}

/// `"column" = <the document with each of `sets` applied in turn>`, all
/// sets of one column: `jsonb_set` on PostgreSQL (the path bound as a
/// `text[]`), `JSON_SET` on MySQL, `json_set` on SQLite (the value parsed
/// as JSON, not stored as a string).
pub(crate) fn set_paths<'v>(w: &mut impl Out<'v>, column: &'static str, sets: &[&'v PathSet]) {
    let (open, value_open, value_close) = match w.json_syntax() {
        JsonSyntax::Postgres => ("jsonb_set(", ", ", ", true)"),
        JsonSyntax::MySql => ("JSON_SET(", ", JSON_EXTRACT(", ", '$'))"),
        _ => ("json_set(", ", json(", "))"),
    };
    w.ident(column).push(" = ");
    for _ in sets {
        w.push(open);
    }
    w.ident(column);
    for set in sets {
        w.push(", ");
        match w.json_syntax() {
            JsonSyntax::Postgres => w.param(column, &set.path),
            _ => w.param(column, &set.path_text),
        };
        w.push(value_open)
            .param(column, &set.value)
            .push(value_close);
    }
}
