//! Text matching (`Expr::Text`) per dialect. A case-sensitive match is
//! `GLOB` on SQLite and Turso (whose `LIKE` ignores ASCII case) and `LIKE`
//! elsewhere (MySQL's tables are `utf8mb4_bin`). A match ignoring case
//! lowers ASCII letters only, on both sides, on every dialect: SQLite's
//! own `LIKE`, `translate` on PostgreSQL, `REPLACE` per letter on MySQL
//! (whose `LOWER` would fold other letters too).

use keyway::Value;

use crate::JsonSyntax;
use crate::out::Out;

const UPPER: &str = "'ABCDEFGHIJKLMNOPQRSTUVWXYZ'";
const LOWER: &str = "'abcdefghijklmnopqrstuvwxyz'";

/// `REPLACE(` once per ASCII capital, then `, 'A', 'a')` for each.
const MYSQL_OPEN: &str = "REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(";
const MYSQL_CLOSE: &str = ", 'A', 'a'), 'B', 'b'), 'C', 'c'), 'D', 'd'), 'E', 'e'), 'F', 'f'), 'G', 'g'), 'H', 'h'), 'I', 'i'), 'J', 'j'), 'K', 'k'), 'L', 'l'), 'M', 'm'), 'N', 'n'), 'O', 'o'), 'P', 'p'), 'Q', 'q'), 'R', 'r'), 'S', 's'), 'T', 't'), 'U', 'u'), 'V', 'v'), 'W', 'w'), 'X', 'x'), 'Y', 'y'), 'Z', 'z')";

/// Writes the match of `column` against `like` (a `LIKE` pattern with
/// escape `!`, lowered when ignoring case) or `glob`.
pub(crate) fn write<'v>(
    w: &mut impl Out<'v>,
    column: &'static str,
    ignore_case: bool,
    like: &'v Value,
    glob: &'v Value,
) {
    let syntax = w.json_syntax();
    match (syntax, ignore_case) {
        (JsonSyntax::Sqlite, false) => {
            w.ident(column).push(" GLOB ").param(column, glob);
            return;
        }
        (JsonSyntax::Sqlite, true) | (_, false) => {
            w.ident(column);
        }
        (JsonSyntax::Postgres, true) => {
            w.push("translate(")
                .ident(column)
                .push(", ")
                .push(UPPER)
                .push(", ")
                .push(LOWER)
                .push(")");
        }
        (JsonSyntax::MySql, true) => {
            w.push(MYSQL_OPEN).ident(column).push(MYSQL_CLOSE);
        }
    }
    w.push(" LIKE ").param(column, like).push(" ESCAPE '!'");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mysql_folds_each_capital_once() {
        assert_eq!(MYSQL_OPEN.matches("REPLACE(").count(), 26);
        for (u, l) in UPPER
            .trim_matches('\'')
            .chars()
            .zip(LOWER.trim_matches('\'').chars())
        {
            assert!(MYSQL_CLOSE.contains(&format!("'{u}', '{l}')")));
        }
    }
}
