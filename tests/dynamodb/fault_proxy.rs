//! A loopback HTTP proxy in front of a DynamoDB-protocol server that injects
//! the faults DynamoDB itself produces: throttling (HTTP 400
//! `ProvisionedThroughputExceededException`), server errors (HTTP 500
//! `InternalServerError`), connections closed without an answer, and partial
//! batch results (`UnprocessedItems` / `UnprocessedKeys`). An injected
//! throttle, server error or dropped connection never reaches the server, as
//! DynamoDB applies nothing it throttles; an unprocessed batch half is not
//! sent on, so it is really not written or read.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{Map, Value, json};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// One kind of injected fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// HTTP 400 `ProvisionedThroughputExceededException`, not forwarded.
    Throttle,
    /// HTTP 500 `InternalServerError`, not forwarded.
    ServerError,
    /// The connection closed with no answer, not forwarded.
    Drop,
    /// A batch request with only its first half forwarded; the rest comes
    /// back as unprocessed.
    Unprocessed,
}

#[derive(Debug, Default)]
struct State {
    /// Per operation: the fault and how many more requests it hits.
    faults: HashMap<String, (Fault, usize)>,
    /// Per operation: how many requests arrived.
    seen: HashMap<String, usize>,
}

/// The proxy; it stops when dropped.
pub struct FaultProxy {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    accept: JoinHandle<()>,
}

impl FaultProxy {
    /// A proxy on a free loopback port in front of `upstream` (`host:port`).
    pub async fn start(upstream: &str) -> FaultProxy {
        let upstream: SocketAddr = tokio::net::lookup_host(upstream)
            .await
            .expect("resolve the server")
            .next()
            .expect("a server address");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local address");
        let state = Arc::new(Mutex::new(State::default()));
        let accept = tokio::spawn(accept_loop(listener, upstream, state.clone()));
        FaultProxy {
            addr,
            state,
            accept,
        }
    }

    /// `host:port` to reach the server through the proxy.
    pub fn addr(&self) -> String {
        self.addr.to_string()
    }

    /// Hits the next `times` requests of `operation` (`PutItem`, ...) with
    /// `fault`.
    pub fn inject(&self, operation: &str, fault: Fault, times: usize) {
        let mut state = self.state.lock().unwrap();
        state.faults.insert(operation.to_owned(), (fault, times));
    }

