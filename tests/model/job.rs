// A job in a queue that workers take one at a time: the row locks' model
// (`for_update().skip_locked()`).
use keyway::prelude::*;

#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: i64,
    pub task: String,
    pub taken_by: Option<i64>,
}

impl Job {
    pub const ID: Column<Job, i64, PrimaryKey> = Column::new("id").auto();
    pub const TASK: Column<Job, String> = Column::new("task");
    pub const TAKEN_BY: Column<Job, Option<i64>> = Column::new("taken_by");

    pub fn new(task: &str) -> Self {
        Job {
            id: 0,
            task: task.into(),
            taken_by: None,
        }
    }
}

impl Entity for Job {
    type Key = i64;
    const TABLE: &'static str = "jobs";
    const LAYOUT: Option<Layout> =
        crate::model::shared(Layout::new("app", "Job").key("JOB#{id}", "JOB"));
    const COLUMNS: &'static [ColumnDef] = &[Job::ID.def(), Job::TASK.def(), Job::TAKEN_BY.def()];
    fn key(&self) -> i64 {
        self.id
    }
    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Job::ID, &self.id);
        row.put(Job::TASK, &self.task);
        row.put(Job::TAKEN_BY, &self.taken_by);
    }
    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(Job {
            id: row.get(Job::ID)?,
            task: row.get(Job::TASK)?,
            taken_by: row.get(Job::TAKEN_BY)?,
        })
    }
}
