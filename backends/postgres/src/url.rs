//! The connection string: the options keyway reads itself are taken out,
//! the rest is left to tokio-postgres's parser, which refuses any option it
//! does not know (so no option is ever ignored).
//!
//! Both forms of libpq are read: `postgres://user@host/db?sslmode=require`
//! and `host=localhost sslmode=require`.

use std::borrow::Cow;

use keyway::{Error, Result};

/// The options keyway implements itself, beyond what tokio-postgres parses.
pub(crate) const KEYWAY_OPTIONS: [&str; 9] = [
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "target_session_attrs",
    "require_auth",
    "pooler",
    "statement_timeout",
    "search_path",
];

/// A connection string split in two: keyway's options, and the rest for
/// tokio-postgres.
#[derive(Debug)]
pub(crate) struct Split {
    /// The string without keyway's options.
    pub(crate) rest: String,
    /// keyway's options, by name, in the order given.
    pub(crate) taken: Vec<(String, String)>,
    /// The names of every option given (keyway's and the rest).
    pub(crate) given: Vec<String>,
}

impl Split {
    /// The value of keyway option `name`, if given (the last one wins, as in
    /// libpq).
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.taken
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn was_given(&self, name: &str) -> bool {
        self.given.iter().any(|k| k == name)
    }
}

fn invalid(detail: impl Into<String>) -> Error {
    Error::Invalid {
        what: "PostgreSQL URL",
        detail: detail.into(),
    }
}

/// Splits `s`, either form.
pub(crate) fn split(s: &str) -> Result<Split> {
    if s.starts_with("postgres://") || s.starts_with("postgresql://") {
        split_url(s)
    } else {
        split_key_values(s)
    }
}

fn split_url(s: &str) -> Result<Split> {
    let (base, query) = match s.split_once('?') {
        Some((base, query)) => (base, query),
        None => (s, ""),
    };
    let mut out = Split {
        rest: base.to_owned(),
        taken: Vec::new(),
        given: Vec::new(),
    };
    let mut kept = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair
            .split_once('=')
            .ok_or_else(|| invalid(format!("option `{pair}` has no value (write `{pair}=...`)")))?;
        let key = decode(key)?;
        out.given.push(key.clone().into_owned());
        if KEYWAY_OPTIONS.contains(&key.as_ref()) {
            out.taken
                .push((key.into_owned(), decode(value)?.into_owned()));
        } else {
            kept.push(pair);
        }
    }
    if !kept.is_empty() {
        out.rest.push('?');
        out.rest.push_str(&kept.join("&"));
    }
    Ok(out)
}

fn decode(s: &str) -> Result<Cow<'_, str>> {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .map_err(|_| invalid(format!("`{s}` is not UTF-8 once percent-decoded")))
}

/// `key=value` pairs separated by spaces; a value may be quoted with `'`,
/// with `\'` and `\\` inside, as libpq reads them.
fn split_key_values(s: &str) -> Result<Split> {
    let mut out = Split {
        rest: String::new(),
        taken: Vec::new(),
        given: Vec::new(),
    };
    let mut chars = s.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            break;
        }
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| *c != '=' && !c.is_whitespace()) {
            key.push(c);
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.next() != Some('=') {
            return Err(invalid(format!(
                "option `{key}` has no value (write `{key}=...`)"
            )));
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'\'').is_some() {
            loop {
                match chars.next() {
                    Some('\'') => break,
                    Some('\\') => value.extend(chars.next()),
                    Some(c) => value.push(c),
                    None => {
                        return Err(invalid(format!(
                            "the quoted value of `{key}` is not closed"
                        )));
                    }
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                if c == '\\' {
                    value.extend(chars.next());
                } else {
                    value.push(c);
                }
            }
        }
        out.given.push(key.clone());
        if KEYWAY_OPTIONS.contains(&key.as_str()) {
            out.taken.push((key, value));
        } else {
            if !out.rest.is_empty() {
                out.rest.push(' ');
            }
            out.rest.push_str(&key);
            out.rest.push_str("='");
            for c in value.chars() {
                if c == '\'' || c == '\\' {
                    out.rest.push('\\');
                }
                out.rest.push(c);
            }
            out.rest.push('\'');
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_options_are_taken_and_the_rest_kept() {
        let s = split("postgres://u:p@h:1/db?sslmode=verify-full&application_name=a%20b&sslrootcert=%2Ftmp%2Fca.pem").unwrap();
        assert_eq!(s.rest, "postgres://u:p@h:1/db?application_name=a%20b");
        assert_eq!(s.get("sslmode"), Some("verify-full"));
        assert_eq!(s.get("sslrootcert"), Some("/tmp/ca.pem"));
        assert!(s.was_given("application_name"));
        assert!(!s.was_given("keepalives"));
    }

    #[test]
    fn key_values_are_taken_and_the_rest_requoted() {
        let s = split("host=h  sslmode = require password='it\\'s' dbname=x").unwrap();
        assert_eq!(s.rest, "host='h' password='it\\'s' dbname='x'");
        assert_eq!(s.get("sslmode"), Some("require"));
    }

    #[test]
    fn malformed_strings_are_refused() {
        assert!(split("host=h sslmode").is_err());
        assert!(split("password='open").is_err());
        assert!(split("postgres://h/db?sslmode").is_err());
    }
}
