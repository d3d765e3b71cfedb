//! Reading the exports a spec names into the account universe plus the
//! intent and activity rows attached to it, accounting for every row.
//!
//! Each data row lands in exactly one bucket: `used`, `merged` (a duplicate
//! key within one account input), `rejected` (ragged, bad key, bad date, bad
//! score), `free_mail` (an activity row from a free-mail domain), `unmatched`
//! (its domain is no account) or `out_of_scope` (outside the window, or not on
//! a listed topic) — checked in that order.

pub mod accounts;
pub mod activity;
mod index;
mod lookup;
pub mod overrides;
mod parquet;
pub mod parts;
pub mod read;
mod records;
pub mod rows;
pub mod xlsx;

use chrono::NaiveDate;
use compact_str::CompactString;
use indexmap::IndexMap;
use serde::Serialize;

use crate::expr::Type;
use crate::spec::{InputKind, Spec};
use crate::value;

pub use accounts::Accounts;
pub use activity::{Activity, IntentRows};
pub use rows::{Bucket, RowLog};

/// How many rows of one input landed in each bucket.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Buckets {
    pub read: u64,
    pub used: u64,
    pub merged: u64,
    pub rejected: u64,
    pub unmatched: u64,
    pub out_of_scope: u64,
    pub free_mail: u64,
}

impl Buckets {
    fn add(&mut self, other: &Buckets) {
        self.read += other.read;
        self.used += other.used;
        self.merged += other.merged;
        self.rejected += other.rejected;
        self.unmatched += other.unmatched;
        self.out_of_scope += other.out_of_scope;
        self.free_mail += other.free_mail;
    }

    /// The count of one bucket.
    pub fn of(&mut self, bucket: Bucket) -> &mut u64 {
        match bucket {
            Bucket::Used => &mut self.used,
            Bucket::Merged => &mut self.merged,
            Bucket::Rejected => &mut self.rejected,
            Bucket::Unmatched => &mut self.unmatched,
            Bucket::OutOfScope => &mut self.out_of_scope,
            Bucket::FreeMail => &mut self.free_mail,
        }
    }

    /// The buckets add up to the rows read.
    pub fn is_balanced(&self) -> bool {
        self.used
            + self.merged
            + self.rejected
            + self.unmatched
            + self.out_of_scope
            + self.free_mail
            == self.read
    }
}

/// A row that could not be used, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Reject {
    pub line: u64,
    pub reason: String,
    #[serde(skip)]
    pub raw: String,
}

/// Per mapped field: how many parsed rows had a value, and which cells did
/// not parse.
#[derive(Debug, Clone, Default)]
pub struct FieldQuality {
    pub present: u64,
    pub unparseable: u64,
    pub examples: Vec<String>,
}

impl FieldQuality {
    fn failed(&mut self, raw: &str) {
        self.unparseable += 1;
        if self.examples.len() < 3 {
            self.note_example(raw.to_string());
        }
    }

    /// Keeps the first three distinct examples, in the order met.
    fn note_example(&mut self, example: String) {
        if self.examples.len() < 3 && !self.examples.contains(&example) {
            self.examples.push(example);
        }
    }
}

/// What happened to one input.
#[derive(Debug, Clone)]
pub struct InputReport {
    pub name: String,
    pub kind: InputKind,
    pub path: String,
    pub encoding: String,
    /// The delimiter character itself (a tab is "\t" in JSON, as in the spec).
    pub delimiter: String,
    pub rows: Buckets,
    pub rejects: Vec<Reject>,
    /// Rows whose cells were all parsed (not ragged, key usable): the base
    /// of field completeness.
    pub parsed_rows: u64,
    pub fields: IndexMap<String, FieldQuality>,
    /// Intent and activity inputs: where their dated rows fall against the
    /// as-of window.
    pub window: Option<Window>,
    /// Unmatched rows whose domain is the parent of an account's key.
    pub parent_keys: ParentKeys,
    /// A workbook input: the sheet read and where its rows were.
    pub sheet: Option<SheetUsed>,
    /// Every row as read, when asked for (`tal export`).
    pub log: Option<RowLog>,
    /// The file's size and sha256 as read, when asked for (`tal build`).
    pub digest: Option<crate::digest::Digest>,
    /// Invalid UTF-8 replaced in a file read as UTF-8.
    pub invalid: Option<read::Invalid>,
    /// Keys that begin like a spreadsheet formula (`=`, `+`, `-`, `@`).
    pub formula_keys: FormulaKeys,
    /// Headers that name two columns.
    pub duplicate_headers: Vec<read::DuplicateHeader>,
}

