//! Text matching on `String` columns: `starts_with`, `ends_with`,
//! `contains`, `like`, each also ignoring ASCII case.

use crate::{Column, Entity, Expr, Filter, IndexKind, Unindexed, Value};

/// How an [`Expr::Text`] matches its column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextTest {
    /// The text begins with the value.
    StartsWith,
    /// The text ends with the value.
    EndsWith,
    /// The value occurs in the text.
    Contains,
    /// The text matches the value as a pattern: `%` any run of
    /// characters, `_` one character, `\` before a character that
    /// character itself (`\%`, `\_`, `\\`).
    Like,
}

/// The escape character of the `LIKE` patterns keyway binds (`ESCAPE '!'`):
/// one that needs no escaping in any dialect's string literal.
pub const LIKE_ESCAPE: char = '!';

/// One step of a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Char(char),
    /// `%`: any run of characters, none included.
    Run,
    /// `_`: exactly one character.
    One,
}

fn tokens(test: TextTest, value: &str) -> Vec<Token> {
    let literal = || value.chars().map(Token::Char);
    match test {
        TextTest::StartsWith => literal().chain([Token::Run]).collect(),
        TextTest::EndsWith => [Token::Run].into_iter().chain(literal()).collect(),
        TextTest::Contains => [Token::Run]
            .into_iter()
            .chain(literal())
            .chain([Token::Run])
            .collect(),
        TextTest::Like => {
            let mut out = Vec::new();
            let mut chars = value.chars();
            while let Some(c) = chars.next() {
                out.push(match c {
                    '%' => Token::Run,
                    '_' => Token::One,
                    // A trailing `\` stands for itself.
                    '\\' => Token::Char(chars.next().unwrap_or('\\')),
                    c => Token::Char(c),
                });
            }
            out
        }
    }
}

fn fold(c: char, ignore_case: bool) -> char {
    if ignore_case {
        c.to_ascii_lowercase()
    } else {
        c
    }
}

/// The `LIKE` pattern (escape [`LIKE_ESCAPE`]) of a test: ASCII letters
/// lowered when it ignores case (the column is lowered the same way).
fn like_pattern(tokens: &[Token], ignore_case: bool) -> String {
    let mut out = String::new();
    for t in tokens {
        match *t {
            Token::Run => out.push('%'),
            Token::One => out.push('_'),
            Token::Char(c) => {
                if matches!(c, '%' | '_' | LIKE_ESCAPE) {
                    out.push(LIKE_ESCAPE);
                }
                out.push(fold(c, ignore_case));
            }
        }
    }
    out
}

/// The `GLOB` pattern of a case-sensitive test (SQLite, Turso).
fn glob_pattern(tokens: &[Token]) -> String {
    let mut out = String::new();
    for t in tokens {
        match *t {
            Token::Run => out.push('*'),
            Token::One => out.push('?'),
            Token::Char(c @ ('*' | '?' | '[')) => {
                out.push('[');
                out.push(c);
                out.push(']');
            }
            Token::Char(c) => out.push(c),
        }
    }
    out
}

/// Whether `text` passes the test: what every backend answers, for those
/// that evaluate it on the client (DynamoDB's `ends_with`, `like` and
/// case-insensitive forms).
pub fn text_matches(test: TextTest, value: &str, ignore_case: bool, text: &str) -> bool {
    let pattern = tokens(test, value);
    let text: Vec<char> = text.chars().map(|c| fold(c, ignore_case)).collect();
    // Iterative wildcard matching, backtracking to the last `%` only.
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(Token::Run) => {
                star = Some((p, t));
                p += 1;
            }
            Some(Token::One) => {
                p += 1;
                t += 1;
            }
            Some(Token::Char(c)) if fold(*c, ignore_case) == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|t| *t == Token::Run)
}

/// The condition of a text test on `column`.
pub(crate) fn text_expr(
    column: &'static str,
    test: TextTest,
    value: String,
    ignore_case: bool,
) -> Expr {
    let t = tokens(test, &value);
    Expr::Text {
        column,
        test,
        ignore_case,
        like: Value::Text(like_pattern(&t, ignore_case)),
        glob: Value::Text(glob_pattern(&t)),
        value: Value::Text(value),
    }
}

/// A column of text: `String` or `Option<String>`.
#[diagnostic::on_unimplemented(
    message = "text matching needs a text column, but this column holds `{Self}`",
    label = "not a `String` column",
    note = "`starts_with`, `ends_with`, `like` and their `_ignore_case` forms match `String` and `Option<String>` columns"
)]
pub trait Text: crate::Field {}
impl Text for String {}
impl Text for Option<String> {}

