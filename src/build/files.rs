//! The contents of the build files, from a scored project: `tal.csv` (the
//! bytes of `tal score`), `accounts.csv` (`tal score --all`),
//! `segments.csv`, `rejects.csv`, and the report files.

use std::io::Write;

use anyhow::Result;

use super::folder::Staging;
use crate::output::tal::{rows, Cell, Selection};
use crate::output::{write_delimited, write_tal, TalFormat};
use crate::pipeline::Project;
use crate::report::{self, ReportFormat};

/// The TAL as `tal score` writes it (csv, formula guard on).
pub fn tal_csv(project: &Project) -> Result<Vec<u8>> {
    list_csv(project, false)
}

/// Every account with its status and reason, as `tal score --all` writes it.
pub fn accounts_csv(project: &Project) -> Result<Vec<u8>> {
    list_csv(project, true)
}

fn list_csv(project: &Project, all: bool) -> Result<Vec<u8>> {
    let selection = Selection {
        all,
        tiers: Vec::new(),
    };
    let rows = rows(
        &project.spec,
        &project.scored,
        &project.loaded.accounts,
        &selection,
    );
    let mut out = Vec::new();
    write_tal(&mut out, TalFormat::Csv, &rows, false)?;
    Ok(out)
}

pub const SEGMENT_COLUMNS: &[&str] = &["segment", "domain", "tier"];

/// One row per TAL account and segment, by segment then rank.
pub fn segments_csv(out: &mut dyn Write, project: &Project) -> Result<()> {
    let Project {
        spec,
        scored,
        loaded,
        ..
    } = project;
    let mut pairs: Vec<(&str, u32)> = scored
        .tal
        .iter()
        .flat_map(|&a| {
            scored.segments[a as usize]
                .iter()
                .map(move |s| (s.as_str(), a))
        })
        .collect();
    // `tal` is in rank order and the sort is stable.
    pairs.sort_by(|a, b| a.0.cmp(b.0));
    let rows: Vec<Vec<Cell>> = pairs
        .into_iter()
        .map(|(segment, a)| {
            vec![
                Cell::text(segment),
                Cell::text(loaded.accounts.domains[a as usize].to_string()),
                Cell::text(scored.status[a as usize].name(spec)),
            ]
        })
        .collect();
    write_delimited(out, SEGMENT_COLUMNS, &rows, b',', false)
}

pub const REJECT_COLUMNS: &[&str] = &["input", "line", "reason", "raw"];

/// Every rejected input row: input name, line, reason, the row as it was.
pub fn rejects_csv(out: &mut dyn Write, project: &Project) -> Result<()> {
    let rows: Vec<Vec<Cell>> = project
        .loaded
        .reports
        .iter()
        .flat_map(|report| {
            report.rejects.iter().map(|reject| {
                vec![
                    Cell::text(report.name.clone()),
                    Cell::text(reject.line.to_string()),
                    Cell::text(reject.reason.clone()),
                    Cell::text(reject.raw.clone()),
                ]
            })
        })
        .collect();
    write_delimited(out, REJECT_COLUMNS, &rows, b',', false)
}

/// The entitlement budget report, from the same `Project` as every other
/// file: `report.md`, `report.json` and `report.html`.
pub fn write_reports(staging: &mut Staging, project: &Project) -> Result<()> {
    let report = report::build(&project.spec, &project.scored);
    for (name, format) in [
        ("report.md", ReportFormat::Markdown),
        ("report.json", ReportFormat::Json),
        ("report.html", ReportFormat::Html),
    ] {
        staging.write(name, |out| report::write(out, format, &report))?;
    }
    Ok(())
}
