//! One conditional item write, runnable alone (PutItem, UpdateItem,
//! DeleteItem) or as part of a TransactWriteItems, and the ConditionCheck
//! that a referenced parent item exists.

use std::collections::HashMap;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::{
    AttributeValue, ConditionCheck, Delete, Put, TransactWriteItem, Update,
};
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
    /// Writes nothing: checks the condition on the item with this key
    /// (only inside a TransactWriteItems).
    Check(Item),
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
    /// Checking that the parent item a foreign key references exists: a
    /// missing parent, described by the text.
    Parent(String),
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
            Role::Parent(detail) => Error::ForeignKeyViolation {
                entity: self.entity,
                detail: detail.clone(),
            },
            Role::Existing | Role::Release => Error::ConditionFailed,
        }
    }

    /// Runs an update or delete alone and returns its item: as the update
    /// left it, as the delete found it. A failed condition is mapped by its
    /// role.
    pub(crate) async fn run_returning(self, client: &Client) -> Result<Option<Item>> {
        let result = match self.op {
            Op::Update { .. } => update_item::update_item(client, &self, true).await,
            Op::Delete(_) => delete_item::delete_item(client, &self, true).await,
            Op::Put(_) | Op::Check(_) => return self.run(client).await.map(|()| None),
        };
        match result {
            Err(Error::ConditionFailed) => Err(self.violation()),
            other => other,
        }
    }

    /// The item written, to refuse two writes of one item in one transaction.
    pub(crate) fn target(&self) -> String {
        match &self.op {
            Op::Put(item) | Op::Update { key: item, .. } | Op::Delete(item) | Op::Check(item) => {
                target_of(&self.table, item, None)
            }
        }
    }

    /// Runs the action alone; a failed condition is mapped by its role.
    pub(crate) async fn run(self, client: &Client) -> Result<()> {
        let result = match self.op {
            Op::Put(_) => put_item::put_item(client, &self).await,
            Op::Update { .. } => update_item::update_item(client, &self, false)
                .await
                .map(drop),
            Op::Delete(_) => delete_item::delete_item(client, &self, false)
                .await
                .map(drop),
            Op::Check(_) => check_alone(client, &self).await,
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
            Op::Check(key) => TransactWriteItem::builder()
                .condition_check(
                    ConditionCheck::builder()
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

/// The identity of the item of `table` with `item`'s attributes: its key
/// attributes (`keys`, or every attribute of `item` when it is a key),
/// sorted, so that two writes of one item compare equal.
pub(crate) fn target_of(table: &str, item: &Item, keys: Option<&[&str]>) -> String {
    let mut parts: Vec<String> = item
        .iter()
        .filter(|(k, _)| keys.is_none_or(|keys| keys.contains(&k.as_str())))
        .map(|(k, v)| format!("{k}={v:?}"))
        .collect();
    parts.sort();
    format!("{}/{}", table, parts.join(","))
}

/// A ConditionCheck outside a transaction (keyway always sends them inside
/// one): a consistent GetItem of the key, failing as the condition would.
async fn check_alone(client: &Client, action: &Action) -> Result<()> {
    let Op::Check(key) = &action.op else {
        return Ok(());
    };
    let names = crate::names::Names::new(action.entity);
    let got = crate::get_item::get_item(client, &action.table, key.clone(), None, names);
    match got.await? {
        Some(_) => Ok(()),
        None => Err(Error::ConditionFailed),
    }
}