macro_rules! text_methods {
    ($($(#[$doc:meta])* $name:ident, $ci:ident, $test:ident;)*) => {
        impl<E: Entity, T: crate::Field, K: IndexKind> Column<E, T, K> {$(
            $(#[$doc])*
            pub fn $name(self, value: impl Into<String>) -> Filter<E, Unindexed>
            where
                T: Text,
            {
                Filter::new(text_expr(self.name(), TextTest::$test, value.into(), false))
            }

            /// As the method without `_ignore_case`, with ASCII letters
            /// matching either case on every backend (other letters match
            /// only themselves).
            pub fn $ci(self, value: impl Into<String>) -> Filter<E, Unindexed>
            where
                T: Text,
            {
                Filter::new(text_expr(self.name(), TextTest::$test, value.into(), true))
            }
        )*}
    };
}

text_methods! {
    /// The text begins with `value` (an [`Unindexed`] filter, case
    /// sensitive). On DynamoDB, on a sort key beside its partition key's
    /// `eq`, it is the key condition's `begins_with`.
    ///
    /// ```
    /// # mod model { include!("../examples/todo/model/user.rs"); include!("../examples/todo/model/todo.rs"); include!("../examples/todo/model/relations.rs"); }
    /// # use model::{Todo, User};
    /// use keyway::prelude::*;
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> keyway::Result<()> {
    /// # let db = keyway_sqlite::Sqlite::memory().await?;
    /// # db.create_schema::<(User, Todo)>().await?;
    /// let ann = db.insert(&User::new("Ann", "ann@example.com")).await?;
    /// db.insert_many(&[Todo::new(ann, "Fix the roof", 1), Todo::new(ann, "fix 100% of bugs", 2)]).await?;
    /// assert_eq!(db.count(Todo::query().filter(Todo::TITLE.starts_with("fix"))).await?, 1);
    /// assert_eq!(db.count(Todo::query().filter(Todo::TITLE.starts_with_ignore_case("fix"))).await?, 2);
    /// assert_eq!(db.count(Todo::query().filter(Todo::TITLE.contains("100%"))).await?, 1);
    /// assert_eq!(db.count(Todo::query().filter(Todo::TITLE.like(r"%100\% of _ugs"))).await?, 1);
    /// # Ok(()) }
    /// ```
    starts_with, starts_with_ignore_case, StartsWith;
    /// The text ends with `value` (an [`Unindexed`] filter, case sensitive).
    ends_with, ends_with_ignore_case, EndsWith;
    /// The text matches the pattern `value` (an [`Unindexed`] filter, case
    /// sensitive): `%` stands for any run of characters, `_` for one
    /// character, and `\` before a character for that character itself
    /// (`\%`, `\_`, `\\`). keyway binds it with its own escape, so no
    /// character in it reaches the database unescaped.
    like, like_ignore_case, Like;
}

impl<E: Entity, T: crate::Field, K: IndexKind> Column<E, T, K> {
    /// `value` occurs in the text, ASCII letters matching either case
    /// (the case-sensitive form is [`contains`](Column::contains)).
    pub fn contains_ignore_case(self, value: impl Into<String>) -> Filter<E, Unindexed>
    where
        T: Text,
    {
        Filter::new(text_expr(
            self.name(),
            TextTest::Contains,
            value.into(),
            true,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_escape_every_special_character() {
        let t = tokens(TextTest::Contains, "50%_off!*[x]?");
        assert_eq!(like_pattern(&t, false), "%50!%!_off!!*[x]?%");
        assert_eq!(glob_pattern(&t), "*50%_off![*][[]x][?]*");
        let t = tokens(TextTest::Like, r"a\%b_c%\\d\");
        assert_eq!(like_pattern(&t, true), r"a!%b_c%\d\");
    }

    #[test]
    fn matching_agrees_with_like() {
        let m = |test, v, ci, text| text_matches(test, v, ci, text);
        assert!(m(TextTest::StartsWith, "fix", false, "fix it"));
        assert!(!m(TextTest::StartsWith, "fix", false, "Fix it"));
        assert!(m(TextTest::StartsWith, "fix", true, "FIX it"));
        assert!(m(TextTest::EndsWith, "%", false, "100%"));
        assert!(!m(TextTest::EndsWith, "%", false, "100"));
        assert!(m(TextTest::Contains, "", false, ""));
        assert!(m(TextTest::Like, "a_c%", false, "abcdef"));
        assert!(!m(TextTest::Like, "a_c", false, "ac"));
        assert!(m(TextTest::Like, r"100\%", false, "100%"));
        assert!(!m(TextTest::Like, r"100\%", false, "1000"));
        assert!(m(TextTest::Like, "%a%b%", false, "xxaxxbxx"));
        assert!(!m(TextTest::Contains, "É", true, "é"), "only ASCII folds");
        assert!(
            m(TextTest::Like, "_", false, "é"),
            "one character, not one byte"
        );
    }
}
