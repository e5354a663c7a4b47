//! PostgreSQL's binary `NUMERIC`: base-10000 digits around the decimal
//! point, a weight, a sign and a display scale. keyway's decimals and `u64`
//! (stored in `NUMERIC(20)`) travel in it.

use bytes::{BufMut, BytesMut};
use keyway::Numeric;

const POSITIVE: u16 = 0x0000;
const NEGATIVE: u16 = 0x4000;

/// Writes `n` as a binary `NUMERIC`.
pub(crate) fn encode_u64(n: u64, out: &mut BytesMut) {
    // A u64 has 20 digits: always a `Numeric`.
    if let Some(n) = Numeric::new(i128::from(n), 0) {
        encode(n, out);
    }
}

/// Writes `n` as a binary `NUMERIC` of display scale `n.scale()`.
pub(crate) fn encode(n: Numeric, out: &mut BytesMut) {
    let scale = usize::from(n.scale());
    let digits = n.mantissa().unsigned_abs().to_string();
    let (whole, fraction) = if digits.len() > scale {
        digits.split_at(digits.len() - scale)
    } else {
        ("", digits.as_str())
    };
    // Groups of four digits: the whole part padded on the left, the
    // fraction (after its leading zeros) on the right.
    let whole = format!("{}{whole}", "0".repeat((4 - whole.len() % 4) % 4));
    let fraction = format!("{}{fraction}", "0".repeat(scale - fraction.len()));
    let fraction = format!("{fraction}{}", "0".repeat((4 - fraction.len() % 4) % 4));
    let group = |s: &str| {
        s.as_bytes()
            .chunks(4)
            .map(|c| c.iter().fold(0i16, |acc, d| acc * 10 + i16::from(d - b'0')))
            .collect::<Vec<_>>()
    };
    let mut groups = group(&whole);
    let mut weight = groups.len() as i16 - 1;
    groups.extend(group(&fraction));
    // Leading zero groups lower the weight; trailing ones are implied.
    let lead = groups.iter().take_while(|&&g| g == 0).count();
    groups.drain(..lead);
    weight -= lead as i16;
    while groups.last() == Some(&0) {
        groups.pop();
    }
    if groups.is_empty() {
        weight = 0;
    }
    out.put_i16(groups.len() as i16);
    out.put_i16(weight);
    out.put_u16(if n.mantissa() < 0 { NEGATIVE } else { POSITIVE });
    out.put_u16(scale as u16);
    for g in groups {
        out.put_i16(g);
    }
}

/// Reads a binary `NUMERIC` as a decimal of its display scale; NaN, the
/// infinities and numbers beyond 38 digits are refused.
pub(crate) fn decode(bytes: &[u8]) -> Result<Numeric, &'static str> {
    let word = |i: usize| -> Result<u16, &'static str> {
        let pair = bytes.get(i * 2..i * 2 + 2).ok_or("truncated NUMERIC")?;
        Ok(u16::from_be_bytes([pair[0], pair[1]]))
    };
    let (ndigits, weight, sign, dscale) = (word(0)? as i16, word(1)? as i16, word(2)?, word(3)?);
    if sign != POSITIVE && sign != NEGATIVE {
        return Err("NaN or infinite NUMERIC has no decimal value");
    }
    let beyond = "NUMERIC beyond 38 digits";
    let scale = u8::try_from(dscale).map_err(|_| beyond)?;
    // Every digit group as one integer (Horner), at the display scale:
    // the last group is worth 10^(4 × (weight − ndigits + 1)), and only its
    // zero padding may lie beyond the scale.
    let n = usize::try_from(ndigits).map_err(|_| "malformed NUMERIC")?;
    let digit = |i: usize| -> Result<i128, &'static str> {
        match word(4 + i)? {
            d if d < 10_000 => Ok(i128::from(d)),
            _ => Err("malformed NUMERIC digit"),
        }
    };
    let push = |acc: i128, shift: u32, d: i128| {
        10i128
            .checked_pow(shift)
            .and_then(|p| acc.checked_mul(p))
            .and_then(|a| a.checked_add(d))
            .ok_or(beyond)
    };
    let mut mantissa: i128 = 0;
    for i in 0..n.saturating_sub(1) {
        mantissa = push(mantissa, 4, digit(i)?)?;
    }
    if n > 0 {
        let last = digit(n - 1)?;
        let exponent = 4 * (i32::from(weight) - n as i32 + 1) + i32::from(scale);
        mantissa = if exponent >= 0 {
            push(push(mantissa, 4, last)?, exponent.unsigned_abs(), 0)?
        } else {
            let cut = exponent.unsigned_abs();
            let p = 10i128.pow(cut.min(4));
            if cut > 4 || last % p != 0 {
                return Err("NUMERIC digits beyond its display scale");
            }
            push(mantissa, 4 - cut, last / p)?
        };
    }
    if sign == NEGATIVE {
        mantissa = -mantissa;
    }
    Numeric::new(mantissa, scale).ok_or(beyond)
}

