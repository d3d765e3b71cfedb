//! The TAL as rows of cells, in SPEC.md's column order, ready for any writer.

use std::io::Write;

use rayon::prelude::*;
use serde_json::Value as Json;

use crate::engine::reasons::write_reasons;
use crate::engine::segments::Values;
use crate::engine::{Scored, Status};
use crate::format;
use crate::input::Accounts;
use crate::output;
use crate::spec::Spec;

pub const TAL_COLUMNS: &[&str] = &[
    "rank",
    "tier",
    "tier_label",
    "style",
    "account_id",
    "name",
    "domain",
    "fit",
    "fit_grade",
    "acv",
    "acv_band",
    "intent_score",
    "intent_topics",
    "intent_topic_count",
    "engagement_score",
    "last_engaged",
    "personas_engaged",
    "stage",
    "segments",
    "demoted_from",
    "reasons",
];

/// What a cell holds, which decides its JSON value and whether the
/// spreadsheet formula guard applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    /// Free text from the user's data (the formula guard applies to it).
    Text,
    /// Text `tal` writes itself (statuses, booleans): no guard needed.
    Plain,
    /// A number, written as displayed.
    Number,
    Empty,
}

/// One cell: its text (csv, tsv, table) and what kind of value it is. The
/// JSON value is derived only when a JSON format asks for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub text: String,
    pub kind: CellKind,
}

impl Cell {
    pub fn text(value: impl Into<String>) -> Cell {
        Cell {
            text: value.into(),
            kind: CellKind::Text,
        }
    }

    /// Text that never needs the formula guard.
    pub fn plain(value: impl Into<String>) -> Cell {
        Cell {
            text: value.into(),
            kind: CellKind::Plain,
        }
    }

    pub fn empty() -> Cell {
        Cell {
            text: String::new(),
            kind: CellKind::Empty,
        }
    }

    /// Free text from the user's data.
    pub fn is_text(&self) -> bool {
        self.kind == CellKind::Text
    }

    /// The JSON value: the displayed number, so a whole `acv`, `rank` or
    /// count is a JSON integer (`150000`, not `150000.0`) and `fit` carries
    /// the rounding it is shown with; empty text is null.
    pub fn json(&self) -> Json {
        match self.kind {
            CellKind::Number => match self.text.parse::<i64>() {
                Ok(whole) => Json::from(whole),
                Err(_) => self
                    .text
                    .parse::<f64>()
                    .ok()
                    .and_then(serde_json::Number::from_f64)
                    .map_or(Json::Null, Json::Number),
            },
            CellKind::Empty => Json::Null,
            _ if self.text.is_empty() => Json::Null,
            _ => Json::String(self.text.clone()),
        }
    }
}

/// Which accounts a TAL listing holds.
pub struct Selection {
    pub all: bool,
    /// Tier or status names (case-insensitive); empty: every one.
    pub tiers: Vec<String>,
}

impl Selection {
    fn wants(&self, spec: &Spec, status: Status) -> bool {
        self.wants_name(status.name(spec))
    }

    /// Whether a tier (or status) of this name is selected.
    pub fn wants_name(&self, name: &str) -> bool {
        self.tiers.is_empty()
            || self
                .tiers
                .iter()
                .any(|t| t.trim().to_lowercase() == name.to_lowercase())
    }
}

/// The accounts to list, in output order.
pub fn selected(spec: &Spec, scored: &Scored, selection: &Selection) -> Vec<u32> {
    let names_a_status = selection.tiers.iter().any(|t| {
        ["excluded", "unassigned", "waitlist"].contains(&t.trim().to_lowercase().as_str())
    });
    let mut rows: Vec<u32> = scored.tal.clone();
    if selection.all || names_a_status {
        rows.extend(&scored.others);
    }
    rows.retain(|&a| selection.wants(spec, scored.status[a as usize]));
    rows
}

/// The cells of account `i`, in [`TAL_COLUMNS`] order.
pub fn row(
    spec: &Spec,
    scored: &Scored,
    accounts: &Accounts,
    values: &Values,
    i: usize,
) -> Vec<Cell> {
    let mut cells = Vec::with_capacity(TAL_COLUMNS.len());
    fill_row(&mut cells, spec, scored, accounts, values, i);
    cells
}

/// [`row`] into the cells of the previous row, reusing their text: writing
/// a million rows then allocates nothing per cell.
pub fn fill_row(
    cells: &mut Vec<Cell>,
    spec: &Spec,
    scored: &Scored,
    accounts: &Accounts,
    values: &Values,
    i: usize,
) {
    let status = scored.status[i];
    let rules = &scored.rules;
    let intent = &scored.intent[i];
    let engagement = &scored.engagement[i];
    let mut row = Refill { cells, next: 0 };
    match scored.rank[i] {
        Some(rank) => {
            format::write_whole(row.cell(CellKind::Number), rank as u64, 1);
        }
        None => {
            row.cell(CellKind::Empty);
        }
    }
    row.cell(CellKind::Text).push_str(status.name(spec));
    let tier = match status {
        Status::Tier(t) => Some(&spec.tiers[t]),
        _ => None,
    };
    row.cell(CellKind::Text)
        .push_str(tier.map_or("", |t| t.label.as_str()));
    row.cell(CellKind::Text)
        .push_str(tier.map_or("", |t| t.style.as_str()));
    for field in ["account_id", "name"] {
        let cell = row.cell(CellKind::Text);
        if let Some(column) = accounts.columns.get(field) {
            column.write_text(cell, i);
        }
    }
    row.cell(CellKind::Text).push_str(&accounts.domains[i]);
    format::write_fixed(row.cell(CellKind::Number), rules.fit[i], 1);
    row.cell(CellKind::Text).push_str(rules.fit_grade.get(i));
    format::write_number(row.cell(CellKind::Number), rules.acv[i]);
    row.cell(CellKind::Text).push_str(rules.acv_band[i].name());
    format::write_number(row.cell(CellKind::Number), intent.score);
    format::join_into(row.cell(CellKind::Text), &intent.topics, "; ");
    format::write_whole(row.cell(CellKind::Number), intent.topics.len() as u64, 1);
    format::write_fixed(row.cell(CellKind::Number), engagement.score, 2);
    match engagement.last {
        Some(date) => {
            format::write_date(row.cell(CellKind::Text), date);
        }
        None => {
            row.cell(CellKind::Empty);
        }
    }
    format::join_into(row.cell(CellKind::Text), &engagement.personas, "; ");
    row.cell(CellKind::Text).push_str(rules.stage.get(i));
    format::join_into(row.cell(CellKind::Text), scored.segments.of(i), "; ");
    row.cell(CellKind::Text).push_str(
        scored
            .demoted_from
            .get(i)
            .map_or("", |t| spec.tiers[t].name.as_str()),
    );
    write_reasons(row.cell(CellKind::Text), spec, scored, values, i);
}

