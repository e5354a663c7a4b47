//! Page cursors: the boundary row's values in the page's order, with the
//! direction and a fingerprint of the order, checksummed and written as
//! URL-safe base64 (no padding). Decoding checks every byte: a cursor that
//! was altered, cut, or made for another query is `Error::Invalid`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::{Error, Numeric, Result, Value};

const VERSION: u8 = 1;

/// Which side of its boundary row a cursor's page lies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    /// The rows after it (the next page).
    After,
    /// The rows before it (the previous page).
    Before,
}

/// FNV-1a, 64 bits: a checksum against accidental or casual change, not a
/// signature (a cursor only bounds a query the caller may run anyway).
pub(crate) fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn invalid(detail: &str) -> Error {
    Error::Invalid {
        what: "cursor",
        detail: detail.into(),
    }
}

fn put_bytes(out: &mut Vec<u8>, b: &[u8]) -> Result<()> {
    let len = u32::try_from(b.len()).map_err(|_| invalid("a value too long for a cursor"))?;
    out.extend(len.to_le_bytes());
    out.extend(b);
    Ok(())
}

fn put_value(out: &mut Vec<u8>, v: &Value) -> Result<()> {
    match v {
        Value::Bool(b) => out.extend([1, u8::from(*b)]),
        Value::I16(n) => {
            out.push(2);
            out.extend(n.to_le_bytes());
        }
        Value::I32(n) => {
            out.push(3);
            out.extend(n.to_le_bytes());
        }
        Value::I64(n) => {
            out.push(4);
            out.extend(n.to_le_bytes());
        }
        Value::U32(n) => {
            out.push(5);
            out.extend(n.to_le_bytes());
        }
        Value::U64(n) => {
            out.push(6);
            out.extend(n.to_le_bytes());
        }
        Value::F32(n) => {
            out.push(7);
            out.extend(n.to_le_bytes());
        }
        Value::F64(n) => {
            out.push(8);
            out.extend(n.to_le_bytes());
        }
        Value::Text(s) => {
            out.push(9);
            put_bytes(out, s.as_bytes())?;
        }
        Value::Bytes(b) => {
            out.push(10);
            put_bytes(out, b)?;
        }
        Value::Timestamp(n) => {
            out.push(11);
            out.extend(n.to_le_bytes());
        }
        Value::DateTime(n) => {
            out.push(12);
            out.extend(n.to_le_bytes());
        }
        Value::Date(n) => {
            out.push(13);
            out.extend(n.to_le_bytes());
        }
        Value::Time(n) => {
            out.push(14);
            out.extend(n.to_le_bytes());
        }
        Value::Uuid(b) => {
            out.push(15);
            out.extend(b);
        }
        Value::Decimal(n) => {
            out.push(16);
            put_bytes(out, n.to_string().as_bytes())?;
        }
        _ => {
            return Err(invalid(
                "a page's order column holds a value a cursor cannot carry",
            ));
        }
    }
    Ok(())
}

/// Reads from a cursor's bytes, every read checked.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if self.0.len() < n {
            return Err(invalid("the cursor is cut short"));
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let mut out = [0; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    fn bytes(&mut self) -> Result<&'a [u8]> {
        let len = u32::from_le_bytes(self.array()?) as usize;
        self.take(len)
    }

    fn text(&mut self) -> Result<String> {
        String::from_utf8(self.bytes()?.to_vec())
            .map_err(|_| invalid("the cursor's text is not UTF-8"))
    }

    fn value(&mut self) -> Result<Value> {
        let tag = self.array::<1>()?[0];
        Ok(match tag {
            1 => match self.array::<1>()?[0] {
                0 => Value::Bool(false),
                1 => Value::Bool(true),
                _ => return Err(invalid("the cursor holds a malformed boolean")),
            },
            2 => Value::I16(i16::from_le_bytes(self.array()?)),
            3 => Value::I32(i32::from_le_bytes(self.array()?)),
            4 => Value::I64(i64::from_le_bytes(self.array()?)),
            5 => Value::U32(u32::from_le_bytes(self.array()?)),
            6 => Value::U64(u64::from_le_bytes(self.array()?)),
            7 => Value::F32(f32::from_le_bytes(self.array()?)),
            8 => Value::F64(f64::from_le_bytes(self.array()?)),
            9 => Value::Text(self.text()?),
            10 => Value::Bytes(self.bytes()?.to_vec()),
            11 => Value::Timestamp(i64::from_le_bytes(self.array()?)),
            12 => Value::DateTime(i64::from_le_bytes(self.array()?)),
            13 => Value::Date(i32::from_le_bytes(self.array()?)),
            14 => Value::Time(i64::from_le_bytes(self.array()?)),
            15 => Value::Uuid(self.array()?),
            16 => {
                let text = self.text()?;
                Value::Decimal(
                    Numeric::parse(&text)
                        .ok_or_else(|| invalid("the cursor holds a malformed decimal"))?,
                )
            }
            _ => return Err(invalid("the cursor holds an unknown kind of value")),
        })
    }
}

