//! Aggregates: `count()`, `count_distinct(c)`, `sum(c)`, `min(c)`,
//! `max(c)`, `avg(c)`, selected alone or per group
//! (`query.group_by(..).select(..)`), with `having` conditions on them.

use crate::{CmpOp, Column, ColumnType, Entity, Expr, Field, IndexKind, Result, Value};
use crate::{Marker, ValueReader};
use std::marker::PhantomData;

/// An aggregate function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AggFunc {
    /// `COUNT(*)`, or `COUNT(column)`: the rows, or the non-NULL values.
    Count,
    /// `COUNT(DISTINCT column)`.
    CountDistinct,
    /// `SUM(column)`: NULL over no value.
    Sum,
    /// `MIN(column)`.
    Min,
    /// `MAX(column)`.
    Max,
    /// `AVG(column)`, as a float.
    Avg,
}

/// An aggregate over a column (or over the rows, for `count()`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Aggregate {
    /// The function.
    pub func: AggFunc,
    /// The column aggregated; `None` for `COUNT(*)`.
    pub column: Option<&'static str>,
    /// The column's type (`I64` for `COUNT(*)`): backends cast a sum of
    /// integers and an average to the type keyway reads.
    pub ty: ColumnType,
}

/// One value a grouped read returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SelectItem {
    /// A grouped column.
    Column(&'static str),
    /// An aggregate.
    Aggregate(Aggregate),
}

/// What an aggregating read returns and how it groups.
#[derive(Debug, Clone, PartialEq)]
pub struct Aggregation {
    /// The values of each row, in order.
    pub items: Vec<SelectItem>,
    /// The columns grouped by (none: one row for the whole table).
    pub group_by: Vec<&'static str>,
    /// The condition on each group (`HAVING`), of [`Expr::Aggregate`]s
    /// and grouped columns.
    pub having: Option<Expr>,
}

impl Aggregation {
    /// [`Error::Invalid`](crate::Error::Invalid) for a column selected
    /// but neither grouped nor aggregated.
    pub fn check(&self, entity: &'static str) -> Result<()> {
        for item in &self.items {
            if let SelectItem::Column(c) = item
                && !self.group_by.contains(c)
            {
                return Err(crate::Error::Invalid {
                    what: "aggregate",
                    detail: format!(
                        "`{entity}.{c}` is selected but neither grouped nor aggregated: \
                         add it to `group_by`, or select an aggregate of it"
                    ),
                });
            }
        }
        Ok(())
    }
}

/// An aggregate of entity `E` whose value reads as `Out`.
pub struct Agg<E, Out> {
    agg: Aggregate,
    _marker: Marker<(E, Out)>,
}

impl<E, Out> Clone for Agg<E, Out> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<E, Out> Copy for Agg<E, Out> {}

impl<E, Out> std::fmt::Debug for Agg<E, Out> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.agg.fmt(f)
    }
}

impl<E, Out> Agg<E, Out> {
    const fn new(func: AggFunc, column: Option<&'static str>, ty: ColumnType) -> Self {
        Agg {
            agg: Aggregate { func, column, ty },
            _marker: PhantomData,
        }
    }

    /// The aggregate.
    pub fn aggregate(&self) -> Aggregate {
        self.agg
    }
}

/// `count()`: the number of rows (of a group), an `i64` (`COUNT(*)`).
/// Its entity is the query's, inferred where it is used.
pub fn count<E>() -> Agg<E, i64> {
    Agg::new(AggFunc::Count, None, ColumnType::I64)
}

/// The number of distinct non-NULL values of `column` (an `i64`).
pub fn count_distinct<E, T: Field, K: IndexKind>(column: Column<E, T, K>) -> Agg<E, i64> {
    Agg::new(AggFunc::CountDistinct, Some(column.name()), T::TYPE)
}

/// A column type `sum` adds up, and the type of its sum (`None` over no
/// value): `Option<i64>` for integers, `Option<f64>` for floats. (Decimals
/// are not summed yet: SQLite would add them as floats.)
#[diagnostic::on_unimplemented(
    message = "`sum` and `avg` add numbers, but this column holds `{Self}`",
    label = "not a number column",
    note = "sum an integer or float column (or an `Option` of one)"
)]
pub trait Summable: Field {
    /// What the sum reads as.
    type Sum: Field;
}

