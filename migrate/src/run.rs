//! Applying and rolling back migrations on a database, with their records.

use std::collections::HashMap;

use keyway::migrate::{
    Change, Destructive, SchemaChanges, SchemaSpec, Step, TableSpec, live_table, plan,
};
use keyway::{Backend, Db, EntityExt, Executor, Result, Schema, SelectStmt, Transaction};

use crate::file::{self, Migration};
use crate::record::{AppliedMigration, now_micros};
use crate::{Migrator, invalid};

/// Where a migration stands on one database.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum State {
    /// Applied, as its file says.
    Applied,
    /// Not applied.
    Pending,
    /// Some of its steps applied (a backend that applies step by step
    /// stopped in it): `up` goes on from there, `down` undoes them.
    Partial {
        /// Steps applied.
        done: usize,
        /// Steps in all.
        total: usize,
    },
    /// Applied, but its file changed since.
    Edited,
    /// Applied, but it has no file here.
    Missing,
}

/// One migration's state on one database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// Its number.
    pub version: String,
    /// Its name.
    pub name: String,
    /// Where it stands.
    pub state: State,
    /// When it was applied, in microseconds since the Unix epoch.
    pub applied_at: Option<i64>,
}

/// A pending migration and what applying it runs on this backend.
#[derive(Debug, Clone)]
pub struct Planned {
    /// The migration.
    pub migration: Migration,
    /// Each step with its statements (none for a Rust step).
    pub steps: Vec<(Step, Vec<String>)>,
}

impl<B: Backend> Migrator<B> {
    /// Every migration, applied or not, and any applied one that has no
    /// file here, in order.
    pub async fn status(&self, db: &Db<B>) -> Result<Vec<Status>> {
        let migrations = self.migrations()?;
        let records = records(db).await?;
        let mut out: Vec<Status> = migrations
            .iter()
            .map(|m| {
                let record = records.get(&m.version);
                let state = match record {
                    None => State::Pending,
                    Some(r) if r.checksum != m.checksum => State::Edited,
                    Some(r) if !r.is_complete() => State::Partial {
                        done: r.steps_done as usize,
                        total: m.steps.len(),
                    },
                    Some(_) => State::Applied,
                };
                Status {
                    version: m.version.clone(),
                    name: m.name.clone(),
                    state,
                    applied_at: record.map(|r| r.applied_at),
                }
            })
            .collect();
        for r in records.values() {
            if !migrations.iter().any(|m| m.version == r.version) {
                out.push(Status {
                    version: r.version.clone(),
                    name: r.name.clone(),
                    state: State::Missing,
                    applied_at: Some(r.applied_at),
                });
            }
        }
        out.sort_by_key(|s| file::number(&s.version));
        Ok(out)
    }

    /// The pending migrations and what each step runs on this database.
    pub async fn plan(&self, db: &Db<B>) -> Result<Vec<Planned>> {
        let (migrations, schemas) = self.history()?;
        let records = records(db).await?;
        let start = self.first_pending(&migrations, &records)?;
        let mut out = Vec::new();
        for (i, m) in migrations.iter().enumerate().skip(start) {
            let done = records.get(&m.version).map_or(0, |r| r.steps_done as usize);
            let states = states(schemas[i].clone(), &m.steps)?;
            let mut steps = Vec::new();
            for (k, step) in m.steps.iter().enumerate().skip(done) {
                let statements = db.executor().render_change(&forward(&states, step, k))?;
                steps.push((step.clone(), statements));
            }
            out.push(Planned {
                migration: m.clone(),
                steps,
            });
        }
        Ok(out)
    }