/// Hands out the cells of a row in order, each emptied and given its kind.
struct Refill<'a> {
    cells: &'a mut Vec<Cell>,
    next: usize,
}

impl Refill<'_> {
    fn cell(&mut self, kind: CellKind) -> &mut String {
        if self.next == self.cells.len() {
            self.cells.push(Cell::empty());
        }
        let cell = &mut self.cells[self.next];
        self.next += 1;
        cell.kind = kind;
        cell.text.clear();
        &mut cell.text
    }
}

/// Every selected row, built as it is written.
pub fn row_iter<'a>(
    spec: &'a Spec,
    scored: &'a Scored,
    accounts: &'a Accounts,
    selection: &Selection,
) -> impl Iterator<Item = Vec<Cell>> + 'a {
    let values = Values::of_scored(spec, scored, accounts);
    selected(spec, scored, selection)
        .into_iter()
        .map(move |a| row(spec, scored, accounts, &values, a as usize))
}

/// Every selected row.
pub fn rows(
    spec: &Spec,
    scored: &Scored,
    accounts: &Accounts,
    selection: &Selection,
) -> Vec<Vec<Cell>> {
    row_iter(spec, scored, accounts, selection).collect()
}

/// Accounts per chunk when rows are formatted in parallel (small enough
/// that the demo's `--all` spans several chunks, so the tests cover the
/// ordering of chunks).
const CHUNK: usize = 2_048;

/// The selected rows as csv or tsv, formatted in chunks on every core and
/// written in order: the same bytes as [`crate::output::write_tal`], sooner.
pub fn write_delimited_parallel(
    out: &mut dyn Write,
    spec: &Spec,
    scored: &Scored,
    accounts: &Accounts,
    selection: &Selection,
    delimiter: u8,
    raw: bool,
) -> anyhow::Result<()> {
    let mut header = Vec::new();
    output::encode_header(&mut header, TAL_COLUMNS, delimiter);
    out.write_all(&header)?;
    let selected = selected(spec, scored, selection);
    let rows = RowSource::new(spec, scored, accounts);
    rows.write_parallel(out, &selected, delimiter, raw)
}

/// The rows of a scored project, to format as csv or tsv without the
/// header: the build writes the TAL's rows once for two files.
pub struct RowSource<'a> {
    spec: &'a Spec,
    scored: &'a Scored,
    accounts: &'a Accounts,
    values: Values<'a>,
}

impl<'a> RowSource<'a> {
    pub fn new(spec: &'a Spec, scored: &'a Scored, accounts: &'a Accounts) -> Self {
        RowSource {
            spec,
            scored,
            accounts,
            values: Values::of_scored(spec, scored, accounts),
        }
    }

    /// Appends the rows of `accounts`, in order, to `out`.
    pub fn encode(&self, out: &mut Vec<u8>, accounts: &[u32], delimiter: u8, raw: bool) {
        let mut cells = Vec::with_capacity(TAL_COLUMNS.len());
        for &a in accounts {
            let i = a as usize;
            fill_row(
                &mut cells,
                self.spec,
                self.scored,
                self.accounts,
                &self.values,
                i,
            );
            output::encode_row(out, &cells, delimiter, raw);
        }
    }

    /// Writes the rows of `accounts`, formatted in chunks on every core and
    /// written in order. A batch is written (and digested) on this thread
    /// while the pool formats the next one: done one after the other, the
    /// pool waited for the writes and the writes for the pool.
    pub fn write_parallel(
        &self,
        out: &mut dyn Write,
        accounts: &[u32],
        delimiter: u8,
        raw: bool,
    ) -> anyhow::Result<()> {
        // Batches of chunks on the thread pool: a thread started per chunk
        // costs a fresh stack (zeroed pages) each time.
        let format = |batch: &[u32]| -> Vec<Vec<u8>> {
            (batch.par_chunks(CHUNK))
                .map(|chunk| {
                    let mut buffer = Vec::new();
                    self.encode(&mut buffer, chunk, delimiter, raw);
                    buffer
                })
                .collect()
        };
        let mut batches = accounts.chunks(CHUNK * 4 * rayon::current_num_threads());
        let mut formatted = batches.next().map(format);
        while let Some(buffers) = formatted.take() {
            rayon::in_place_scope(|scope| {
                if let Some(batch) = batches.next() {
                    let next = &mut formatted;
                    scope.spawn(move |_| *next = Some(format(batch)));
                }
                buffers.iter().try_for_each(|buffer| out.write_all(buffer))
            })?;
        }
        Ok(())
    }
}
