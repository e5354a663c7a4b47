//! Opening a connection: the socket, the startup message and
//! authentication (trust, cleartext password, MD5 and SCRAM-SHA-256).

use postgres_protocol::authentication::{self, sasl};
use postgres_protocol::message::backend::Message;
use postgres_protocol::message::frontend;
use tokio_postgres::Config;
use tokio_postgres::config::Host;

use crate::errors::PgError;
use crate::socket::Socket;
use crate::wire::Wire;

/// The port when the URL names none.
const DEFAULT_PORT: u16 = 5432;

/// Connects to the first of the configured hosts that answers and
/// authenticates, within the URL's `connect_timeout` when it sets one.
pub(crate) async fn open(config: &Config) -> Result<Wire, PgError> {
    let attempt = open_any(config);
    match config.get_connect_timeout() {
        Some(limit) => tokio::time::timeout(*limit, attempt)
            .await
            .map_err(|_| PgError::from(std::io::Error::from(std::io::ErrorKind::TimedOut)))?,
        None => attempt.await,
    }
}

/// Tries each host in turn; the last failure when none answers.
async fn open_any(config: &Config) -> Result<Wire, PgError> {
    let hosts = config.get_hosts();
    let addrs = config.get_hostaddrs();
    let ports = config.get_ports();
    let mut last = None;
    for i in 0..hosts.len().max(addrs.len()) {
        let port = ports
            .get(i)
            .or(ports.first())
            .copied()
            .unwrap_or(DEFAULT_PORT);
        let socket = match (addrs.get(i), hosts.get(i)) {
            (Some(addr), _) => Socket::tcp(&addr.to_string(), port).await,
            (None, Some(Host::Tcp(name))) => Socket::tcp(name, port).await,
            #[cfg(unix)]
            (None, Some(Host::Unix(dir))) => Socket::unix(dir, port).await,
            (None, None) => break,
        };
        let attempt = match socket {
            Ok(socket) => start(Wire::new(socket), config).await,
            Err(e) => Err(e.into()),
        };
        match attempt {
            Ok(wire) => return Ok(wire),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| PgError::auth("the URL names no host")))
}

/// The user to log in as: the URL's, else the operating system's.
fn user(config: &Config) -> Result<String, PgError> {
    if let Some(user) = config.get_user() {
        return Ok(user.to_owned());
    }
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .map_err(|_| PgError::auth("the URL names no user"))
}

/// Sends the startup message, authenticates and reads the server's
/// parameters up to its first `ReadyForQuery`.
async fn start(mut wire: Wire, config: &Config) -> Result<Wire, PgError> {
    let user = user(config)?;
    let mut params = vec![("user", user.as_str()), ("client_encoding", "UTF8")];
    if let Some(db) = config.get_dbname() {
        params.push(("database", db));
    }
    if let Some(options) = config.get_options() {
        params.push(("options", options));
    }
    if let Some(name) = config.get_application_name() {
        params.push(("application_name", name));
    }
    frontend::startup_message(params, wire.out())?;
    wire.flush().await?;
    authenticate(&mut wire, config, &user).await?;
    loop {
        match wire.message().await? {
            Message::ReadyForQuery(_) => return Ok(wire),
            Message::ErrorResponse(body) => return Err(PgError::from_fields(body.fields())),
            Message::BackendKeyData(_)
            | Message::ParameterStatus(_)
            | Message::NoticeResponse(_) => {}
            _ => {
                return Err(PgError::unexpected(
                    "a message other than the session's parameters",
                ));
            }
        }
    }
}

/// The password the server asked for.
fn password(config: &Config) -> Result<&[u8], PgError> {
    config
        .get_password()
        .ok_or_else(|| PgError::auth("the server asks for a password and the URL gives none"))
}

/// Answers the server's authentication request, up to `AuthenticationOk`.
async fn authenticate(wire: &mut Wire, config: &Config, user: &str) -> Result<(), PgError> {
    let mut scram: Option<sasl::ScramSha256> = None;
    loop {
        match wire.message().await? {
            Message::AuthenticationOk => return Ok(()),
            Message::AuthenticationCleartextPassword => {
                frontend::password_message(password(config)?, wire.out())?;
            }
            Message::AuthenticationMd5Password(body) => {
                let hash =
                    authentication::md5_hash(user.as_bytes(), password(config)?, body.salt());
                frontend::password_message(hash.as_bytes(), wire.out())?;
            }
            Message::AuthenticationSasl(body) => {
                let mut offered = body.mechanisms();
                let mut scram_offered = false;
                while let Some(mechanism) = fallible_iterator::FallibleIterator::next(&mut offered)?
                {
                    scram_offered |= mechanism == sasl::SCRAM_SHA_256;
                }
                if !scram_offered {
                    return Err(PgError::auth(
                        "the server offers no SASL mechanism keyway speaks (SCRAM-SHA-256)",
                    ));
                }
                let client =
                    sasl::ScramSha256::new(password(config)?, sasl::ChannelBinding::unsupported());
                frontend::sasl_initial_response(sasl::SCRAM_SHA_256, client.message(), wire.out())?;
                scram = Some(client);
            }
            Message::AuthenticationSaslContinue(body) => {
                let client = scram
                    .as_mut()
                    .ok_or_else(|| PgError::unexpected("a SASL step unasked"))?;
                client
                    .update(body.data())
                    .map_err(|e| PgError::auth(format!("SCRAM: {e}")))?;
                frontend::sasl_response(client.message(), wire.out())?;
            }
            Message::AuthenticationSaslFinal(body) => {
                let client = scram
                    .as_mut()
                    .ok_or_else(|| PgError::unexpected("a SASL step unasked"))?;
                client
                    .finish(body.data())
                    .map_err(|e| PgError::auth(format!("SCRAM: {e}")))?;
                continue;
            }
            Message::ErrorResponse(body) => return Err(PgError::from_fields(body.fields())),
            Message::NoticeResponse(_) => continue,
            _ => {
                return Err(PgError::auth(
                    "the server asks for an authentication keyway does not speak \
                     (it speaks trust, password, md5 and scram-sha-256)",
                ));
            }
        }
        wire.flush().await?;
    }
}