/// Rows whose key begins like a spreadsheet formula: how many, and the
/// first (line, key). `tal` writes such keys with a leading `'`, but an
/// export that holds them deserves a look.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormulaKeys {
    pub rows: u64,
    pub first: Option<(u64, String)>,
}

impl FormulaKeys {
    fn note(&mut self, line: u64, key: &str) {
        self.rows += 1;
        if self.first.is_none() {
            self.first = Some((line, key.to_string()));
        }
    }

    fn absorb(&mut self, part: FormulaKeys) {
        self.rows += part.rows;
        if self.first.is_none() {
            self.first = part.first;
        }
    }
}

/// The sheet of a workbook input that was read (see `xlsx`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SheetUsed {
    pub name: String,
    /// The row of the headers, as the sheet numbers it.
    pub header_row: u32,
    /// Summary rows at the end ("Grand Totals"), left out.
    pub footer_rows: usize,
}

/// How an intent or activity input's dated rows fall against its window:
/// the `days` days ending on `as_of`, from `first`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    pub days: i64,
    pub first: NaiveDate,
    pub as_of: NaiveDate,
    /// Rows whose date parsed.
    pub dated: u64,
    /// Of those, the rows inside the window.
    pub inside: u64,
    pub newest: Option<NaiveDate>,
}

impl Window {
    /// The window of `days` days ending on `as_of` whose first day is
    /// `back` days before it.
    pub fn ending(as_of: NaiveDate, days: i64, back: i64) -> Self {
        let first = chrono::Duration::try_days(back)
            .and_then(|back| as_of.checked_sub_signed(back))
            .unwrap_or(if back < 0 {
                NaiveDate::MAX
            } else {
                NaiveDate::MIN
            });
        Window {
            days,
            first,
            as_of,
            dated: 0,
            inside: 0,
            newest: None,
        }
    }

    /// Does a row of `date` count?
    pub fn holds(&self, date: NaiveDate) -> bool {
        self.first <= date && date <= self.as_of
    }

    /// The same window with nothing counted yet.
    fn empty(&self) -> Self {
        Window {
            dated: 0,
            inside: 0,
            newest: None,
            ..self.clone()
        }
    }

    fn count(&mut self, date: NaiveDate, inside: bool) {
        self.dated += 1;
        self.inside += u64::from(inside);
        self.newest = Some(self.newest.map_or(date, |d| d.max(date)));
    }

    fn absorb(&mut self, part: &Window) {
        self.dated += part.dated;
        self.inside += part.inside;
        self.newest = self.newest.max(part.newest);
    }
}

/// Unmatched rows that name the parent domain of an account's key
/// (`walmart.com` for the account `stock.walmart.com`): the account list
/// keys companies by an investor-relations or product site.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParentKeys {
    pub rows: u64,
    /// The accounts whose key is a subdomain of such a row's domain.
    pub accounts: std::collections::BTreeSet<u32>,
    /// (row domain, account key), the first few met.
    pub examples: Vec<(String, String)>,
}

impl ParentKeys {
    const EXAMPLES: usize = 3;

    fn count(&mut self, parent: &str, account: u32, accounts: &Accounts) {
        self.rows += 1;
        if self.accounts.insert(account) && self.examples.len() < Self::EXAMPLES {
            let key = accounts.domains[account as usize].to_string();
            self.examples.push((parent.to_string(), key));
        }
    }

    fn absorb(&mut self, part: ParentKeys) {
        self.rows += part.rows;
        for (parent, key) in part.examples {
            if self.examples.len() < Self::EXAMPLES && !self.examples.iter().any(|(_, k)| *k == key)
            {
                self.examples.push((parent, key));
            }
        }
        self.accounts.extend(part.accounts);
    }
}

