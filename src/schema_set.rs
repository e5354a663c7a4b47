//! Sets of entities whose tables are created or dropped together.

use crate::{Entity, Key, TableDef};

/// One entity, or a tuple of up to twelve, for `Db::create_schema` /
/// `Db::drop_schema`. Tables are created in the order given and dropped in
/// reverse, so list parents before children.
pub trait Schema {
    /// The tables, each with its key arity.
    fn tables() -> Vec<(TableDef, usize)>;
}

impl<E: Entity> Schema for E {
    fn tables() -> Vec<(TableDef, usize)> {
        vec![(TableDef::of::<E>(), <E::Key as Key>::ARITY)]
    }
}

macro_rules! tuple_schema {
    ($($e:ident),+) => {
        impl<$($e: Entity),+> Schema for ($($e,)+) {
            fn tables() -> Vec<(TableDef, usize)> {
                vec![$((TableDef::of::<$e>(), <$e::Key as Key>::ARITY)),+]
            }
        }
    };
}

tuple_schema!(A);
tuple_schema!(A, B);
tuple_schema!(A, B, C);
tuple_schema!(A, B, C, D);
tuple_schema!(A, B, C, D, F);
tuple_schema!(A, B, C, D, F, G);
tuple_schema!(A, B, C, D, F, G, H);
tuple_schema!(A, B, C, D, F, G, H, I);
tuple_schema!(A, B, C, D, F, G, H, I, J);
tuple_schema!(A, B, C, D, F, G, H, I, J, K);
tuple_schema!(A, B, C, D, F, G, H, I, J, K, L);
tuple_schema!(A, B, C, D, F, G, H, I, J, K, L, M);
