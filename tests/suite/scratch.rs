//! A database made for one test and dropped after it, so that tests of a
//! server backend run in parallel without seeing each other's tables.

use std::ops::Deref;
use std::sync::atomic::{AtomicU32, Ordering};

use futures::future::BoxFuture;
use keyway::{Backend, Db};

/// A `Db` on a schema or database of its own; dropping it (even when the test
/// panicked) runs the cleanup that removes that schema or database.
pub struct Scratch<B: Backend> {
    db: Db<B>,
    cleanup: Option<BoxFuture<'static, ()>>,
}

impl<B: Backend> Scratch<B> {
    pub fn new(db: Db<B>, cleanup: BoxFuture<'static, ()>) -> Self {
        Scratch {
            db,
            cleanup: Some(cleanup),
        }
    }
}

impl<B: Backend> Deref for Scratch<B> {
    type Target = Db<B>;
    fn deref(&self) -> &Db<B> {
        &self.db
    }
}

impl<B: Backend> Drop for Scratch<B> {
    fn drop(&mut self) {
        let Some(cleanup) = self.cleanup.take() else {
            return;
        };
        // Drop may run inside the test's runtime: clean up on a thread of its own.
        let done = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("cleanup runtime")
                .block_on(cleanup)
        })
        .join();
        if done.is_err() && !std::thread::panicking() {
            panic!("could not drop the test's scratch schema");
        }
    }
}

/// A name no other test of any run uses: `kw_{pid}_{n}_{nanos}`.
pub fn unique_name() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "kw_{}_{}_{nanos}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// The URL in `var`, or `default`.
pub fn url_from_env(var: &str, default: &str) -> String {
    std::env::var(var).unwrap_or_else(|_| default.to_owned())
}

/// `url` with its database (the path) replaced by `database`.
pub fn with_database(url: &str, database: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let host_end = base.find("://").map_or(0, |i| i + 3);
    let base = base[host_end..]
        .find('/')
        .map_or(base, |slash| &base[..host_end + slash]);
    match query {
        Some(q) => format!("{base}/{database}?{q}"),
        None => format!("{base}/{database}"),
    }
}

/// The `host:port` of `url`.
pub fn authority(url: &str) -> &str {
    let start = url.find("://").map_or(0, |i| i + 3);
    let rest = &url[start..];
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let host = &rest[..end];
    host.rsplit_once('@').map_or(host, |(_, h)| h)
}

/// `url` reaching `addr` (`host:port`) instead of its own host and port.
pub fn via(url: &str, addr: &str) -> String {
    url.replacen(authority(url), addr, 1)
}
