//! Intent and engagement rows: parsed, checked against the account universe
//! and the as-of window, and kept (only the in-scope ones) by account.
//!
//! Topics, activity types and personas repeat millions of times but take a
//! few dozen values, so they are interned: a row holds a small id, and
//! anything done per value (lower-casing, points, weights, the topic filter)
//! is done once per distinct value.

use anyhow::Result;
use chrono::NaiveDate;
use compact_str::CompactString;
use polars::prelude::PlHashMap;

use super::read::{self, cell};
use super::rows::parse_fields;
use super::{Accounts, Bucket, InputReport, Window};
use crate::spec::{Input, Spec};
use crate::value;

/// Distinct strings and their ids, in first-seen order.
#[derive(Debug, Default)]
pub struct Interner {
    ids: PlHashMap<String, u32>,
    pub names: Vec<String>,
}

impl Interner {
    pub fn id(&mut self, text: &str) -> u32 {
        if let Some(&id) = self.ids.get(text) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(text.to_string());
        self.ids.insert(text.to_string(), id);
        id
    }

    pub fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }

    /// Interns every name of `other`: the ids its ids become here.
    fn absorb(&mut self, other: &Interner) -> Vec<u32> {
        other.names.iter().map(|name| self.id(name)).collect()
    }
}

/// An interned id of a part, as an id of the whole.
fn remap(ids: Vec<Option<u32>>, to: &[u32]) -> impl Iterator<Item = Option<u32>> + '_ {
    ids.into_iter().map(|id| id.map(|id| to[id as usize]))
}

/// Rows waiting for their account. A lookup in a million-account index
/// misses the cache; looked up together ([`Accounts::find_all`]), a few
/// dozen misses overlap instead of following one another.
struct Pending<R> {
    domains: Vec<CompactString>,
    rows: Vec<R>,
    found: Vec<Option<u32>>,
}

impl<R> Default for Pending<R> {
    fn default() -> Self {
        Pending {
            domains: Vec::with_capacity(LOOKUPS),
            rows: Vec::with_capacity(LOOKUPS),
            found: Vec::with_capacity(LOOKUPS),
        }
    }
}

/// Rows looked up together.
const LOOKUPS: usize = 32;

impl<R> Pending<R> {
    /// Holds the row; true when it is time to [`Pending::settle`].
    fn push(&mut self, domain: &str, row: R) -> bool {
        self.domains.push(CompactString::new(domain));
        self.rows.push(row);
        self.rows.len() == LOOKUPS
    }

    /// Hands each held row, in order, to `each` with its account and domain.
    fn settle(&mut self, accounts: &Accounts, mut each: impl FnMut(Option<u32>, &str, R)) {
        accounts.find_all(&self.domains, &mut self.found);
        for ((&account, domain), row) in (self.found.iter())
            .zip(&self.domains)
            .zip(self.rows.drain(..))
        {
            each(account, domain, row);
        }
        self.domains.clear();
    }
}

/// Walks the rows of an intent or activity input (see `each_row`), the
/// account lookups [`LOOKUPS`] at a time: `new_state` makes a part's state
/// for about so many rows, `parse` checks a row and gives
/// what is kept of it (None: it is bucketed already), a row whose domain is
/// no account is `unmatched` (noting when it is the parent of an account's
/// key, see [`Accounts::parents`]), `place` keeps the others and says
/// whether they are used or out of scope, and `keep` takes each part in
/// file order.
#[allow(clippy::too_many_arguments)]
fn each_looked_up_row<S: Send, R: Send>(
    input: &Input,
    table: &read::Table,
    columns: &Columns,
    accounts: &Accounts,
    parents: &PlHashMap<CompactString, u32>,
    new_state: impl Fn(usize) -> S + Sync,
    parse: impl Fn(&mut S, u64, &csv::StringRecord, &str, &mut InputReport) -> Option<R> + Sync,
    place: impl Fn(&mut S, u32, R) -> Bucket + Sync,
    mut keep: impl FnMut(S, InputReport),
) -> Result<()> {
    let cells = columns.cells();
    // A held row carries its place in the row log, to settle its bucket.
    type Held<R> = (Option<usize>, R);
    let settle = |(state, pending): &mut (S, Pending<Held<R>>), report: &mut InputReport| {
        pending.settle(accounts, |account, domain, (logged, row)| {
            let bucket = match account {
                Some(account) => place(state, account, row),
                None => {
                    if let Some(&child) = parents.get(domain) {
                        report.parent_keys.count(domain, child, accounts);
                    }
                    Bucket::Unmatched
                }
            };
            *report.rows.of(bucket) += 1;
            if let (Some(log), Some(index)) = (&mut report.log, logged) {
                log.settle(index, bucket);
            }
        });
    };
    super::each_row(
        input,
        table,
        columns.key,
        &cells,
        |lines| (new_state(lines), Pending::default()),
        |part, line, record, domain, report| {
            if let Some(row) = parse(&mut part.0, line, record, domain, report) {
                let logged = (report.log.as_mut()).map(|log| {
                    let values = parse_fields(input, &cells, record, false);
                    log.push(Some(domain), values, Bucket::Used, String::new())
                });
                if part.1.push(domain, (logged, row)) {
                    settle(part, report);
                }
            }
        },
        |mut part, mut report, _| {
            settle(&mut part, &mut report);
            keep(part.0, report);
        },
    )
}

