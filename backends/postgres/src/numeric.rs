//! `u64` as PostgreSQL `NUMERIC(20)`: the binary wire format, by hand, so that
//! every `u64` is stored exactly without a decimal crate.

use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::postgres::types::Oid;
use sqlx::postgres::{PgArgumentBuffer, PgTypeInfo, PgValueFormat, PgValueRef};
use sqlx::{Decode, Encode, Postgres, Type};

/// The `numeric` type's OID (fixed in every PostgreSQL installation).
const NUMERIC: Oid = Oid(1700);
const POSITIVE: u16 = 0x0000;
const NEGATIVE: u16 = 0x4000;

/// A `u64` bound to or read from a `NUMERIC` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PgU64(pub(crate) u64);

impl Type<Postgres> for PgU64 {
    fn type_info() -> PgTypeInfo {
        PgTypeInfo::with_oid(NUMERIC)
    }
}

impl Encode<'_, Postgres> for PgU64 {
    fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
        // Base-10000 digits, most significant first, trailing zero digits dropped.
        let mut digits = Vec::with_capacity(5);
        let mut n = self.0;
        while n > 0 {
            digits.push((n % 10_000) as i16);
            n /= 10_000;
        }
        digits.reverse();
        let weight = digits.len() as i16 - 1;
        while digits.last() == Some(&0) {
            digits.pop();
        }
        buf.extend_from_slice(&(digits.len() as i16).to_be_bytes());
        buf.extend_from_slice(&weight.max(0).to_be_bytes());
        buf.extend_from_slice(&POSITIVE.to_be_bytes());
        buf.extend_from_slice(&0u16.to_be_bytes()); // display scale
        for d in digits {
            buf.extend_from_slice(&d.to_be_bytes());
        }
        Ok(IsNull::No)
    }
}

impl Decode<'_, Postgres> for PgU64 {
    fn decode(value: PgValueRef<'_>) -> Result<Self, BoxDynError> {
        if value.format() == PgValueFormat::Text {
            return Ok(PgU64(value.as_str()?.parse()?));
        }
        let bytes = value.as_bytes()?;
        let word = |i: usize| -> Result<u16, BoxDynError> {
            let pair = bytes.get(i * 2..i * 2 + 2).ok_or("truncated NUMERIC")?;
            Ok(u16::from_be_bytes([pair[0], pair[1]]))
        };
        let (ndigits, weight, sign) = (word(0)? as i16, word(1)? as i16, word(2)?);
        if sign == NEGATIVE {
            return Err("a negative NUMERIC does not fit in u64".into());
        }
        if sign != POSITIVE {
            return Err("NaN or infinite NUMERIC does not fit in u64".into());
        }
        let mut n: u64 = 0;
        for i in 0..ndigits.max(0) {
            let digit = u64::from(word(4 + i as usize)?);
            if weight - i < 0 {
                if digit != 0 {
                    return Err("a fractional NUMERIC does not fit in u64".into());
                }
                continue;
            }
            n = n
                .checked_mul(10_000)
                .and_then(|n| n.checked_add(digit))
                .ok_or("NUMERIC above u64::MAX")?;
        }
        // Digits dropped after the last one stored are zeros.
        for _ in ndigits.max(0)..=weight {
            n = n.checked_mul(10_000).ok_or("NUMERIC above u64::MAX")?;
        }
        Ok(PgU64(n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(n: u64) -> Vec<u8> {
        let mut buf = PgArgumentBuffer::default();
        let _ = PgU64(n).encode_by_ref(&mut buf).unwrap();
        buf.to_vec()
    }

    #[test]
    fn encodes_base_10000_digits() {
        assert_eq!(encode(0), [0, 0, 0, 0, 0, 0, 0, 0]);
        // 1_0000_0000 = digits [1], weight 2 (trailing zeros dropped).
        assert_eq!(encode(100_000_000), [0, 1, 0, 2, 0, 0, 0, 0, 0, 1]);
        // 18446744073709551615 = 1844 6744 0737 0955 1615
        let max = encode(u64::MAX);
        assert_eq!(&max[..8], [0, 5, 0, 4, 0, 0, 0, 0]);
        assert_eq!(&max[8..10], 1844u16.to_be_bytes());
    }
}
