//! Where and how to connect, read from the connection string and the
//! settings; and opening one connection: each host in turn, TLS as
//! `sslmode` says, the session's role checked (`target_session_attrs`).

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use futures::StreamExt;
use keyway::{Error, Result};
use tokio_postgres::config::{Host, SslMode as DriverSslMode};
use tokio_postgres::{AsyncMessage, Client, Config, Connection, NoTls};

use crate::login_check::{CheckedTls, RequireAuth, Watched};
use crate::socket;

use crate::driver::PostgresSettings;
use crate::errors::PgError;
use crate::tls::{self, Roots, SslMode, TlsOptions};
use crate::url;

/// The session a connection must have (libpq's `target_session_attrs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    Any,
    ReadWrite,
    ReadOnly,
    Primary,
    Standby,
    PreferStandby,
}

impl Target {
    fn parse(s: &str) -> Result<Target> {
        Ok(match s {
            "any" => Target::Any,
            "read-write" => Target::ReadWrite,
            "read-only" => Target::ReadOnly,
            "primary" => Target::Primary,
            "standby" => Target::Standby,
            "prefer-standby" => Target::PreferStandby,
            other => {
                return Err(invalid(format!(
                    "target_session_attrs `{other}` (any, read-write, read-only, primary, \
                     standby or prefer-standby)"
                )));
            }
        })
    }
}

/// How statements are sent: prepared once per connection and kept (the
/// default), or never named, for a pooler in transaction mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Statements {
    #[default]
    Kept,
    Unnamed,
}

/// Everything needed to open a connection, parsed once by `connect`.
#[derive(Clone)]
pub struct PgConnect {
    /// One configuration per host, in the order they are tried.
    hosts: Vec<(String, Config)>,
    mode: SslMode,
    tls: CheckedTls,
    require: Option<RequireAuth>,
    target: Target,
    pub(crate) statements: Statements,
    pub(crate) statement_timeout: Option<Duration>,
    search_path: Option<String>,
}

impl fmt::Debug for PgConnect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hosts: Vec<&str> = self.hosts.iter().map(|(h, _)| h.as_str()).collect();
        f.debug_struct("PgConnect")
            .field("hosts", &hosts)
            .field("sslmode", &self.mode)
            .field("target_session_attrs", &self.target)
            .field("statements", &self.statements)
            .field("statement_timeout", &self.statement_timeout)
            .finish_non_exhaustive()
    }
}

fn invalid(detail: impl Into<String>) -> Error {
    Error::Invalid {
        what: "PostgreSQL URL",
        detail: detail.into(),
    }
}

/// A duration as libpq's `statement_timeout` reads it: milliseconds, or a
/// number with `ms`, `s` or `min`.
fn duration(option: &str, s: &str) -> Result<Duration> {
    let (number, unit) = match s.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => s.split_at(at),
        None => (s, "ms"),
    };
    let n: u64 = number.parse().map_err(|_| {
        invalid(format!(
            "{option}=`{s}`: a duration such as 500ms, 5s or 2min"
        ))
    })?;
    Ok(match unit.trim() {
        "ms" => Duration::from_millis(n),
        "s" => Duration::from_secs(n),
        "min" => Duration::from_secs(n * 60),
        _ => return Err(invalid(format!("{option}=`{s}`: the unit is ms, s or min"))),
    })
}

