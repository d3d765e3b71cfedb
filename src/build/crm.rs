//! `crm_update.csv`: the file a CRM import reads to write tiers back,
//! with the columns `[export.crm].columns` names (CRM column = TAL column).
//!
//! Rows: every account, or with `changed_only` the accounts that moved
//! (new, dropped, promoted, demoted). An account dropped because it left
//! the exports still gets its row (its id from the old list, `in_tal`
//! false), so the CRM stops calling it a target. A row is only written
//! with an account id: accounts without one (not in the CRM yet) are
//! listed in the manifest and in one warning.

use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use crate::changes::{Change, Changes};
use crate::engine::segments::{tier_number, Values};
use crate::output::tal::{self, Cell, TAL_COLUMNS};
use crate::output::write_delimited;
use crate::pipeline::Project;
use crate::spec::CrmExport;

/// What went into `crm_update.csv`.
#[derive(Debug, Clone, Serialize)]
pub struct CrmSummary {
    pub changed_only: bool,
    pub rows: usize,
    /// Domains of the accounts left out for want of an account id.
    pub without_account_id: Vec<String>,
}

impl CrmSummary {
    /// The warning about accounts left out, if any.
    pub fn warning(&self) -> Option<String> {
        let missing = &self.without_account_id;
        if missing.is_empty() {
            return None;
        }
        let shown: Vec<&str> = missing.iter().take(5).map(String::as_str).collect();
        let more = match missing.len() - shown.len() {
            0 => String::new(),
            n => format!(" and {n} more (manifest.json lists them all)"),
        };
        let which = if self.changed_only { "changed " } else { "" };
        Some(format!(
            "crm_update.csv: {} {which}accounts have no account id (not in the CRM yet?) and were left out: {}{more}",
            missing.len(),
            shown.join(", ")
        ))
    }
}

/// The header: the mapping's CRM columns, with `account_id` first when the
/// mapping does not name it.
fn header(export: &CrmExport) -> Vec<String> {
    let mut columns: Vec<String> = Vec::new();
    if !export.columns.values().any(|c| c == "account_id") {
        columns.push("account_id".to_string());
    }
    columns.extend(export.columns.keys().cloned());
    columns
}

/// The TAL columns behind the header, in the same order.
fn sources(export: &CrmExport) -> Vec<String> {
    let mut sources: Vec<String> = Vec::new();
    if !export.columns.values().any(|c| c == "account_id") {
        sources.push("account_id".to_string());
    }
    sources.extend(export.columns.values().cloned());
    sources
}

/// Writes the file and says what it holds.
pub fn write(
    out: &mut dyn Write,
    project: &Project,
    export: &CrmExport,
    changes: &Changes,
) -> Result<CrmSummary> {
    let sources = sources(export);
    let mut summary = CrmSummary {
        changed_only: export.changed_only,
        rows: 0,
        without_account_id: Vec::new(),
    };
    let mut rows = Vec::new();
    for (id, domain, cells) in candidates(project, export, changes, &sources) {
        if id.is_empty() {
            summary.without_account_id.push(domain);
        } else {
            rows.push(cells);
        }
    }
    summary.rows = rows.len();
    // The header cells are the spec's words, but a spreadsheet opens them.
    let header: Vec<String> = (header(export).iter())
        .map(|h| crate::format::guard_formula(h).into_owned())
        .collect();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    write_delimited(out, &header, &rows, b',', false)?;
    Ok(summary)
}

/// (account id, domain, cells) of every row the file should hold.
fn candidates(
    project: &Project,
    export: &CrmExport,
    changes: &Changes,
    sources: &[String],
) -> Vec<(String, String, Vec<Cell>)> {
    let accounts = &project.loaded.accounts;
    let values = Values::of_scored(&project.spec, &project.scored, accounts);
    let of_account = |i: usize| {
        let row = tal::row(&project.spec, &project.scored, accounts, &values, i);
        let cells: Vec<Cell> = sources.iter().map(|s| cell(project, &row, i, s)).collect();
        (
            text_of(&row, "account_id"),
            accounts.domains[i].to_string(),
            cells,
        )
    };
    let gone = |change: &Change| {
        let cells = sources.iter().map(|s| gone_cell(change, s)).collect();
        (change.account_id.clone(), change.domain.clone(), cells)
    };
    let mut out = Vec::new();
    if export.changed_only {
        for change in &changes.changes {
            match accounts.find(&change.domain) {
                Some(i) => out.push(of_account(i as usize)),
                None => out.push(gone(change)),
            }
        }
    } else {
        let scored = &project.scored;
        for &a in scored.tal.iter().chain(&scored.others) {
            out.push(of_account(a as usize));
        }
        for change in &changes.changes {
            if accounts.find(&change.domain).is_none() {
                out.push(gone(change));
            }
        }
    }
    out
}

fn text_of(row: &[Cell], column: &str) -> String {
    TAL_COLUMNS
        .iter()
        .position(|c| *c == column)
        .map(|i| row[i].text.clone())
        .unwrap_or_default()
}

/// The value of TAL column `source` for account `i`.
fn cell(project: &Project, row: &[Cell], i: usize, source: &str) -> Cell {
    if let Some(at) = TAL_COLUMNS.iter().position(|c| *c == source) {
        return row[at].clone();
    }
    let status = project.scored.status[i];
    match source {
        "tier_number" => tier_number(status).map_or_else(Cell::empty, |n| plain(n.to_string())),
        "tier_code" => tier_number(status).map_or_else(Cell::empty, |n| plain(format!("tier_{n}"))),
        "in_tal" => plain(status.in_tal().to_string()),
        "status" => Cell::text(status.name(&project.spec)),
        field => project
            .loaded
            .accounts
            .columns
            .get(field)
            .and_then(|column| column.text(i))
            .map_or_else(Cell::empty, Cell::text),
    }
}

/// A row for an account no longer in the exports: what the old list knew.
fn gone_cell(change: &Change, source: &str) -> Cell {
    match source {
        "account_id" => Cell::text(change.account_id.clone()),
        "domain" => Cell::text(change.domain.clone()),
        "name" => Cell::text(change.name.clone()),
        "in_tal" => plain("false".to_string()),
        _ => Cell::empty(),
    }
}

/// Text we produce ourselves: no formula guard needed.
fn plain(text: String) -> Cell {
    Cell::plain(text)
}
