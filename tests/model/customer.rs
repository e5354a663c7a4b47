// A customer with embedded structs: a home address, an optional office
// address and a balance, each mapped by hand like an entity. On SQL each
// field is a column (`home_city`, `office_zip`, `balance_amount`); on
// DynamoDB each struct is one map attribute.
use keyway::Numeric;
use keyway::prelude::*;

#[derive(Debug, Clone, PartialEq)]
pub struct Address {
    pub street: String,
    pub city: String,
    pub zip: Option<String>,
    pub floor: Option<i32>,
}

impl Address {
    pub const STREET: Column<Address, String> = Column::new("street");
    pub const CITY: Column<Address, String> = Column::new("city");
    pub const ZIP: Column<Address, Option<String>> = Column::new("zip");
    pub const FLOOR: Column<Address, Option<i32>> = Column::new("floor");

    pub fn new(street: &str, city: &str) -> Self {
        Address {
            street: street.into(),
            city: city.into(),
            zip: None,
            floor: None,
        }
    }
}

impl Embedded for Address {
    const FIELDS: &'static [ColumnDef] = &[
        Address::STREET.def(),
        Address::CITY.def(),
        Address::ZIP.def(),
        Address::FLOOR.def(),
    ];
    fn write(&self, out: &mut impl StructWriter<Self>) {
        out.put(Address::STREET, &self.street);
        out.put(Address::CITY, &self.city);
        out.put(Address::ZIP, &self.zip);
        out.put(Address::FLOOR, &self.floor);
    }
    fn read(row: &mut impl StructReader<Self>) -> Result<Self> {
        Ok(Address {
            street: row.get(Address::STREET)?,
            city: row.get(Address::CITY)?,
            zip: row.get(Address::ZIP)?,
            floor: row.get(Address::FLOOR)?,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Money {
    pub amount: Numeric,
    pub currency: String,
}

impl Money {
    pub const AMOUNT: Column<Money, Numeric> = Column::new("amount").decimal(12, 2);
    pub const CURRENCY: Column<Money, String> = Column::new("currency");

    pub fn new(amount: &str, currency: &str) -> Self {
        Money {
            amount: Numeric::parse(amount).expect("a decimal"),
            currency: currency.into(),
        }
    }
}

impl Embedded for Money {
    const FIELDS: &'static [ColumnDef] = &[Money::AMOUNT.def(), Money::CURRENCY.def()];
    fn write(&self, out: &mut impl StructWriter<Self>) {
        out.put(Money::AMOUNT, &self.amount);
        out.put(Money::CURRENCY, &self.currency);
    }
    fn read(row: &mut impl StructReader<Self>) -> Result<Self> {
        Ok(Money {
            amount: row.get(Money::AMOUNT)?,
            currency: row.get(Money::CURRENCY)?,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Customer {
    pub id: i64,
    pub team: String,
    pub name: String,
    pub home: Address,
    pub office: Option<Address>,
    pub balance: Money,
}

impl Customer {
    pub const ID: Column<Customer, i64, PrimaryKey> = Column::new("id");
    pub const TEAM: Column<Customer, String, Secondary> = Column::new("team");
    pub const NAME: Column<Customer, String> = Column::new("name");
    pub const HOME: Embed<Customer, Address> = Embed::new("home");
    pub const OFFICE: Embed<Customer, Option<Address>> = Embed::new("office");
    pub const BALANCE: Embed<Customer, Money> = Embed::new("balance");

    pub fn new(id: i64, team: &str, name: &str, city: &str) -> Self {
        Customer {
            id,
            team: team.into(),
            name: name.into(),
            home: Address::new("1 Main St", city),
            office: None,
            balance: Money::new("0.00", "EUR"),
        }
    }
}

impl Entity for Customer {
    type Key = i64;
    const TABLE: &'static str = "customers";
    const LAYOUT: Option<Layout> =
        crate::model::shared(Layout::new("app", "Customer").key("CUSTOMER#{id}", "CUSTOMER"));
    const COLUMNS: &'static [ColumnDef] = &[
        Customer::ID.def(),
        Customer::TEAM.def(),
        Customer::NAME.def(),
        Customer::HOME.def(),
        Customer::OFFICE.def(),
        Customer::BALANCE.def(),
    ];
    fn key(&self) -> i64 {
        self.id
    }
    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Customer::ID, &self.id);
        row.put(Customer::TEAM, &self.team);
        row.put(Customer::NAME, &self.name);
        row.put(Customer::HOME, &self.home);
        row.put(Customer::OFFICE, &self.office);
        row.put(Customer::BALANCE, &self.balance);
    }
    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(Customer {
            id: row.get(Customer::ID)?,
            team: row.get(Customer::TEAM)?,
            name: row.get(Customer::NAME)?,
            home: row.get(Customer::HOME)?,
            office: row.get(Customer::OFFICE)?,
            balance: row.get(Customer::BALANCE)?,
        })
    }
}