    /// How many requests of `operation` arrived, faulted or not.
    pub fn seen(&self, operation: &str) -> usize {
        let state = self.state.lock().unwrap();
        state.seen.get(operation).copied().unwrap_or(0)
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

async fn accept_loop(listener: TcpListener, upstream: SocketAddr, state: Arc<Mutex<State>>) {
    while let Ok((client, _)) = listener.accept().await {
        let state = state.clone();
        tokio::spawn(async move {
            let service = service_fn(move |req| handle(req, upstream, state.clone()));
            // A dropped connection ends here with an error: expected.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(client), service)
                .await;
        });
    }
}

type Answer = Response<Full<Bytes>>;

/// The operation of a request: `DynamoDB_20120810.PutItem` -> `PutItem`.
fn operation(req: &Request<Incoming>) -> String {
    req.headers()
        .get("x-amz-target")
        .and_then(|t| t.to_str().ok())
        .and_then(|t| t.rsplit('.').next())
        .unwrap_or("")
        .to_owned()
}

/// The fault for this request of `op`, counting the request.
fn take_fault(state: &Mutex<State>, op: &str) -> Option<Fault> {
    let mut state = state.lock().unwrap();
    *state.seen.entry(op.to_owned()).or_default() += 1;
    let entry = state.faults.get_mut(op)?;
    if entry.1 == 0 {
        return None;
    }
    entry.1 -= 1;
    Some(entry.0)
}

async fn handle(
    req: Request<Incoming>,
    upstream: SocketAddr,
    state: Arc<Mutex<State>>,
) -> Result<Answer, std::io::Error> {
    let op = operation(&req);
    let fault = take_fault(&state, &op);
    let (parts, body) = req.into_parts();
    let body = body
        .collect()
        .await
        .map_err(std::io::Error::other)?
        .to_bytes();
    match fault {
        Some(Fault::Throttle) => Ok(error_answer(
            StatusCode::BAD_REQUEST,
            "ProvisionedThroughputExceededException",
            "injected: the request rate is too high",
        )),
        Some(Fault::ServerError) => Ok(error_answer(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalServerError",
            "injected: internal server error",
        )),
        // Failing the service closes the connection without an answer.
        Some(Fault::Drop) => Err(std::io::Error::other("injected: connection dropped")),
        Some(Fault::Unprocessed) => partial_batch(&op, parts, body, upstream).await,
        None => forward(parts, body, upstream).await,
    }
}

fn error_answer(status: StatusCode, code: &str, message: &str) -> Answer {
    let body = json!({
        "__type": format!("com.amazonaws.dynamodb.v20120810#{code}"),
        "message": message,
    });
    json_answer(status, &body)
}

fn json_answer(status: StatusCode, body: &Value) -> Answer {
    Response::builder()
        .status(status)
        .header("content-type", "application/x-amz-json-1.0")
        .body(Full::new(Bytes::from(body.to_string())))
        .expect("a valid answer")
}

/// Sends the request on to the server and returns its answer.
async fn forward(
    parts: hyper::http::request::Parts,
    body: Bytes,
    upstream: SocketAddr,
) -> Result<Answer, std::io::Error> {
    let stream = TcpStream::connect(upstream).await?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(std::io::Error::other)?;
    tokio::spawn(conn);
    let mut req = Request::from_parts(parts, Full::new(body.clone()));
    req.headers_mut().insert(
        hyper::header::CONTENT_LENGTH,
        hyper::header::HeaderValue::from(body.len()),
    );
    let resp = sender
        .send_request(req)
        .await
        .map_err(std::io::Error::other)?;
    let (parts, body) = resp.into_parts();
    let body = body
        .collect()
        .await
        .map_err(std::io::Error::other)?
        .to_bytes();
    Ok(Response::from_parts(parts, Full::new(body)))
}

/// Forwards the first half of every table's batch and answers the rest as
/// unprocessed, merged into the server's answer.
async fn partial_batch(
    op: &str,
    parts: hyper::http::request::Parts,
    body: Bytes,
    upstream: SocketAddr,
) -> Result<Answer, std::io::Error> {
    let mut request: Value = serde_json::from_slice(&body).map_err(std::io::Error::other)?;
    let (items_key, left_key) = match op {
        "BatchWriteItem" => (None, "UnprocessedItems"),
        "BatchGetItem" => (Some("Keys"), "UnprocessedKeys"),
        _ => return forward(parts, body, upstream).await,
    };
    let tables = request["RequestItems"]
        .as_object_mut()
        .ok_or_else(|| std::io::Error::other("a batch without RequestItems"))?;
    let mut left = Map::new();
    for (table, entry) in tables.iter_mut() {
        let list = match items_key {
            Some(key) => &mut entry[key],
            None => &mut *entry,
        };
        let all = list.as_array_mut().expect("a batch list");
        let rest = all.split_off(all.len() / 2);
        let mut unprocessed = entry.clone();
        match items_key {
            Some(key) => unprocessed[key] = Value::Array(rest),
            None => unprocessed = Value::Array(rest),
        }
        left.insert(table.clone(), unprocessed);
    }
    tables.retain(|_, entry| {
        let list = match items_key {
            Some(key) => &entry[key],
            None => &*entry,
        };
        list.as_array().is_some_and(|l| !l.is_empty())
    });
    let mut answer = if tables.is_empty() {
        json!({})
    } else {
        let sent = Bytes::from(request.to_string());
        let resp = forward(parts, sent, upstream).await?;
        if resp.status() != StatusCode::OK {
            return Ok(resp);
        }
        let bytes = resp
            .into_body()
            .collect()
            .await
            .map_err(std::io::Error::other)?;
        serde_json::from_slice(&bytes.to_bytes()).map_err(std::io::Error::other)?
    };
    answer[left_key] = Value::Object(left);
    Ok(json_answer(StatusCode::OK, &answer))
}
