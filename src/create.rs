//! `Db::create` / `create_many`: insert unsaved entities and get them back
//! with their generated keys filled in.

use crate::load::scalar_key;
use crate::row::values_of;
use crate::{Db, Entity, Executor, Result, TableDef, Value, ValuesReader, read_row};

impl<X: Executor> Db<X> {
    /// Inserts `entity` and returns it with the key the database generated
    /// for its `auto` column (whatever the entity held there, as with
    /// [`insert`](Db::insert)); unchanged when the table has none.
    ///
    /// The struct gets its key through its own `write` and `read`, so no
    /// setter is needed: an unsaved entity is written with any placeholder
    /// in its `auto` key (`0`), and the one `create` returns has the real
    /// key. Both are checked before anything is sent, so a `read` that
    /// cannot take back what `write` gave is refused with nothing stored.
    ///
    /// ```
    /// # mod model { include!("../examples/todo/model/user.rs"); }
    /// # use model::User;
    /// use keyway::prelude::*;
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> keyway::Result<()> {
    /// let db = keyway_sqlite::Sqlite::memory().await?;
    /// db.create_schema::<User>().await?;
    /// let ann = db.create(User { id: 0, name: "Ann".into(), email: "ann@example.com".into() }).await?;
    /// assert_eq!(db.get::<User>(ann.id).await?.name, "Ann");
    /// # Ok(()) }
    /// ```
    pub async fn create<E: Entity>(&self, entity: E) -> Result<E> {
        let mut created = self.create_many(vec![entity]).await?;
        Ok(created.pop().expect("one entity per inserted row"))
    }

    /// Inserts `entities` as [`insert_many`](Db::insert_many) does (one
    /// statement per batch) and returns them in order, each with its
    /// generated key.
    ///
    /// ```
    /// # mod model { include!("../examples/todo/model/user.rs"); }
    /// # use model::User;
    /// use keyway::prelude::*;
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> keyway::Result<()> {
    /// # let db = keyway_sqlite::Sqlite::memory().await?;
    /// # db.create_schema::<User>().await?;
    /// let users = db
    ///     .create_many(vec![User::new("Ann", "ann@example.com"), User::new("Bob", "bob@example.com")])
    ///     .await?;
    /// assert_eq!(db.get::<User>(users[1].id).await?.name, "Bob");
    /// # Ok(()) }
    /// ```
    pub async fn create_many<E: Entity>(&self, entities: Vec<E>) -> Result<Vec<E>> {
        let table = TableDef::of::<E>();
        let entities = match crate::generated::with_generated(&entities)? {
            // Keys keyway made (or none): the rows as they are sent.
            Some(fresh) if table.auto_column().is_none() => {
                if !fresh.is_empty() {
                    self.insert_rows(&fresh, false).await?;
                }
                return Ok(fresh);
            }
            // Version 1, and a key the database makes.
            Some(fresh) => fresh,
            None => entities,
        };
        let auto = table.auto_column().map(|(at, _)| at);
        let names: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
        let rows = entities
            .iter()
            .map(|entity| {
                let mut values = values_of(entity)?;
                table.fit_row(&mut values)?;
                read_row::<E, _>(&mut ValuesReader::new(table.entity, &names, values.clone()))?;
                Ok(values)
            })
            .collect::<Result<Vec<_>>>()?;
        let keys = self.insert_many(&entities).await?;
        drop(entities);
        rows.into_iter()
            .zip(&keys)
            .map(|(mut values, key)| {
                // An `auto` key is one integer column.
                if let Some(at) = auto {
                    values[at] = scalar_key(key).unwrap_or(Value::Null);
                }
                read_row(&mut ValuesReader::new(table.entity, &names, values))
            })
            .collect()
    }
}
