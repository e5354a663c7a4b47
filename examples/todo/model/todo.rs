// A todo: belongs to a user through an indexed owner_id, optional fields.
use keyway::prelude::*;

/// One thing to do.
#[derive(Debug, Clone, PartialEq)]
pub struct Todo {
    pub id: i64,
    pub owner_id: i64,
    pub title: String,
    pub done: bool,
    pub priority: i16,
    pub note: Option<String>,
}

impl Todo {
    pub const ID: Column<Todo, i64, PrimaryKey> = Column::new("id").auto();
    pub const OWNER_ID: Column<Todo, i64, Secondary> = Column::new("owner_id");
    pub const TITLE: Column<Todo, String> = Column::new("title");
    pub const DONE: Column<Todo, bool> = Column::new("done");
    pub const PRIORITY: Column<Todo, i16> = Column::new("priority");
    pub const NOTE: Column<Todo, Option<String>> = Column::new("note");

    /// A todo for `owner_id`, not yet inserted.
    pub fn new(owner_id: i64, title: &str, priority: i16) -> Self {
        Todo {
            id: 0,
            owner_id,
            title: title.into(),
            done: false,
            priority,
            note: None,
        }
    }
}

impl Entity for Todo {
    type Key = i64;
    const TABLE: &'static str = "todos";
    const LAYOUT: Option<Layout> = Some(
        Layout::new("app", "Todo")
            .key("TODO#{id}", "TODO")
            .indexes(&[LayoutIndex::new("GSI1", "USER#{owner_id}", "TODO#{id}")]),
    );
    const COLUMNS: &'static [ColumnDef] = &[
        Todo::ID.def(),
        Todo::OWNER_ID.def(),
        Todo::TITLE.def(),
        Todo::DONE.def(),
        Todo::PRIORITY.def(),
        Todo::NOTE.def(),
    ];

    const FOREIGN_KEYS: &'static [ForeignKeyDef] =
        &[ForeignKeyDef::new(Todo::OWNER_ID, crate::model::User::ID)];

    fn key(&self) -> i64 {
        self.id
    }

    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Todo::ID, &self.id);
        row.put(Todo::OWNER_ID, &self.owner_id);
        row.put(Todo::TITLE, &self.title);
        row.put(Todo::DONE, &self.done);
        row.put(Todo::PRIORITY, &self.priority);
        row.put(Todo::NOTE, &self.note);
    }

    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(Todo {
            id: row.get(Todo::ID)?,
            owner_id: row.get(Todo::OWNER_ID)?,
            title: row.get(Todo::TITLE)?,
            done: row.get(Todo::DONE)?,
            priority: row.get(Todo::PRIORITY)?,
            note: row.get(Todo::NOTE)?,
        })
    }
}
