//! `require_auth`: the login methods the client accepts, checked on what
//! the server asks for before tokio-postgres answers it. The server's
//! messages are read with postgres-protocol's parser from a copy of the
//! bytes, until the login is over; a method that is not accepted fails the
//! read, so no password leaves the client.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::BytesMut;
use futures::future::BoxFuture;
use keyway::{Error, Result};
use postgres_protocol::message::backend::Message;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio_postgres::tls::{ChannelBinding, MakeTlsConnect, TlsConnect, TlsStream};
use tokio_postgres_rustls::MakeRustlsConnect;

/// The largest message a server may send before the login is over; a
/// longer one is refused before anything is reserved for it.
const MAX_LOGIN_MESSAGE: usize = 64 * 1024;

/// A login method of `require_auth`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    Password,
    Md5,
    Scram,
    None,
}

impl Method {
    fn name(self) -> &'static str {
        match self {
            Method::Password => "password (cleartext)",
            Method::Md5 => "md5",
            Method::Scram => "scram-sha-256",
            Method::None => "none (no authentication)",
        }
    }
}

/// libpq's `require_auth`: the methods allowed, or (with `!`) refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RequireAuth {
    methods: Vec<Method>,
    negated: bool,
    text: String,
}

impl RequireAuth {
    pub(crate) fn parse(s: &str) -> Result<RequireAuth> {
        let invalid = |detail: String| Error::Invalid {
            what: "PostgreSQL URL",
            detail,
        };
        let mut methods = Vec::new();
        let mut negated = None;
        for word in s.split(',').map(str::trim) {
            let (not, name) = match word.strip_prefix('!') {
                Some(name) => (true, name),
                None => (false, word),
            };
            if negated.is_some_and(|n| n != not) {
                return Err(invalid(format!(
                    "require_auth=`{s}`: methods are either all negated (!) or none"
                )));
            }
            negated = Some(not);
            methods.push(match name {
                "password" => Method::Password,
                "md5" => Method::Md5,
                "scram-sha-256" => Method::Scram,
                "none" => Method::None,
                "gss" | "sspi" => {
                    return Err(invalid(format!(
                        "require_auth: `{name}` logins are not offered by tokio-postgres"
                    )));
                }
                other => {
                    return Err(invalid(format!(
                        "require_auth: `{other}` (password, md5, scram-sha-256 or none, \
                         each negated with !)"
                    )));
                }
            });
        }
        Ok(RequireAuth {
            methods,
            negated: negated.unwrap_or(false),
            text: s.to_owned(),
        })
    }

    fn allows(&self, method: Method) -> bool {
        self.methods.contains(&method) != self.negated
    }
}

/// What is left to check of a login.
#[derive(Debug)]
struct Check {
    require: RequireAuth,
    seen: BytesMut,
    asked: bool,
}

impl Check {
    /// Reads what arrived: an error when the server asks for a method that
    /// is not allowed; `Ok(true)` once the login is over.
    fn read(&mut self, bytes: &[u8]) -> io::Result<bool> {
        self.seen.extend_from_slice(bytes);
        loop {
            if let Some(header) = self.seen.get(1..5) {
                let len = u32::from_be_bytes([header[0], header[1], header[2], header[3]]);
                if len as usize > MAX_LOGIN_MESSAGE {
                    return Err(refused(format!(
                        "the server announced a message of {len} bytes before the login ended"
                    )));
                }
            }
            let Some(message) = Message::parse(&mut self.seen)? else {
                return Ok(false);
            };
            let method = match message {
                Message::AuthenticationCleartextPassword => Method::Password,
                Message::AuthenticationMd5Password(_) => Method::Md5,
                Message::AuthenticationSasl(_) => Method::Scram,
                Message::AuthenticationOk if !self.asked => Method::None,
                Message::AuthenticationOk | Message::ErrorResponse(_) => return Ok(true),
                _ => continue,
            };
            if !self.require.allows(method) {
                return Err(refused(format!(
                    "the server asked for a {} login, which require_auth={} does not allow",
                    method.name(),
                    self.require.text
                )));
            }
            if method == Method::None {
                return Ok(true);
            }
            self.asked = true;
        }
    }
}

fn refused(what: String) -> io::Error {
    io::Error::new(io::ErrorKind::PermissionDenied, what)
}

/// A stream whose incoming bytes are checked until the login is over.
#[derive(Debug)]
pub(crate) struct Watched<S> {
    inner: S,
    check: Option<Check>,
}

