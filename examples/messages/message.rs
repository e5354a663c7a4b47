// A message keyed by (channel, sent_at): a composite partition + sort key.
use keyway::prelude::*;

/// A chat message.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub channel: String,
    pub sent_at: i64,
    pub body: String,
}

impl Message {
    pub const CHANNEL: Column<Message, String, PrimaryKey> = Column::new("channel");
    pub const SENT_AT: Column<Message, i64, SortKey> = Column::new("sent_at");
    pub const BODY: Column<Message, String> = Column::new("body");
}

impl Entity for Message {
    type Key = (String, i64);
    const TABLE: &'static str = "messages";
    const LAYOUT: Option<Layout> =
        Some(Layout::new("app", "Message").key("CHANNEL#{channel}", "MESSAGE#{sent_at}"));
    const COLUMNS: &'static [ColumnDef] = &[
        Message::CHANNEL.def(),
        Message::SENT_AT.def(),
        Message::BODY.def(),
    ];

    fn key(&self) -> (String, i64) {
        (self.channel.clone(), self.sent_at)
    }

    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(Message::CHANNEL, &self.channel);
        row.put(Message::SENT_AT, &self.sent_at);
        row.put(Message::BODY, &self.body);
    }

    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(Message {
            channel: row.get(Message::CHANNEL)?,
            sent_at: row.get(Message::SENT_AT)?,
            body: row.get(Message::BODY)?,
        })
    }
}
