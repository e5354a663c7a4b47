// The relations between users and todos, implemented by hand on marker types.
use keyway::prelude::*;
use keyway::typenum::U0;

// Full paths, so that this file can also be `include!`d beside user.rs and todo.rs.

/// A user's todos.
#[derive(Debug, Clone, Copy)]
pub struct UserTodos;

impl Relation for UserTodos {
    type From = crate::model::User;
    type To = crate::model::Todo;
    type Slot = U0;
    type Link = HasMany<Column<crate::model::Todo, i64, Secondary>>;
    const LINK: Self::Link = HasMany(crate::model::Todo::OWNER_ID);
}

/// The user a todo belongs to.
#[derive(Debug, Clone, Copy)]
pub struct TodoOwner;

impl Relation for TodoOwner {
    type From = crate::model::Todo;
    type To = crate::model::User;
    type Slot = U0;
    type Link = BelongsTo<Column<crate::model::Todo, i64, Secondary>>;
    const LINK: Self::Link = BelongsTo(crate::model::Todo::OWNER_ID);
}

impl crate::model::User {
    pub const TODOS: UserTodos = UserTodos;
}

impl crate::model::Todo {
    pub const OWNER: TodoOwner = TodoOwner;
}