/// Reads a binary `NUMERIC` that must hold a `u64`.
#[cfg(test)]
fn decode_u64(bytes: &[u8]) -> Result<u64, &'static str> {
    let n = decode(bytes)?.rescale(0).ok_or("fractional")?;
    u64::try_from(n.mantissa()).map_err(|_| "beyond u64")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(n: Numeric) -> Vec<u8> {
        let mut buf = BytesMut::new();
        encode(n, &mut buf);
        buf.to_vec()
    }

    fn num(text: &str) -> Numeric {
        Numeric::parse(text).unwrap()
    }

    #[test]
    fn encodes_base_10000_digits() {
        let u = |n: u64| {
            let mut buf = BytesMut::new();
            encode_u64(n, &mut buf);
            buf.to_vec()
        };
        assert_eq!(u(0), [0, 0, 0, 0, 0, 0, 0, 0]);
        // 1_0000_0000 = digits [1], weight 2 (trailing zeros dropped).
        assert_eq!(u(100_000_000), [0, 1, 0, 2, 0, 0, 0, 0, 0, 1]);
        // 18446744073709551615 = 1844 6744 0737 0955 1615
        let max = u(u64::MAX);
        assert_eq!(&max[..8], [0, 5, 0, 4, 0, 0, 0, 0]);
        assert_eq!(&max[8..10], 1844u16.to_be_bytes());
        // 12.5 (scale 2) = [12, 5000], weight 0, display scale 2.
        assert_eq!(
            encoded(num("12.50")),
            [0, 2, 0, 0, 0, 0, 0, 2, 0, 12, 0x13, 0x88]
        );
        // -0.0001 = [1], weight -1, negative, display scale 4.
        assert_eq!(
            encoded(num("-0.0001")),
            [0, 1, 0xff, 0xff, 0x40, 0, 0, 4, 0, 1]
        );
    }

    #[test]
    fn decodes_what_it_encodes() {
        for n in [0, 1, 9_999, 10_000, 100_000_000, 123_456_789_012, u64::MAX] {
            let mut buf = BytesMut::new();
            encode_u64(n, &mut buf);
            assert_eq!(decode_u64(&buf), Ok(n));
        }
        for text in [
            "0",
            "0.00",
            "1.5",
            "-1.5",
            "12.50",
            "0.0001",
            "-0.000001",
            "123456789.123456789",
            "99999999999999999999999999999999999999",
            "-0.00000000000000000000000000000000000001",
            "10000.0001",
            "1e3",
        ] {
            let n = num(text);
            assert_eq!(decode(&encoded(n)), Ok(n), "{text}");
        }
        assert_eq!(decode(&[0, 1]), Err("truncated NUMERIC"));
        assert!(decode(&[0, 0, 0, 0, 0xC0, 0, 0, 0]).is_err(), "NaN");
    }
}
