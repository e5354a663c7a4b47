//! Password logins (SCRAM-SHA-256, MD5, cleartext), channel binding and
//! client certificates against the TLS cluster.

use keyway::Error;

use crate::encrypted;
use crate::pg_scratch::{ca, client_cert, plain_port, tls_port};

fn url(user: &str, options: &str) -> String {
    format!("postgres://{user}@localhost:{}/test?{options}", tls_port())
}

#[tokio::test]
async fn each_password_method_logs_in_with_the_right_password_only() {
    for (user, password) in [
        ("keyway_scram", "scram-secret"),
        ("keyway_md5", "md5-secret"),
        ("keyway_plain", "plain-secret"),
    ] {
        let right = url(&format!("{user}:{password}"), "sslmode=require");
        assert!(encrypted(&right).await.unwrap(), "{user}");
        let wrong = url(&format!("{user}:not-{password}"), "sslmode=require");
        let err = encrypted(&wrong).await.unwrap_err();
        assert!(matches!(err, Error::Connection(_)), "{user}: {err:?}");
        assert!(
            err.to_string().contains("password authentication failed"),
            "{user}: {err}"
        );
        let missing = url(user, "sslmode=require");
        let err = encrypted(&missing).await.unwrap_err();
        assert!(
            err.to_string().contains("password missing"),
            "{user}: {err}"
        );
    }
}

/// SCRAM-SHA-256-PLUS binds the login to the TLS channel: with
/// `channel_binding=require` only a SCRAM login over TLS is accepted (a
/// wrong binding would fail the server's check).
#[tokio::test]
async fn channel_binding_required_accepts_only_scram_over_tls() {
    let scram = "keyway_scram:scram-secret";
    let bound = url(
        scram,
        &format!(
            "sslmode=verify-full&sslrootcert={}&channel_binding=require",
            ca()
        ),
    );
    assert!(encrypted(&bound).await.unwrap());
    // Over plain TCP there is no channel to bind to.
    let plain = format!(
        "postgres://{scram}@127.0.0.1:{}/test?sslmode=disable&channel_binding=require",
        tls_port()
    );
    let err = encrypted(&plain).await.unwrap_err();
    assert!(matches!(err, Error::Connection(_)), "{err:?}");
    // MD5 and cleartext logins cannot bind: refused before the password goes.
    for user in ["keyway_md5:md5-secret", "keyway_plain:plain-secret"] {
        let err = encrypted(&url(user, "sslmode=require&channel_binding=require"))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Connection(_)), "{user}: {err:?}");
        assert!(err.to_string().contains("channel binding"), "{user}: {err}");
    }
    // The server without TLS: SCRAM without the channel is refused too.
    let no_tls = format!(
        "postgres://{scram}@127.0.0.1:{}/test?channel_binding=require",
        plain_port()
    );
    assert!(encrypted(&no_tls).await.is_err());
}

#[tokio::test]
async fn a_client_certificate_logs_in_its_role() {
    let (cert, key) = client_cert();
    let with_cert = url(
        "keyway_cert",
        &format!(
            "sslmode=verify-full&sslrootcert={}&sslcert={cert}&sslkey={key}",
            ca()
        ),
    );
    assert!(encrypted(&with_cert).await.unwrap());
    let without = url(
        "keyway_cert",
        &format!("sslmode=verify-full&sslrootcert={}", ca()),
    );
    let err = encrypted(&without).await.unwrap_err();
    assert!(matches!(err, Error::Connection(_)), "{err:?}");
    assert!(err.to_string().contains("certificate"), "{err}");
}

/// `require_auth` refuses a login method before the password is sent, over
/// TLS and over plain TCP (a socket keyway opens itself) alike.
#[tokio::test]
async fn require_auth_refuses_the_methods_it_does_not_list() {
    for ssl in [
        "sslmode=require",
        "sslmode=disable",
        "sslmode=allow",
        "sslmode=prefer",
    ] {
        let with = |user: &str, require: &str| url(user, &format!("{ssl}&require_auth={require}"));
        let scram = with("keyway_scram:scram-secret", "scram-sha-256");
        encrypted(&scram)
            .await
            .unwrap_or_else(|e| panic!("{ssl}: {e}"));
        for (user, require) in [
            ("keyway_plain:plain-secret", "scram-sha-256"),
            ("keyway_md5:md5-secret", "scram-sha-256"),
            ("keyway_plain:plain-secret", "!password"),
            // trust asks for nothing: refused unless `none` is allowed.
            ("postgres", "scram-sha-256,md5"),
        ] {
            let err = encrypted(&with(user, require)).await.unwrap_err();
            assert!(matches!(err, Error::Connection(_)), "{ssl} {user}: {err:?}");
            assert!(
                err.to_string().contains("require_auth"),
                "{ssl} {user}: {err}"
            );
        }
        encrypted(&with("keyway_md5:md5-secret", "!password"))
            .await
            .unwrap();
        encrypted(&with("postgres", "none")).await.unwrap();
    }
    // prefer on a server without TLS: the plaintext login is checked too.
    let no_tls = |require: &str| {
        format!(
            "postgres://keyway_scram:scram-secret@127.0.0.1:{}/test?require_auth={require}",
            plain_port()
        )
    };
    assert!(!encrypted(&no_tls("scram-sha-256")).await.unwrap());
    assert!(encrypted(&no_tls("password")).await.is_err());
}

/// A statement timeout on a socket keyway opened itself: the cancel request
/// goes through a socket of its own too, and the connection is reused.
#[tokio::test]
async fn a_timed_out_statement_is_cancelled_on_an_own_socket() {
    let url = url(
        "postgres",
        "sslmode=disable&require_auth=none&statement_timeout=300ms",
    );
    let db = keyway_postgres::PostgresOptions::new(url)
        .max_connections(1)
        .connect()
        .await
        .unwrap();
    let mut conn = db.executor().acquire().await.unwrap();
    let pid = conn.query("SELECT pg_backend_pid()", &[]).await.unwrap()[0]
        .get::<i32>(0)
        .unwrap();
    let err = conn.query("SELECT pg_sleep(20)", &[]).await.unwrap_err();
    assert!(err.is_timeout(), "{err}");
    drop(conn);
    let mut conn = db.executor().acquire().await.unwrap();
    let rows = conn.query("SELECT pg_backend_pid()", &[]).await.unwrap();
    assert_eq!(rows[0].get::<i32>(0).unwrap(), pid, "the same connection");
    conn.release();
}
