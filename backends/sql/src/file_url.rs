//! The percent-decoding of an embedded database's URL (`sqlite:`, `turso:`).

use keyway::{Error, Result};

/// `text` with its `%XX` escapes decoded; a bad escape or a result that is
/// not UTF-8 is `Error::Invalid` about `what` (`"SQLite URL"`).
pub fn percent_decode(text: &str, what: &'static str) -> Result<String> {
    let invalid = |detail: String| Error::Invalid { what, detail };
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| invalid(format!("bad percent escape in {text:?}")))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| invalid(format!("{text:?} is not UTF-8 once decoded")))
}
