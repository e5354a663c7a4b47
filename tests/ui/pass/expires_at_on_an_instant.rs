// An expiry column holds Unix seconds or a timestamp, optional or not.
use keyway::prelude::*;

struct Session;

const SECONDS: Column<Session, i64> = Column::new("expires").expires_at();
const MAYBE: Column<Session, Option<jiff::Timestamp>> = Column::new("expires").expires_at();
const CHRONO: Column<Session, chrono::DateTime<chrono::Utc>> = Column::new("expires").expires_at();

fn main() {
    assert!(SECONDS.def().expires_at && MAYBE.def().expires_at && CHRONO.def().expires_at);
}
