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
        assert!(err.to_string().contains("password authentication failed"), "{user}: {err}");
        let missing = url(user, "sslmode=require");
        let err = encrypted(&missing).await.unwrap_err();
        assert!(err.to_string().contains("password missing"), "{user}: {err}");
    }
}

/// SCRAM-SHA-256-PLUS binds the login to the TLS channel: with
/// `channel_binding=require` only a SCRAM login over TLS is accepted (a
/// wrong binding would fail the server's check).
#[tokio::test]
async fn channel_binding_required_accepts_only_scram_over_tls() {
    let scram = "keyway_scram:scram-secret";
    let bound = url(scram, &format!("sslmode=verify-full&sslrootcert={}&channel_binding=require", ca()));
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
        &format!("sslmode=verify-full&sslrootcert={}&sslcert={cert}&sslkey={key}", ca()),
    );
    assert!(encrypted(&with_cert).await.unwrap());
    let without = url("keyway_cert", &format!("sslmode=verify-full&sslrootcert={}", ca()));
    let err = encrypted(&without).await.unwrap_err();
    assert!(matches!(err, Error::Connection(_)), "{err:?}");
    assert!(err.to_string().contains("certificate"), "{err}");
}
