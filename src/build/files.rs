//! The contents of the build files, from a scored project: `tal.csv` (the
//! bytes of `tal score`), `accounts.csv` (`tal score --all`),
//! `segments.csv`, `rejects.csv`, and the report files.

use std::collections::HashSet;
use std::io::Write;

use anyhow::{Context, Result};

use super::folder::Staging;
use crate::changes::list::{self, TalList};
use crate::output::tal::{Cell, RowSource, TAL_COLUMNS};
use crate::output::{encode_header, write_delimited};
use crate::pipeline::Project;
use crate::report::{self, ReportFormat};

/// `tal.csv` and `accounts.csv` from one formatting pass, as `tal score`
/// and `tal score --all` write them (csv, formula guard on). The TAL's rows
/// are the head of `accounts.csv`: they are formatted once, written to
/// both, and the accounts outside the TAL stream on after them, a chunk at
/// a time. Returns the bytes of `tal.csv`.
pub fn write_lists(staging: &mut Staging, project: &Project) -> Result<Vec<u8>> {
    let scored = &project.scored;
    let rows = RowSource::new(&project.spec, scored, &project.loaded.accounts);
    let mut tal = Vec::new();
    encode_header(&mut tal, TAL_COLUMNS, b',');
    rows.encode(&mut tal, &scored.tal, b',', false);
    staging.write_bytes("tal.csv", &tal)?;
    super::pause_at("writing");
    staging.write("accounts.csv", |out| {
        out.write_all(&tal)?;
        rows.write_parallel(out, &scored.others, b',', false)
    })?;
    Ok(tal)
}

/// The accounts of this build as a comparison reads them, as if read back
/// from `accounts.csv`: the TAL (`tal`, the bytes of `tal.csv`) and, of the
/// accounts outside it, those `old` listed in its TAL (the only ones a
/// comparison looks up), without formatting or reading back the rest.
pub fn new_list(project: &Project, tal: &[u8], old: &TalList) -> Result<TalList> {
    let dropped: HashSet<&str> = old
        .rows
        .iter()
        .filter(|r| r.in_tal)
        .map(|r| r.domain.as_str())
        .collect();
    let mut bytes = tal.to_vec();
    if !dropped.is_empty() {
        let accounts = &project.loaded.accounts;
        let outside: Vec<u32> = (project.scored.others.iter().copied())
            .filter(|&a| {
                let domain = accounts.domains[a as usize].trim();
                dropped.contains(list::domain_key(domain).as_str())
            })
            .collect();
        let rows = RowSource::new(&project.spec, &project.scored, accounts);
        rows.encode(&mut bytes, &outside, b',', false);
    }
    list::parse(bytes).context("reading back the new list")
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
        .flat_map(|&a| (scored.segments.of(a as usize).iter()).map(move |s| (s.as_str(), a)))
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