/// The cursor of the rows on `side` of the row whose order values are
/// `values`, for the order whose fingerprint is `order`.
pub(crate) fn encode(order: u64, side: Side, values: &[Value]) -> Result<String> {
    let mut out = vec![VERSION];
    out.extend(order.to_le_bytes());
    out.push(match side {
        Side::After => 0,
        Side::Before => 1,
    });
    let n = u8::try_from(values.len()).map_err(|_| invalid("too many order columns"))?;
    out.push(n);
    for v in values {
        put_value(&mut out, v)?;
    }
    let sum = fnv(&out);
    out.extend(sum.to_le_bytes());
    Ok(URL_SAFE_NO_PAD.encode(out))
}

/// Reads a cursor for the order whose fingerprint is `order`, with
/// `columns` values.
pub(crate) fn decode(cursor: &str, order: u64, columns: usize) -> Result<(Side, Vec<Value>)> {
    let bytes = URL_SAFE_NO_PAD
        .decode(cursor.as_bytes())
        .map_err(|_| invalid("not a cursor keyway wrote (not URL-safe base64)"))?;
    if bytes.len() < 8 + 11 {
        return Err(invalid("the cursor is cut short"));
    }
    let (body, sum) = bytes.split_at(bytes.len() - 8);
    if fnv(body).to_le_bytes() != sum {
        return Err(invalid(
            "the cursor was altered (its checksum does not match)",
        ));
    }
    let mut r = Reader(body);
    if r.array::<1>()?[0] != VERSION {
        return Err(invalid("the cursor is of another version"));
    }
    if u64::from_le_bytes(r.array()?) != order {
        return Err(invalid(
            "the cursor belongs to another query (another table or order)",
        ));
    }
    let side = match r.array::<1>()?[0] {
        0 => Side::After,
        1 => Side::Before,
        _ => return Err(invalid("the cursor holds an unknown direction")),
    };
    let n = usize::from(r.array::<1>()?[0]);
    if n != columns {
        return Err(invalid(
            "the cursor belongs to another query (another order)",
        ));
    }
    let values = (0..n).map(|_| r.value()).collect::<Result<Vec<_>>>()?;
    if !r.0.is_empty() {
        return Err(invalid("the cursor has bytes after its values"));
    }
    Ok((side, values))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_any_change() {
        let values = vec![
            Value::I16(-3),
            Value::Text("é/?&=".into()),
            Value::Bool(true),
            Value::Timestamp(-1),
            Value::Uuid([7; 16]),
            Value::Decimal(Numeric::parse("-12.50").unwrap()),
            Value::F64(0.5),
        ];
        let c = encode(42, Side::Before, &values).unwrap();
        assert!(
            c.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        assert_eq!(decode(&c, 42, 7).unwrap(), (Side::Before, values));
        assert!(decode(&c, 43, 7).is_err(), "another query's order");
        assert!(decode(&c, 42, 6).is_err());
        // Every single-character change and every cut is refused.
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let bytes = c.as_bytes();
        for i in 0..bytes.len() {
            for &a in alphabet.iter().step_by(7) {
                if a == bytes[i] {
                    continue;
                }
                let mut t = bytes.to_vec();
                t[i] = a;
                let t = String::from_utf8(t).unwrap();
                assert!(decode(&t, 42, 7).is_err(), "changed at {i}");
            }
            assert!(decode(&c[..i], 42, 7).is_err(), "cut at {i}");
        }
        for junk in ["", "%%%", "not a cursor", "AAAA", &"A".repeat(400)] {
            assert!(matches!(
                decode(junk, 42, 7),
                Err(Error::Invalid { what: "cursor", .. })
            ));
        }
    }
}
