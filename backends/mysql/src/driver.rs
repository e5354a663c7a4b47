//! MySQL and MariaDB as a sqlx driver of the shared execution layer.

use std::str::FromStr;

use keyway::{ColumnType, DecodeError, Error, InsertStmt, Result, TableDef, Value};
use keyway_sql::{InsertPlan, Lowered, Param, SqlxDriver};
use sqlx::error::DatabaseError;
use sqlx::mysql::{
    MySqlArguments, MySqlConnectOptions, MySqlConnection, MySqlQueryResult, MySqlSslMode,
    MySqlValueRef,
};
use sqlx::{ConnectOptions, Executor, Row};

use crate::{MySqlKeys, bind, errors, keys, reader};

/// The MySQL / MariaDB driver behind [`MySql`](crate::MySql): binding,
/// reading, error numbers, and the [`MySqlKeys`] strategy detected when
/// connecting.
#[derive(Debug, Clone, Copy)]
pub struct MySqlDriver {
    keys: MySqlKeys,
}

impl MySqlDriver {
    /// How this connection pool learns generated keys.
    pub fn keys(&self) -> MySqlKeys {
        self.keys
    }
}

/// MySQL settings beyond the pool's.
///
/// ```
/// use keyway_mysql::{MySqlKeys, MySqlOptions, MySqlSettings};
/// let options = MySqlOptions::new("mysql://root@127.0.0.1:3306/test")
///     .settings(MySqlSettings::default().keys(MySqlKeys::OneByOne));
/// # let _ = options;
/// ```
#[derive(Debug, Clone, Default)]
pub struct MySqlSettings {
    keys: Option<MySqlKeys>,
}

impl MySqlSettings {
    /// Uses `keys` instead of the strategy detected from the server.
    pub fn keys(mut self, keys: MySqlKeys) -> Self {
        self.keys = Some(keys);
        self
    }
}

/// `Error::Invalid` about the MySQL URL.
fn invalid(detail: String) -> Error {
    Error::Invalid {
        what: "MySQL URL",
        detail,
    }
}

/// The options keyway takes in a MySQL URL's query, by the name it reports
/// them under, with the other spellings sqlx accepts for each.
const URL_OPTIONS: &[(&str, &[&str])] = &[
    ("ssl-mode", &["ssl-mode", "sslmode"]),
    ("ssl-ca", &["ssl-ca", "sslca"]),
    ("ssl-cert", &["ssl-cert", "sslcert"]),
    ("ssl-key", &["ssl-key", "sslkey"]),
    ("socket", &["socket"]),
    ("statement-cache-capacity", &["statement-cache-capacity"]),
    ("timezone", &["timezone", "time-zone"]),
];

