//! Typed projections: `.select((A, B))` yields `(A's type, B's type)`.

use crate::{Column, Entity, Field, IndexKind, Result, ValueReader};

/// One column, or a tuple of up to eight columns, of entity `E`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a projection of `{E}`",
    label = "select a column of `{E}`, or a tuple of them",
    note = "every column in `.select(..)` must belong to the queried entity; tuples hold up to 8 columns"
)]
pub trait Projection<E>: Send + 'static {
    /// The Rust value each row becomes.
    type Output: Send + Sync + 'static;
    /// The selected column names, in order.
    fn columns(&self) -> Vec<&'static str>;
    /// Reads one row's selected values.
    fn read(row: &mut impl ValueReader) -> Result<Self::Output>;
}

impl<E: Entity, T: Field, K: IndexKind> Projection<E> for Column<E, T, K> {
    type Output = T;
    fn columns(&self) -> Vec<&'static str> {
        vec![self.name()]
    }
    fn read(row: &mut impl ValueReader) -> Result<T> {
        row.get()
    }
}

macro_rules! tuple_projection {
    ($($c:ident . $i:tt),+) => {
        impl<E: Entity, $($c: Projection<E>),+> Projection<E> for ($($c,)+) {
            type Output = ($($c::Output,)+);
            fn columns(&self) -> Vec<&'static str> {
                let mut out = Vec::new();
                $(out.extend(self.$i.columns());)+
                out
            }
            fn read(row: &mut impl ValueReader) -> Result<Self::Output> {
                Ok(($($c::read(row)?,)+))
            }
        }
    };
}

tuple_projection!(A.0);
tuple_projection!(A.0, B.1);
tuple_projection!(A.0, B.1, C.2);
tuple_projection!(A.0, B.1, C.2, D.3);
tuple_projection!(A.0, B.1, C.2, D.3, F.4);
tuple_projection!(A.0, B.1, C.2, D.3, F.4, G.5);
tuple_projection!(A.0, B.1, C.2, D.3, F.4, G.5, H.6);
tuple_projection!(A.0, B.1, C.2, D.3, F.4, G.5, H.6, I.7);