impl PgConnect {
    /// Reads `url` and applies `settings` (a URL option wins over a setting).
    pub(crate) fn new(url: &str, settings: &PostgresSettings) -> Result<PgConnect> {
        let split = url::split(url)?;
        let mut base = Config::from_str(&split.rest).map_err(|e| {
            // tokio-postgres's cause names the option it does not know.
            let cause = std::error::Error::source(&e).map(|c| format!(": {c}"));
            invalid(format!(
                "{e}{}; keyway reads the libpq options tokio-postgres knows and {}",
                cause.unwrap_or_default(),
                url::KEYWAY_OPTIONS.join(", ")
            ))
        })?;
        if base.get_hosts().is_empty() && base.get_hostaddrs().is_empty() {
            return Err(invalid("it names no host"));
        }
        let mode = match split.get("sslmode") {
            Some(mode) => tls::SslMode::parse(mode)?,
            None => SslMode::Prefer,
        };
        let tls_options = TlsOptions {
            root_cert: split.get("sslrootcert").map(|r| match r {
                "system" => Roots::System,
                file => Roots::File(file.into()),
            }),
            cert: split.get("sslcert").map(Into::into),
            key: split.get("sslkey").map(Into::into),
        };
        let tls = tls::connector(mode, &tls_options)?;
        let target = match split.get("target_session_attrs") {
            Some(t) => Target::parse(t)?,
            None => Target::Any,
        };
        let require = split
            .get("require_auth")
            .map(RequireAuth::parse)
            .transpose()?;
        let statements = match split.get("pooler") {
            None => settings.statements,
            Some("none" | "session") => Statements::Kept,
            Some("transaction" | "statement") => Statements::Unnamed,
            Some(other) => {
                return Err(invalid(format!(
                    "pooler `{other}` (none, session, transaction or statement)"
                )));
            }
        };
        let statement_timeout = match split.get("statement_timeout") {
            Some(s) => Some(duration("statement_timeout", s)?).filter(|d| !d.is_zero()),
            None => settings.statement_timeout,
        };
        let search_path = split
            .get("search_path")
            .map(str::to_owned)
            .or_else(|| settings.search_path.clone());
        // Against silently dead peers: keepalive probes after 60 s idle, and a
        // send unacknowledged for 60 s fails, unless the string says otherwise.
        if !split.was_given("keepalives_idle") {
            base.keepalives_idle(Duration::from_secs(60));
        }
        if !split.was_given("keepalives_interval") {
            base.keepalives_interval(Duration::from_secs(10));
        }
        if !split.was_given("keepalives_retries") {
            base.keepalives_retries(3);
        }
        if !split.was_given("tcp_user_timeout") {
            base.tcp_user_timeout(Duration::from_secs(60));
        }
        Ok(PgConnect {
            hosts: per_host(&base)?,
            mode,
            tls: CheckedTls {
                rustls: tls,
                require: require.clone(),
            },
            require,
            target,
            statements,
            statement_timeout,
            search_path,
        })
    }

    pub(crate) fn tls(&self) -> &CheckedTls {
        &self.tls
    }

    /// Opens a connection: each host in turn until one is reachable, logs
    /// in and has the session `target_session_attrs` asks for. Also the
    /// host's configuration when the socket is keyway's own (a plaintext
    /// login `require_auth` checks): cancel requests then open one too.
    pub(crate) async fn open(&self) -> Result<(Client, String, Option<Config>, Config), PgError> {
        let mut refused = Vec::new();
        let passes: &[Target] = match self.target {
            Target::PreferStandby => &[Target::Standby, Target::Any],
            other => &[other][..],
        };
        for target in passes {
            for (host, config) in &self.hosts {
                match self.open_host(config, *target).await {
                    Ok((client, raw)) => {
                        return Ok((client, host.clone(), raw, config.clone()));
                    }
                    Err(e) => refused.push(format!("{host}: {e}")),
                }
            }
        }
        if let [only] = &refused[..] {
            return Err(PgError::connect(only.clone()));
        }
        Err(PgError::connect(format!(
            "no host could be used: {}",
            refused.join("; ")
        )))
    }

