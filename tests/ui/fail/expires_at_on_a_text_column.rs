// An expiry column holds an instant: `i64` Unix seconds or a timestamp,
// optional or not.
use keyway::prelude::*;

struct Session;

const EXPIRES: Column<Session, String> = Column::new("expires").expires_at();

fn main() {
    let _ = EXPIRES;
}
