//! The scratch PostgreSQL servers that `scripts/pg_scratch` starts (and
//! `./scripts/test` starts for every run): their ports and certificates,
//! read from the environment. A test that needs them fails, never skips,
//! when they are missing.

#![allow(dead_code)]

/// The value of `var`, exported by `scripts/pg_scratch start`.
pub fn env(var: &str) -> String {
    std::env::var(var).unwrap_or_else(|_| {
        panic!(
            "{var} is not set: run ./scripts/test, which starts the scratch PostgreSQL \
             servers, or `eval \"$(scripts/pg_scratch start)\"` before cargo test"
        )
    })
}

/// The TLS cluster's port.
pub fn tls_port() -> String {
    env("KEYWAY_PG_TLS_PORT")
}

/// The cluster without TLS.
pub fn plain_port() -> String {
    env("KEYWAY_PG_PLAIN_PORT")
}

/// The hot standby of the TLS cluster.
pub fn standby_port() -> String {
    env("KEYWAY_PG_STANDBY_PORT")
}

/// pgbouncer in transaction mode, in front of the cluster without TLS.
pub fn pgbouncer_port() -> String {
    env("KEYWAY_PGBOUNCER_PORT")
}

/// The CA that signed the TLS cluster's certificate (for `localhost` only).
pub fn ca() -> String {
    env("KEYWAY_PG_CA")
}

/// A CA that signed nothing the servers use.
pub fn other_ca() -> String {
    env("KEYWAY_PG_OTHER_CA")
}

/// The client certificate and key of role `keyway_cert`.
pub fn client_cert() -> (String, String) {
    (env("KEYWAY_PG_CLIENT_CERT"), env("KEYWAY_PG_CLIENT_KEY"))
}

/// Restarts scratch cluster `name` (`tls`, `standby`, `plain`) and waits
/// until it answers again.
pub fn restart(name: &str) {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/pg_scratch");
    let status = std::process::Command::new(script)
        .args(["restart", name])
        .status()
        .expect("run scripts/pg_scratch restart");
    assert!(status.success(), "scripts/pg_scratch restart {name} failed");
}
