//! A loopback TCP proxy that can turn into a blackhole: once armed, the
//! connections open through it stop forwarding in both directions, yet
//! their sockets stay open (the kernel still acknowledges every segment, so
//! the peer looks alive to TCP), and new connections are accepted but never
//! reach the server. Restored, new connections forward again; the ones it
//! swallowed stay silent, as a peer behind a dead route does. It can also
//! make new connections slow to get through (a lost SYN, a congested
//! path): they reach the server only after a delay.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{AbortHandle, JoinHandle};

/// One connection through the proxy: whether it is swallowed, and its task.
struct Link {
    silent: Arc<AtomicBool>,
    task: AbortHandle,
}

struct Shared {
    upstream: SocketAddr,
    /// New connections are swallowed.
    armed: AtomicBool,
    /// How long a new connection waits before it reaches the server.
    delay_new: Mutex<Duration>,
    links: Mutex<Vec<Link>>,
}

/// The proxy; every connection through it closes when it is dropped.
pub struct Blackhole {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept: JoinHandle<()>,
}

impl Blackhole {
    /// A proxy on a free loopback port in front of `upstream` (`host:port`).
    pub async fn start(upstream: &str) -> Blackhole {
        let upstream = tokio::net::lookup_host(upstream)
            .await
            .expect("resolve the upstream")
            .next()
            .expect("an upstream address");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local address");
        let shared = Arc::new(Shared {
            upstream,
            armed: AtomicBool::new(false),
            delay_new: Mutex::default(),
            links: Mutex::default(),
        });
        let accept = tokio::spawn(accept_loop(listener, Arc::clone(&shared)));
        Blackhole {
            addr,
            shared,
            accept,
        }
    }

    /// `host:port` to connect to instead of the server.
    pub fn addr(&self) -> String {
        self.addr.to_string()
    }

    /// Silences every open connection and swallows new ones until
    /// [`restore`](Self::restore); returns how many open connections it
    /// silenced (those not silent already).
    pub fn arm(&self) -> usize {
        self.shared.armed.store(true, Ordering::SeqCst);
        let mut links = self.shared.links.lock().unwrap();
        links.retain(|l| !l.task.is_finished());
        links
            .iter()
            .filter(|l| !l.silent.swap(true, Ordering::SeqCst))
            .count()
    }

    /// New connections forward again.
    pub fn restore(&self) {
        self.shared.armed.store(false, Ordering::SeqCst);
    }

    /// New connections reach the server `delay` after they were accepted
    /// (what the client sent meanwhile waits in the proxy).
    pub fn delay_new(&self, delay: Duration) {
        *self.shared.delay_new.lock().unwrap() = delay;
    }
}

impl Drop for Blackhole {
    fn drop(&mut self) {
        self.accept.abort();
        for link in self.shared.links.lock().unwrap().drain(..) {
            link.task.abort();
        }
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    while let Ok((client, _)) = listener.accept().await {
        let silent = Arc::new(AtomicBool::new(shared.armed.load(Ordering::SeqCst)));
        let task = tokio::spawn(serve(client, Arc::clone(&shared), Arc::clone(&silent)));
        let mut links = shared.links.lock().unwrap();
        links.retain(|l| !l.task.is_finished());
        links.push(Link {
            silent,
            task: task.abort_handle(),
        });
    }
}

async fn serve(client: TcpStream, shared: Arc<Shared>, silent: Arc<AtomicBool>) {
    if silent.load(Ordering::SeqCst) {
        // Accepted, never answered, held open until the proxy goes.
        let _held = client;
        return std::future::pending().await;
    }
    let delay = *shared.delay_new.lock().unwrap();
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let Ok(server) = TcpStream::connect(shared.upstream).await else {
        return;
    };
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let (client_read, client_write) = client.into_split();
    let (server_read, server_write) = server.into_split();
    // Each direction's end is passed on (a half-close stays one); the
    // connection ends when both have, unless it is silent.
    tokio::join!(
        pump(client_read, server_write, &silent),
        pump(server_read, client_write, &silent),
    );
}

/// Copies `from` to `to` until `from` ends, then ends `to`; once `silent`,
/// what arrives is read and thrown away, and the end is never passed on.
async fn pump(mut from: OwnedReadHalf, mut to: OwnedWriteHalf, silent: &AtomicBool) {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        if silent.load(Ordering::SeqCst) {
            continue;
        }
        if to.write_all(&buf[..n]).await.is_err() {
            break;
        }
    }
    if silent.load(Ordering::SeqCst) {
        // A blackhole reports no end: both sockets stay open.
        let _held = (&from, &to);
        std::future::pending::<()>().await;
    }
    let _ = to.shutdown().await;
}
