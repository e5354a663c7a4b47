//! Values made once per key and kept for the program's life (the SQL
//! columns of a table that embeds structs, the names of their fields'
//! columns): as many as the program declares. A global table holds them;
//! each thread keeps those it has looked up, so that a lookup on a
//! statement's path takes no lock.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Mutex, OnceLock};
use std::thread::LocalKey;

/// A thread's copy of what it has looked up.
pub(crate) type Local<K, V> = RefCell<HashMap<K, V>>;
/// Every value made, by key.
pub(crate) type Global<K, V> = OnceLock<Mutex<HashMap<K, V>>>;

/// The value of `key`, made by `make` the first time any thread asks.
pub(crate) fn interned<K: Hash + Eq + Copy, V: Copy>(
    local: &'static LocalKey<Local<K, V>>,
    global: &'static Global<K, V>,
    key: K,
    make: impl FnOnce() -> V,
) -> V {
    if let Some(v) = local.with(|seen| seen.borrow().get(&key).copied()) {
        return v;
    }
    let v = *global
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .entry(key)
        .or_insert_with(make);
    local.with(|seen| seen.borrow_mut().insert(key, v));
    v
}