    async fn open_host(
        &self,
        config: &Config,
        target: Target,
    ) -> Result<(Client, Option<Config>), PgError> {
        let tls = |mode| async move { Ok((self.login(config, mode).await?, None)) };
        let (client, raw) = match (self.mode, self.require.is_some()) {
            (SslMode::Disable, false) => tls(DriverSslMode::Disable).await?,
            (SslMode::Prefer, false) => tls(DriverSslMode::Prefer).await?,
            (SslMode::Allow, false) => match tls(DriverSslMode::Disable).await {
                Err(e) if refused_plaintext(&e) => tls(DriverSslMode::Require).await?,
                other => other?,
            },
            (SslMode::Disable, true) => self.login_raw(config).await?,
            (SslMode::Allow, true) => match self.login_raw(config).await {
                Err(e) if refused_plaintext(&e) => tls(DriverSslMode::Require).await?,
                other => other?,
            },
            // With require_auth, prefer tries TLS (checked inside the
            // channel) and, if the server has none, a plaintext login on a
            // socket of keyway's own (checked there).
            (SslMode::Prefer, true) => match tls(DriverSslMode::Require).await {
                Err(e) if no_tls_offered(&e) => self.login_raw(config).await?,
                other => other?,
            },
            _ => tls(DriverSslMode::Require).await?,
        };
        if let Some(wanted) = session_check(target) {
            let (query, expected, what) = wanted;
            let answer = first_value(&client, query).await?;
            if answer != expected {
                return Err(PgError::connect(format!(
                    "the session is not {what} (target_session_attrs)"
                )));
            }
        }
        if let Some(path) = &self.search_path {
            // A parameter, never quoted into the text; not the startup
            // `options`, which poolers refuse.
            client
                .query_typed(
                    "SELECT set_config('search_path', $1, false)",
                    &[(path, tokio_postgres::types::Type::TEXT)],
                )
                .await?;
        }
        Ok((client, raw))
    }

    /// A plaintext login on keyway's own socket, checked by `require_auth`.
    async fn login_raw(&self, config: &Config) -> Result<(Client, Option<Config>), PgError> {
        let socket = socket::open(config)
            .await
            .map_err(|e| PgError::connect(format!("cannot connect: {e}")))?;
        let mut plain = config.clone();
        plain.ssl_mode(DriverSslMode::Disable);
        let watched = Watched::new(socket, self.require.clone());
        let (client, connection) = plain.connect_raw(watched, NoTls).await?;
        tokio::spawn(drive(connection));
        Ok((client, Some(plain)))
    }

    async fn login(&self, config: &Config, mode: DriverSslMode) -> Result<Client, PgError> {
        let mut config = config.clone();
        config.ssl_mode(mode);
        let (client, connection) = config.connect(self.tls.clone()).await?;
        tokio::spawn(drive(connection));
        Ok(client)
    }
}

/// Whether a server refused a connection for lacking TLS (pg_hba.conf's
/// `hostssl`): `sslmode=allow` then tries again with TLS.
fn refused_plaintext(err: &PgError) -> bool {
    err.db()
        .is_some_and(|db| db.code().code() == "28000" && db.message().contains("no encryption"))
}

/// Whether a TLS login failed because the server offers no TLS.
fn no_tls_offered(err: &PgError) -> bool {
    err.db().is_none() && err.to_string().contains("server does not support TLS")
}

/// The query that tells the session's role, the answer wanted and its name.
fn session_check(target: Target) -> Option<(&'static str, &'static str, &'static str)> {
    match target {
        Target::Any | Target::PreferStandby => None,
        Target::ReadWrite => Some(("SHOW transaction_read_only", "off", "read-write")),
        Target::ReadOnly => Some(("SHOW transaction_read_only", "on", "read-only")),
        Target::Primary => Some(("SELECT pg_is_in_recovery()", "f", "a primary")),
        Target::Standby => Some(("SELECT pg_is_in_recovery()", "t", "a standby")),
    }
}

/// The first column of the first row of `query` (the simple protocol: no
/// statement is prepared).
async fn first_value(client: &Client, query: &str) -> Result<String, PgError> {
    for message in client.simple_query(query).await? {
        if let tokio_postgres::SimpleQueryMessage::Row(row) = message {
            return Ok(row.get(0).unwrap_or_default().to_owned());
        }
    }
    Err(PgError::connect(format!("`{query}` returned no row")))
}

