//! SeaORM 2: entities in its derive style, queries through its API, on its
//! own connection (a private in-memory SQLite database, or a PostgreSQL
//! database of its own).

use std::time::Duration;

use sea_orm::entity::prelude::*;
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, LoaderTrait, Set};

use crate::data::OWNERS;

/// The `users` table.
pub mod user {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "users")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub name: String,
        #[sea_orm(unique)]
        pub email: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {
        #[sea_orm(has_many = "super::todo::Entity")]
        Todo,
    }

    impl Related<super::todo::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Todo.def()
        }
    }

    impl ActiveModelBehavior for ActiveModel {}
}

/// The `todos` table.
pub mod todo {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "todos")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub owner_id: i64,
        pub title: String,
        pub done: bool,
        pub priority: i16,
        pub note: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {
        #[sea_orm(
            belongs_to = "super::user::Entity",
            from = "Column::OwnerId",
            to = "super::user::Column::Id"
        )]
        User,
    }

    impl Related<super::user::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::User.def()
        }
    }

    impl ActiveModelBehavior for ActiveModel {}
}

/// A private in-memory database (`url` names one). SeaORM's own defaults (one connection for
/// SQLite, statement logging on, ping before acquire), except that the
/// connection is never closed for idleness, which would drop the database.
pub async fn open(url: &str) -> DatabaseConnection {
    let mut options = ConnectOptions::new(url);
    options
        .min_connections(1)
        .idle_timeout(None::<Duration>)
        .max_lifetime(None::<Duration>);
    Database::connect(options)
        .await
        .expect("open SeaORM database")
}

/// A server database at `url` with SeaORM's defaults throughout: sqlx's pool
/// (at most 10 connections, a ping before each use), statement logging on.
pub async fn open_server(url: &str) -> DatabaseConnection {
    Database::connect(url)
        .await
        .unwrap_or_else(|e| panic!("open SeaORM database {url}: {e}"))
}

/// Runs a multi-statement script (schema, seed rows).
pub async fn script(db: &DatabaseConnection, sql: &str) {
    db.execute_unprepared(sql).await.expect("script");
}

pub async fn get(db: &DatabaseConnection, id: i64) -> user::Model {
    user::Entity::find_by_id(id)
        .one(db)
        .await
        .expect("get")
        .expect("row exists")
}

pub async fn all(db: &DatabaseConnection) -> Vec<user::Model> {
    user::Entity::find().all(db).await.expect("all")
}

/// The batch as SeaORM takes it: active models, the key left to the database.
pub fn batch(users: &[(String, String)]) -> Vec<user::ActiveModel> {
    users
        .iter()
        .map(|(name, email)| user::ActiveModel {
            name: Set(name.clone()),
            email: Set(email.clone()),
            ..Default::default()
        })
        .collect()
}

/// One multi-row `INSERT ... RETURNING id`.
pub async fn insert_many(db: &DatabaseConnection, batch: Vec<user::ActiveModel>) -> Vec<i64> {
    user::Entity::insert_many(batch)
        .exec_with_returning_keys(db)
        .await
        .expect("insert batch")
}

/// The users with `id <= OWNERS`, then their todos through the loader (one
/// `IN (...)` query), grouped per user.
pub async fn eager(db: &DatabaseConnection) -> Vec<(user::Model, Vec<todo::Model>)> {
    let users = user::Entity::find()
        .filter(user::Column::Id.lte(OWNERS))
        .all(db)
        .await
        .expect("users");
    let todos = users.load_many(todo::Entity, db).await.expect("todos");
    users.into_iter().zip(todos).collect()
}

/// Empties `users` (untimed, between insert batches).
pub async fn clear(db: &DatabaseConnection) {
    user::Entity::delete_many()
        .exec(db)
        .await
        .expect("empty users");
}
