//! `target_session_attrs` across a primary and its hot standby.

use keyway::Error;
use keyway_postgres::Postgres;

use crate::pg_scratch::{standby_port, tls_port};
use crate::scalar;

fn url(ports: &[String], target: &str) -> String {
    let hosts: Vec<String> = ports.iter().map(|p| format!("127.0.0.1:{p}")).collect();
    format!(
        "postgres://postgres@{}/test?target_session_attrs={target}",
        hosts.join(",")
    )
}

async fn in_recovery(url: &str) -> Result<String, Error> {
    scalar(url, "SELECT pg_is_in_recovery()::text").await
}

#[tokio::test]
async fn the_session_role_picks_the_host() {
    let (primary, standby) = (tls_port(), standby_port());
    let both = [standby.clone(), primary.clone()];
    let reversed = [primary.clone(), standby.clone()];
    for (ports, target, expected) in [
        (&both, "any", "true"),
        (&reversed, "any", "false"),
        (&both, "read-write", "false"),
        (&both, "primary", "false"),
        (&reversed, "read-only", "true"),
        (&reversed, "standby", "true"),
        (&reversed, "prefer-standby", "true"),
    ] {
        let url = url(ports, target);
        assert_eq!(in_recovery(&url).await.unwrap(), expected, "{url}");
    }
    // prefer-standby falls back to the primary when no standby is listed.
    let only_primary = url(std::slice::from_ref(&primary), "prefer-standby");
    assert_eq!(in_recovery(&only_primary).await.unwrap(), "false");
    // No host of the wanted role: refused, each host's reason given.
    let err = in_recovery(&url(std::slice::from_ref(&standby), "read-write"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Connection(_)), "{err:?}");
    assert!(err.to_string().contains("read-write"), "{err}");
}

/// keyway writes through a URL that lists the standby first: the pool's
/// connections all reach the primary.
#[tokio::test]
async fn writes_through_read_write_reach_the_primary() {
    let url = url(&[standby_port(), tls_port()], "read-write");
    let db = Postgres::connect(&url).await.unwrap();
    let mut conn = db.executor().acquire().await.unwrap();
    assert!(conn.host().ends_with(&tls_port()), "{}", conn.host());
    let table = format!("keyway_primary_{}", std::process::id());
    conn.batch_execute(&format!(
        "DROP TABLE IF EXISTS {table}; CREATE TABLE {table} (id int); INSERT INTO {table} VALUES (1); DROP TABLE {table}"
    ))
    .await
    .unwrap();
    conn.release();
}