    /// The steps from the database as it is to the schema `S`'s impls
    /// declare, each with what it would run here: a plan against the live
    /// database rather than the migration files, for a database made before
    /// there were migrations or one changed behind their back. Only the
    /// tables of `S` are read; on DynamoDB, what no key is keyed on is not
    /// described, and is taken as declared. Nothing is applied: write the
    /// steps into a migration to apply them.
    pub async fn plan_live<S: Schema>(&self, db: &Db<B>) -> Result<Vec<(Step, Vec<String>)>> {
        let exec = db.executor();
        let to = SchemaSpec::of::<S>()?;
        let mut live = SchemaSpec::default();
        for (def, _) in S::tables() {
            let mut declared = TableSpec::of(&def);
            let mut as_declared = exec.declared_table(&def)?;
            // Read under the names the database may still have: a renamed
            // table is looked for under its old name too, and a renamed
            // column the database still has under its old name is the
            // declared one (of its type).
            let mut found = exec.describe_table(def).await?;
            if found.is_none()
                && let Some((old, _)) = self.renames.tables().find(|(_, new)| *new == def.name)
            {
                let old_def = keyway::TableDef {
                    name: keyway::migrate::static_name(old),
                    ..def
                };
                found = exec.describe_table(old_def).await?;
                declared.name = old.to_owned();
            }
            for (from, to) in self.renames.columns_of(def.name) {
                let still_old = found
                    .as_ref()
                    .is_some_and(|f| f.column(from).is_some() && f.column(to).is_none());
                if !still_old || declared.column(to).is_none() || declared.column(from).is_some() {
                    continue;
                }
                let mut one = SchemaSpec {
                    tables: vec![declared],
                };
                let back = Step::RenameColumn {
                    table: one.tables[0].name.clone(),
                    from: to.to_owned(),
                    to: from.to_owned(),
                };
                one.apply(&back)?;
                declared = one.tables.remove(0);
                rename_in(&mut as_declared, to, from);
            }
            if let Some(found) = found {
                let read = live_table(&declared, &as_declared, &found, |t| exec.portable_type(t))?;
                live.tables.push(read);
            }
        }
        // Parents first, as `to` has them.
        live.tables
            .sort_by_key(|t| to.tables.iter().position(|d| d.name == t.name));
        let steps = plan(&live, &to, &self.renames)?;
        let states = states(live, &steps)?;
        let mut out = Vec::new();
        for (k, step) in steps.iter().enumerate() {
            let statements = exec.render_change(&forward(&states, step, k))?;
            out.push((step.clone(), statements));
        }
        Ok(out)
    }

    /// Records every migration as applied without running it: for a
    /// database whose schema is already the one they leave (made by
    /// `create_schema` before the project had migrations). Fails, recording
    /// nothing, unless the files and the code agree ([`check`](Self::check))
    /// and the database has no drift from the code
    /// ([`Db::verify_schema`]). Returns the numbers it recorded. (On MySQL,
    /// foreign keys made by a keyway older than migrations are named
    /// `{table}_ibfk_N`, which the drift check does not compare: rename
    /// them `{table}_{column}_fkey` first, or a later step that drops one
    /// does not find it.)
    pub async fn baseline<S: Schema>(&self, db: &Db<B>) -> Result<Vec<String>> {
        self.check::<S>()?;
        db.verify_schema::<S>().await?;
        let migrations = self.migrations()?;
        let style = db.executor().schema_changes();
        let session = self.open(db, style).await?;
        let result = async {
            let records = records(db).await?;
            let mut recorded = Vec::new();
            for m in &migrations {
                if !records.contains_key(&m.version) {
                    db.insert(&record(m, m.steps.len())).await?;
                    recorded.push(m.version.clone());
                }
            }
            Ok(recorded)
        }
        .await;
        close(session, result).await
    }

    /// Applies every pending migration, in order; returns their numbers.
    ///
    /// On PostgreSQL and SQLite each migration runs in one transaction with
    /// its record: a failure leaves the database at the last migration
    /// applied. On MySQL (whose DDL commits) and DynamoDB the steps run one
    /// by one, each recorded: a failure undoes the migration's steps made
    /// so far. Two runs at once take turns (see
    /// [`Executor::lock_migrations`]); each migration is applied once.
    ///
    /// A run dropped part way (its future cancelled) stops between two
    /// statements: on MySQL and DynamoDB its record says how far it got.
    /// MySQL's lock goes with the connection, which is closed; DynamoDB's
    /// lock item stays until its lease ends.
    pub async fn up(&self, db: &Db<B>) -> Result<Vec<String>> {
        let (migrations, schemas) = self.history()?;
        // Only what is still to run may need the permission.
        let records = records(db).await?;
        let start = self.first_pending(&migrations, &records)?;
        self.refuse_destructive(migrations[start..].iter().flat_map(|m| {
            let done = records.get(&m.version).map_or(0, |r| r.steps_done as usize);
            m.steps.iter().skip(done).map(move |s| (m, s.clone()))
        }))?;
        let style = db.executor().schema_changes();
        let session = self.open(db, style).await?;
        let result = self.up_locked(db, style, &migrations, &schemas).await;
        close(session, result).await
    }

