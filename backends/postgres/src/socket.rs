//! A socket keyway opens itself, for a plaintext login that `require_auth`
//! checks (tokio-postgres's own sockets cannot be watched): TCP with the
//! connection string's timeout, keepalive and user timeout, or a Unix
//! socket.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use socket2::{SockRef, TcpKeepalive};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpStream, UnixStream};
use tokio_postgres::Config;
use tokio_postgres::config::Host;

/// An open socket to the server.
#[derive(Debug)]
pub(crate) enum Socket {
    Tcp(TcpStream),
    Unix(UnixStream),
}

/// Opens a socket to the one host of `config`.
pub(crate) async fn open(config: &Config) -> io::Result<Socket> {
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let timeout = config.get_connect_timeout().copied();
    let connect = async {
        if let Some(addr) = config.get_hostaddrs().first() {
            return TcpStream::connect((*addr, port)).await.map(Socket::Tcp);
        }
        match config.get_hosts().first() {
            Some(Host::Tcp(name)) => TcpStream::connect((name.as_str(), port))
                .await
                .map(Socket::Tcp),
            Some(Host::Unix(dir)) => {
                let path = dir.join(format!(".s.PGSQL.{port}"));
                UnixStream::connect(path).await.map(Socket::Unix)
            }
            None => Err(io::Error::new(io::ErrorKind::InvalidInput, "no host")),
        }
    };
    let socket = match timeout {
        Some(limit) => tokio::time::timeout(limit, connect)
            .await
            .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "connect_timeout elapsed"))??,
        None => connect.await?,
    };
    if let Socket::Tcp(tcp) = &socket {
        tcp.set_nodelay(true)?;
        let sock = SockRef::from(tcp);
        if config.get_keepalives() {
            let mut keepalive = TcpKeepalive::new().with_time(config.get_keepalives_idle());
            if let Some(interval) = config.get_keepalives_interval() {
                keepalive = keepalive.with_interval(interval);
            }
            if let Some(retries) = config.get_keepalives_retries() {
                keepalive = keepalive.with_retries(retries);
            }
            sock.set_tcp_keepalive(&keepalive)?;
        }
        if let Some(limit) = config.get_tcp_user_timeout() {
            sock.set_tcp_user_timeout(Some(*limit).filter(|l| *l > Duration::ZERO))?;
        }
    }
    Ok(socket)
}

impl AsyncRead for Socket {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Socket::Tcp(s) => Pin::new(s).poll_read(cx, buf),
            Socket::Unix(s) => Pin::new(s).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Socket {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Socket::Tcp(s) => Pin::new(s).poll_write(cx, buf),
            Socket::Unix(s) => Pin::new(s).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Socket::Tcp(s) => Pin::new(s).poll_flush(cx),
            Socket::Unix(s) => Pin::new(s).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Socket::Tcp(s) => Pin::new(s).poll_shutdown(cx),
            Socket::Unix(s) => Pin::new(s).poll_shutdown(cx),
        }
    }
}

/// A socket whose shutdown also waits until the server has closed its side:
/// the server has acted on a cancel request once it closed the connection.
#[derive(Debug)]
pub(crate) struct UntilClosed {
    socket: Socket,
    shut: bool,
}

impl UntilClosed {
    pub(crate) fn new(socket: Socket) -> UntilClosed {
        UntilClosed {
            socket,
            shut: false,
        }
    }
}

impl AsyncRead for UntilClosed {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().socket).poll_read(cx, buf)
    }
}

impl AsyncWrite for UntilClosed {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().socket).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().socket).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if !this.shut {
            match Pin::new(&mut this.socket).poll_shutdown(cx) {
                Poll::Ready(Ok(())) => this.shut = true,
                other => return other,
            }
        }
        // Whatever the server still sends (a TLS close_notify) until its end.
        let mut bytes = [0u8; 256];
        loop {
            let mut buf = ReadBuf::new(&mut bytes);
            match Pin::new(&mut this.socket).poll_read(cx, &mut buf) {
                Poll::Ready(Ok(())) if buf.filled().is_empty() => return Poll::Ready(Ok(())),
                Poll::Ready(Ok(())) => {}
                // A reset is an end too.
                Poll::Ready(Err(_)) => return Poll::Ready(Ok(())),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}