/// In-scope intent rows, one entry per row.
#[derive(Debug, Default)]
pub struct IntentRows {
    pub account: Vec<u32>,
    pub topic: Vec<Option<u32>>,
    pub score: Vec<f64>,
    pub date: Vec<NaiveDate>,
    pub topics: Interner,
}

/// In-scope activity rows, one entry per row.
#[derive(Debug, Default)]
pub struct Activity {
    pub account: Vec<u32>,
    pub kind: Vec<Option<u32>>,
    pub persona: Vec<Option<u32>>,
    pub date: Vec<NaiveDate>,
    pub kinds: Interner,
    pub personas: Interner,
}

/// Where one field of an activity-style input is: its cell and its
/// completeness counter.
#[derive(Clone, Copy)]
struct Slot {
    cell: usize,
    quality: usize,
}

/// Column positions of an activity-style input's fields.
struct Columns {
    key: usize,
    slots: Vec<(String, Slot)>,
}

impl Columns {
    /// The cell of every mapped field, in the input's order.
    fn cells(&self) -> Vec<usize> {
        self.slots.iter().map(|(_, slot)| slot.cell).collect()
    }

    fn of(&self, field: &str) -> Option<Slot> {
        self.slots
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, slot)| *slot)
    }
}

fn columns(input: &Input, table: &read::Table) -> Result<Columns> {
    let (key, indexes) = read::map_columns(input, &table.headers)?;
    let slots = input
        .fields
        .iter()
        .zip(indexes)
        .enumerate()
        .map(|(quality, (f, cell))| (f.name.clone(), Slot { cell, quality }))
        .collect();
    Ok(Columns { key, slots })
}

/// The last date cell parsed and its date. An intent export lists a week's
/// rows together: the same cell comes row after row, and is parsed once.
#[derive(Debug, Default)]
struct LastDate {
    raw: String,
    date: Option<NaiveDate>,
}

impl LastDate {
    fn parse(&mut self, raw: &str, format: Option<&str>) -> Option<NaiveDate> {
        // Before the first cell `raw` is empty and `date` None: what an
        // empty cell parses to.
        if raw != self.raw {
            self.raw.clear();
            self.raw.push_str(raw);
            self.date = value::parse_date(raw, format);
        }
        self.date
    }
}

/// Parses the date cell (through `last` when given), counting a failure
/// against the field, and where the date falls against the `window` (see
/// [`Window`]).
fn row_date(
    input: &Input,
    record: &csv::StringRecord,
    slot: Option<Slot>,
    window: &Window,
    last: Option<&mut LastDate>,
    report: &mut InputReport,
) -> Result<NaiveDate, String> {
    let Some((slot, raw)) = slot.and_then(|s| Some((s, cell(record, s.cell)?))) else {
        return Err("bad date: empty".to_string());
    };
    let format = input.date_format.as_deref();
    let date = match last {
        Some(last) => last.parse(raw, format),
        None => value::parse_date(raw, format),
    };
    match date {
        Some(date) => {
            report.fields[slot.quality].present += 1;
            let inside = window.holds(date);
            (report.window.get_or_insert_with(|| window.empty())).count(date, inside);
            Ok(date)
        }
        None => {
            report.fields[slot.quality].failed(raw);
            Err(format!("bad date: '{raw}'"))
        }
    }
}

