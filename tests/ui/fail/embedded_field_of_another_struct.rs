// `Embed::field` takes a field of the struct the column embeds.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use model::{Customer, Money};

fn main() {
    let _ = Customer::query().filter(Customer::HOME.field(Money::CURRENCY).eq("EUR"));
}
