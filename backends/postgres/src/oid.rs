//! The PostgreSQL types keyway binds and reads, and their array types.

use tokio_postgres::types::{Kind, Type};

/// Each element type keyway binds, and its array type.
const ARRAYS: [(Type, Type); 16] = [
    (Type::BOOL, Type::BOOL_ARRAY),
    (Type::BYTEA, Type::BYTEA_ARRAY),
    (Type::INT2, Type::INT2_ARRAY),
    (Type::INT4, Type::INT4_ARRAY),
    (Type::TEXT, Type::TEXT_ARRAY),
    (Type::INT8, Type::INT8_ARRAY),
    (Type::FLOAT4, Type::FLOAT4_ARRAY),
    (Type::FLOAT8, Type::FLOAT8_ARRAY),
    (Type::NUMERIC, Type::NUMERIC_ARRAY),
    (Type::TIMESTAMPTZ, Type::TIMESTAMPTZ_ARRAY),
    (Type::TIMESTAMP, Type::TIMESTAMP_ARRAY),
    (Type::DATE, Type::DATE_ARRAY),
    (Type::TIME, Type::TIME_ARRAY),
    (Type::UUID, Type::UUID_ARRAY),
    (Type::JSONB, Type::JSONB_ARRAY),
    (Type::JSON, Type::JSON_ARRAY),
];

/// The array type of `element`.
pub(crate) fn array_of(element: &Type) -> Option<Type> {
    ARRAYS
        .iter()
        .find(|(e, _)| e == element)
        .map(|(_, a)| a.clone())
}

/// The element type of array type `array`.
pub(crate) fn element_of(array: &Type) -> Option<Type> {
    ARRAYS
        .iter()
        .find(|(_, a)| a == array)
        .map(|(e, _)| e.clone())
}

/// A parameter whose type the server infers (OID 0), for raw SQL's NULLs.
pub(crate) fn unspecified() -> Type {
    Type::new("unspecified".into(), 0, Kind::Pseudo, "pg_catalog".into())
}

/// Whether a type OID is one of the text types: text, varchar, bpchar, name.
#[inline]
pub(crate) fn is_text(oid: u32) -> bool {
    // text, varchar, bpchar, name: fixed OIDs.
    matches!(oid, 25 | 1043 | 1042 | 19)
}

/// Whether a type OID is one of the array types keyway reads.
pub(crate) fn is_array(oid: u32) -> bool {
    ARRAYS.iter().any(|(_, a)| a.oid() == oid) || oid == Type::VARCHAR_ARRAY.oid()
}