impl InputReport {
    fn new(input: &crate::spec::Input, table: &read::Table) -> Self {
        InputReport {
            name: input.name.clone(),
            kind: input.kind,
            path: input.path_as_written.clone(),
            encoding: table.encoding.clone(),
            delimiter: match table.rows {
                Some(_) => String::new(),
                None => (table.delimiter as char).to_string(),
            },
            rows: Buckets::default(),
            rejects: Vec::new(),
            parsed_rows: 0,
            fields: input
                .fields
                .iter()
                .map(|f| (f.name.clone(), FieldQuality::default()))
                .collect(),
            window: None,
            parent_keys: ParentKeys::default(),
            sheet: table.sheet.clone(),
            log: table.log_rows.then(RowLog::default),
            digest: table.digest.clone(),
            invalid: table.invalid,
            formula_keys: FormulaKeys::default(),
            duplicate_headers: read::duplicate_headers(&table.headers),
        }
    }

    /// Counts a row in `bucket`, logging it when rows are kept (`values`
    /// is only called then); returns the row's place in the log.
    fn count(
        &mut self,
        bucket: Bucket,
        domain: Option<&str>,
        values: impl FnOnce() -> Vec<Option<Value>>,
    ) -> Option<usize> {
        *self.rows.of(bucket) += 1;
        (self.log.as_mut()).map(|log| log.push(domain, values(), bucket, String::new()))
    }

    /// Adds the counts and rejects of the part of the same input that
    /// follows the part(s) this report covers.
    fn absorb(&mut self, part: InputReport) {
        self.rows.add(&part.rows);
        self.rejects.extend(part.rejects);
        if let (Some(log), Some(part_log)) = (&mut self.log, part.log) {
            log.append(part_log);
        }
        match (&mut self.window, part.window) {
            (Some(mine), Some(theirs)) => mine.absorb(&theirs),
            (None, theirs) => self.window = theirs,
            (Some(_), None) => {}
        }
        self.parent_keys.absorb(part.parent_keys);
        self.formula_keys.absorb(part.formula_keys);
        self.parsed_rows += part.parsed_rows;
        for (mine, theirs) in self.fields.values_mut().zip(part.fields.into_values()) {
            mine.present += theirs.present;
            mine.unparseable += theirs.unparseable;
            for example in theirs.examples {
                mine.note_example(example);
            }
        }
    }

    fn reject(
        &mut self,
        line: u64,
        reason: String,
        record: &csv::StringRecord,
        delimiter: u8,
        values: impl FnOnce() -> Vec<Option<Value>>,
    ) {
        self.rows.rejected += 1;
        if let Some(log) = &mut self.log {
            log.push(None, values(), Bucket::Rejected, reason.clone());
        }
        self.rejects.push(Reject {
            line,
            reason,
            raw: read::raw_row(record, delimiter),
        });
    }
}

/// A typed cell value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Number(f64),
    Text(CompactString),
    Bool(bool),
    Date(NaiveDate),
    List(value::List),
}

/// Parses a cleaned cell as `ty`; None when it does not parse.
pub fn parse_value(
    raw: &str,
    ty: Type,
    decimal: value::DecimalMark,
    date_format: Option<&str>,
) -> Option<Value> {
    match ty {
        Type::Number => value::parse_number(raw, decimal).map(Value::Number),
        Type::Text => Some(Value::Text(CompactString::new(raw))),
        Type::Bool => value::parse_bool(raw).map(Value::Bool),
        Type::Date => value::parse_date(raw, date_format).map(Value::Date),
        Type::List => value::List::parse(raw).map(Value::List),
    }
}