/// One configuration per host of `base`, as tokio-postgres pairs hosts,
/// addresses and ports; the first host is chosen by the clock when
/// `load_balance_hosts=random`.
fn per_host(base: &Config) -> Result<Vec<(String, Config)>> {
    let hosts = base.get_hosts();
    let addrs = base.get_hostaddrs();
    let ports = base.get_ports();
    let count = hosts.len().max(addrs.len());
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        // Only host i: the others are left out by building anew.
        let mut one = single(base);
        let mut label = String::new();
        match hosts.get(i) {
            Some(Host::Tcp(name)) => {
                one.host(name);
                label.push_str(name);
            }
            Some(Host::Unix(path)) => {
                one.host_path(path);
                label.push_str(&path.display().to_string());
            }
            None => {}
        }
        if let Some(addr) = addrs.get(i) {
            one.hostaddr(*addr);
            if label.is_empty() {
                label = addr.to_string();
            }
        }
        let port = match ports {
            [] => 5432,
            [one] => *one,
            many => *many
                .get(i)
                .ok_or_else(|| invalid("the number of ports must be one or the number of hosts"))?,
        };
        one.port(port);
        label.push_str(&format!(":{port}"));
        out.push((label, one));
    }
    if base.get_load_balance_hosts() == tokio_postgres::config::LoadBalanceHosts::Random
        && out.len() > 1
    {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos() as usize);
        let start = nanos % out.len();
        out.rotate_left(start);
    }
    Ok(out)
}

/// `config` without its hosts, addresses and ports.
fn single(config: &Config) -> Config {
    let mut one = Config::new();
    if let Some(user) = config.get_user() {
        one.user(user);
    }
    if let Some(password) = config.get_password() {
        one.password(password);
    }
    if let Some(dbname) = config.get_dbname() {
        one.dbname(dbname);
    }
    if let Some(options) = config.get_options() {
        one.options(options);
    }
    if let Some(name) = config.get_application_name() {
        one.application_name(name);
    }
    if let Some(timeout) = config.get_connect_timeout() {
        one.connect_timeout(*timeout);
    }
    if let Some(timeout) = config.get_tcp_user_timeout() {
        one.tcp_user_timeout(*timeout);
    }
    one.keepalives(config.get_keepalives());
    one.keepalives_idle(config.get_keepalives_idle());
    if let Some(interval) = config.get_keepalives_interval() {
        one.keepalives_interval(interval);
    }
    if let Some(retries) = config.get_keepalives_retries() {
        one.keepalives_retries(retries);
    }
    one.channel_binding(config.get_channel_binding());
    one.ssl_negotiation(config.get_ssl_negotiation());
    one
}

/// Drives a connection's socket until its client is dropped or it fails:
/// the server's notices and warnings go to `tracing`; notifications
/// (LISTEN is not offered on pooled connections) are dropped with a debug
/// event.
async fn drive<S, T>(mut connection: Connection<S, T>)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let mut messages = futures::stream::poll_fn(move |cx| connection.poll_message(cx));
    while let Some(message) = messages.next().await {
        match message {
            Ok(AsyncMessage::Notice(notice)) => match notice.severity() {
                "WARNING" => tracing::warn!(
                    target: "keyway_postgres::notice",
                    code = notice.code().code(),
                    "{}",
                    notice.message()
                ),
                "NOTICE" | "INFO" => tracing::info!(
                    target: "keyway_postgres::notice",
                    code = notice.code().code(),
                    "{}",
                    notice.message()
                ),
                _ => tracing::debug!(
                    target: "keyway_postgres::notice",
                    code = notice.code().code(),
                    "{}",
                    notice.message()
                ),
            },
            Ok(AsyncMessage::Notification(n)) => tracing::debug!(
                target: "keyway_postgres::notice",
                channel = n.channel(),
                "a notification arrived on a pooled connection and is dropped (LISTEN is not offered)"
            ),
            Ok(_) => {}
            Err(e) => {
                tracing::debug!(target: "keyway_postgres::notice", error = %e, "the connection ended");
                return;
            }
        }
    }
}