macro_rules! summable {
    ($($t:ty => $s:ty),* $(,)?) => {$(
        impl Summable for $t { type Sum = Option<$s>; }
        impl Summable for Option<$t> { type Sum = Option<$s>; }
    )*};
}
summable!(i8 => i64, i16 => i64, i32 => i64, i64 => i64, u8 => i64, u16 => i64, u32 => i64, f32 => f64, f64 => f64);

/// The sum of `column`'s values; `None` for a group without a value. An
/// integer sum beyond `i64` is an error, never a wrapped number.
pub fn sum<E, T: Summable, K: IndexKind>(column: Column<E, T, K>) -> Agg<E, T::Sum> {
    Agg::new(AggFunc::Sum, Some(column.name()), T::TYPE)
}

/// The mean of `column`'s values as a float; `None` for a group without a
/// value.
pub fn avg<E, T: Summable, K: IndexKind>(column: Column<E, T, K>) -> Agg<E, Option<f64>> {
    Agg::new(AggFunc::Avg, Some(column.name()), T::TYPE)
}

/// A column type `min` and `max` compare: integers, floats, text and
/// instants (`jiff::Timestamp`, `chrono::DateTime<Utc>`), and `Option`s of
/// them. The extreme reads as `Option` of the plain type.
#[diagnostic::on_unimplemented(
    message = "`min` and `max` compare values, but this column holds `{Self}`",
    label = "not an ordered column",
    note = "take the extreme of an integer, float, text or timestamp column (or an `Option` of one)"
)]
pub trait Ordered: Field {
    /// What the extreme reads as.
    type Extreme: Field;
}

macro_rules! ordered {
    ($($t:ty),* $(,)?) => {$(
        impl Ordered for $t { type Extreme = Option<$t>; }
        impl Ordered for Option<$t> { type Extreme = Option<$t>; }
    )*};
}
ordered!(i8, i16, i32, i64, u8, u16, u32, f32, f64, String);
#[cfg(feature = "jiff")]
ordered!(jiff::Timestamp);
#[cfg(feature = "chrono")]
ordered!(chrono::DateTime<chrono::Utc>);

/// The smallest of `column`'s values; `None` for a group without a value.
pub fn min<E, T: Ordered, K: IndexKind>(column: Column<E, T, K>) -> Agg<E, T::Extreme> {
    Agg::new(AggFunc::Min, Some(column.name()), T::TYPE)
}

/// The largest of `column`'s values; `None` for a group without a value.
pub fn max<E, T: Ordered, K: IndexKind>(column: Column<E, T, K>) -> Agg<E, T::Extreme> {
    Agg::new(AggFunc::Max, Some(column.name()), T::TYPE)
}

/// A condition on groups (`HAVING`), built from an aggregate:
/// `count().gt(1)`, `sum(Todo::PRIORITY).ge(10)`. Combine with `and`, `or`,
/// `not`.
#[derive(Debug, Clone, PartialEq)]
pub struct Having<E> {
    expr: Expr,
    _marker: Marker<E>,
}

impl<E> Having<E> {
    fn new(expr: Expr) -> Self {
        Having {
            expr,
            _marker: PhantomData,
        }
    }

    /// Both conditions.
    pub fn and(self, other: Having<E>) -> Having<E> {
        Having::new(self.expr.and(other.expr))
    }

    /// Either condition.
    pub fn or(self, other: Having<E>) -> Having<E> {
        Having::new(self.expr.or(other.expr))
    }

    /// The negated condition.
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Having<E> {
        Having::new(Expr::Not(Box::new(self.expr)))
    }

    /// The condition tree.
    pub fn into_expr(self) -> Expr {
        self.expr
    }
}

fn compare(agg: Aggregate, op: CmpOp, value: Value) -> Expr {
    Expr::Aggregate { agg, op, value }
}

