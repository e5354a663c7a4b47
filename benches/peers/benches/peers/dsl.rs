//! Diesel 2: its `table!` schema, derives and DSL, synchronous. The
//! operations are written once and instantiated for SQLite (on its own
//! `:memory:` connection; re-exported at the top of this module) and for
//! PostgreSQL (`pg`, on one `PgConnection`).

use diesel::prelude::*;

diesel::table! {
    users (id) {
        id -> BigInt,
        name -> Text,
        email -> Text,
    }
}

diesel::table! {
    todos (id) {
        id -> BigInt,
        owner_id -> BigInt,
        title -> Text,
        done -> Bool,
        priority -> SmallInt,
        note -> Nullable<Text>,
    }
}

diesel::joinable!(todos -> users (owner_id));
diesel::allow_tables_to_appear_in_same_query!(users, todos);

#[derive(Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct User {
    pub id: i64,
    pub name: String,
    pub email: String,
}

#[derive(Debug, Queryable, Selectable, Identifiable, Associations)]
#[diesel(table_name = todos, belongs_to(User, foreign_key = owner_id))]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct Todo {
    pub id: i64,
    pub owner_id: i64,
    pub title: String,
    pub done: bool,
    pub priority: i16,
    pub note: Option<String>,
}

/// With the derive's default (`treat_none_as_default_value = true`) every
/// field may stand for `DEFAULT`, which SQLite's `VALUES` lacks, so Diesel
/// runs a batch as one `INSERT` per row inside a transaction. The fields here
/// are never `DEFAULT`; saying so lets Diesel send one multi-row statement,
/// as every other library does. (PostgreSQL has `DEFAULT` in `VALUES`, so
/// there the attribute changes nothing.)
#[derive(Insertable)]
#[diesel(table_name = users, treat_none_as_default_value = false)]
pub struct NewUser {
    pub name: String,
    pub email: String,
}

macro_rules! diesel_ops {
    ($conn:ty) => {
        use diesel::prelude::*;

        use super::{NewUser, Todo, User, users};
        use crate::data::OWNERS;

        type Conn = $conn;

        pub fn get(conn: &mut Conn, id: i64) -> User {
            users::table
                .find(id)
                .select(User::as_select())
                .first(conn)
                .expect("get")
        }

        pub fn all(conn: &mut Conn) -> Vec<User> {
            users::table
                .select(User::as_select())
                .load(conn)
                .expect("all")
        }

        /// The batch as Diesel takes it: `Insertable` values.
        pub fn batch(users: &[(String, String)]) -> Vec<NewUser> {
            users
                .iter()
                .map(|(name, email)| NewUser {
                    name: name.clone(),
                    email: email.clone(),
                })
                .collect()
        }

        /// One multi-row `INSERT ... RETURNING id`.
        pub fn insert_many(conn: &mut Conn, batch: &[NewUser]) -> Vec<i64> {
            diesel::insert_into(users::table)
                .values(batch)
                .returning(users::id)
                .get_results(conn)
                .expect("insert batch")
        }

        /// The users with `id <= OWNERS`, then their todos with `belonging_to` (one
        /// `IN (...)` query; `= ANY($1)` with an array on PostgreSQL), grouped per
        /// user with `grouped_by`.
        pub fn eager(conn: &mut Conn) -> Vec<(User, Vec<Todo>)> {
            let parents = users::table
                .filter(users::id.le(OWNERS))
                .select(User::as_select())
                .load(conn)
                .expect("users");
            let children = Todo::belonging_to(&parents)
                .select(Todo::as_select())
                .load(conn)
                .expect("todos");
            let grouped = children.grouped_by(&parents);
            parents.into_iter().zip(grouped).collect()
        }

        /// Empties `users` (untimed, between insert batches).
        pub fn clear(conn: &mut Conn) {
            diesel::delete(users::table)
                .execute(conn)
                .expect("empty users");
        }
    };
}

/// On SQLite (re-exported at the top of this module).
mod sqlite {
    use diesel::connection::SimpleConnection;
    use diesel::sqlite::SqliteConnection;

    diesel_ops!(SqliteConnection);

    /// A private in-memory database, with foreign keys enforced as sqlx does by
    /// default for the other libraries.
    pub fn open() -> SqliteConnection {
        let mut conn = SqliteConnection::establish(":memory:").expect("open Diesel database");
        script(&mut conn, "PRAGMA foreign_keys = ON");
        conn
    }

    /// Runs a multi-statement script (schema, seed rows).
    pub fn script(conn: &mut SqliteConnection, sql: &str) {
        conn.batch_execute(sql).expect("script");
    }
}

pub use sqlite::*;

/// On PostgreSQL.
pub mod pg {
    use diesel::pg::PgConnection;

    diesel_ops!(PgConnection);

    /// One connection to `url`: Diesel has no pool of its own (r2d2 is an
    /// optional extra), and the bench runs one statement at a time.
    pub fn open(url: &str) -> PgConnection {
        PgConnection::establish(url)
            .unwrap_or_else(|e| panic!("open Diesel connection on {url}: {e}"))
    }
}
