//! A loopback TCP proxy between a client and a database server that injects
//! network faults: it cuts every open connection, cuts a connection when the
//! client sends a given byte pattern (just before or just after forwarding
//! it), delays every chunk in both directions, or stalls new connections.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{AbortHandle, JoinHandle};

/// A cut armed to fire on the `nth` chunk the client sends that contains
/// `pattern`: the connection closes before that chunk reaches the server, or
/// (with `forward`) right after it does, before any answer comes back.
#[derive(Debug, Clone)]
pub struct Cut {
    pub pattern: Vec<u8>,
    pub nth: usize,
    pub forward: bool,
}

impl Cut {
    /// Cut before the first chunk containing `pattern` is forwarded.
    pub fn before(pattern: &str) -> Self {
        Cut {
            pattern: pattern.as_bytes().to_vec(),
            nth: 1,
            forward: false,
        }
    }

    /// Cut right after the first chunk containing `pattern` is forwarded.
    pub fn after(pattern: &str) -> Self {
        Cut {
            forward: true,
            ..Cut::before(pattern)
        }
    }

    /// Fire on the `nth` matching chunk instead of the first.
    pub fn nth(self, nth: usize) -> Self {
        Cut { nth, ..self }
    }
}

#[derive(Debug, Default)]
struct Plan {
    delay: Duration,
    stall_new: bool,
    cut: Option<Cut>,
    seen: usize,
    fired: usize,
}

#[derive(Debug)]
struct Shared {
    upstream: SocketAddr,
    plan: Mutex<Plan>,
    conns: Mutex<Vec<AbortHandle>>,
}

/// The proxy; it stops (closing every connection) when dropped.
pub struct TcpProxy {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept: JoinHandle<()>,
}

impl TcpProxy {
    /// A proxy on a free loopback port forwarding to `upstream` (`host:port`).
    pub async fn start(upstream: &str) -> TcpProxy {
        let upstream = tokio::net::lookup_host(upstream)
            .await
            .expect("resolve the upstream")
            .next()
            .expect("an upstream address");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local address");
        let shared = Arc::new(Shared {
            upstream,
            plan: Mutex::default(),
            conns: Mutex::default(),
        });
        let accept = tokio::spawn(accept_loop(listener, shared.clone()));
        TcpProxy {
            addr,
            shared,
            accept,
        }
    }

    /// `host:port` to connect to instead of the server.
    pub fn addr(&self) -> String {
        self.addr.to_string()
    }

    /// Closes every open connection now.
    pub fn cut_all(&self) {
        for conn in self.shared.conns.lock().unwrap().drain(..) {
            conn.abort();
        }
    }

    /// Arms `cut` (replacing any armed one).
    pub fn arm(&self, cut: Cut) {
        let mut plan = self.shared.plan.lock().unwrap();
        plan.cut = Some(cut);
        plan.seen = 0;
    }

    /// Disarms the armed cut, if it has not fired.
    pub fn disarm(&self) {
        self.shared.plan.lock().unwrap().cut = None;
    }

    /// How many armed cuts have fired.
    pub fn fired(&self) -> usize {
        self.shared.plan.lock().unwrap().fired
    }

    /// Delays every chunk, in both directions, by `delay`.
    pub fn delay(&self, delay: Duration) {
        self.shared.plan.lock().unwrap().delay = delay;
    }

    /// Whether new connections are accepted but never reach the server (and
    /// never get an answer).
    pub fn stall_new(&self, stall: bool) {
        self.shared.plan.lock().unwrap().stall_new = stall;
    }
}

impl Drop for TcpProxy {
    fn drop(&mut self) {
        self.accept.abort();
        self.cut_all();
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    while let Ok((client, _)) = listener.accept().await {
        let task = tokio::spawn(serve(client, shared.clone()));
        let mut conns = shared.conns.lock().unwrap();
        conns.retain(|c| !c.is_finished());
        conns.push(task.abort_handle());
    }
}

async fn serve(client: TcpStream, shared: Arc<Shared>) {
    if shared.plan.lock().unwrap().stall_new {
        // Hold the client without an answer until cut.
        let _held = &client;
        return std::future::pending().await;
    }
    let Ok(server) = TcpStream::connect(shared.upstream).await else {
        return;
    };
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let (client_read, client_write) = client.into_split();
    let (server_read, server_write) = server.into_split();
    // Either direction ending (EOF, error or a cut) ends the connection.
    tokio::select! {
        () = to_server(client_read, server_write, &shared) => {}
        () = to_client(server_read, client_write, &shared) => {}
    }
}

async fn to_server(mut from: OwnedReadHalf, mut to: OwnedWriteHalf, shared: &Shared) {
    let mut buf = vec![0u8; 64 * 1024];
    // The end of the previous chunk, so that a pattern split across two
    // chunks still matches.
    let mut tail: Vec<u8> = Vec::new();
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        let chunk = &buf[..n];
        let (delay, cut) = check(shared, &tail, chunk);
        tail = chunk[n.saturating_sub(64)..].to_vec();
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        if cut == Some(false) {
            return;
        }
        if to.write_all(chunk).await.is_err() {
            return;
        }
        if cut == Some(true) {
            let _ = to.flush().await;
            return;
        }
    }
}

/// The delay to apply, and whether the armed cut fires on this chunk
/// (`Some(forward)`).
fn check(shared: &Shared, tail: &[u8], chunk: &[u8]) -> (Duration, Option<bool>) {
    let mut plan = shared.plan.lock().unwrap();
    let delay = plan.delay;
    let Some(cut) = plan.cut.clone() else {
        return (delay, None);
    };
    let mut window = tail.to_vec();
    window.extend_from_slice(chunk);
    let matches = window
        .windows(cut.pattern.len())
        .enumerate()
        .any(|(at, w)| w == cut.pattern && at + cut.pattern.len() > tail.len());
    if !matches {
        return (delay, None);
    }
    plan.seen += 1;
    if plan.seen < cut.nth {
        return (delay, None);
    }
    plan.cut = None;
    plan.fired += 1;
    (delay, Some(cut.forward))
}

async fn to_client(mut from: OwnedReadHalf, mut to: OwnedWriteHalf, shared: &Shared) {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        let delay = shared.plan.lock().unwrap().delay;
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        if to.write_all(&buf[..n]).await.is_err() {
            return;
        }
    }
}
