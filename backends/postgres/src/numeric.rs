//! `u64` as PostgreSQL `NUMERIC(20)`: the binary wire format, by hand, so that
//! every `u64` is stored exactly without a decimal crate.

use bytes::{BufMut, BytesMut};

const POSITIVE: u16 = 0x0000;
const NEGATIVE: u16 = 0x4000;

/// Writes `n` as a binary `NUMERIC`.
pub(crate) fn encode(n: u64, out: &mut BytesMut) {
    // Base-10000 digits, most significant first, trailing zero digits dropped.
    let mut digits = Vec::with_capacity(5);
    let mut rest = n;
    while rest > 0 {
        digits.push((rest % 10_000) as i16);
        rest /= 10_000;
    }
    digits.reverse();
    let weight = digits.len() as i16 - 1;
    while digits.last() == Some(&0) {
        digits.pop();
    }
    out.put_i16(digits.len() as i16);
    out.put_i16(weight.max(0));
    out.put_u16(POSITIVE);
    out.put_u16(0); // display scale
    for d in digits {
        out.put_i16(d);
    }
}

/// Reads a binary `NUMERIC` that must hold a `u64`.
pub(crate) fn decode(bytes: &[u8]) -> Result<u64, &'static str> {
    let word = |i: usize| -> Result<u16, &'static str> {
        let pair = bytes.get(i * 2..i * 2 + 2).ok_or("truncated NUMERIC")?;
        Ok(u16::from_be_bytes([pair[0], pair[1]]))
    };
    let (ndigits, weight, sign) = (word(0)? as i16, word(1)? as i16, word(2)?);
    if sign == NEGATIVE {
        return Err("a negative NUMERIC does not fit in u64");
    }
    if sign != POSITIVE {
        return Err("NaN or infinite NUMERIC does not fit in u64");
    }
    let mut n: u64 = 0;
    for i in 0..ndigits.max(0) {
        let digit = u64::from(word(4 + i as usize)?);
        if weight - i < 0 {
            if digit != 0 {
                return Err("a fractional NUMERIC does not fit in u64");
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
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(n: u64) -> Vec<u8> {
        let mut buf = BytesMut::new();
        encode(n, &mut buf);
        buf.to_vec()
    }

    #[test]
    fn encodes_base_10000_digits() {
        assert_eq!(encoded(0), [0, 0, 0, 0, 0, 0, 0, 0]);
        // 1_0000_0000 = digits [1], weight 2 (trailing zeros dropped).
        assert_eq!(encoded(100_000_000), [0, 1, 0, 2, 0, 0, 0, 0, 0, 1]);
        // 18446744073709551615 = 1844 6744 0737 0955 1615
        let max = encoded(u64::MAX);
        assert_eq!(&max[..8], [0, 5, 0, 4, 0, 0, 0, 0]);
        assert_eq!(&max[8..10], 1844u16.to_be_bytes());
    }

    #[test]
    fn decodes_what_it_encodes() {
        for n in [0, 1, 9_999, 10_000, 100_000_000, 123_456_789_012, u64::MAX] {
            assert_eq!(decode(&encoded(n)), Ok(n));
        }
        assert_eq!(decode(&[0, 1]), Err("truncated NUMERIC"));
    }
}