impl<S> Watched<S> {
    pub(crate) fn new(inner: S, require: Option<RequireAuth>) -> Watched<S> {
        Watched {
            inner,
            check: require.map(|require| Check {
                require,
                seen: BytesMut::new(),
                asked: false,
            }),
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Watched<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        let before = buf.filled().len();
        std::task::ready!(Pin::new(&mut this.inner).poll_read(cx, buf))?;
        if let Some(check) = &mut this.check
            && check.read(&buf.filled()[before..])?
        {
            this.check = None;
        }
        Poll::Ready(Ok(()))
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Watched<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

impl<S: TlsStream + Unpin> TlsStream for Watched<S> {
    fn channel_binding(&self) -> ChannelBinding {
        self.inner.channel_binding()
    }
}

/// rustls under tokio-postgres, with the login checked inside the TLS
/// channel.
#[derive(Clone)]
pub(crate) struct CheckedTls {
    pub(crate) rustls: MakeRustlsConnect,
    pub(crate) require: Option<RequireAuth>,
}

impl<S> MakeTlsConnect<S> for CheckedTls
where
    MakeRustlsConnect: MakeTlsConnect<S>,
    <MakeRustlsConnect as MakeTlsConnect<S>>::TlsConnect: Send,
    <<MakeRustlsConnect as MakeTlsConnect<S>>::TlsConnect as TlsConnect<S>>::Future: Send + 'static,
    <MakeRustlsConnect as MakeTlsConnect<S>>::Stream: Send + 'static,
{
    type Stream = Watched<<MakeRustlsConnect as MakeTlsConnect<S>>::Stream>;
    type TlsConnect = CheckedConnect<<MakeRustlsConnect as MakeTlsConnect<S>>::TlsConnect>;
    type Error = <MakeRustlsConnect as MakeTlsConnect<S>>::Error;

    fn make_tls_connect(&mut self, domain: &str) -> Result<Self::TlsConnect, Self::Error> {
        Ok(CheckedConnect {
            inner: self.rustls.make_tls_connect(domain)?,
            require: self.require.clone(),
        })
    }
}

/// One TLS handshake whose stream is then watched.
pub(crate) struct CheckedConnect<T> {
    inner: T,
    require: Option<RequireAuth>,
}

impl<S, T> TlsConnect<S> for CheckedConnect<T>
where
    T: TlsConnect<S> + Send,
    T::Future: Send + 'static,
    T::Stream: Send + 'static,
{
    type Stream = Watched<T::Stream>;
    type Error = T::Error;
    type Future = BoxFuture<'static, Result<Watched<T::Stream>, T::Error>>;

    fn connect(self, stream: S) -> Self::Future {
        let require = self.require;
        let handshake = self.inner.connect(stream);
        Box::pin(async move { Ok(Watched::new(handshake.await?, require)) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A server's authentication request, as it is framed on the wire.
    fn request(code: i32, extra: &[u8]) -> Vec<u8> {
        let mut out = vec![b'R'];
        out.extend_from_slice(&(8 + extra.len() as i32).to_be_bytes());
        out.extend_from_slice(&code.to_be_bytes());
        out.extend_from_slice(extra);
        out
    }

    fn check(require: &str) -> Check {
        Check {
            require: RequireAuth::parse(require).unwrap(),
            seen: BytesMut::new(),
            asked: false,
        }
    }

    #[test]
    fn methods_are_allowed_or_refused_as_listed() {
        let cleartext = request(3, &[]);
        let md5 = request(5, &[1, 2, 3, 4]);
        let sasl = request(10, b"SCRAM-SHA-256\0\0");
        let ok = request(0, &[]);
        assert!(check("scram-sha-256").read(&cleartext).is_err());
        assert!(check("scram-sha-256").read(&md5).is_err());
        assert!(!check("scram-sha-256").read(&sasl).unwrap());
        assert!(check("!password,!md5").read(&cleartext).is_err());
        assert!(!check("!password,!md5").read(&sasl).unwrap());
        assert!(!check("md5").read(&md5).unwrap());
        // Trust: Ok without a request.
        assert!(check("scram-sha-256").read(&ok).is_err());
        assert!(check("none").read(&ok).unwrap());
        // A request split across reads is still read whole.
        let mut split = check("scram-sha-256");
        assert!(!split.read(&cleartext[..3]).unwrap());
        assert!(split.read(&cleartext[3..]).is_err());
    }

    #[test]
    fn a_huge_message_before_the_login_is_refused() {
        let mut huge = vec![b'R'];
        huge.extend_from_slice(&u32::MAX.to_be_bytes());
        assert!(check("none").read(&huge).is_err());
    }

    #[test]
    fn malformed_lists_are_refused() {
        assert!(RequireAuth::parse("password,!md5").is_err());
        assert!(RequireAuth::parse("kerberos").is_err());
        assert!(RequireAuth::parse("gss").is_err());
    }
}
