//! Filters: a backend-neutral condition tree whose type carries its access path.

use crate::Marker;
use std::marker::PhantomData;

use crate::{Access, AndAccess, Entity, NotAccess, OrAccess, Value};

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CmpOp {
    /// `=`
    Eq,
    /// `<>`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// What an [`Expr::Json`] tests at its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum JsonTest {
    /// The value there is of the scalar's kind (string, number, boolean)
    /// and compares so with it.
    Cmp(CmpOp),
    /// The path is present (its value may be JSON `null`).
    Exists,
    /// The value there is an array holding the scalar.
    Contains,
    /// The value there is a JSON object (an empty path: the document is):
    /// the guard of an update of one path inside a document.
    Object,
}

/// The condition tree a backend lowers. Column names come from the entity's
/// declaration; values are always bound, never spliced into text.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// `column op value`
    Cmp {
        /// The column.
        column: &'static str,
        /// The operator.
        op: CmpOp,
        /// The bound value.
        value: Value,
    },
    /// `column IN (values)`
    InList {
        /// The column.
        column: &'static str,
        /// The bound values (empty matches nothing).
        values: Vec<Value>,
    },
    /// `column IS [NOT] NULL`
    IsNull {
        /// The column.
        column: &'static str,
        /// `IS NOT NULL` when true.
        negated: bool,
    },
    /// A test on the value at a path inside a JSON document column
    /// (built by `Column::path`, with the `json` feature).
    Json {
        /// The document column.
        column: &'static str,
        /// The keys from the document's root, each a [`Value::Text`] (a key
        /// no backend can address is a [`Value::Unencodable`], refused).
        path: Vec<Value>,
        /// The path as SQLite and MySQL write it (`$."a"."b"`), bound as
        /// text.
        path_text: Value,
        /// What is tested there.
        test: JsonTest,
        /// The scalar compared or looked for: [`Value::Text`],
        /// [`Value::I64`], [`Value::F64`] or [`Value::Bool`]
        /// ([`Value::Null`] for [`JsonTest::Exists`]).
        value: Value,
        /// `value` as a JSON document ([`Value::Json`]), for backends that
        /// compare JSON with JSON.
        json: Value,
    },
    /// The list column holds `value` (built by
    /// [`Column::contains`](crate::Column::contains) on a `Vec<T>` column).
    Contains {
        /// The list column.
        column: &'static str,
        /// The element looked for.
        value: Value,
        /// The element as a JSON array on SQLite and MySQL holds it
        /// (`json_each`'s value): text, an integer, a float or a boolean.
        scalar: Value,
        /// The element's JSON text ([`Value::Json`]), for `JSON_CONTAINS`.
        json: Value,
    },
    /// A text column matched against a value (built by `starts_with`,
    /// `ends_with`, `contains`, `like` and their `_ignore_case` forms).
    Text {
        /// The text column.
        column: &'static str,
        /// How it is matched.
        test: crate::TextTest,
        /// Whether ASCII letters match either case.
        ignore_case: bool,
        /// The value as given ([`Value::Text`]): the text looked for, or
        /// the pattern of [`TextTest::Like`](crate::TextTest::Like).
        value: Value,
        /// The test as a `LIKE` pattern with escape
        /// [`LIKE_ESCAPE`](crate::LIKE_ESCAPE), its ASCII letters lowered
        /// when it ignores case.
        like: Value,
        /// The test as a case-sensitive `GLOB` pattern (SQLite, Turso).
        glob: Value,
    },
    /// An aggregate compared with a value: a condition on groups
    /// (`HAVING`), built from [`count`](crate::count), [`sum`](crate::sum),
    /// ...
    Aggregate {
        /// The aggregate.
        agg: crate::Aggregate,
        /// The operator.
        op: CmpOp,
        /// The bound value.
        value: Value,
    },
    /// A test on the rows of another table linked to the row tested
    /// (built by [`RelationFilter`](crate::RelationFilter): `any`, `none`,
    /// `all`, `is`): an `EXISTS` subquery on SQL.
    Linked(Box<Linked>),
    /// Every condition holds.
    And(Vec<Expr>),
    /// At least one condition holds.
    Or(Vec<Expr>),
    /// The condition does not hold.
    Not(Box<Expr>),
}

/// Which linked rows an [`Expr::Linked`] asks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Quantifier {
    /// At least one linked row matches the filter.
    Any,
    /// No linked row fails the filter (a row with none linked passes).
    All,
}

