//! The model of the migration tests in three versions, each written by
//! hand: v1 (owners and tasks), v2 (a task's `done` renamed `finished`, a
//! new nullable `priority`, an index on `title`, a new `labels` entity),
//! v3 (`priority` NOT NULL).

#![allow(dead_code, missing_docs)]

use keyway::prelude::*;

/// An owner of tasks: the same in every version.
#[derive(Debug, Clone, PartialEq)]
pub struct Owner {
    pub id: i64,
    pub name: String,
}

impl Owner {
    pub const ID: Column<Owner, i64, PrimaryKey> = Column::new("id").auto();
    pub const NAME: Column<Owner, String> = Column::new("name");
}

impl Entity for Owner {
    type Key = i64;
    const TABLE: &'static str = "mig_owners";
    const COLUMNS: &'static [ColumnDef] = &[Owner::ID.def(), Owner::NAME.def()];

    fn key(&self) -> i64 {
        self.id
    }

    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Owner::ID, &self.id);
        row.put(Owner::NAME, &self.name);
    }

    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(Owner {
            id: row.get(Owner::ID)?,
            name: row.get(Owner::NAME)?,
        })
    }
}

pub mod v1 {
    use super::Owner;
    use keyway::prelude::*;

    /// A task, first version.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Task {
        pub id: i64,
        pub owner_id: i64,
        pub title: String,
        pub done: bool,
    }

    impl Task {
        pub const ID: Column<Task, i64, PrimaryKey> = Column::new("id").auto();
        pub const OWNER_ID: Column<Task, i64, Secondary> = Column::new("owner_id");
        pub const TITLE: Column<Task, String> = Column::new("title");
        pub const DONE: Column<Task, bool> = Column::new("done");
    }

    impl Entity for Task {
        type Key = i64;
        const TABLE: &'static str = "mig_tasks";
        const COLUMNS: &'static [ColumnDef] = &[
            Task::ID.def(),
            Task::OWNER_ID.def(),
            Task::TITLE.def(),
            Task::DONE.def(),
        ];
        const FOREIGN_KEYS: &'static [ForeignKeyDef] =
            &[ForeignKeyDef::new(Task::OWNER_ID, Owner::ID)];

        fn key(&self) -> i64 {
            self.id
        }

        fn write(&self, row: &mut impl RowWriter<Self>) {
            row.put(Task::ID, &self.id);
            row.put(Task::OWNER_ID, &self.owner_id);
            row.put(Task::TITLE, &self.title);
            row.put(Task::DONE, &self.done);
        }

        fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
            Ok(Task {
                id: row.get(Task::ID)?,
                owner_id: row.get(Task::OWNER_ID)?,
                title: row.get(Task::TITLE)?,
                done: row.get(Task::DONE)?,
            })
        }
    }

    pub type Schema = (Owner, Task);
}

/// A task's `priority`: nullable in v2, NOT NULL in v3.
macro_rules! task_v2 {
    ($priority:ty) => {
        use super::Owner;
        use keyway::prelude::*;

        /// A task: `done` renamed `finished`, a priority, `title` indexed.
        #[derive(Debug, Clone, PartialEq)]
        pub struct Task {
            pub id: i64,
            pub owner_id: i64,
            pub title: String,
            pub finished: bool,
            pub priority: $priority,
        }

        impl Task {
            pub const ID: Column<Task, i64, PrimaryKey> = Column::new("id").auto();
            pub const OWNER_ID: Column<Task, i64, Secondary> = Column::new("owner_id");
            pub const TITLE: Column<Task, String, Secondary> = Column::new("title");
            pub const FINISHED: Column<Task, bool> = Column::new("finished");
            pub const PRIORITY: Column<Task, $priority> = Column::new("priority");
        }

        impl Entity for Task {
            type Key = i64;
            const TABLE: &'static str = "mig_tasks";
            const COLUMNS: &'static [ColumnDef] = &[
                Task::ID.def(),
                Task::OWNER_ID.def(),
                Task::TITLE.def(),
                Task::FINISHED.def(),
                Task::PRIORITY.def(),
            ];
            const FOREIGN_KEYS: &'static [ForeignKeyDef] =
                &[ForeignKeyDef::new(Task::OWNER_ID, Owner::ID)];

            fn key(&self) -> i64 {
                self.id
            }

            fn write(&self, row: &mut impl RowWriter<Self>) {
                row.put(Task::ID, &self.id);
                row.put(Task::OWNER_ID, &self.owner_id);
                row.put(Task::TITLE, &self.title);
                row.put(Task::FINISHED, &self.finished);
                row.put(Task::PRIORITY, &self.priority);
            }

            fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
                Ok(Task {
                    id: row.get(Task::ID)?,
                    owner_id: row.get(Task::OWNER_ID)?,
                    title: row.get(Task::TITLE)?,
                    finished: row.get(Task::FINISHED)?,
                    priority: row.get(Task::PRIORITY)?,
                })
            }
        }

        /// A label on a task, new in v2.
        #[derive(Debug, Clone, PartialEq)]
        pub struct Label {
            pub id: i64,
            pub task_id: i64,
            pub text: String,
        }

        impl Label {
            pub const ID: Column<Label, i64, PrimaryKey> = Column::new("id").auto();
            pub const TASK_ID: Column<Label, i64, Secondary> = Column::new("task_id");
            pub const TEXT: Column<Label, String> = Column::new("text");
        }

        impl Entity for Label {
            type Key = i64;
            const TABLE: &'static str = "mig_labels";
            const COLUMNS: &'static [ColumnDef] =
                &[Label::ID.def(), Label::TASK_ID.def(), Label::TEXT.def()];
            const FOREIGN_KEYS: &'static [ForeignKeyDef] =
                &[ForeignKeyDef::new(Label::TASK_ID, Task::ID).on_delete(OnDelete::Cascade)];

            fn key(&self) -> i64 {
                self.id
            }

            fn write(&self, row: &mut impl RowWriter<Self>) {
                row.put(Label::ID, &self.id);
                row.put(Label::TASK_ID, &self.task_id);
                row.put(Label::TEXT, &self.text);
            }

            fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
                Ok(Label {
                    id: row.get(Label::ID)?,
                    task_id: row.get(Label::TASK_ID)?,
                    text: row.get(Label::TEXT)?,
                })
            }
        }

        pub type Schema = (Owner, Task, Label);
    };
}

