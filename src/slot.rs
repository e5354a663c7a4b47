//! Distinct relation slots: two relations included in one query must have
//! different `Relation::Slot` numbers, checked where the second is included.

use typenum::{IsNotEqual, NonZero, NotEq};

use crate::{Include, Includes, NoIncludes, Relation};

/// Include-list entry `Self` and relation `R` have different slots, so both
/// can be included in one query.
#[diagnostic::on_unimplemented(
    message = "relations `{R}` and `{Self}` of one entity share one `Slot`",
    label = "`{R}` is included twice, or has the same `Slot` as a relation already included",
    note = "give every relation of an entity its own `type Slot` (`keyway::typenum::U0`, `U1`, ...), and include each relation once"
)]
pub trait DistinctSlot<R: Relation> {}

#[diagnostic::do_not_recommend]
impl<R, R2, N, O> DistinctSlot<R> for Include<R2, N, O>
where
    R: Relation,
    R2: Relation,
    R2::Slot: IsNotEqual<R::Slot>,
    NotEq<R2::Slot, R::Slot>: NonZero,
{
}

/// No relation of include list `Self` has the slot of relation `R`: the
/// bound of `.include(..)`.
pub trait SlotFree<R: Relation> {}

impl<R: Relation> SlotFree<R> for NoIncludes {}

impl<R: Relation, H: DistinctSlot<R>, T: SlotFree<R>> SlotFree<R> for Includes<H, T> {}
