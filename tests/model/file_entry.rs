// A file in a bucket: partition key the bucket, sort key the path, both
// text, so that `starts_with` on the path is a key condition on DynamoDB.
use keyway::PartitionKey;
use keyway::prelude::*;

#[derive(Debug, Clone, PartialEq)]
pub struct FileEntry {
    pub bucket: String,
    pub path: String,
    pub size: i64,
}

impl FileEntry {
    pub const BUCKET: Column<FileEntry, String, PartitionKey> = Column::new("bucket");
    pub const PATH: Column<FileEntry, String, SortKey> = Column::new("path");
    pub const SIZE: Column<FileEntry, i64> = Column::new("size");

    pub fn new(bucket: &str, path: &str, size: i64) -> Self {
        FileEntry {
            bucket: bucket.into(),
            path: path.into(),
            size,
        }
    }
}

impl Entity for FileEntry {
    type Key = (String, String);
    const TABLE: &'static str = "file_entries";
    const LAYOUT: Option<Layout> =
        crate::model::shared(Layout::new("app", "FileEntry").key("BUCKET#{bucket}", "FILE#{path}"));
    const COLUMNS: &'static [ColumnDef] = &[
        FileEntry::BUCKET.def(),
        FileEntry::PATH.def(),
        FileEntry::SIZE.def(),
    ];
    fn key(&self) -> (String, String) {
        (self.bucket.clone(), self.path.clone())
    }
    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(FileEntry::BUCKET, &self.bucket);
        row.put(FileEntry::PATH, &self.path);
        row.put(FileEntry::SIZE, &self.size);
    }
    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(FileEntry {
            bucket: row.get(FileEntry::BUCKET)?,
            path: row.get(FileEntry::PATH)?,
            size: row.get(FileEntry::SIZE)?,
        })
    }
}
