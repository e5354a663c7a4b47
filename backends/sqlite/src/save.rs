//! `Db::save` on SQLite: the statement's text kept per entity on the
//! connection, every value bound straight from the entity (its text and
//! bytes lent, not copied), as an insert binds them.

use keyway::{Entity, Result, TableDef};
use keyway_sql::ParamLayout;

use crate::conn::Conn;
use crate::errors;
use crate::exec::prepare;
use crate::insert::Binder;

/// Saves `entity`; returns how many rows it wrote (0 or 1).
pub(crate) fn save<E: Entity>(conn: &mut Conn, entity: &E) -> Result<u64> {
    let declared = TableDef::of::<E>();
    let Conn { db, saves, .. } = conn;
    let (sql, layout) = saves
        .entry(declared.columns.as_ptr() as usize)
        .or_insert_with(|| {
            // Every column is a parameter, the key's too: in `COLUMNS` order.
            let table = declared.with_given_keys();
            (text(&table), ParamLayout::of(&table))
        });
    let table = layout.table();
    let mut statement = prepare(db, table, sql)?;
    let mut binder = Binder::new(&mut statement, table);
    layout.write(std::slice::from_ref(entity), &mut binder)?;
    let changed = statement.raw_execute().map_err(|e| errors::map(e, table))?;
    Ok(changed as u64)
}

/// `UPDATE "t" SET "a" = ?2, .. , "version" = "version" + 1 WHERE "id" = ?1
/// AND "version" = ?n`: each column's parameter is its place among the
/// table's SQL columns (an embedded struct's fields each one).
fn text(table: &TableDef) -> String {
    let quote = |name: &str| format!("\"{}\"", name.replace('"', "\"\""));
    let flat = table.flat();
    let (mut set, mut keys, mut version) = (Vec::new(), Vec::new(), None);
    for (i, c) in flat.columns.iter().enumerate() {
        let assign = format!("{} = ?{}", quote(c.name), i + 1);
        if c.is_key() {
            keys.push(assign);
        } else if c.version {
            version = Some((quote(c.name), assign));
        } else {
            set.push(assign);
        }
    }
    if let Some((name, _)) = &version {
        set.push(format!("{name} = {name} + 1"));
    }
    keys.extend(version.map(|(_, check)| check));
    format!(
        "UPDATE {} SET {} WHERE {}",
        quote(table.name),
        set.join(", "),
        keys.join(" AND ")
    )
}
