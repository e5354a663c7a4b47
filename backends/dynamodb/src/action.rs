//! One conditional item write, runnable alone (PutItem, UpdateItem,
//! DeleteItem) or as part of a TransactWriteItems.

use std::collections::HashMap;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::{AttributeValue, Delete, Put, TransactWriteItem, Update};
use keyway::{Error, Result};

use crate::errors::malformed;
use crate::marshal::Item;
use crate::names::Names;
use crate::{delete_item, put_item, update_item};

/// What the write does.
#[derive(Debug, Clone)]
pub(crate) enum Op {
    /// Puts a whole item.
    Put(Item),
    /// Updates the item with this key with an update expression.
    Update { key: Item, expression: String },
    /// Deletes the item with this key.
    Delete(Item),
}

/// What a failed condition on the write means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Role {
    /// Inserting an item whose key must be new: a duplicate primary key.
    Insert,
    /// Writing an item that must exist (unchanged): the item is gone or changed.
    Existing,
    /// Claiming the sentinel of this unique index: a duplicate value.
    Sentinel(String),
    /// Releasing a sentinel: unconditional.
    Release,
}

/// One item write with its condition and what a failed condition means.
#[derive(Debug, Clone)]
pub(crate) struct Action {
    pub(crate) table: String,
    pub(crate) entity: &'static str,
    pub(crate) op: Op,
    pub(crate) condition: Option<String>,
    pub(crate) names: Option<HashMap<String, String>>,
    pub(crate) values: Option<HashMap<String, AttributeValue>>,
    pub(crate) role: Role,
}

impl Action {
    /// An action whose expressions used `names`.
    pub(crate) fn new(
        table: String,
        entity: &'static str,
        op: Op,
        condition: Option<String>,
        mut names: Names,
        role: Role,
    ) -> Self {
        Action {
            table,
            entity,
            op,
            condition,
            names: names.take_names(),
            values: names.take_values(),
            role,
        }
    }

    /// The error a failed condition means.
    pub(crate) fn violation(&self) -> Error {
        match &self.role {
            Role::Insert => Error::UniqueViolation {
                entity: self.entity,
                index: "PRIMARY".into(),
            },
            Role::Sentinel(index) => Error::UniqueViolation {
                entity: self.entity,
                index: index.clone(),
            },
            Role::Existing | Role::Release => Error::ConditionFailed,
        }
    }

    /// The item written, to refuse two writes of one item in one transaction.
    pub(crate) fn target(&self) -> String {
        let key = match &self.op {
            Op::Put(item) => item,
            Op::Update { key, .. } | Op::Delete(key) => key,
        };
        let mut parts: Vec<String> = key.iter().map(|(k, v)| format!("{k}={v:?}")).collect();
        parts.sort();
        format!("{}/{}", self.table, parts.join(","))
    }

    /// Runs the action alone; a failed condition is mapped by its role.
    pub(crate) async fn run(self, client: &Client) -> Result<()> {
        let result = match self.op {
            Op::Put(_) => put_item::put_item(client, &self).await,
            Op::Update { .. } => update_item::update_item(client, &self).await,
            Op::Delete(_) => delete_item::delete_item(client, &self).await,
        };
        match result {
            Err(Error::ConditionFailed) => Err(self.violation()),
            other => other,
        }
    }

    /// The action as one item of a TransactWriteItems.
    pub(crate) fn into_transact(self) -> Result<TransactWriteItem> {
        let bad = |e: aws_sdk_dynamodb::error::BuildError| {
            malformed("TransactWriteItems", &e.to_string())
        };
        Ok(match self.op {
            Op::Put(item) => TransactWriteItem::builder()
                .put(
                    Put::builder()
                        .table_name(self.table)
                        .set_item(Some(item))
                        .set_condition_expression(self.condition)
                        .set_expression_attribute_names(self.names)
                        .set_expression_attribute_values(self.values)
                        .build()
                        .map_err(bad)?,
                )
                .build(),
            Op::Update { key, expression } => TransactWriteItem::builder()
                .update(
                    Update::builder()
                        .table_name(self.table)
                        .set_key(Some(key))
                        .update_expression(expression)
                        .set_condition_expression(self.condition)
                        .set_expression_attribute_names(self.names)
                        .set_expression_attribute_values(self.values)
                        .build()
                        .map_err(bad)?,
                )
                .build(),
            Op::Delete(key) => TransactWriteItem::builder()
                .delete(
                    Delete::builder()
                        .table_name(self.table)
                        .set_key(Some(key))
                        .set_condition_expression(self.condition)
                        .set_expression_attribute_names(self.names)
                        .set_expression_attribute_values(self.values)
                        .build()
                        .map_err(bad)?,
                )
                .build(),
        })
    }
}