pub mod v2 {
    task_v2!(Option<i64>);
}

pub mod v3 {
    task_v2!(i64);
}

/// A lease whose `until` (Unix seconds) becomes its expiry in v2.
macro_rules! lease {
    ($until:expr) => {
        use keyway::prelude::*;

        #[derive(Debug, Clone, PartialEq)]
        pub struct Lease {
            pub name: String,
            pub until: Option<i64>,
        }

        impl Lease {
            pub const NAME: Column<Lease, String, PrimaryKey> = Column::new("name");
            pub const UNTIL: Column<Lease, Option<i64>> = $until;
        }

        impl Entity for Lease {
            type Key = String;
            const TABLE: &'static str = "mig_leases";
            const COLUMNS: &'static [ColumnDef] = &[Lease::NAME.def(), Lease::UNTIL.def()];

            fn key(&self) -> String {
                self.name.clone()
            }

            fn write(&self, row: &mut impl RowWriter<Self>) {
                row.put(Lease::NAME, &self.name);
                row.put(Lease::UNTIL, &self.until);
            }

            fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
                Ok(Lease {
                    name: row.get(Lease::NAME)?,
                    until: row.get(Lease::UNTIL)?,
                })
            }
        }
    };
}

/// `until` an ordinary column.
pub mod lease_v1 {
    lease!(Column::new("until"));
}

/// `until` the lease's expiry.
pub mod lease_v2 {
    lease!(Column::new("until").expires_at());
}

/// Notes kept with folders in one shared DynamoDB table (`mig_app`); v2
/// indexes a note's folder (a GSI of the shared table on DynamoDB).
macro_rules! notes {
    ($folder:ty) => {
        use keyway::prelude::*;

        #[derive(Debug, Clone, PartialEq)]
        pub struct Folder {
            pub id: i64,
            pub name: String,
        }

        impl Folder {
            pub const ID: Column<Folder, i64, PrimaryKey> = Column::new("id");
            pub const NAME: Column<Folder, String> = Column::new("name");
        }

        impl Entity for Folder {
            type Key = i64;
            const TABLE: &'static str = "mig_folders";
            const LAYOUT: Option<Layout> =
                Some(Layout::new("mig_app", "Folder").key("FOLDER#{id}", "FOLDER"));
            const COLUMNS: &'static [ColumnDef] = &[Folder::ID.def(), Folder::NAME.def()];
            fn key(&self) -> i64 {
                self.id
            }
            fn write(&self, row: &mut impl RowWriter<Self>) {
                row.put(Folder::ID, &self.id);
                row.put(Folder::NAME, &self.name);
            }
            fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
                Ok(Folder {
                    id: row.get(Folder::ID)?,
                    name: row.get(Folder::NAME)?,
                })
            }
        }

        #[derive(Debug, Clone, PartialEq)]
        pub struct Note {
            pub id: i64,
            pub folder: i64,
            pub body: String,
        }

        impl Note {
            pub const ID: Column<Note, i64, PrimaryKey> = Column::new("id");
            pub const FOLDER: Column<Note, i64, $folder> = Column::new("folder");
            pub const BODY: Column<Note, String> = Column::new("body");
        }

        impl Entity for Note {
            type Key = i64;
            const TABLE: &'static str = "mig_notes";
            const LAYOUT: Option<Layout> =
                Some(Layout::new("mig_app", "Note").key("NOTE#{id}", "NOTE"));
            const COLUMNS: &'static [ColumnDef] =
                &[Note::ID.def(), Note::FOLDER.def(), Note::BODY.def()];
            fn key(&self) -> i64 {
                self.id
            }
            fn write(&self, row: &mut impl RowWriter<Self>) {
                row.put(Note::ID, &self.id);
                row.put(Note::FOLDER, &self.folder);
                row.put(Note::BODY, &self.body);
            }
            fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
                Ok(Note {
                    id: row.get(Note::ID)?,
                    folder: row.get(Note::FOLDER)?,
                    body: row.get(Note::BODY)?,
                })
            }
        }

        pub type Schema = (Folder, Note);
    };
}

/// Notes unindexed.
pub mod notes_v1 {
    notes!(keyway::Plain);
}

/// Notes indexed by folder.
pub mod notes_v2 {
    notes!(Secondary);
}