    async fn up_locked(
        &self,
        db: &Db<B>,
        style: SchemaChanges,
        migrations: &[Migration],
        schemas: &[SchemaSpec],
    ) -> Result<Vec<String>> {
        let records = records(db).await?;
        let start = self.first_pending(migrations, &records)?;
        let mut applied = Vec::new();
        for (i, m) in migrations.iter().enumerate().skip(start) {
            let before = schemas[i].clone();
            let done = match style {
                SchemaChanges::OneByOne => self.up_one_by_one(db, m, before).await?,
                _ => self.up_in_transaction(db, m, before).await?,
            };
            if done {
                applied.push(m.version.clone());
            }
        }
        Ok(applied)
    }

    /// One migration in a transaction of its own; `false` when another run
    /// applied it first.
    async fn up_in_transaction(
        &self,
        db: &Db<B>,
        m: &Migration,
        before: SchemaSpec,
    ) -> Result<bool> {
        let Some(tx) = begin_locked(db, m, false).await? else {
            return Ok(false);
        };
        let states = states(before, &m.steps)?;
        for (k, step) in m.steps.iter().enumerate() {
            self.step_in_transaction(&tx, m, forward(&states, step, k))
                .await?;
        }
        tx.insert(&record(m, m.steps.len())).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// One migration step by step, each recorded; a failure undoes the
    /// steps this run made.
    async fn up_one_by_one(&self, db: &Db<B>, m: &Migration, before: SchemaSpec) -> Result<bool> {
        let existing = db.find::<AppliedMigration>(m.version.clone()).await?;
        let start = match &existing {
            Some(r) if r.is_complete() => return Ok(false),
            Some(r) => r.steps_done as usize,
            None => {
                db.insert(&record(m, 0)).await?;
                0
            }
        };
        let states = states(before, &m.steps)?;
        for k in start..m.steps.len() {
            if let Err(e) = self
                .step_on_db(db, m, forward(&states, &m.steps[k], k))
                .await
            {
                return Err(self.undo_partial(db, m, &states, start, k, e).await);
            }
            set_done(db, m, k + 1).await?;
        }
        Ok(true)
    }

    /// Undoes steps `start..k` of `m` after step `k` failed with `failed`;
    /// the error to report.
    async fn undo_partial(
        &self,
        db: &Db<B>,
        m: &Migration,
        states: &[SchemaSpec],
        start: usize,
        k: usize,
        failed: keyway::Error,
    ) -> keyway::Error {
        for j in (start..k).rev() {
            let inverse = m.steps[j].inverse();
            let change = backward(states, &inverse, j);
            let undone = match self.step_on_db(db, m, change).await {
                Ok(()) => set_done(db, m, j).await,
                Err(e) => Err(e),
            };
            if let Err(undo) = undone {
                return invalid(format!(
                    "migration {}_{} failed at step {} ({failed}), and undoing step {} failed too \
                     ({undo}): {j} of its steps are applied and recorded; fix the cause, then \
                     run up again to go on from there, or down to undo them",
                    m.version,
                    m.name,
                    k + 1,
                    j + 1
                ));
            }
        }
        if start == 0
            && let Err(e) = db.delete(AppliedMigration::delete(m.version.clone())).await
        {
            return invalid(format!(
                "{failed}; and its record could not be removed: {e}"
            ));
        }
        failed
    }

    /// Rolls back the last `n` applied migrations, newest first; returns
    /// their numbers. Each must still have its file, unedited: its steps
    /// are undone in reverse order.
    pub async fn down(&self, db: &Db<B>, n: usize) -> Result<Vec<String>> {
        let (migrations, schemas) = self.history()?;
        let records = records(db).await?;
        let mut targets: Vec<&AppliedMigration> = records.values().collect();
        targets.sort_by_key(|r| std::cmp::Reverse(file::number(&r.version)));
        targets.truncate(n);
        let mut plan = Vec::new();
        for r in targets {
            let Some(i) = migrations.iter().position(|m| m.version == r.version) else {
                return Err(invalid(format!(
                    "migration {}_{} is applied but has no file here: it cannot be undone",
                    r.version, r.name
                )));
            };
            if migrations[i].checksum != r.checksum {
                return Err(edited(&migrations[i]));
            }
            plan.push((i, r.steps_done as usize));
        }
        self.refuse_destructive(plan.iter().flat_map(|&(i, done)| {
            let m = &migrations[i];
            m.steps[..done.min(m.steps.len())]
                .iter()
                .map(move |s| (m, s.inverse()))
        }))?;
        let style = db.executor().schema_changes();
        let session = self.open(db, style).await?;
        let result = async {
            let mut undone = Vec::new();
            for (i, done) in plan {
                let m = &migrations[i];
                let states = states(schemas[i].clone(), &m.steps)?;
                let done = done.min(m.steps.len());
                let ok = match style {
                    SchemaChanges::OneByOne => self.down_one_by_one(db, m, &states, done).await?,
                    _ => self.down_in_transaction(db, m, &states, done).await?,
                };
                if ok {
                    undone.push(m.version.clone());
                }
            }
            Ok(undone)
        }
        .await;
        close(session, result).await
    }

    async fn down_in_transaction(
        &self,
        db: &Db<B>,
        m: &Migration,
        states: &[SchemaSpec],
        done: usize,
    ) -> Result<bool> {
        let Some(tx) = begin_locked(db, m, true).await? else {
            return Ok(false);
        };
        for j in (0..done).rev() {
            let inverse = m.steps[j].inverse();
            let change = backward(states, &inverse, j);
            self.step_in_transaction(&tx, m, change).await?;
        }
        tx.delete(AppliedMigration::delete(m.version.clone()))
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn down_one_by_one(
        &self,
        db: &Db<B>,
        m: &Migration,
        states: &[SchemaSpec],
        done: usize,
    ) -> Result<bool> {
        if db
            .find::<AppliedMigration>(m.version.clone())
            .await?
            .is_none()
        {
            return Ok(false);
        }
        for j in (0..done).rev() {
            let inverse = m.steps[j].inverse();
            let change = backward(states, &inverse, j);
            self.step_on_db(db, m, change).await?;
            set_done(db, m, j).await?;
        }
        db.delete(AppliedMigration::delete(m.version.clone()))
            .await?;
        Ok(true)
    }

    /// Fails when the files and the database disagree (a migration pending,
    /// partly applied, edited or missing), when the impls declare changes
    /// no migration makes, or when the live schema differs from the impls
    /// ([`Db::verify_schema`]): the check for start-up or deployment.
    pub async fn verify<S: Schema>(&self, db: &Db<B>) -> Result<()> {
        self.check::<S>()?;
        for status in self.status(db).await? {
            let what = match status.state {
                State::Applied => continue,
                State::Pending => "is not applied",
                State::Partial { .. } => "is partly applied",
                State::Edited => "was edited after it was applied",
                State::Missing => "is applied but has no file here",
            };
            return Err(invalid(format!(
                "migration {}_{} {what}",
                status.version, status.name
            )));
        }
        db.verify_schema::<S>().await
    }

    /// The index of the first migration not applied in full, after checking
    /// that every applied one has its file, unedited, and that none pending
    /// comes before an applied one.
    fn first_pending(
        &self,
        migrations: &[Migration],
        records: &HashMap<String, AppliedMigration>,
    ) -> Result<usize> {
        for r in records.values() {
            match migrations.iter().find(|m| m.version == r.version) {
                None => {
                    return Err(invalid(format!(
                        "migration {}_{} is applied but has no file here",
                        r.version, r.name
                    )));
                }
                Some(m) if m.checksum != r.checksum => return Err(edited(m)),
                Some(_) => {}
            }
        }
        let start = migrations
            .iter()
            .position(|m| records.get(&m.version).is_none_or(|r| !r.is_complete()))
            .unwrap_or(migrations.len());
        if let Some(later) = migrations[start..]
            .iter()
            .skip(1)
            .find(|m| records.contains_key(&m.version))
        {
            return Err(invalid(format!(
                "migration {}_{} is not applied but {}_{}, after it, is: renumber it after the \
                 last applied one",
                migrations[start].version, migrations[start].name, later.version, later.name
            )));
        }
        Ok(start)
    }

    /// Refuses, before anything runs, the steps that lose data for sure
    /// (drops, narrowing types) unless allowed.
    fn refuse_destructive<'m>(
        &self,
        steps: impl Iterator<Item = (&'m Migration, Step)>,
    ) -> Result<()> {
        if self.allow_destructive {
            return Ok(());
        }
        for (m, step) in steps {
            if let Some(why) = step.destructive()
                && why != Destructive::MakesNotNull
            {
                return Err(refused(m, &step, why));
            }
        }
        Ok(())
    }

    /// The lock session of a backend that applies step by step: a
    /// transaction holding the lock until `close`.
    async fn open(&self, db: &Db<B>, style: SchemaChanges) -> Result<Option<Db<Transaction<B>>>> {
        match style {
            SchemaChanges::Unsupported => Err(keyway::Error::Unsupported {
                backend: db.executor().system(),
                detail: "migrations".into(),
            }),
            SchemaChanges::OneByOne => {
                let session = db.begin().await?;
                session.executor().lock_migrations().await?;
                // The lock outlives the session's transaction: it is given
                // back on every way out.
                if let Err(e) = db.create_schema::<AppliedMigration>().await {
                    return close(Some(session), Err(e)).await;
                }
                Ok(Some(session))
            }
            _ => {
                let tx = db.begin_schema_change().await?;
                tx.executor().lock_migrations().await?;
                tx.create_schema::<AppliedMigration>().await?;
                tx.commit().await?;
                Ok(None)
            }
        }
    }

    async fn step_in_transaction(
        &self,
        tx: &Db<Transaction<B>>,
        m: &Migration,
        change: Change<'_>,
    ) -> Result<()> {
        if change.step.is_noop() {
            return Ok(());
        }
        if let Step::Rust { up, .. } = change.step {
            return (self.registered(m, up)?.in_transaction)(tx).await;
        }
        self.check_rows(tx, m, &change).await?;
        tx.executor().apply_change(&change).await
    }

    async fn step_on_db(&self, db: &Db<B>, m: &Migration, change: Change<'_>) -> Result<()> {
        if change.step.is_noop() {
            return Ok(());
        }
        if let Step::Rust { up, .. } = change.step {
            return (self.registered(m, up)?.on_db)(db).await;
        }
        self.check_rows(db, m, &change).await?;
        db.executor().apply_change(&change).await
    }

    fn registered(&self, m: &Migration, name: &str) -> Result<&crate::backfill::Registered<B>> {
        self.rust.get(name).ok_or_else(|| {
            invalid(format!(
                "migration {}_{} runs the Rust step `{name}`, which this program does not \
                 register (Migrator::rust_step)",
                m.version, m.name
            ))
        })
    }

    /// Refuses a NOT NULL column where rows would have no value, unless
    /// destructive steps are allowed.
    async fn check_rows<X: Executor>(
        &self,
        db: &Db<X>,
        m: &Migration,
        change: &Change<'_>,
    ) -> Result<()> {
        if self.allow_destructive || change.step.destructive() != Some(Destructive::MakesNotNull) {
            return Ok(());
        }
        let Some(table) = change.table_before() else {
            return Ok(());
        };
        let mut stmt = SelectStmt::new(table.to_def()?);
        stmt.scan = true;
        if let Step::AlterColumn { to, .. } = change.step {
            stmt.filter = Some(keyway::Expr::IsNull {
                column: keyway::migrate::static_name(&to.name),
                negated: false,
            });
        }
        if db.executor().count(stmt).await? > 0 {
            return Err(refused(m, change.step, Destructive::MakesNotNull));
        }
        Ok(())
    }
}

/// A migration's transaction with the migration lock held, if `m` is
/// (`recorded`) or is not applied; `None` when another run got there first.
async fn begin_locked<B: Backend>(
    db: &Db<B>,
    m: &Migration,
    recorded: bool,
) -> Result<Option<Db<Transaction<B>>>> {
    let tx = db.begin_schema_change().await?;
    tx.executor().lock_migrations().await?;
    let found = tx
        .find::<AppliedMigration>(m.version.clone())
        .await?
        .is_some();
    if found != recorded {
        tx.rollback().await?;
        return Ok(None);
    }
    Ok(Some(tx))
}

/// Column `from` of a described table called `to`, as a rename back reads it.
fn rename_in(table: &mut keyway::TableSchema, from: &str, to: &str) {
    let rename = |name: &mut String| {
        if name == from {
            *name = to.to_owned();
        }
    };
    table.columns.iter_mut().for_each(|c| rename(&mut c.name));
    table.primary_key.iter_mut().for_each(rename);
    for ix in &mut table.indexes {
        ix.columns.iter_mut().for_each(rename);
    }
    table
        .foreign_keys
        .iter_mut()
        .for_each(|fk| rename(&mut fk.column));
}

/// The schema before each step of `steps` and after the last.
fn states(before: SchemaSpec, steps: &[Step]) -> Result<Vec<SchemaSpec>> {
    let mut out = vec![before];
    for step in steps {
        let next = applied(out.last().expect("one at least"), step)?;
        out.push(next);
    }
    Ok(out)
}

/// Step `k` in its place among `states` (as [`states`] gives them).
fn forward<'a>(states: &'a [SchemaSpec], step: &'a Step, k: usize) -> Change<'a> {
    Change {
        step,
        before: &states[k],
        after: &states[k + 1],
    }
}

/// `inverse`, the undoing of step `j`, in its place among `states`: from
/// the schema after step `j` back to the one before it.
fn backward<'a>(states: &'a [SchemaSpec], inverse: &'a Step, j: usize) -> Change<'a> {
    Change {
        step: inverse,
        before: &states[j + 1],
        after: &states[j],
    }
}

fn applied(now: &SchemaSpec, step: &Step) -> Result<SchemaSpec> {
    let mut after = now.clone();
    after.apply(step)?;
    Ok(after)
}

/// Ends a lock session, giving the lock back, and returns `result` (or the
/// session's error if the work succeeded).
async fn close<B: Backend, T>(session: Option<Db<Transaction<B>>>, result: Result<T>) -> Result<T> {
    let Some(session) = session else {
        return result;
    };
    let unlocked = session.executor().unlock_migrations().await;
    let ended = session.commit().await;
    let value = result?;
    unlocked?;
    ended?;
    Ok(value)
}

/// Every record, by number; none when the table does not exist yet.
async fn records<X: Executor>(db: &Db<X>) -> Result<HashMap<String, AppliedMigration>> {
    let def = keyway::TableDef::of::<AppliedMigration>();
    if db.executor().describe_table(def).await?.is_none() {
        return Ok(HashMap::new());
    }
    Ok(db
        .all(AppliedMigration::query().scan())
        .await?
        .into_iter()
        .map(|r| (r.version.clone(), r))
        .collect())
}

fn record(m: &Migration, done: usize) -> AppliedMigration {
    AppliedMigration {
        version: m.version.clone(),
        name: m.name.clone(),
        checksum: m.checksum.clone(),
        steps: m.steps.len() as i64,
        steps_done: done as i64,
        applied_at: now_micros(),
    }
}

async fn set_done<B: Backend>(db: &Db<B>, m: &Migration, done: usize) -> Result<()> {
    db.update(
        AppliedMigration::update(m.version.clone()).set(AppliedMigration::STEPS_DONE, done as i64),
    )
    .await?;
    Ok(())
}

fn edited(m: &Migration) -> keyway::Error {
    invalid(format!(
        "migration {}_{} was edited after it was applied (its checksum differs): restore it, \
         and put the change in a new migration",
        m.version, m.name
    ))
}

fn refused(m: &Migration, step: &Step, why: Destructive) -> keyway::Error {
    let what = match why {
        Destructive::DropsTable => "drops a table and its rows",
        Destructive::DropsColumn => "drops a column and its values",
        Destructive::NarrowsType => "narrows a column's type: a value may not fit",
        Destructive::MakesNotNull => {
            "makes a column NOT NULL on a table with rows that have no value in it (add it \
             nullable, fill it in a Rust step, then make it NOT NULL)"
        }
        _ => "may lose data",
    };
    invalid(format!(
        "migration {}_{}: the step \"{step}\" {what}; refused unless destructive steps are \
         allowed (Migrator::allow_destructive, --allow-destructive)",
        m.version, m.name
    ))
}