/// Checks the query of a MySQL URL and returns the TLS mode it asks for
/// (`PREFERRED` when it names none): every option is one keyway takes, given
/// once and with a value, and the TLS options make sense together. sqlx
/// itself ignores an option it does not know and a CA that its `ssl-mode`
/// does not check, so a typo or a misplaced CA would go unnoticed.
fn url_options(url: &url::Url) -> Result<MySqlSslMode> {
    let mut given: Vec<&'static str> = Vec::new();
    let mut ssl_mode = None;
    for (key, value) in url.query_pairs() {
        let Some(&(name, _)) = URL_OPTIONS.iter().find(|(_, keys)| keys.contains(&&*key)) else {
            return Err(invalid(match &*key {
                "charset" | "collation" => format!(
                    "option `{key}` is not supported: keyway's connections always use \
                     utf8mb4, the character set its tables store and its reader expects"
                ),
                _ => format!(
                    "unknown option `{key}` (keyway takes {})",
                    URL_OPTIONS
                        .iter()
                        .map(|(name, _)| *name)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }));
        };
        if given.contains(&name) {
            return Err(invalid(format!("option `{name}` is given twice")));
        }
        given.push(name);
        if value.is_empty() {
            return Err(invalid(format!("option `{name}` has no value")));
        }
        match name {
            "ssl-mode" => {
                ssl_mode = Some(MySqlSslMode::from_str(&value).map_err(|_| {
                    invalid(format!(
                        "unknown ssl-mode `{value}` (expected DISABLED, PREFERRED, REQUIRED, \
                         VERIFY_CA or VERIFY_IDENTITY)"
                    ))
                })?);
            }
            "statement-cache-capacity" if value.parse::<usize>().is_err() => {
                return Err(invalid(format!(
                    "statement-cache-capacity must be a whole number, not `{value}`"
                )));
            }
            _ => {}
        }
    }
    let ssl_mode = ssl_mode.unwrap_or(MySqlSslMode::Preferred);
    let has = |name| given.contains(&name);
    let mode_name = match ssl_mode {
        MySqlSslMode::Disabled => "DISABLED",
        MySqlSslMode::Preferred => "PREFERRED",
        MySqlSslMode::Required => "REQUIRED",
        MySqlSslMode::VerifyCa => "VERIFY_CA",
        MySqlSslMode::VerifyIdentity => "VERIFY_IDENTITY",
    };
    if has("ssl-cert") != has("ssl-key") {
        return Err(invalid(
            "ssl-cert and ssl-key go together: the client certificate and its private key".into(),
        ));
    }
    if matches!(ssl_mode, MySqlSslMode::Disabled)
        && let Some(tls) = ["ssl-ca", "ssl-cert"].into_iter().find(|name| has(name))
    {
        return Err(invalid(format!(
            "option `{tls}` needs TLS, but ssl-mode is DISABLED"
        )));
    }
    let verifies = matches!(
        ssl_mode,
        MySqlSslMode::VerifyCa | MySqlSslMode::VerifyIdentity
    );
    if has("ssl-ca") && !verifies {
        return Err(invalid(format!(
            "option `ssl-ca` is only used by ssl-mode=VERIFY_CA or VERIFY_IDENTITY, and \
             ssl-mode is {mode_name} (the server's certificate would not be checked): \
             add ssl-mode=VERIFY_IDENTITY (or VERIFY_CA), or remove ssl-ca"
        )));
    }
    Ok(ssl_mode)
}

/// Makes sure rustls has a process-wide crypto provider. sqlx checks a
/// `VERIFY_CA` certificate with a verifier built from that provider, which
/// rustls picks by itself only when exactly one of its `ring` and
/// `aws-lc-rs` features is on; with both (a program that also uses the AWS
/// SDK, say) and none installed it would panic. This installs ring, as rustls
/// itself would with ring alone; a program that wants another provider
/// installs it before connecting.
fn ensure_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Losing a race to another installer is fine: there is one now.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

/// Asks the server what it is and how it assigns keys.
async fn detect(conn: &mut MySqlConnection) -> Result<MySqlKeys> {
    let connection = |e| Error::Connection(Box::new(e));
    let row = sqlx::query("SELECT VERSION(), CAST(@@auto_increment_increment AS SIGNED)")
        .fetch_one(&mut *conn)
        .await
        .map_err(connection)?;
    let version: String = row.try_get(0).map_err(connection)?;
    let increment: i64 = row.try_get(1).map_err(connection)?;
    // Absent when InnoDB is not loaded: then nothing is known to be consecutive.
    let lock_mode =
        sqlx::query_scalar::<_, i64>("SELECT CAST(@@innodb_autoinc_lock_mode AS SIGNED)")
            .fetch_one(&mut *conn)
            .await
            .ok();
    Ok(MySqlKeys::detect(
        &version,
        lock_mode,
        increment.unsigned_abs(),
    ))
}

impl SqlxDriver for MySqlDriver {
    type Database = sqlx::MySql;
    type Dialect = keyway_sql::MySql;
    type Settings = MySqlSettings;

    /// The URL's options are checked first (the list keyway takes, each once): sqlx
    /// ignores the ones it does not know, keyway refuses them.
    fn connect_options(url: &str, _: &MySqlSettings) -> Result<MySqlConnectOptions> {
        let parsed = url::Url::parse(url).map_err(|e| invalid(format!("not a URL: {e}")))?;
        let ssl_mode = url_options(&parsed)?;
        if matches!(ssl_mode, MySqlSslMode::VerifyCa) {
            ensure_crypto_provider();
        }
        MySqlConnectOptions::from_url(&parsed).map_err(|e| invalid(e.to_string()))
    }

    /// Strict mode on every table: a value that does not fit is an error,
    /// never silently truncated.
    async fn prepare_connection(conn: &mut MySqlConnection) -> Result<(), sqlx::Error> {
        conn.execute("SET SESSION sql_mode = CONCAT(@@sql_mode, ',STRICT_ALL_TABLES')")
            .await
            .map(drop)
    }

    async fn learn(conn: &mut MySqlConnection, settings: MySqlSettings) -> Result<Self> {
        let keys = match settings.keys {
            Some(keys) => keys,
            None => detect(conn).await?,
        };
        Ok(MySqlDriver { keys })
    }

    /// MariaDB 10.5 and later return a delete's rows (`DELETE ..
    /// RETURNING`); no MySQL or MariaDB returns an update's.
    fn returns_written(&self, delete: bool) -> bool {
        delete && self.keys == MySqlKeys::Returning
    }

    fn bind(table: &TableDef, params: Vec<Param>) -> Result<MySqlArguments> {
        bind::arguments(table, params)
    }

    fn read_value(raw: MySqlValueRef<'_>, expected: ColumnType) -> Result<Value, DecodeError> {
        reader::read_value(raw, expected)
    }

    fn read_int(raw: MySqlValueRef<'_>, ty: ColumnType) -> Result<Option<i64>, DecodeError> {
        reader::read_int(raw, ty)
    }

    fn read_text(raw: MySqlValueRef<'_>) -> Result<Option<String>, DecodeError> {
        reader::read_text(raw)
    }

    fn database_error(err: Box<dyn DatabaseError>, table: &TableDef) -> Error {
        errors::database_error(err, table)
    }

    fn rows_affected(done: &MySqlQueryResult) -> u64 {
        done.rows_affected()
    }

    fn lower_insert(&self, stmt: InsertStmt) -> Vec<Lowered> {
        // Without an `auto` column there are no keys to learn: as few
        // statements as the parameter limit allows.
        let plan = if stmt.table.auto_column().is_some() {
            self.keys.plan()
        } else {
            InsertPlan::of::<keyway_sql::MySql>()
        };
        keyway_sql::insert_planned::<keyway_sql::MySql>(stmt, plan)
    }

    async fn run_insert(
        &self,
        conn: &mut MySqlConnection,
        table: &TableDef,
        batch: Lowered,
        keys: &mut Vec<Value>,
    ) -> Result<()> {
        keys::run_insert(self, conn, table, batch, keys).await
    }
}

#[cfg(test)]
mod tests {
    use keyway::Error;
    use keyway_sql::SqlxDriver;

    use super::{MySqlDriver, MySqlSettings};

    /// What `connect_options` says of `url`: `Ok(())`, or the detail of its
    /// `Error::Invalid`.
    fn check(url: &str) -> Result<(), String> {
        match MySqlDriver::connect_options(url, &MySqlSettings::default()) {
            Ok(_) => Ok(()),
            Err(Error::Invalid { what, detail }) => {
                assert_eq!(what, "MySQL URL");
                Err(detail)
            }
            Err(other) => panic!("{url}: expected Error::Invalid, got {other:?}"),
        }
    }

    fn refused(url: &str, expected: &str) {
        match check(url) {
            Ok(()) => panic!("{url}: accepted, expected a refusal"),
            Err(detail) => assert!(detail.contains(expected), "{url}: {detail}"),
        }
    }

    #[test]
    fn the_options_keyway_takes_are_accepted_in_either_spelling() {
        for url in [
            "mysql://root@127.0.0.1:3306/test",
            "mysql://u:p%40ss@h/db?ssl-mode=DISABLED",
            "mysql://h/db?sslmode=required&ssl-cert=/c.crt&sslkey=/c.key",
            "mysql://h/db?ssl-mode=VERIFY_CA&ssl-ca=/ca.crt",
            "mysql://h/db?ssl-mode=verify_identity&sslca=/ca.crt&sslcert=/c&ssl-key=/k",
            "mysql://h/db?ssl-mode=VERIFY_IDENTITY",
            "mysql://h/db?socket=/run/mysqld/mysqld.sock&statement-cache-capacity=50",
            "mysql://h/db?timezone=%2B00:00",
            "mysql://h/db?time-zone=SYSTEM",
        ] {
            check(url).unwrap_or_else(|e| panic!("{url}: {e}"));
        }
    }

    #[test]
    fn an_unknown_option_is_refused_by_name() {
        refused("mysql://h/db?sslmod=REQUIRED", "unknown option `sslmod`");
        refused(
            "mysql://h/db?ssl-mode=REQUIRED&Ssl-Mode=x",
            "unknown option `Ssl-Mode`",
        );
        refused(
            "mysql://h/db?max_connections=5",
            "keyway takes ssl-mode, ssl-ca",
        );
        refused("mysql://h/db?charset=latin1", "`charset` is not supported");
        refused("mysql://h/db?collation=utf8mb4_general_ci", "`collation`");
    }

    #[test]
    fn malformed_values_are_refused() {
        refused("mysql://h/db?ssl-mode=ON", "unknown ssl-mode `ON`");
        refused("mysql://h/db?ssl-mode=", "`ssl-mode` has no value");
        refused("mysql://h/db?statement-cache-capacity=-1", "whole number");
        refused(
            "mysql://h/db?ssl-mode=REQUIRED&sslmode=DISABLED",
            "`ssl-mode` is given twice",
        );
        refused("not a url", "not a URL");
        refused("mysql://h:99999/db", "not a URL");
    }

    #[test]
    fn tls_options_must_fit_the_ssl_mode() {
        refused("mysql://h/db?ssl-ca=/ca.crt", "ssl-mode is PREFERRED");
        refused(
            "mysql://h/db?ssl-mode=REQUIRED&ssl-ca=/ca.crt",
            "ssl-mode is REQUIRED",
        );
        refused(
            "mysql://h/db?ssl-mode=DISABLED&ssl-ca=/ca.crt",
            "ssl-mode is DISABLED",
        );
        refused(
            "mysql://h/db?ssl-mode=DISABLED&ssl-cert=/c&ssl-key=/k",
            "`ssl-cert` needs TLS",
        );
        refused("mysql://h/db?ssl-mode=REQUIRED&ssl-key=/k", "go together");
    }

    #[test]
    fn verify_ca_leaves_rustls_a_crypto_provider() {
        check("mysql://h/db?ssl-mode=VERIFY_CA&ssl-ca=/ca.crt").unwrap();
        assert!(rustls::crypto::CryptoProvider::get_default().is_some());
    }

    #[test]
    fn no_password_in_a_refusal() {
        let detail = check("mysql://user:hunter2@h/db?bogus=1").unwrap_err();
        assert!(!detail.contains("hunter2"), "{detail}");
    }
}
