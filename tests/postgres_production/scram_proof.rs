//! A server that cannot prove it knows the password is refused: a scripted
//! server on loopback runs SCRAM-SHA-256 up to the client's proof, then
//! sends a wrong signature, or says the login succeeded without sending
//! its proof at all.

use keyway::Error;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// How the scripted server ends the exchange.
#[derive(Clone, Copy)]
enum Ending {
    WrongSignature,
    OkWithoutProof,
}

/// One server message: its type, length and body.
fn message(kind: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![kind];
    out.extend_from_slice(&(body.len() as i32 + 4).to_be_bytes());
    out.extend_from_slice(body);
    out
}

fn authentication(code: i32, data: &[u8]) -> Vec<u8> {
    let mut body = code.to_be_bytes().to_vec();
    body.extend_from_slice(data);
    message(b'R', &body)
}

/// Reads one client message after the startup: its body.
async fn read_message(stream: &mut TcpStream) -> Vec<u8> {
    let kind = stream.read_u8().await.unwrap();
    assert_eq!(kind, b'p', "a password message");
    let len = stream.read_i32().await.unwrap() as usize;
    let mut body = vec![0; len - 4];
    stream.read_exact(&mut body).await.unwrap();
    body
}

async fn serve(listener: TcpListener, ending: Ending) {
    let (mut stream, _) = listener.accept().await.unwrap();
    // The startup message: a length, then that many bytes.
    let len = stream.read_i32().await.unwrap() as usize;
    let mut startup = vec![0; len - 4];
    stream.read_exact(&mut startup).await.unwrap();
    stream
        .write_all(&authentication(10, b"SCRAM-SHA-256\0\0"))
        .await
        .unwrap();
    // SASLInitialResponse: mechanism, length, client-first ("n,,n=,r=NONCE").
    let first = read_message(&mut stream).await;
    let text = String::from_utf8_lossy(&first).into_owned();
    // The nonce is all after the first ",r=" (it may itself hold "r=").
    let at = text.find(",r=").expect("a client nonce") + 3;
    let nonce = text[at..].to_owned();
    let server_first = format!("r={nonce}server,s=c2FsdHNhbHQ=,i=4096");
    stream
        .write_all(&authentication(11, server_first.as_bytes()))
        .await
        .unwrap();
    let _client_final = read_message(&mut stream).await;
    let ok_and_ready = [authentication(0, &[]), message(b'Z', b"I")].concat();
    match ending {
        Ending::WrongSignature => {
            let wrong = b"v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
            stream.write_all(&authentication(12, wrong)).await.unwrap();
            stream.write_all(&ok_and_ready).await.unwrap();
        }
        Ending::OkWithoutProof => stream.write_all(&ok_and_ready).await.unwrap(),
    }
    // Held open until the client gives up.
    let mut rest = Vec::new();
    let _ = stream.read_to_end(&mut rest).await;
}

async fn login(ending: Ending) -> Error {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = tokio::spawn(serve(listener, ending));
    let url = format!("postgres://app:secret@127.0.0.1:{port}/app?sslmode=disable");
    let err = keyway_postgres::Postgres::connect(&url).await.unwrap_err();
    server.abort();
    err
}

#[tokio::test]
async fn a_wrong_server_signature_is_refused() {
    let err = login(Ending::WrongSignature).await;
    assert!(matches!(err, Error::Connection(_)), "{err:?}");
    assert!(err.to_string().contains("SCRAM verification"), "{err}");
}

#[tokio::test]
async fn a_login_said_to_succeed_without_the_servers_proof_is_refused() {
    let err = login(Ending::OkWithoutProof).await;
    assert!(matches!(err, Error::Connection(_)), "{err:?}");
    assert!(err.to_string().contains("unexpected message"), "{err}");
}