/// Walks the data rows of an opened input: skips blank rows, counts every
/// other row as read, rejects ragged rows and rows whose key is no domain,
/// and hands the rest to `on_row` with their line and domain.
///
/// A large input is read in parts on every core (see [`parts`]): each part
/// has its own state, made by `new_state`, and its own report. They are
/// handed to `merge` in file order, as soon as each is read, with
/// [`PartsRead`].
#[allow(clippy::too_many_arguments)]
fn each_row<S: Send>(
    input: &crate::spec::Input,
    table: &read::Table,
    key_index: usize,
    cells: &[usize],
    new_state: impl Fn(usize) -> S + Sync,
    on_row: impl Fn(&mut S, u64, &csv::StringRecord, &str, &mut InputReport) + Sync,
    mut merge: impl FnMut(S, InputReport, PartsRead),
) -> anyhow::Result<()> {
    // Many parts per core: the merge of the last part, on the calling
    // thread once the pool has read everything, is then short.
    let max_parts = 16 * rayon::current_num_threads();
    let starts = parts::starts(&table.text, table.part_bytes, max_parts);
    let first_lines = parts::first_lines(&table.text, &starts);
    let read = |part| {
        let mut state = new_state(parts::lines_of(&first_lines, part));
        let mut report = InputReport::new(input, table);
        let mut header = part == 0;
        let next = parts::read_part(
            &table.text,
            table.delimiter,
            &starts,
            first_lines[part],
            part,
            |line, record| {
                if std::mem::take(&mut header) || read::is_blank(record) {
                    return;
                }
                let line = table.line(line);
                let row = Row { line, record };
                if let Some(domain) = check_row(input, table, key_index, cells, row, &mut report) {
                    on_row(&mut state, line, record, &domain, &mut report);
                }
            },
        );
        let end = starts.get(next).copied().unwrap_or(table.text.len());
        crate::progress::read((end - starts[part]) as u64);
        Ok(((state, report), next))
    };
    let count = starts.len();
    parts::in_parallel(count, read, |(state, report), all_read| {
        let parts = count;
        merge(state, report, PartsRead { parts, all_read });
        Ok(())
    })
}

/// Where the reading of an input stands when one of its parts is merged.
#[derive(Debug, Clone, Copy)]
struct PartsRead {
    /// How many parts the input was cut into, of about the same size (a
    /// part's rows times this is about the input's).
    parts: usize,
    /// Whether every part has been read: the pool is idle.
    all_read: bool,
}

/// Counts the row as read; rejects it when ragged or when its key is no
/// domain, else returns the domain.
/// A data row: the line it is reported under, and its cells.
#[derive(Clone, Copy)]
struct Row<'r> {
    line: u64,
    record: &'r csv::StringRecord,
}

fn check_row<'r>(
    input: &crate::spec::Input,
    table: &read::Table,
    key_index: usize,
    cells: &[usize],
    row: Row<'r>,
    report: &mut InputReport,
) -> Option<std::borrow::Cow<'r, str>> {
    let Row { line, record } = row;
    report.rows.read += 1;
    let ragged = record.len() != table.headers.len();
    let fields = || rows::parse_fields(input, cells, record, ragged);
    if ragged {
        let found = match record.len() {
            1 => "1 field".to_string(),
            n => format!("{n} fields"),
        };
        let reason = format!("ragged row: {found}, expected {}", table.headers.len());
        report.reject(line, reason, record, table.delimiter, fields);
        return None;
    }
    // `clean_text` is `str::trim` that does not decode the ends of a cell
    // that begins and ends with a visible ASCII character.
    let trimmed = |cell| value::clean_text(cell).unwrap_or("");
    if (record.iter().map(trimmed)).eq(table.headers.iter().map(String::as_str)) {
        let reason = "the header line again (exports joined end to end?)".to_string();
        report.reject(line, reason, record, table.delimiter, fields);
        return None;
    }
    let key = read::cell(record, key_index);
    let Some(domain) = key.and_then(value::domain_of) else {
        let reason = match key {
            None => "bad key: empty".to_string(),
            Some(raw) => format!("bad key: '{raw}' is not a domain"),
        };
        report.reject(line, reason, record, table.delimiter, fields);
        return None;
    };
    if let Some(raw) = key.filter(|k| k.trim_start().starts_with(['=', '+', '-', '@'])) {
        report.formula_keys.note(line, raw.trim());
    }
    report.parsed_rows += 1;
    Some(domain)
}

/// Everything read from the exports.
pub struct Loaded {
    pub accounts: Accounts,
    pub intent: IntentRows,
    pub activity: Activity,
    pub reports: Vec<InputReport>,
}

/// What a load keeps beside the accounts and signals.
#[derive(Debug, Clone, Copy, Default)]
pub struct Keep {
    /// Every row as read, in its input's report ([`InputReport::log`]),
    /// for `tal export`.
    pub rows: bool,
    /// Each file's size and sha256 as read ([`InputReport::digest`]), for
    /// `tal build`'s manifest.
    pub digests: bool,
}