/// A text cell, interned; counted for completeness.
fn text_id(
    record: &csv::StringRecord,
    slot: Option<Slot>,
    interner: &mut Interner,
    report: &mut InputReport,
) -> Option<u32> {
    let slot = slot?;
    let text = cell(record, slot.cell)?;
    report.fields[slot.quality].present += 1;
    Some(interner.id(text))
}

/// Parses the score cell, counting it for completeness.
fn row_score(
    input: &Input,
    record: &csv::StringRecord,
    slot: Option<Slot>,
    report: &mut InputReport,
) -> Result<f64, String> {
    let Some((slot, raw)) = slot.and_then(|s| Some((s, cell(record, s.cell)?))) else {
        return Err("bad score: empty".to_string());
    };
    match value::parse_number(raw, input.decimal) {
        Some(score) => {
            report.fields[slot.quality].present += 1;
            Ok(input.fields[slot.quality].scaled(score))
        }
        None => {
            report.fields[slot.quality].failed(raw);
            Err(format!("bad score: '{raw}'"))
        }
    }
}

/// A part of an intent export being read: its rows, whether each of its
/// topics is on the spec's list (decided once per topic), its last date.
#[derive(Debug, Default)]
struct IntentPart {
    rows: IntentRows,
    on_list: Vec<bool>,
    last_date: LastDate,
}

impl IntentRows {
    /// No rows yet, with room for `rows`: a part of an export fills its
    /// columns without copying them into larger ones as they grow.
    fn with_capacity(rows: usize) -> Self {
        IntentRows {
            account: Vec::with_capacity(rows),
            topic: Vec::with_capacity(rows),
            score: Vec::with_capacity(rows),
            date: Vec::with_capacity(rows),
            topics: Interner::default(),
        }
    }

    pub fn read_input(
        &mut self,
        input: &Input,
        table: &read::Table,
        spec: &Spec,
        accounts: &Accounts,
        parents: &PlHashMap<CompactString, u32>,
        as_of: NaiveDate,
    ) -> Result<InputReport> {
        let columns = columns(input, table)?;
        let cells = columns.cells();
        let listed: Vec<String> = spec
            .intent
            .topics
            .iter()
            .map(|t| t.to_lowercase())
            .collect();
        // `as_of − window_days < date <= as_of`.
        let window = Window::ending(as_of, spec.intent.window_days, spec.intent.window_days - 1);
        let (topic_slot, score_slot, date_slot) =
            (columns.of("topic"), columns.of("score"), columns.of("date"));
        let mut report = InputReport::new(input, table);
        report.window = Some(window.empty());
        each_looked_up_row(
            input,
            table,
            &columns,
            accounts,
            parents,
            |rows| IntentPart {
                rows: IntentRows::with_capacity(rows),
                ..Default::default()
            },
            |IntentPart {
                 rows, last_date, ..
             },
             line,
             record,
             _,
             report| {
                let date = row_date(input, record, date_slot, &window, Some(last_date), report);
                let topic = text_id(record, topic_slot, &mut rows.topics, report);
                let score = row_score(input, record, score_slot, report);
                match (date, score) {
                    (Err(reason), _) | (_, Err(reason)) => {
                        report.reject(line, reason, record, table.delimiter, || {
                            parse_fields(input, &cells, record, false)
                        });
                        None
                    }
                    (Ok(date), Ok(score)) => Some((topic, score, date)),
                }
            },
            |IntentPart { rows, on_list, .. }, account, (topic, score, date)| {
                while on_list.len() < rows.topics.names.len() {
                    let name = rows.topics.names[on_list.len()].to_lowercase();
                    on_list.push(listed.contains(&name));
                }
                let on_topic = listed.is_empty() || topic.is_some_and(|t| on_list[t as usize]);
                if !window.holds(date) || !on_topic {
                    return Bucket::OutOfScope;
                }
                rows.account.push(account);
                rows.topic.push(topic);
                rows.score.push(score);
                rows.date.push(date);
                Bucket::Used
            },
            |part, part_report| {
                report.absorb(part_report);
                self.absorb(part.rows);
            },
        )?;
        Ok(report)
    }

    /// Appends the rows of a part read after these.
    fn absorb(&mut self, part: IntentRows) {
        let topics = self.topics.absorb(&part.topics);
        self.account.extend(part.account);
        self.topic.extend(remap(part.topic, &topics));
        self.score.extend(part.score);
        self.date.extend(part.date);
    }
}

