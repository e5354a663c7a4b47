//! Migration steps as each dialect's DDL.

use keyway::migrate::{Change, ColumnSpec, SchemaSpec, Step, TableSpec};
use keyway::{ForeignKeySchema, IndexSchema};
use keyway_sql::{Dialect, MySql, Postgres, Sqlite, render_change};

fn col(name: &str, ty: &str, nullable: bool) -> ColumnSpec {
    ColumnSpec {
        name: name.into(),
        ty: ty.parse().unwrap(),
        nullable,
        auto: false,
        embedded_in: None,
    }
}

/// users (id, email unique) and todos (id, owner_id -> users, title, note).
fn schema() -> SchemaSpec {
    let users = TableSpec {
        name: "users".into(),
        columns: vec![
            ColumnSpec {
                auto: true,
                ..col("id", "i64", false)
            },
            col("email", "text", false),
        ],
        primary_key: vec!["id".into()],
        indexes: vec![IndexSchema {
            name: "users_email_key".into(),
            columns: vec!["email".into()],
            unique: true,
        }],
        foreign_keys: vec![],
        expires_at: None,
        layout: None,
    };
    let todos = TableSpec {
        name: "todos".into(),
        columns: vec![
            ColumnSpec {
                auto: true,
                ..col("id", "i64", false)
            },
            col("owner_id", "i64", false),
            col("title", "text", false),
            col("note", "text", true),
        ],
        primary_key: vec!["id".into()],
        indexes: vec![],
        foreign_keys: vec![owner_fk()],
        expires_at: None,
        layout: None,
    };
    SchemaSpec {
        tables: vec![users, todos],
    }
}

fn owner_fk() -> ForeignKeySchema {
    ForeignKeySchema {
        column: "owner_id".into(),
        parent_table: "users".into(),
        parent_column: "id".into(),
        on_delete: "cascade".into(),
    }
}

fn title_index() -> IndexSchema {
    IndexSchema {
        name: "todos_title_idx".into(),
        columns: vec!["title".into()],
        unique: false,
    }
}

/// The statements of `step` on the schema above, per dialect.
fn render<D: Dialect>(step: &Step) -> Vec<String> {
    render_on::<D>(&schema(), step)
}

fn render_on<D: Dialect>(before: &SchemaSpec, step: &Step) -> Vec<String> {
    let mut after = before.clone();
    after.apply(step).unwrap();
    render_change::<D>(&Change {
        step,
        before,
        after: &after,
    })
    .unwrap()
}

fn all(step: Step) -> [Vec<String>; 3] {
    [
        render::<Sqlite>(&step),
        render::<Postgres>(&step),
        render::<MySql>(&step),
    ]
}

