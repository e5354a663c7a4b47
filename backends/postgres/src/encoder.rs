//! Parameters encoded as they are written, straight into the `Bind`
//! message's format: an insert's entities and a lookup's key; and the `Bind`
//! message that carries them, copied whole.

use bytes::{BufMut, BytesMut};
use keyway::{Error, Result, TableDef, Value};
use keyway_sql::ParamSink;
use postgres_protocol::{IsNull, types as wire};

use crate::bind::{self, EncodeError, Params, PgArgs};
use crate::errors::PgError;
use crate::oid;

/// Encodes each parameter, its length first, and records its type.
pub(crate) struct Encoder<'t> {
    table: &'t TableDef,
    out: BytesMut,
    types: Vec<u32>,
}

impl<'t> Encoder<'t> {
    /// An encoder of about `params` parameters of `table`'s columns.
    pub(crate) fn new(table: &'t TableDef, params: usize) -> Self {
        Encoder {
            table,
            // A length and a short value for each parameter; longer values grow it.
            out: BytesMut::with_capacity(params * 24),
            types: Vec::with_capacity(params),
        }
    }

    /// The parameters encoded, ready to send.
    pub(crate) fn finish(self) -> PgArgs {
        PgArgs {
            values: Params::Encoded(self.out),
            types: self.types,
        }
    }

    /// Writes one parameter of `column` as type `ty`: its length, then its
    /// bytes as `encode` writes them (`-1` and nothing for NULL).
    fn param(
        &mut self,
        column: &'static str,
        ty: u32,
        encode: impl FnOnce(&mut BytesMut) -> Result<IsNull, EncodeError>,
    ) -> Result<()> {
        let base = self.out.len();
        self.out.put_i32(0);
        let len = match encode(&mut self.out) {
            Ok(IsNull::Yes) => Ok(-1),
            Ok(IsNull::No) => {
                i32::try_from(self.out.len() - base - 4).map_err(|_| Error::OutOfRange {
                    entity: self.table.entity,
                    column: column.to_owned(),
                    detail: "a value of 2 GiB or more cannot be sent to PostgreSQL".into(),
                })
            }
            Err(e) => Err(Error::Unsupported {
                backend: "postgresql",
                detail: e.to_string(),
            }),
        };
        match len {
            Ok(len) => {
                self.out[base..base + 4].copy_from_slice(&len.to_be_bytes());
                self.types.push(ty);
                Ok(())
            }
            Err(error) => {
                self.out.truncate(base);
                Err(error)
            }
        }
    }
}

impl ParamSink for Encoder<'_> {
    fn value(&mut self, column: &'static str, value: Value) -> Result<()> {
        let ty = bind::one_type(self.table, column, &value)?;
        self.param(column, ty, |out| bind::encode(&value, out))
    }

    fn text(&mut self, column: &'static str, text: &str) -> Result<()> {
        let ty = bind::text_type(self.table, column, text)?;
        self.param(column, ty, |out| {
            wire::text_to_sql(text, out);
            Ok(IsNull::No)
        })
    }

    fn bytes(&mut self, column: &'static str, bytes: &[u8]) -> Result<()> {
        self.param(column, oid::BYTEA, |out| {
            wire::bytea_to_sql(bytes, out);
            Ok(IsNull::No)
        })
    }
}

/// Writes the `Bind` of statement `name` to the unnamed portal with `count`
/// parameters already encoded (`params`, as [`Encoder`] writes them), every
/// parameter and result column in the binary format: postgres-protocol's
/// `bind` would take the parameters one at a time, and copy each again.
pub(crate) fn bind(
    name: &str,
    count: usize,
    params: &[u8],
    out: &mut BytesMut,
) -> Result<(), PgError> {
    let too_large = || PgError::request("value too large to transmit");
    let count = u16::try_from(count).map_err(|_| too_large())?;
    out.put_u8(b'B');
    let base = out.len();
    out.put_i32(0);
    out.put_u8(0); // the unnamed portal
    out.put_slice(name.as_bytes());
    out.put_u8(0);
    out.put_i16(1); // one format code for every parameter: binary
    out.put_i16(1);
    out.put_u16(count);
    out.put_slice(params);
    out.put_i16(1); // one format code for every result column: binary
    out.put_i16(1);
    // A request that fails is cut from the buffer by `PgConn::request`.
    let len = i32::try_from(out.len() - base).map_err(|_| too_large())?;
    out[base..base + 4].copy_from_slice(&len.to_be_bytes());
    Ok(())
}