impl Activity {
    /// No rows yet, with room for `rows` (see [`IntentRows::with_capacity`]).
    fn with_capacity(rows: usize) -> Self {
        Activity {
            account: Vec::with_capacity(rows),
            kind: Vec::with_capacity(rows),
            persona: Vec::with_capacity(rows),
            date: Vec::with_capacity(rows),
            ..Default::default()
        }
    }

    pub fn read_input(
        &mut self,
        input: &Input,
        table: &read::Table,
        spec: &Spec,
        accounts: &Accounts,
        parents: &PlHashMap<CompactString, u32>,
        as_of: NaiveDate,
    ) -> Result<InputReport> {
        let columns = columns(input, table)?;
        let cells = columns.cells();
        // `0 <= as_of − date <= window_days`.
        let days = spec.engagement.window_days;
        let window = Window::ending(as_of, days, days);
        let (type_slot, persona_slot, date_slot) = (
            columns.of("type"),
            columns.of("persona"),
            columns.of("date"),
        );
        let mut report = InputReport::new(input, table);
        report.window = Some(window.empty());
        each_looked_up_row(
            input,
            table,
            &columns,
            accounts,
            parents,
            Activity::with_capacity,
            |rows: &mut Activity, line, record, domain, report| {
                let kind = text_id(record, type_slot, &mut rows.kinds, report);
                let persona = text_id(record, persona_slot, &mut rows.personas, report);
                let fields = || parse_fields(input, &cells, record, false);
                let date = match row_date(input, record, date_slot, &window, None, report) {
                    Ok(date) => date,
                    Err(reason) => {
                        report.reject(line, reason, record, table.delimiter, fields);
                        return None;
                    }
                };
                if value::is_free_mail(domain) {
                    report.count(Bucket::FreeMail, Some(domain), fields);
                    return None;
                }
                Some((kind, persona, date))
            },
            |rows, account, (kind, persona, date)| {
                if !window.holds(date) {
                    return Bucket::OutOfScope;
                }
                rows.account.push(account);
                rows.kind.push(kind);
                rows.persona.push(persona);
                rows.date.push(date);
                Bucket::Used
            },
            |part, part_report| {
                report.absorb(part_report);
                self.absorb(part);
            },
        )?;
        Ok(report)
    }

    /// Appends the rows of a part read after these.
    fn absorb(&mut self, part: Activity) {
        let kinds = self.kinds.absorb(&part.kinds);
        let personas = self.personas.absorb(&part.personas);
        self.account.extend(part.account);
        self.kind.extend(remap(part.kind, &kinds));
        self.persona.extend(remap(part.persona, &personas));
        self.date.extend(part.date);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The last date remembered gives what parsing each cell gives.
        #[test]
        fn last_date_parses_like_each_cell(
            cells in prop::collection::vec(
                prop_oneof!["2026-0[1-2]-0[1-3]", "0[1-2]/0[1-3]/2026", "", "x"],
                0..40,
            ),
            format in prop::option::of(Just("%m/%d/%Y")),
        ) {
            let mut last = LastDate::default();
            for raw in &cells {
                prop_assert_eq!(last.parse(raw, format), value::parse_date(raw, format));
            }
        }
    }

    /// Rows held across several batches and a partial last one come back
    /// in order, each with its own account.
    #[test]
    fn pending_rows_settle_in_order_with_their_accounts() {
        let mut accounts = Accounts::default();
        for n in 0..50 {
            accounts.get_or_insert(&format!("acme{n}.com"), &[]);
        }
        accounts.finish();
        let mut pending = Pending::default();
        let mut settled = Vec::new();
        for n in 0..LOOKUPS * 2 + 5 {
            // Every third row names no account.
            let domain = if n % 3 == 0 {
                format!("other{n}.com")
            } else {
                format!("acme{}.com", n % 50)
            };
            if pending.push(&domain, n) {
                pending.settle(&accounts, |account, _, row| settled.push((row, account)));
            }
        }
        pending.settle(&accounts, |account, _, row| settled.push((row, account)));
        let domain_of =
            |account: Option<u32>| account.map(|a| accounts.domains[a as usize].to_string());
        let settled: Vec<(usize, Option<String>)> = (settled.into_iter())
            .map(|(n, a)| (n, domain_of(a)))
            .collect();
        let want: Vec<(usize, Option<String>)> = (0..LOOKUPS * 2 + 5)
            .map(|n| (n, (n % 3 != 0).then(|| format!("acme{}.com", n % 50))))
            .collect();
        assert_eq!(settled, want);
    }
}
