//! Password logins against a scripted server speaking the server's side of
//! PostgreSQL's startup: cleartext, MD5 and SCRAM-SHA-256, each checked the
//! way a server checks it. (The PostgreSQL the suite runs on trusts every
//! local login, so it never asks for a password.)

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use bytes::{Buf, BufMut, BytesMut};
use hmac::{Hmac, KeyInit, Mac};
use keyway::Error;
use keyway_postgres::{Postgres, PostgresOptions};
use md5::{Digest as _, Md5};
use sha2::Sha256;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// How the scripted server asks for the password.
#[derive(Clone, Copy)]
enum Method {
    Cleartext,
    Md5,
    Scram,
    /// Kerberos-era GSSAPI, which keyway does not speak.
    Gss,
}

const USER: &str = "keyway_user";
const PASSWORD: &str = "s3cret, with spaces";

/// A server on a free port that logs one client in by `method` with
/// `PASSWORD`, then answers simple queries with nothing until goodbye. Its
/// task ends with what it saw go wrong, if anything.
async fn server(method: Method) -> (u16, tokio::task::JoinHandle<Result<(), String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let task = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.map_err(|e| e.to_string())?;
        let user = startup(&mut socket).await?;
        if user != USER {
            return Err(format!("logged in as {user}"));
        }
        let accepted = match method {
            Method::Cleartext => cleartext(&mut socket).await?,
            Method::Md5 => md5(&mut socket).await?,
            Method::Scram => scram(&mut socket).await?,
            Method::Gss => {
                send(&mut socket, b'R', &7i32.to_be_bytes()).await;
                // The client gives up and closes.
                let mut rest = Vec::new();
                let _ = socket.read_to_end(&mut rest).await;
                return Ok(());
            }
        };
        if !accepted {
            refuse(&mut socket).await;
            return Ok(());
        }
        send(&mut socket, b'R', &0i32.to_be_bytes()).await;
        send(&mut socket, b'S', b"server_version\x0015.0\x00").await;
        send(&mut socket, b'K', &[0, 0, 0, 1, 0, 0, 0, 2]).await;
        send(&mut socket, b'Z', b"I").await;
        loop {
            let Ok((tag, _)) = message(&mut socket).await else {
                return Ok(());
            };
            match tag {
                b'Q' => {
                    send(&mut socket, b'I', b"").await;
                    send(&mut socket, b'Z', b"I").await;
                }
                b'X' => return Ok(()),
                other => return Err(format!("unexpected message {}", other as char)),
            }
        }
    });
    (port, task)
}

fn url(port: u16, password: Option<&str>) -> String {
    match password {
        Some(pw) => {
            let pw: String = pw.replace(' ', "%20").replace(',', "%2C");
            format!("postgres://{USER}:{pw}@127.0.0.1:{port}/test")
        }
        None => format!("postgres://{USER}@127.0.0.1:{port}/test"),
    }
}

async fn send(socket: &mut TcpStream, tag: u8, body: &[u8]) {
    let mut buf = BytesMut::new();
    buf.put_u8(tag);
    buf.put_i32(body.len() as i32 + 4);
    buf.put_slice(body);
    let _ = socket.write_all(&buf).await;
}

/// A length-prefixed body (the length counts itself).
async fn body(socket: &mut TcpStream) -> Result<Vec<u8>, String> {
    let len = socket.read_i32().await.map_err(|e| e.to_string())?;
    let len = usize::try_from(len - 4).map_err(|_| format!("length {len}"))?;
    let mut body = vec![0; len];
    socket
        .read_exact(&mut body)
        .await
        .map_err(|e| e.to_string())?;
    Ok(body)
}

/// One message from the client: its tag and body.
async fn message(socket: &mut TcpStream) -> Result<(u8, Vec<u8>), String> {
    let tag = socket.read_u8().await.map_err(|e| e.to_string())?;
    Ok((tag, body(socket).await?))
}

/// Reads the startup message; the user it names.
async fn startup(socket: &mut TcpStream) -> Result<String, String> {
    let body = body(socket).await?;
    if body[..4] != 196_608i32.to_be_bytes() {
        return Err("not protocol 3.0".into());
    }
    let words: Vec<&[u8]> = body[4..].split(|b| *b == 0).collect();
    let user = words
        .chunks(2)
        .find(|kv| kv[0] == b"user")
        .map(|kv| String::from_utf8_lossy(kv[1]).into_owned());
    user.ok_or_else(|| "no user".into())
}

async fn refuse(socket: &mut TcpStream) {
    let body =
        format!("SFATAL\0VFATAL\0C28P01\0Mpassword authentication failed for user \"{USER}\"\0\0");
    send(socket, b'E', body.as_bytes()).await;
}

/// A password message's text (without its NUL).
fn password_text(body: &[u8]) -> &[u8] {
    body.strip_suffix(b"\0").unwrap_or(body)
}

async fn cleartext(socket: &mut TcpStream) -> Result<bool, String> {
    send(socket, b'R', &3i32.to_be_bytes()).await;
    let Ok((_, body)) = message(socket).await else {
        return Ok(false); // The client hung up.
    };
    Ok(password_text(&body) == PASSWORD.as_bytes())
}

