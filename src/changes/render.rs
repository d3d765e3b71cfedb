//! Changes as csv (`changes.csv`), a terminal table, markdown or JSON.

use std::io::Write;

use anyhow::Result;
use indexmap::IndexMap;
use serde::Serialize;
use tabled::builder::Builder;
use tabled::settings::Style;

use super::{Change, Changes, Movement};
use crate::format;
use crate::format::markdown::inline as markdown_cell;
use crate::output::tal::Cell;
use crate::output::write_delimited;

/// The columns of `changes.csv` and of `tal diff --format csv`.
pub const COLUMNS: &[&str] = &[
    "domain", "name", "old_tier", "new_tier", "movement", "reason",
];

/// Output formats of `tal diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    Table,
    Csv,
    Json,
    Markdown,
}

pub fn write(out: &mut dyn Write, changes: &Changes, format: DiffFormat) -> Result<()> {
    match format {
        DiffFormat::Csv => write_csv(out, changes),
        DiffFormat::Json => write_json(out, changes),
        DiffFormat::Table => write_table(out, changes),
        DiffFormat::Markdown => write_markdown(out, changes),
    }
}

fn cells(change: &Change) -> [&str; 6] {
    [
        &change.domain,
        &change.name,
        &change.old_tier,
        &change.new_tier,
        change.movement.name(),
        &change.reason,
    ]
}

/// csv with the formula guard on every cell (names and reasons come from
/// the user's data).
pub fn write_csv(out: &mut dyn Write, changes: &Changes) -> Result<()> {
    let rows: Vec<Vec<Cell>> = changes
        .changes
        .iter()
        .map(|c| cells(c).into_iter().map(Cell::text).collect())
        .collect();
    write_delimited(out, COLUMNS, &rows, b',', false)
}

#[derive(Serialize)]
struct JsonChanges<'a> {
    old_tal: usize,
    new_tal: usize,
    counts: IndexMap<&'static str, usize>,
    churned: usize,
    churn_pct: f64,
    changes: &'a [Change],
}

fn write_json(out: &mut dyn Write, changes: &Changes) -> Result<()> {
    let json = JsonChanges {
        old_tal: changes.old_tal,
        new_tal: changes.new_tal,
        counts: Movement::ALL
            .iter()
            .map(|&m| (m.name(), changes.count(m)))
            .collect(),
        churned: changes.churned(),
        churn_pct: format::round(changes.churn_pct(), 1),
        changes: &changes.changes,
    };
    serde_json::to_writer_pretty(&mut *out, &json)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// One line under a table: counts and churn.
pub fn summary(changes: &Changes) -> String {
    format!(
        "{}; {} of {} accounts in the old TAL changed tier or left ({}%)",
        changes.counts_text(),
        changes.churned(),
        changes.old_tal,
        format::fixed(changes.churn_pct(), 1)
    )
}

const REASON_WIDTH: usize = 60;

fn shorten(text: &str) -> String {
    if text.chars().count() <= REASON_WIDTH {
        return text.to_string();
    }
    let cut: String = text.chars().take(REASON_WIDTH - 1).collect();
    format!("{cut}…")
}

fn write_table(out: &mut dyn Write, changes: &Changes) -> Result<()> {
    if !changes.changes.is_empty() {
        let mut builder = Builder::default();
        builder.push_record([
            "movement", "domain", "name", "old tier", "new tier", "reason",
        ]);
        for c in &changes.changes {
            builder.push_record([
                c.movement.name().to_string(),
                c.domain.clone(),
                c.name.clone(),
                c.old_tier.clone(),
                c.new_tier.clone(),
                shorten(&c.reason),
            ]);
        }
        let mut table = builder.build();
        table.with(Style::sharp());
        writeln!(out, "{table}")?;
    }
    writeln!(out, "{}", summary(changes))?;
    Ok(())
}

fn write_markdown(out: &mut dyn Write, changes: &Changes) -> Result<()> {
    writeln!(out, "{}\n", markdown_cell(&summary(changes)))?;
    if changes.changes.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "| movement | domain | name | old tier | new tier | reason |\n| --- | --- | --- | --- | --- | --- |"
    )?;
    for c in &changes.changes {
        let [domain, name, old, new, movement, reason] = cells(c).map(markdown_cell);
        writeln!(
            out,
            "| {movement} | {domain} | {name} | {old} | {new} | {reason} |"
        )?;
    }
    Ok(())
}
