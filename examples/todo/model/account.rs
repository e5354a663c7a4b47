// An account: a UUID key keyway generates (time-ordered v7), a creation
// instant, a plan stored as text, a decimal balance and a JSON settings
// document. Shared by the tests and doc examples.
use keyway::prelude::*;
use keyway::{Enum, Json};
use rust_decimal::Decimal;
use uuid::Uuid;

/// What an account pays for: stored as text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Plan {
    Free,
    Pro,
}

impl Enum for Plan {
    type Repr = &'static str;
    const VARIANTS: &'static [(Self, &'static str)] = &[(Plan::Free, "free"), (Plan::Pro, "pro")];
}

/// An account's settings: one JSON document (a map on DynamoDB).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Settings {
    pub theme: String,
    pub digest: bool,
    pub tags: Vec<String>,
}

/// An account of the todo app.
#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    pub id: Uuid,
    pub email: String,
    pub created_at: jiff::Timestamp,
    pub plan: Plan,
    pub balance: Decimal,
    pub settings: Json<Settings>,
}

impl Account {
    pub const ID: Column<Account, Uuid, PrimaryKey> = Column::new("id").uuid_v7();
    pub const EMAIL: Column<Account, String, Unique> = Column::new("email");
    pub const CREATED_AT: Column<Account, jiff::Timestamp> = Column::new("created_at");
    pub const PLAN: Column<Account, Plan> = Column::new("plan");
    pub const BALANCE: Column<Account, Decimal> = Column::new("balance").decimal(10, 2);
    pub const SETTINGS: Column<Account, Json<Settings>> = Column::new("settings");

    /// An account not yet inserted: keyway generates its id.
    pub fn new(email: &str, created_at: jiff::Timestamp, theme: &str) -> Self {
        Account {
            id: Uuid::nil(),
            email: email.into(),
            created_at,
            plan: Plan::Free,
            balance: Decimal::ZERO,
            settings: Json(Settings {
                theme: theme.into(),
                digest: false,
                tags: Vec::new(),
            }),
        }
    }
}

impl Entity for Account {
    type Key = Uuid;
    const TABLE: &'static str = "accounts";
    const LAYOUT: Option<Layout> =
        Some(Layout::new("app", "Account").key("ACCOUNT#{id}", "ACCOUNT"));
    const COLUMNS: &'static [ColumnDef] = &[
        Account::ID.def(),
        Account::EMAIL.def(),
        Account::CREATED_AT.def(),
        Account::PLAN.def(),
        Account::BALANCE.def(),
        Account::SETTINGS.def(),
    ];

    fn key(&self) -> Uuid {
        self.id
    }

    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Account::ID, &self.id);
        row.put(Account::EMAIL, &self.email);
        row.put(Account::CREATED_AT, &self.created_at);
        row.put(Account::PLAN, &self.plan);
        row.put(Account::BALANCE, &self.balance);
        row.put(Account::SETTINGS, &self.settings);
    }

    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(Account {
            id: row.get(Account::ID)?,
            email: row.get(Account::EMAIL)?,
            created_at: row.get(Account::CREATED_AT)?,
            plan: row.get(Account::PLAN)?,
            balance: row.get(Account::BALANCE)?,
            settings: row.get(Account::SETTINGS)?,
        })
    }
}