fn md5_hex(parts: &[&[u8]]) -> String {
    let mut md5 = Md5::new();
    for part in parts {
        md5.update(part);
    }
    md5.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

async fn md5(socket: &mut TcpStream) -> Result<bool, String> {
    let salt = [7u8, 1, 2, 9];
    let mut request = 5i32.to_be_bytes().to_vec();
    request.extend_from_slice(&salt);
    send(socket, b'R', &request).await;
    let Ok((_, body)) = message(socket).await else {
        return Ok(false); // The client hung up.
    };
    // As the server stores it: md5(password || user), then salted.
    let stored = md5_hex(&[PASSWORD.as_bytes(), USER.as_bytes()]);
    let expected = format!("md5{}", md5_hex(&[stored.as_bytes(), &salt]));
    Ok(password_text(&body) == expected.as_bytes())
}

fn hmac(key: &[u8], text: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(text);
    mac.finalize().into_bytes().to_vec()
}

/// The server's side of SCRAM-SHA-256 (RFC 5802, 7677), from the verifier
/// PostgreSQL would store for `PASSWORD`.
async fn scram(socket: &mut TcpStream) -> Result<bool, String> {
    send(socket, b'R', b"\x00\x00\x00\x0aSCRAM-SHA-256\x00\x00").await;
    let Ok((_, body)) = message(socket).await else {
        return Ok(false); // The client hung up.
    };
    // Mechanism name, then the client-first message's length and text.
    let (mechanism, rest) = body.split_at(body.iter().position(|b| *b == 0).unwrap());
    if mechanism != b"SCRAM-SHA-256" {
        return Err(format!("mechanism {}", String::from_utf8_lossy(mechanism)));
    }
    let mut rest = &rest[1..];
    let len = rest.get_i32() as usize;
    let client_first = String::from_utf8(rest[..len].to_vec()).map_err(|e| e.to_string())?;
    let bare = client_first
        .strip_prefix("n,,")
        .ok_or("channel binding asked for without TLS")?;
    let client_nonce = bare.split("r=").nth(1).ok_or("no nonce")?;

    let verifier = postgres_protocol::password::scram_sha_256(PASSWORD.as_bytes());
    // SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>
    let (head, keys) = verifier["SCRAM-SHA-256$".len()..].split_once('$').unwrap();
    let (iterations, salt) = head.split_once(':').unwrap();
    let (stored_key, server_key) = keys.split_once(':').unwrap();
    let stored_key = B64.decode(stored_key).unwrap();
    let server_key = B64.decode(server_key).unwrap();

    let server_first = format!("r={client_nonce}ServerNonce,s={salt},i={iterations}");
    let mut request = 11i32.to_be_bytes().to_vec();
    request.extend_from_slice(server_first.as_bytes());
    send(socket, b'R', &request).await;

    let (_, body) = message(socket).await?;
    let client_final = String::from_utf8(body).map_err(|e| e.to_string())?;
    let (without_proof, proof) = client_final
        .rsplit_once(",p=")
        .ok_or("no proof in the client's final message")?;
    if !without_proof.ends_with(&format!("r={client_nonce}ServerNonce")) {
        return Err("the client changed the nonce".into());
    }
    let auth_message = format!("{bare},{server_first},{without_proof}");
    let signature = hmac(&stored_key, auth_message.as_bytes());
    let proof = B64.decode(proof).map_err(|e| e.to_string())?;
    let client_key: Vec<u8> = proof.iter().zip(&signature).map(|(p, s)| p ^ s).collect();
    if Sha256::digest(&client_key).as_slice() != stored_key.as_slice() {
        return Ok(false);
    }
    let server_signature = B64.encode(hmac(&server_key, auth_message.as_bytes()));
    let mut done = 12i32.to_be_bytes().to_vec();
    done.extend_from_slice(format!("v={server_signature}").as_bytes());
    send(socket, b'R', &done).await;
    Ok(true)
}

/// Logs in by `method` with `password`; the server's own verdict joined.
async fn log_in(method: Method, password: Option<&str>) -> keyway::Result<()> {
    let (port, server) = server(method).await;
    let opened = PostgresOptions::new(url(port, password))
        .max_connections(1)
        .connect()
        .await;
    let result = match opened {
        Ok(db) => {
            let mut conn = db.executor().acquire().await?;
            conn.batch_execute("").await.expect("a query after login");
            conn.release();
            db.executor().close().await;
            Ok(())
        }
        Err(e) => Err(e),
    };
    server
        .await
        .unwrap()
        .expect("the server saw the login through");
    result
}

/// The right password logs in; a wrong one reads as the server's refusal.
async fn only_the_password_logs_in(method: Method) {
    log_in(method, Some(PASSWORD)).await.unwrap();
    let wrong = log_in(method, Some("guess")).await.unwrap_err();
    assert!(matches!(wrong, Error::Connection(_)), "{wrong:?}");
    assert!(
        wrong.to_string().contains("password authentication failed"),
        "{wrong}"
    );
}

#[tokio::test]
async fn cleartext_password() {
    only_the_password_logs_in(Method::Cleartext).await;
}

#[tokio::test]
async fn md5_password() {
    only_the_password_logs_in(Method::Md5).await;
}

#[tokio::test]
async fn scram_sha_256_password() {
    only_the_password_logs_in(Method::Scram).await;
}

#[tokio::test]
async fn a_password_asked_for_and_not_given_is_named() {
    let err = log_in(Method::Md5, None).await.unwrap_err();
    assert!(matches!(err, Error::Connection(_)), "{err:?}");
    assert!(err.to_string().contains("the URL gives none"), "{err}");
}

#[tokio::test]
async fn an_authentication_keyway_does_not_speak_is_named() {
    let err = log_in(Method::Gss, Some(PASSWORD)).await.unwrap_err();
    assert!(
        err.to_string().contains("scram-sha-256"),
        "names what keyway speaks: {err}"
    );
}

/// `Postgres::connect` is the same path with the pool's defaults.
#[tokio::test]
async fn connect_logs_in_with_the_url_password() {
    let (port, server) = server(Method::Scram).await;
    let db = Postgres::connect(&url(port, Some(PASSWORD))).await.unwrap();
    db.executor().close().await;
    server.await.unwrap().unwrap();
}
