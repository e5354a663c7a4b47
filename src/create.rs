//! `Db::create` / `create_many`: insert unsaved entities and get them back
//! as stored, their generated keys filled in.

use crate::{Db, Entity, Executor, Key, Result, TableDef, ValuesReader, read_row, write_row};

impl<X: Executor> Db<X> {
    /// Inserts `entity` and returns it as stored: with the key the database
    /// generated for its `auto` column (whatever the entity held there, as
    /// with [`insert`](Db::insert)), or unchanged when the table has none.
    ///
    /// The struct gets its key through its own `write` and `read`, so no
    /// setter is needed: an unsaved entity is written with any placeholder
    /// in its `auto` key (`0`), and the one `create` returns has the real key.
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
        let key = self.insert(&entity).await?;
        with_key(entity, &key)
    }

    /// Inserts `entities` as [`insert_many`](Db::insert_many) does (one
    /// statement per batch) and returns them as stored, in order, each with
    /// its generated key.
    pub async fn create_many<E: Entity>(&self, entities: Vec<E>) -> Result<Vec<E>> {
        let keys = self.insert_many(&entities).await?;
        entities
            .into_iter()
            .zip(&keys)
            .map(|(entity, key)| with_key(entity, key))
            .collect()
    }
}

/// `entity` with `key` in its `auto` column: written out, the key put in
/// place, read back.
fn with_key<E: Entity>(entity: E, key: &E::Key) -> Result<E> {
    let table = TableDef::of::<E>();
    let Some((at, _)) = table.auto_column() else {
        return Ok(entity);
    };
    let mut values = Vec::with_capacity(table.columns.len());
    write_row(&entity, &mut values)?;
    let mut first = None;
    key.for_each_value(|v| {
        first.get_or_insert(v);
    });
    if let (Some(slot), Some(key)) = (values.get_mut(at), first) {
        *slot = key;
    }
    let names: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
    read_row(&mut ValuesReader::new(table.entity, &names, values))
}
