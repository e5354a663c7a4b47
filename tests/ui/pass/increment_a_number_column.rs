// `increment` adds to an i32, i64 or f64 column, by key or by filter.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use model::Account;

fn main() {
    let _ = Account::update(1)
        .increment(Account::BALANCE, -5)
        .increment(Account::VISITS, 1)
        .increment(Account::RATING, 0.5);
    let _ = Account::query()
        .filter(Account::FROZEN.eq(false))
        .update()
        .increment(Account::BALANCE, 1);
}