/// add column todos.priority i16 NULL
#[test]
fn add_nullable_column() {
    let [sqlite, postgres, mysql] = all(Step::AddColumn {
        table: "todos".into(),
        column: col("priority", "i16", true),
    });
    assert_eq!(
        sqlite,
        [r#"ALTER TABLE "todos" ADD COLUMN "priority" INTEGER"#]
    );
    assert_eq!(
        postgres,
        [r#"ALTER TABLE "todos" ADD COLUMN "priority" SMALLINT"#]
    );
    assert_eq!(
        mysql,
        ["ALTER TABLE `todos` ADD COLUMN `priority` SMALLINT"]
    );
}

/// add column todos.rank i32 NOT NULL
#[test]
fn add_not_null_column() {
    let [sqlite, postgres, mysql] = all(Step::AddColumn {
        table: "todos".into(),
        column: col("rank", "i32", false),
    });
    assert_eq!(
        sqlite,
        [
            r#"CREATE TABLE "todos__keyway_new" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "owner_id" INTEGER NOT NULL, "title" TEXT NOT NULL, "note" TEXT, "rank" INTEGER NOT NULL, CONSTRAINT "todos_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users" ("id") ON DELETE CASCADE) STRICT"#,
            r#"INSERT INTO "todos__keyway_new" ("id", "owner_id", "title", "note") SELECT "id", "owner_id", "title", "note" FROM "todos""#,
            r#"DROP TABLE "todos""#,
            r#"ALTER TABLE "todos__keyway_new" RENAME TO "todos""#
        ]
    );
    assert_eq!(
        postgres,
        [r#"ALTER TABLE "todos" ADD COLUMN "rank" INTEGER NOT NULL"#]
    );
    assert_eq!(
        mysql,
        ["ALTER TABLE `todos` ADD COLUMN `rank` INT NOT NULL"]
    );
}

/// drop column todos.note
#[test]
fn drop_column() {
    let [sqlite, postgres, mysql] = all(Step::DropColumn {
        table: "todos".into(),
        column: col("note", "text", true),
    });
    assert_eq!(sqlite, [r#"ALTER TABLE "todos" DROP COLUMN "note""#]);
    assert_eq!(postgres, [r#"ALTER TABLE "todos" DROP COLUMN "note""#]);
    assert_eq!(mysql, ["ALTER TABLE `todos` DROP COLUMN `note`"]);
}

/// rename column todos.note to memo
#[test]
fn rename_column() {
    let [sqlite, postgres, mysql] = all(Step::RenameColumn {
        table: "todos".into(),
        from: "note".into(),
        to: "memo".into(),
    });
    assert_eq!(
        sqlite,
        [r#"ALTER TABLE "todos" RENAME COLUMN "note" TO "memo""#]
    );
    assert_eq!(
        postgres,
        [r#"ALTER TABLE "todos" RENAME COLUMN "note" TO "memo""#]
    );
    assert_eq!(
        mysql,
        ["ALTER TABLE `todos` RENAME COLUMN `note` TO `memo`"]
    );
}

/// alter column todos.note from text NULL to text NOT NULL
#[test]
fn make_not_null() {
    let [sqlite, postgres, mysql] = all(Step::AlterColumn {
        table: "todos".into(),
        from: col("note", "text", true),
        to: col("note", "text", false),
    });
    assert_eq!(
        sqlite,
        [
            r#"CREATE TABLE "todos__keyway_new" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "owner_id" INTEGER NOT NULL, "title" TEXT NOT NULL, "note" TEXT NOT NULL, CONSTRAINT "todos_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users" ("id") ON DELETE CASCADE) STRICT"#,
            r#"INSERT INTO "todos__keyway_new" ("id", "owner_id", "title", "note") SELECT "id", "owner_id", "title", "note" FROM "todos""#,
            r#"DROP TABLE "todos""#,
            r#"ALTER TABLE "todos__keyway_new" RENAME TO "todos""#
        ]
    );
    assert_eq!(
        postgres,
        [r#"ALTER TABLE "todos" ALTER COLUMN "note" SET NOT NULL"#]
    );
    assert_eq!(
        mysql,
        ["ALTER TABLE `todos` MODIFY COLUMN `note` LONGTEXT NOT NULL"]
    );
}

/// alter column todos.owner_id from i64 NOT NULL to i32 NOT NULL
#[test]
fn change_type() {
    let [sqlite, postgres, mysql] = all(Step::AlterColumn {
        table: "todos".into(),
        from: col("owner_id", "i64", false),
        to: col("owner_id", "i32", false),
    });
    assert_eq!(
        sqlite,
        [
            r#"CREATE TABLE "todos__keyway_new" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "owner_id" INTEGER NOT NULL, "title" TEXT NOT NULL, "note" TEXT, CONSTRAINT "todos_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users" ("id") ON DELETE CASCADE) STRICT"#,
            r#"INSERT INTO "todos__keyway_new" ("id", "owner_id", "title", "note") SELECT "id", "owner_id", "title", "note" FROM "todos""#,
            r#"DROP TABLE "todos""#,
            r#"ALTER TABLE "todos__keyway_new" RENAME TO "todos""#
        ]
    );
    assert_eq!(
        postgres,
        [r#"ALTER TABLE "todos" ALTER COLUMN "owner_id" TYPE INTEGER USING "owner_id"::INTEGER"#]
    );
    assert_eq!(
        mysql,
        ["ALTER TABLE `todos` MODIFY COLUMN `owner_id` INT NOT NULL"]
    );
}

/// add index `todos_title_idx` (title) on todos
#[test]
fn add_index() {
    let [sqlite, postgres, mysql] = all(Step::AddIndex {
        table: "todos".into(),
        index: title_index(),
    });
    assert_eq!(
        sqlite,
        [r#"CREATE INDEX "todos_title_idx" ON "todos" ("title")"#]
    );
    assert_eq!(
        postgres,
        [r#"CREATE INDEX "todos_title_idx" ON "todos" ("title")"#]
    );
    assert_eq!(
        mysql,
        [
            "ALTER TABLE `todos` MODIFY COLUMN `title` VARCHAR(255) NOT NULL",
            "CREATE INDEX `todos_title_idx` ON `todos` (`title`)"
        ]
    );
}

/// drop foreign key `owner_id` -> `users.id` on delete cascade on todos
#[test]
fn drop_foreign_key() {
    let [sqlite, postgres, mysql] = all(Step::DropForeignKey {
        table: "todos".into(),
        foreign_key: owner_fk(),
    });
    assert_eq!(
        sqlite,
        [
            r#"CREATE TABLE "todos__keyway_new" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "owner_id" INTEGER NOT NULL, "title" TEXT NOT NULL, "note" TEXT) STRICT"#,
            r#"INSERT INTO "todos__keyway_new" ("id", "owner_id", "title", "note") SELECT "id", "owner_id", "title", "note" FROM "todos""#,
            r#"DROP TABLE "todos""#,
            r#"ALTER TABLE "todos__keyway_new" RENAME TO "todos""#
        ]
    );
    assert_eq!(
        postgres,
        [r#"ALTER TABLE "todos" DROP CONSTRAINT "todos_owner_id_fkey""#]
    );
    assert_eq!(
        mysql,
        [
            "ALTER TABLE `todos` DROP FOREIGN KEY `todos_owner_id_fkey`",
            "DROP INDEX `todos_owner_id_fkey` ON `todos`"
        ]
    );
}

/// A renamed table's foreign key constraints follow its name.
#[test]
fn rename_table_with_a_foreign_key() {
    let [sqlite, postgres, mysql] = all(Step::RenameTable {
        from: "todos".into(),
        to: "tasks".into(),
    });
    assert_eq!(sqlite, [r#"ALTER TABLE "todos" RENAME TO "tasks""#]);
    assert_eq!(
        postgres,
        [
            r#"ALTER TABLE "todos" RENAME TO "tasks""#,
            r#"ALTER TABLE "tasks" RENAME CONSTRAINT "todos_owner_id_fkey" TO "tasks_owner_id_fkey""#
        ]
    );
    assert_eq!(
        mysql,
        [
            "ALTER TABLE `todos` DROP FOREIGN KEY `todos_owner_id_fkey`",
            "DROP INDEX `todos_owner_id_fkey` ON `todos`",
            "ALTER TABLE `todos` RENAME TO `tasks`",
            "ALTER TABLE `tasks` ADD CONSTRAINT `tasks_owner_id_fkey` FOREIGN KEY (`owner_id`) REFERENCES `users` (`id`) ON DELETE CASCADE"
        ]
    );
}

/// A table's foreign key onto itself names the table's new name when it
/// comes back after MySQL's rename.
#[test]
fn rename_a_table_that_references_itself() {
    let mut spec = schema();
    spec.tables[0].columns.push(col("mentor_id", "i64", true));
    spec.tables[0].foreign_keys.push(ForeignKeySchema {
        column: "mentor_id".into(),
        parent_table: "users".into(),
        parent_column: "id".into(),
        on_delete: "set null".into(),
    });
    let rename = Step::RenameTable {
        from: "users".into(),
        to: "people".into(),
    };
    let mysql = render_on::<MySql>(&spec, &rename);
    assert_eq!(
        mysql.last().unwrap(),
        "ALTER TABLE `people` ADD CONSTRAINT `people_mentor_id_fkey` FOREIGN KEY (`mentor_id`) REFERENCES `people` (`id`) ON DELETE SET NULL"
    );
}

/// A renamed foreign key column's constraint follows its name.
#[test]
fn rename_a_foreign_key_column() {
    let [sqlite, postgres, mysql] = all(Step::RenameColumn {
        table: "todos".into(),
        from: "owner_id".into(),
        to: "user_id".into(),
    });
    assert_eq!(
        sqlite,
        [r#"ALTER TABLE "todos" RENAME COLUMN "owner_id" TO "user_id""#]
    );
    assert_eq!(
        postgres,
        [
            r#"ALTER TABLE "todos" RENAME COLUMN "owner_id" TO "user_id""#,
            r#"ALTER TABLE "todos" RENAME CONSTRAINT "todos_owner_id_fkey" TO "todos_user_id_fkey""#
        ]
    );
    assert_eq!(
        mysql,
        [
            "ALTER TABLE `todos` DROP FOREIGN KEY `todos_owner_id_fkey`",
            "DROP INDEX `todos_owner_id_fkey` ON `todos`",
            "ALTER TABLE `todos` RENAME COLUMN `owner_id` TO `user_id`",
            "ALTER TABLE `todos` ADD CONSTRAINT `todos_user_id_fkey` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE"
        ]
    );
}

/// MySQL keeps an index under every foreign key: dropping the one it
/// used makes one of the constraint's name first.
#[test]
fn drop_the_index_under_a_foreign_key() {
    let mut with_index = schema();
    with_index.tables[1].indexes.push(IndexSchema {
        name: "todos_owner_id_idx".into(),
        columns: vec!["owner_id".into()],
        unique: false,
    });
    let drop = Step::DropIndex {
        table: "todos".into(),
        index: with_index.tables[1].indexes[0].clone(),
    };
    assert_eq!(
        render_on::<MySql>(&with_index, &drop),
        [
            "CREATE INDEX `todos_owner_id_fkey` ON `todos` (`owner_id`)",
            "DROP INDEX `todos_owner_id_idx` ON `todos`"
        ]
    );
    assert_eq!(
        render_on::<Postgres>(&with_index, &drop),
        [r#"DROP INDEX "todos_owner_id_idx""#]
    );
}

/// A constraint name longer than an identifier is cut and told apart by
/// a hash of the whole.
#[test]
fn long_foreign_key_names_fit() {
    let name = keyway_sql::foreign_key_name(&"t".repeat(40), &"c".repeat(40));
    assert_eq!(name.len(), 63);
    assert_ne!(
        name,
        keyway_sql::foreign_key_name(&"t".repeat(40), &"c".repeat(41))
    );
    assert_eq!(
        keyway_sql::foreign_key_name("todos", "owner_id"),
        "todos_owner_id_fkey"
    );
    // Cut at a character's boundary, whatever the name holds.
    let wide = keyway_sql::foreign_key_name(&"é".repeat(30), "c");
    assert!(wide.ends_with("_fkey") && wide.len() <= 63, "{wide}");
}

/// SQLite's rebuild moves a decimal's digits to a larger scale, and
/// refuses a change it cannot convert.
#[test]
fn sqlite_rebuilds_convert_decimals_only() {
    let mut spec = schema();
    spec.tables[1]
        .columns
        .push(col("price", "decimal(10,2)", false));
    let widen = Step::AlterColumn {
        table: "todos".into(),
        from: col("price", "decimal(10,2)", false),
        to: col("price", "decimal(12,4)", false),
    };
    let statements = render_on::<Sqlite>(&spec, &widen);
    assert!(
        statements[1].contains(r#""price" * 100 FROM"#),
        "{statements:?}"
    );
    let to_text = Step::AlterColumn {
        table: "todos".into(),
        from: col("price", "decimal(10,2)", false),
        to: col("price", "text", false),
    };
    let mut after = spec.clone();
    after.apply(&to_text).unwrap();
    let refused = render_change::<Sqlite>(&Change {
        step: &to_text,
        before: &spec,
        after: &after,
    });
    assert!(
        matches!(refused, Err(keyway::Error::Unsupported { .. })),
        "{refused:?}"
    );
}

/// Every type's catalog spelling reads back as a keyway type stored the
/// same way, on each dialect (a spelling two types share reads as the more
/// likely one: SQLite's `INTEGER` as `i64`).
#[test]
fn catalog_types_read_back() {
    fn check<D: Dialect>() {
        let spelled = |spec: keyway::migrate::TypeSpec| {
            let mut def =
                keyway::ColumnDef::new("c", spec.ty, false, keyway::ColumnRole::Plain, false);
            if let Some((p, s)) = spec.decimal {
                def = def.with_decimal(p, s);
            }
            keyway_sql::canonical_type::<D>(&D::column_type(&def, false).ty)
        };
        let mut types: Vec<keyway::migrate::TypeSpec> = keyway::ColumnType::SCALARS
            .iter()
            .filter(|t| **t != keyway::ColumnType::Decimal)
            .map(|&ty| keyway::migrate::TypeSpec { ty, decimal: None })
            .collect();
        types.push("decimal(12,2)".parse().unwrap());
        types.push("list<text>".parse().unwrap());
        for spec in types {
            let catalog = spelled(spec);
            let read = keyway_sql::portable_type::<D>(&catalog)
                .unwrap_or_else(|| panic!("{}: {catalog} reads as nothing", D::NAME));
            assert_eq!(spelled(read), catalog, "{}: {spec}", D::NAME);
        }
        assert_eq!(keyway_sql::portable_type::<D>("geometry"), None);
    }
    check::<Sqlite>();
    check::<Postgres>();
    check::<MySql>();
}
