//! Parameters encoded as they are written: an insert's entities and a
//! lookup's key go straight into one buffer in the binary format (text and
//! bytes lent by the entity), never built as `Value`s first.

use bytes::BytesMut;
use keyway::{Error, Result, TableDef, Value};
use keyway_sql::ParamSink;
use postgres_protocol::types as wire;
use tokio_postgres::types::{IsNull, Type};

use crate::bind::{self, EncodeError, Params, PgArgs};

/// Encodes each parameter and records its span and type.
pub(crate) struct Encoder<'t> {
    table: &'t TableDef,
    bytes: BytesMut,
    spans: Vec<Option<(usize, usize)>>,
    types: Vec<Type>,
}

impl<'t> Encoder<'t> {
    /// An encoder of about `params` parameters of `table`'s columns.
    pub(crate) fn new(table: &'t TableDef, params: usize) -> Self {
        Encoder {
            table,
            // A short value for each parameter; longer values grow it.
            bytes: BytesMut::with_capacity(params * 16),
            spans: Vec::with_capacity(params),
            types: Vec::with_capacity(params),
        }
    }

    /// The parameters encoded, ready to send.
    pub(crate) fn finish(self) -> PgArgs {
        PgArgs {
            values: Params::Encoded {
                bytes: self.bytes,
                spans: self.spans,
            },
            types: self.types,
        }
    }

    /// Writes one parameter of `column` as type `ty`, as `encode` writes it.
    fn param(
        &mut self,
        column: &'static str,
        ty: Type,
        encode: impl FnOnce(&mut BytesMut) -> Result<IsNull, EncodeError>,
    ) -> Result<()> {
        let start = self.bytes.len();
        let span = match encode(&mut self.bytes) {
            Ok(IsNull::Yes) => None,
            Ok(IsNull::No) if self.bytes.len() - start > i32::MAX as usize => {
                self.bytes.truncate(start);
                return Err(Error::OutOfRange {
                    entity: self.table.entity,
                    column: column.to_owned(),
                    detail: "a value of 2 GiB or more cannot be sent to PostgreSQL".into(),
                });
            }
            Ok(IsNull::No) => Some((start, self.bytes.len())),
            Err(e) => {
                self.bytes.truncate(start);
                return Err(Error::Unsupported {
                    backend: "postgresql",
                    detail: e.to_string(),
                });
            }
        };
        self.spans.push(span);
        self.types.push(ty);
        Ok(())
    }
}

impl ParamSink for Encoder<'_> {
    fn value(&mut self, column: &'static str, value: Value) -> Result<()> {
        let ty = bind::one_type(self.table, column, &value)?;
        self.param(column, ty.clone(), |out| {
            bind::encode_typed(&value, &ty, out)
        })
    }

    fn text(&mut self, column: &'static str, text: &str) -> Result<()> {
        let ty = bind::text_type(self.table, column, text)?;
        self.param(column, ty, |out| {
            wire::text_to_sql(text, out);
            Ok(IsNull::No)
        })
    }

    fn bytes(&mut self, column: &'static str, bytes: &[u8]) -> Result<()> {
        self.param(column, Type::BYTEA, |out| {
            wire::bytea_to_sql(bytes, out);
            Ok(IsNull::No)
        })
    }
}
