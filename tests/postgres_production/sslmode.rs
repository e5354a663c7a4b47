//! Each sslmode as libpq means it, against the TLS cluster, the cluster
//! without TLS and a role that only TLS may use; certificates checked by
//! chain and by name.

use keyway::Error;

use crate::pg_scratch::{ca, other_ca, plain_port, tls_port};
use crate::{encrypted, model::User};

fn tls_url(user: &str, host: &str, options: &str) -> String {
    format!("postgres://{user}@{host}:{}/test?{options}", tls_port())
}

fn plain_url(options: &str) -> String {
    format!(
        "postgres://postgres@127.0.0.1:{}/test?{options}",
        plain_port()
    )
}

#[tokio::test]
async fn prefer_is_encrypted_whenever_the_server_offers_tls() {
    for (options, tls) in [
        ("sslmode=disable", false),
        ("sslmode=allow", false),
        ("sslmode=prefer", true),
        // The default is prefer.
        ("application_name=default_mode", true),
        ("sslmode=require", true),
    ] {
        let url = tls_url("postgres", "127.0.0.1", options);
        assert_eq!(encrypted(&url).await.unwrap(), tls, "{options}");
    }
}

#[tokio::test]
async fn a_server_without_tls_is_plain_or_refused() {
    for options in ["sslmode=disable", "sslmode=allow", "sslmode=prefer", "a=b"] {
        let options = options.replace("a=b", "application_name=plain");
        assert!(!encrypted(&plain_url(&options)).await.unwrap(), "{options}");
    }
    for options in [
        "sslmode=require".to_owned(),
        format!("sslmode=verify-ca&sslrootcert={}", ca()),
        format!("sslmode=verify-full&sslrootcert={}", ca()),
    ] {
        let err = encrypted(&plain_url(&options)).await.unwrap_err();
        assert!(matches!(err, Error::Connection(_)), "{options}: {err:?}");
    }
}

/// `keyway_tls_only` may log in over TLS only (`hostnossl ... reject`):
/// `allow` tries plain first, then TLS.
#[tokio::test]
async fn a_tls_only_role_is_reached_by_every_mode_that_may_use_tls() {
    let url = |mode: &str| {
        tls_url(
            "keyway_tls_only:tls-secret",
            "127.0.0.1",
            &format!("sslmode={mode}"),
        )
    };
    let refused = encrypted(&url("disable")).await.unwrap_err();
    assert!(matches!(refused, Error::Connection(_)), "{refused:?}");
    assert!(refused.to_string().contains("no encryption"), "{refused}");
    for mode in ["allow", "prefer", "require"] {
        assert!(encrypted(&url(mode)).await.unwrap(), "{mode}");
    }
}

#[tokio::test]
async fn verify_ca_checks_the_chain_and_verify_full_the_name_too() {
    let ca = ca();
    let other = other_ca();
    let ok = [
        ("127.0.0.1", format!("sslmode=verify-ca&sslrootcert={ca}")),
        ("localhost", format!("sslmode=verify-ca&sslrootcert={ca}")),
        ("localhost", format!("sslmode=verify-full&sslrootcert={ca}")),
        // require with a root certificate checks it as verify-ca does.
        ("127.0.0.1", format!("sslmode=require&sslrootcert={ca}")),
    ];
    for (host, options) in ok {
        let url = tls_url("postgres", host, &options);
        assert!(encrypted(&url).await.unwrap(), "{host} {options}");
    }
    let refused = [
        // The certificate names localhost only.
        (
            "127.0.0.1",
            format!("sslmode=verify-full&sslrootcert={ca}"),
            "not valid for name",
        ),
        (
            "localhost",
            format!("sslmode=verify-full&sslrootcert={other}"),
            "invalid peer certificate",
        ),
        (
            "localhost",
            format!("sslmode=verify-ca&sslrootcert={other}"),
            "invalid peer certificate",
        ),
        (
            "localhost",
            format!("sslmode=require&sslrootcert={other}"),
            "invalid peer certificate",
        ),
        // The scratch CA is not among the platform's roots.
        (
            "localhost",
            "sslmode=verify-full&sslrootcert=system".to_owned(),
            "invalid peer certificate",
        ),
    ];
    for (host, options, why) in refused {
        let err = encrypted(&tls_url("postgres", host, &options))
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::Connection(_)),
            "{host} {options}: {err:?}"
        );
        assert!(err.to_string().contains(why), "{host} {options}: {err}");
    }
}

#[tokio::test]
async fn verify_modes_without_roots_are_refused_before_connecting() {
    // No ~/.postgresql/root.crt on the test machine: nothing to verify with.
    if std::env::var_os("HOME").is_some_and(|h| {
        std::path::Path::new(&h)
            .join(".postgresql/root.crt")
            .exists()
    }) {
        panic!("~/.postgresql/root.crt exists: this test checks its absence");
    }
    let err = encrypted(&tls_url("postgres", "localhost", "sslmode=verify-full"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Invalid { .. }), "{err:?}");
    assert!(err.to_string().contains("sslrootcert"), "{err}");
}

/// keyway's statements over a verified TLS connection.
#[tokio::test]
async fn keyway_runs_over_verified_tls() {
    let url = tls_url(
        "keyway_scram:scram-secret",
        "localhost",
        &format!("sslmode=verify-full&sslrootcert={}", ca()),
    );
    let db = keyway_postgres::Postgres::connect(&url).await.unwrap();
    let schema = format!("tls_{}", std::process::id());
    let mut conn = db.executor().acquire().await.unwrap();
    conn.batch_execute(&format!(
        "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}; SET search_path TO {schema}"
    ))
    .await
    .unwrap();
    drop(conn);
    let db = keyway_postgres::PostgresOptions::new(format!("{url}&search_path={schema}"))
        .max_connections(2)
        .connect()
        .await
        .unwrap();
    db.create_schema::<User>().await.unwrap();
    let id = db
        .insert(&User::new("tls", "tls@example.test"))
        .await
        .unwrap();
    assert_eq!(db.get::<User>(id).await.unwrap().email, "tls@example.test");
    let mut conn = db.executor().acquire().await.unwrap();
    conn.batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
        .await
        .unwrap();
    conn.release();
}
