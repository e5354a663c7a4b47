//! An include whose children the backend read with their parents
//! ([`Executor::fetch_collection`]): decoded from their values and put in
//! each parent's store as a lookup's would be.

use crate::load::{Store, bucket, column_position, parent_index};
use crate::load_keys::KeyedDecoder;
use crate::{
    Decoder, Error, Executor, Link, LinkSide, Loads, Relation, Result, TableDef, Value,
    ValuesReader,
};

/// The stores of relation `R` for `parents` from the children's rows
/// `read` (values in `COLUMNS` order), each parent's in key order.
pub(crate) async fn load_read<R, N, X>(
    nested: &N,
    exec: &X,
    parents: &[R::From],
    read: Vec<Vec<Value>>,
) -> Result<Vec<Store<R, N>>>
where
    R: Relation,
    N: Loads<R::To>,
    X: Executor,
{
    let to = TableDef::of::<R::To>();
    let LinkSide::Target(fk) = R::LINK.side() else {
        return Err(Error::Invalid {
            what: "relation",
            detail: format!(
                "children of `{}` were read with their parents through a belongs-to relation",
                to.entity
            ),
        });
    };
    let decoder = KeyedDecoder::<R::To>::new(column_position(&to, fk)?);
    let names: Vec<&str> = to.columns.iter().map(|c| c.name).collect();
    let rows = read
        .into_iter()
        .map(|values| decoder.decode(&mut ValuesReader::new(to.entity, &names, values)))
        .collect::<Result<Vec<_>>>()?;
    let (index, _) = parent_index(parents);
    bucket::<R, N, X>(nested, exec, parents.len(), &index, rows, true).await
}
