//! The fixed OIDs of the PostgreSQL types keyway binds and reads.

pub(crate) const UNSPECIFIED: u32 = 0;
pub(crate) const BOOL: u32 = 16;
pub(crate) const BYTEA: u32 = 17;
pub(crate) const NAME: u32 = 19;
pub(crate) const INT8: u32 = 20;
pub(crate) const INT2: u32 = 21;
pub(crate) const INT4: u32 = 23;
pub(crate) const TEXT: u32 = 25;
pub(crate) const FLOAT4: u32 = 700;
pub(crate) const FLOAT8: u32 = 701;
pub(crate) const BPCHAR: u32 = 1042;
pub(crate) const VARCHAR: u32 = 1043;
pub(crate) const NUMERIC: u32 = 1700;

/// Each element type keyway binds, and its array type.
const ARRAYS: [(u32, u32); 9] = [
    (BOOL, 1000),
    (BYTEA, 1001),
    (INT2, 1005),
    (INT4, 1007),
    (TEXT, 1009),
    (INT8, 1016),
    (FLOAT4, 1021),
    (FLOAT8, 1022),
    (NUMERIC, 1231),
];

/// The array type of `element`.
pub(crate) fn array_of(element: u32) -> Option<u32> {
    ARRAYS.iter().find(|(e, _)| *e == element).map(|(_, a)| *a)
}

/// The element type of array type `array`.
pub(crate) fn element_of(array: u32) -> Option<u32> {
    ARRAYS.iter().find(|(_, a)| *a == array).map(|(e, _)| *e)
}
