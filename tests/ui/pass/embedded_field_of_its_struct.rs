// A field of the embedded struct is a column of the entity; of an optional
// struct, an optional one.
#[path = "../../model/mod.rs"]
mod model;

use keyway::prelude::*;
use model::{Address, Customer, Money};

fn main() {
    let _ = Customer::query().filter(Customer::BALANCE.field(Money::CURRENCY).eq("EUR"));
    let _ = Customer::query()
        .filter(Customer::TEAM.eq("red"))
        .filter(Customer::OFFICE.field(Address::CITY).eq(Some("Lyon".to_owned())))
        .filter(Customer::OFFICE.field(Address::ZIP).is_null());
}