/// Reads every input of `spec`. `as_of` decides which intent and activity
/// rows are in scope.
pub fn load(spec: &Spec, as_of: NaiveDate) -> anyhow::Result<Loaded> {
    load_keeping(spec, as_of, Keep::default())
}

/// [`load`], keeping what `keep` asks for.
pub fn load_keeping(spec: &Spec, as_of: NaiveDate, keep: Keep) -> anyhow::Result<Loaded> {
    load_in_parts(spec, as_of, parts::MIN_PART_BYTES, keep)
}

/// [`load_keeping`], reading each file in parts of about `part_bytes`
/// (at least [`parts::MIN_PART_BYTES`] in a run; smaller in tests and the
/// fuzz targets, which check that parts read as one read does).
pub fn load_in_parts(
    spec: &Spec,
    as_of: NaiveDate,
    part_bytes: usize,
    keep: Keep,
) -> anyhow::Result<Loaded> {
    use rayon::prelude::*;
    // Files are read and decoded side by side; errors are reported in spec
    // order.
    let tables = (spec.inputs.par_iter())
        .map(|input| {
            read::open(input, keep.digests).map(|table| read::Table {
                part_bytes,
                log_rows: keep.rows,
                ..table
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect::<anyhow::Result<Vec<_>>>()?;
    crate::progress::reading(tables.iter().map(|t| t.text.len() as u64).sum());
    let inputs = || spec.inputs.iter().zip(&tables);
    let mut reports = Vec::new();
    crate::progress::step("accounts: parse, merge");
    let mut accounts = Accounts::new(spec);
    for (input, table) in inputs().filter(|(i, _)| i.kind == InputKind::Account) {
        reports.push(accounts.read_input(input, table)?);
    }
    accounts.finish();
    crate::progress::step("intent and engagement: parse, match");
    let mut intent = IntentRows::default();
    let mut activity = Activity::default();
    // Built once, only when there is an intent or activity input.
    let mut parents = None;
    for (input, table) in inputs() {
        match input.kind {
            InputKind::Account => continue,
            InputKind::Intent => {
                let parents = parents.get_or_insert_with(|| accounts.parents());
                reports.push(intent.read_input(input, table, spec, &accounts, parents, as_of)?);
            }
            InputKind::Engagement => {
                let parents = parents.get_or_insert_with(|| accounts.parents());
                reports.push(activity.read_input(input, table, spec, &accounts, parents, as_of)?);
            }
        }
    }
    // Reports in spec order.
    reports.sort_by_key(|r| spec.inputs.iter().position(|i| i.name == r.name));
    Ok(Loaded {
        accounts,
        intent,
        activity,
        reports,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Everything a load produced, as text to compare.
    fn fingerprint(loaded: &Loaded) -> String {
        let merged: std::collections::BTreeMap<_, _> = loaded.accounts.merged_ids.iter().collect();
        let a = &loaded.accounts;
        let (i, e) = (&loaded.intent, &loaded.activity);
        format!(
            "{:?}\n{:?}\n{:?}\n{merged:?}\n{:?} {:?} {:?} {:?} {:?}\n{:?} {:?} {:?} {:?} {:?} {:?}",
            loaded.reports,
            a.domains,
            a.columns,
            i.account,
            i.topic,
            i.score,
            i.date,
            i.topics.names,
            e.account,
            e.kind,
            e.persona,
            e.date,
            e.kinds.names,
            e.personas.names,
        )
    }

    const ALL: Keep = Keep {
        rows: true,
        digests: true,
    };

    /// Reading in parts of any size gives what one read from the top does.
    #[test]
    fn parts_of_any_size_load_the_same() {
        let as_of = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        for project in [
            "examples/demo",
            "fixtures/us_salesforce",
            "fixtures/spec_example",
        ] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(project);
            let spec = crate::spec::load(&path.join("tal.toml")).unwrap();
            let whole = fingerprint(&load_in_parts(&spec, as_of, usize::MAX, ALL).unwrap());
            for part_bytes in [1, 97, 4096] {
                let parts = fingerprint(&load_in_parts(&spec, as_of, part_bytes, ALL).unwrap());
                assert!(parts == whole, "{project} in parts of {part_bytes} bytes");
            }
        }
    }
}