macro_rules! comparisons {
    ($($(#[$doc:meta])* $name:ident => $op:ident;)*) => {
        impl<E, Out: Field> Agg<E, Out> {$(
            $(#[$doc])*
            pub fn $name(self, value: impl crate::ValueFor<Out>) -> Having<E> {
                Having::new(compare(self.agg, CmpOp::$op, value.into_value()))
            }
        )*}

    };
}

comparisons! {
    /// The aggregate equals `value`.
    eq => Eq;
    /// The aggregate differs from `value`.
    ne => Ne;
    /// The aggregate is below `value`.
    lt => Lt;
    /// The aggregate is at most `value`.
    le => Le;
    /// The aggregate is above `value`.
    gt => Gt;
    /// The aggregate is at least `value`.
    ge => Ge;
}

/// What an aggregating read selects: a grouped column, an aggregate, or a
/// tuple of up to eight of them, each read as its Rust type.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be selected from the groups of `{E}`",
    label = "select grouped columns of `{E}` and aggregates (`count()`, `sum(..)`, ...)",
    note = "tuples hold up to 8 items; every column selected must also be in `group_by`"
)]
pub trait Aggregates<E>: Send + 'static {
    /// The Rust value each row becomes.
    type Output: Send + Sync + 'static;
    /// The items selected, in order.
    fn items(&self) -> Vec<SelectItem>;
    /// Reads one row's values.
    fn read(row: &mut impl ValueReader) -> Result<Self::Output>;
}

impl<E: Entity, T: Field, K: IndexKind> Aggregates<E> for Column<E, T, K> {
    type Output = T;
    fn items(&self) -> Vec<SelectItem> {
        vec![SelectItem::Column(self.name())]
    }
    fn read(row: &mut impl ValueReader) -> Result<T> {
        row.get()
    }
}

impl<E: Entity, Out: Field> Aggregates<E> for Agg<E, Out> {
    type Output = Out;
    fn items(&self) -> Vec<SelectItem> {
        vec![SelectItem::Aggregate(self.agg)]
    }
    fn read(row: &mut impl ValueReader) -> Result<Out> {
        row.get()
    }
}

macro_rules! tuple_aggregates {
    ($($c:ident . $i:tt),+) => {
        impl<E: Entity, $($c: Aggregates<E>),+> Aggregates<E> for ($($c,)+) {
            type Output = ($($c::Output,)+);
            fn items(&self) -> Vec<SelectItem> {
                let mut out = Vec::new();
                $(out.extend(self.$i.items());)+
                out
            }
            fn read(row: &mut impl ValueReader) -> Result<Self::Output> {
                Ok(($($c::read(row)?,)+))
            }
        }
    };
}

tuple_aggregates!(A.0);
tuple_aggregates!(A.0, B.1);
tuple_aggregates!(A.0, B.1, C.2);
tuple_aggregates!(A.0, B.1, C.2, D.3);
tuple_aggregates!(A.0, B.1, C.2, D.3, F.4);
tuple_aggregates!(A.0, B.1, C.2, D.3, F.4, G.5);
tuple_aggregates!(A.0, B.1, C.2, D.3, F.4, G.5, H.6);
tuple_aggregates!(A.0, B.1, C.2, D.3, F.4, G.5, H.6, I.7);

/// Columns a query groups by: one column, or a tuple of up to four.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot group a query over `{E}`",
    label = "group by a column of `{E}`, or a tuple of them",
    note = "tuples hold up to 4 columns"
)]
pub trait GroupBy<E> {
    /// The column names.
    fn columns(&self) -> Vec<&'static str>;
}

impl<E: Entity, T: Field, K: IndexKind> GroupBy<E> for Column<E, T, K> {
    fn columns(&self) -> Vec<&'static str> {
        vec![self.name()]
    }
}

macro_rules! tuple_group {
    ($($c:ident . $i:tt),+) => {
        impl<E: Entity, $($c: GroupBy<E>),+> GroupBy<E> for ($($c,)+) {
            fn columns(&self) -> Vec<&'static str> {
                let mut out = Vec::new();
                $(out.extend(self.$i.columns());)+
                out
            }
        }
    };
}

tuple_group!(A.0);
tuple_group!(A.0, B.1);
tuple_group!(A.0, B.1, C.2);
tuple_group!(A.0, B.1, C.2, D.3);