/// The rows of `table` whose `column` equals the tested row's `outer`
/// column, and what [`Expr::Linked`] asks of them.
#[derive(Debug, Clone, PartialEq)]
pub struct Linked {
    /// The linked table.
    pub table: crate::TableDef,
    /// Its column holding the link's value.
    pub column: &'static str,
    /// The tested row's column holding it.
    pub outer: &'static str,
    /// Which rows of the table count as linked at all (soft-deleted rows
    /// do not): `None` for every row.
    pub rows: Option<Expr>,
    /// What a linked row is asked to hold.
    pub filter: Expr,
    /// Whether some or every linked row must hold it.
    pub quantifier: Quantifier,
}

impl Expr {
    /// Whether the tree tests linked rows anywhere ([`Expr::Linked`]).
    pub fn has_linked(&self) -> bool {
        match self {
            Expr::Linked(_) => true,
            Expr::And(parts) | Expr::Or(parts) => parts.iter().any(Expr::has_linked),
            Expr::Not(inner) => inner.has_linked(),
            _ => false,
        }
    }

    fn join(self, other: Expr, and: bool) -> Expr {
        match (self, other, and) {
            (Expr::And(mut a), Expr::And(b), true) | (Expr::Or(mut a), Expr::Or(b), false) => {
                a.extend(b);
                if and { Expr::And(a) } else { Expr::Or(a) }
            }
            (Expr::And(mut a), b, true) | (Expr::Or(mut a), b, false) => {
                a.push(b);
                if and { Expr::And(a) } else { Expr::Or(a) }
            }
            (a, b, true) => Expr::And(vec![a, b]),
            (a, b, false) => Expr::Or(vec![a, b]),
        }
    }

    /// `self AND other`, flattening nested conjunctions.
    pub fn and(self, other: Expr) -> Expr {
        self.join(other, true)
    }

    /// `self OR other`, flattening nested disjunctions.
    pub fn or(self, other: Expr) -> Expr {
        self.join(other, false)
    }

    /// `a AND b` where either may be absent: the one there is, or none.
    pub fn both(a: Option<Expr>, b: Option<Expr>) -> Option<Expr> {
        match (a, b) {
            (Some(a), Some(b)) => Some(a.and(b)),
            (a, b) => a.or(b),
        }
    }
}

/// A condition on rows of `E` whose access path is `A`.
///
/// ```
/// # mod model { include!("../examples/todo/model/user.rs"); }
/// use keyway::{Filter, Indexed, Unindexed};
/// use model::User;
/// let by_email: Filter<User, Indexed> = User::EMAIL.eq("ann@example.com");
/// let by_name: Filter<User, Unindexed> = User::NAME.eq("Ann");
/// let both: Filter<User, Indexed> = by_email.and(by_name);
/// # let _ = both;
/// ```
pub struct Filter<E, A> {
    expr: Expr,
    _marker: Marker<(E, A)>,
}

impl<E, A> Clone for Filter<E, A> {
    fn clone(&self) -> Self {
        Filter::new(self.expr.clone())
    }
}

impl<E, A> std::fmt::Debug for Filter<E, A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.expr.fmt(f)
    }
}

impl<E, A> Filter<E, A> {
    pub(crate) fn new(expr: Expr) -> Self {
        Filter {
            expr,
            _marker: PhantomData,
        }
    }

    /// The condition tree.
    pub fn expr(&self) -> &Expr {
        &self.expr
    }

    /// Takes the condition tree.
    pub fn into_expr(self) -> Expr {
        self.expr
    }
}

impl<E: Entity, A: Access> Filter<E, A> {
    /// Both conditions: indexed if either side is.
    pub fn and<B: Access>(self, other: Filter<E, B>) -> Filter<E, <A as AndAccess<B>>::Output>
    where
        A: AndAccess<B>,
    {
        Filter::new(self.expr.and(other.expr))
    }

    /// Either condition: indexed only if both sides are.
    pub fn or<B: Access>(self, other: Filter<E, B>) -> Filter<E, <A as OrAccess<B>>::Output>
    where
        A: OrAccess<B>,
    {
        Filter::new(self.expr.or(other.expr))
    }

    /// The negated condition (never indexed; still [`Joined`](crate::Joined)
    /// if it was).
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Filter<E, A::Output>
    where
        A: NotAccess,
    {
        Filter::new(Expr::Not(Box::new(self.expr)))
    }
}

/// A filter usable on a query over entity `E`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot filter a query over `{E}`",
    label = "this filter is built from another entity's columns",
    note = "build the filter from `{E}`'s own column handles, or query the other entity"
)]
pub trait FilterFor<E> {
    /// The filter's access path.
    type Access: Access;
    /// Takes the condition tree.
    fn into_expr(self) -> Expr;
}

impl<E: Entity, A: Access> FilterFor<E> for Filter<E, A> {
    type Access = A;
    fn into_expr(self) -> Expr {
        self.expr
    }
}
