// A device keyed by a UUID that keyway generates (time-ordered v7).
use keyway::prelude::*;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq)]
pub struct Device {
    pub id: Uuid,
    pub name: String,
}

impl Device {
    pub const ID: Column<Device, Uuid, PrimaryKey> = Column::new("id").uuid_v7();
    pub const NAME: Column<Device, String> = Column::new("name");

    /// An unsaved device: its key is generated on insert.
    pub fn new(name: &str) -> Self {
        Device {
            id: Uuid::nil(),
            name: name.into(),
        }
    }
}

impl Entity for Device {
    type Key = Uuid;
    const TABLE: &'static str = "devices";
    const LAYOUT: Option<Layout> =
        crate::model::shared(Layout::new("app", "Device").key("DEVICE#{id}", "DEVICE"));
    const COLUMNS: &'static [ColumnDef] = &[Device::ID.def(), Device::NAME.def()];
    fn key(&self) -> Uuid {
        self.id
    }
    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Device::ID, &self.id);
        row.put(Device::NAME, &self.name);
    }
    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(Device {
            id: row.get(Device::ID)?,
            name: row.get(Device::NAME)?,
        })
    }
}
