// An account whose rows carry a version (optimistic locking) and counters
// that updates add to in the database.
use keyway::prelude::*;

#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    pub id: i64,
    pub owner: String,
    pub balance: i64,
    pub visits: i32,
    pub rating: f64,
    pub frozen: bool,
    pub version: i64,
}

impl Account {
    pub const ID: Column<Account, i64, PrimaryKey> = Column::new("id").auto();
    pub const OWNER: Column<Account, String> = Column::new("owner");
    pub const BALANCE: Column<Account, i64> = Column::new("balance");
    pub const VISITS: Column<Account, i32> = Column::new("visits");
    pub const RATING: Column<Account, f64> = Column::new("rating");
    pub const FROZEN: Column<Account, bool> = Column::new("frozen");
    pub const VERSION: Column<Account, i64> = Column::new("version").version();

    /// An unsaved account: its key is generated, its version starts at 1.
    pub fn new(owner: &str, balance: i64) -> Self {
        Account {
            id: 0,
            owner: owner.into(),
            balance,
            visits: 0,
            rating: 0.0,
            frozen: false,
            version: 0,
        }
    }
}

impl Entity for Account {
    type Key = i64;
    const TABLE: &'static str = "ledger_accounts";
    const LAYOUT: Option<Layout> =
        Some(Layout::new("app", "LedgerAccount").key("LEDGER#{id}", "LEDGER"));
    const COLUMNS: &'static [ColumnDef] = &[
        Account::ID.def(),
        Account::OWNER.def(),
        Account::BALANCE.def(),
        Account::VISITS.def(),
        Account::RATING.def(),
        Account::FROZEN.def(),
        Account::VERSION.def(),
    ];
    fn key(&self) -> i64 {
        self.id
    }
    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Account::ID, &self.id);
        row.put(Account::OWNER, &self.owner);
        row.put(Account::BALANCE, &self.balance);
        row.put(Account::VISITS, &self.visits);
        row.put(Account::RATING, &self.rating);
        row.put(Account::FROZEN, &self.frozen);
        row.put(Account::VERSION, &self.version);
    }
    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(Account {
            id: row.get(Account::ID)?,
            owner: row.get(Account::OWNER)?,
            balance: row.get(Account::BALANCE)?,
            visits: row.get(Account::VISITS)?,
            rating: row.get(Account::RATING)?,
            frozen: row.get(Account::FROZEN)?,
            version: row.get(Account::VERSION)?,
        })
    }
}
