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
pub mod overrides;
pub mod read;
pub mod value;

use chrono::NaiveDate;
use indexmap::IndexMap;
use serde::Serialize;

use crate::expr::Type;
use crate::spec::{InputKind, Spec};

pub use accounts::Accounts;
pub use activity::{Activity, IntentRows};

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
        if self.examples.len() < 3 && !self.examples.iter().any(|e| e == raw) {
            self.examples.push(raw.to_string());
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
}

impl InputReport {
    fn new(input: &crate::spec::Input, table: &read::Table) -> Self {
        InputReport {
            name: input.name.clone(),
            kind: input.kind,
            path: input.path_as_written.clone(),
            encoding: table.encoding.clone(),
            delimiter: (table.delimiter as char).to_string(),
            rows: Buckets::default(),
            rejects: Vec::new(),
            parsed_rows: 0,
            fields: input
                .fields
                .iter()
                .map(|f| (f.name.clone(), FieldQuality::default()))
                .collect(),
        }
    }

    fn reject(&mut self, line: u64, reason: String, record: &csv::StringRecord, delimiter: u8) {
        self.rows.rejected += 1;
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
    Text(String),
    Bool(bool),
    Date(NaiveDate),
    List(Vec<String>),
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
        Type::Text => Some(Value::Text(raw.to_string())),
        Type::Bool => value::parse_bool(raw).map(Value::Bool),
        Type::Date => value::parse_date(raw, date_format).map(Value::Date),
        Type::List => {
            let items = value::parse_list(raw);
            (!items.is_empty()).then_some(Value::List(items))
        }
    }
}

/// Walks the data rows of an opened input: skips blank rows, counts every
/// other row as read, rejects ragged rows and rows whose key is no domain,
/// and hands the rest to `on_row` with their line and domain.
fn each_row(
    input: &crate::spec::Input,
    table: &read::Table,
    key_index: usize,
    report: &mut InputReport,
    mut on_row: impl FnMut(u64, &csv::StringRecord, &str, &mut InputReport),
) -> anyhow::Result<()> {
    let mut rdr = read::reader(&table.text, table.delimiter);
    let mut record = csv::StringRecord::new();
    let mut header = true;
    loop {
        let more = rdr
            .read_record(&mut record)
            .map_err(|err| anyhow::anyhow!("{}: {err}", input.path.display()))?;
        if !more {
            return Ok(());
        }
        let line = read::record_line(&table.text, &record);
        if std::mem::take(&mut header) || read::is_blank(&record) {
            continue;
        }
        report.rows.read += 1;
        if record.len() != table.headers.len() {
            let found = match record.len() {
                1 => "1 field".to_string(),
                n => format!("{n} fields"),
            };
            let reason = format!("ragged row: {found}, expected {}", table.headers.len());
            report.reject(line, reason, &record, table.delimiter);
            continue;
        }
        let key = read::cell(&record, key_index);
        let Some(domain) = key.and_then(value::domain_of) else {
            let reason = match key {
                None => "bad key: empty".to_string(),
                Some(raw) => format!("bad key: '{raw}' is not a domain"),
            };
            report.reject(line, reason, &record, table.delimiter);
            continue;
        };
        report.parsed_rows += 1;
        on_row(line, &record, &domain, report);
    }
}

/// Everything read from the exports.
pub struct Loaded {
    pub accounts: Accounts,
    pub intent: IntentRows,
    pub activity: Activity,
    pub reports: Vec<InputReport>,
}

/// Reads every input of `spec`. `as_of` decides which intent and activity
/// rows are in scope.
pub fn load(spec: &Spec, as_of: NaiveDate) -> anyhow::Result<Loaded> {
    let mut reports = Vec::new();
    let mut accounts = Accounts::new(spec);
    for input in spec.account_inputs() {
        reports.push(accounts.read_input(input)?);
    }
    accounts.finish();
    // Intent and activity rows only read the account universe: the two
    // kinds are read side by side.
    let of_kind = |kind: InputKind| spec.inputs.iter().filter(move |i| i.kind == kind);
    let (intent, activity) = std::thread::scope(|scope| {
        let accounts = &accounts;
        let intent = scope.spawn(move || {
            let mut rows = IntentRows::default();
            let reports = of_kind(InputKind::Intent)
                .map(|input| rows.read_input(input, spec, accounts, as_of))
                .collect::<anyhow::Result<Vec<_>>>();
            reports.map(|r| (rows, r))
        });
        let mut rows = Activity::default();
        let activity = of_kind(InputKind::Engagement)
            .map(|input| rows.read_input(input, spec, accounts, as_of))
            .collect::<anyhow::Result<Vec<_>>>()
            .map(|r| (rows, r));
        let intent = intent
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("reading the intent inputs failed")));
        (intent, activity)
    });
    let (intent, intent_reports) = intent?;
    let (activity, activity_reports) = activity?;
    reports.extend(intent_reports);
    reports.extend(activity_reports);
    // Reports in spec order.
    reports.sort_by_key(|r| spec.inputs.iter().position(|i| i.name == r.name));
    Ok(Loaded {
        accounts,
        intent,
        activity,
        reports,
    })
}
