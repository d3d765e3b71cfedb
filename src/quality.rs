//! The data-quality report of `tal check` (and the `inputs` object of the
//! build manifest): per input the row buckets, rejects, unparseable values
//! and field completeness.

use std::io::Write;

use anyhow::Result;
use indexmap::IndexMap;
use serde::Serialize;
use tabled::builder::Builder;
use tabled::settings::Style;

use crate::format;
use crate::input::{read, Buckets, InputReport, Loaded, Reject, SheetUsed};

#[derive(Debug, Serialize)]
pub struct InputQuality {
    pub path: String,
    pub encoding: String,
    pub delimiter: String,
    pub rows: Buckets,
    pub rejects: Vec<Reject>,
    pub unparseable: IndexMap<String, u64>,
    pub completeness: IndexMap<String, f64>,
    /// A workbook input: the sheet read, its header row, summary rows left out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<SheetUsed>,
}

#[derive(Debug, Serialize)]
pub struct QualityReport {
    pub inputs: IndexMap<String, InputQuality>,
    pub accounts: usize,
    pub warnings: Vec<String>,
}

fn input_quality(report: &InputReport) -> InputQuality {
    let completeness = report
        .fields
        .iter()
        .map(|(field, quality)| {
            let fraction = if report.parsed_rows == 0 {
                0.0
            } else {
                quality.present as f64 / report.parsed_rows as f64
            };
            (field.clone(), format::round(fraction, 4))
        })
        .collect();
    InputQuality {
        path: report.path.clone(),
        encoding: report.encoding.clone(),
        delimiter: report.delimiter.clone(),
        rows: report.rows.clone(),
        rejects: report.rejects.clone(),
        unparseable: report
            .fields
            .iter()
            .map(|(f, q)| (f.clone(), q.unparseable))
            .collect(),
        completeness,
        sheet: report.sheet.clone(),
    }
}

/// The per-input part, shared with the build manifest.
pub fn inputs(loaded: &Loaded) -> IndexMap<String, InputQuality> {
    loaded
        .reports
        .iter()
        .map(|r| (r.name.clone(), input_quality(r)))
        .collect()
}

pub fn report(loaded: &Loaded, warnings: Vec<String>) -> QualityReport {
    QualityReport {
        inputs: inputs(loaded),
        accounts: loaded.accounts.len(),
        warnings,
    }
}

pub fn write_json(out: &mut dyn Write, report: &QualityReport) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    out.write_all(b"\n")?;
    Ok(())
}

const SHOWN_REJECTS: usize = 5;

/// A terminal report: a table of row buckets, then details per input.
pub fn write_text(out: &mut dyn Write, report: &QualityReport, loaded: &Loaded) -> Result<()> {
    let mut builder = Builder::default();
    builder.push_record([
        "input",
        "path",
        "encoding",
        "delim",
        "read",
        "used",
        "merged",
        "rejected",
        "unmatched",
        "out of scope",
        "free mail",
    ]);
    for (name, input) in &report.inputs {
        let r = &input.rows;
        builder.push_record([
            name.clone(),
            input.path.clone(),
            input.encoding.clone(),
            read::delimiter_name(&input.delimiter),
            r.read.to_string(),
            r.used.to_string(),
            r.merged.to_string(),
            r.rejected.to_string(),
            r.unmatched.to_string(),
            r.out_of_scope.to_string(),
            r.free_mail.to_string(),
        ]);
    }
    let mut table = builder.build();
    table.with(Style::sharp());
    writeln!(out, "{table}")?;
    writeln!(out, "{} accounts in the universe.", report.accounts)?;
    for input_report in &loaded.reports {
        write_input_details(out, input_report)?;
    }
    if report.warnings.is_empty() {
        writeln!(out, "\nNo data-quality warnings.")?;
    } else {
        writeln!(out, "\nWarnings:")?;
        for warning in &report.warnings {
            writeln!(out, "  - {warning}")?;
        }
    }
    Ok(())
}

fn write_input_details(out: &mut dyn Write, report: &InputReport) -> Result<()> {
    writeln!(out, "\n{} ({})", report.name, report.path)?;
    if let Some(sheet) = &report.sheet {
        let footer = match sheet.footer_rows {
            0 => String::new(),
            n => format!("; {n} summary rows at the end left out"),
        };
        writeln!(
            out,
            "  sheet '{}', headers on row {}{footer}; lines are sheet rows",
            sheet.name, sheet.header_row
        )?;
    }
    if report.rows.merged > 0 {
        writeln!(
            out,
            "  {} duplicate rows merged into accounts they share a domain with",
            report.rows.merged
        )?;
    }
    if report.rows.free_mail > 0 {
        writeln!(
            out,
            "  {} free-mail rows dropped (gmail.com and the like name no company)",
            report.rows.free_mail
        )?;
    }
    for reject in report.rejects.iter().take(SHOWN_REJECTS) {
        writeln!(out, "  rejected line {}: {}", reject.line, reject.reason)?;
    }
    if report.rejects.len() > SHOWN_REJECTS {
        writeln!(
            out,
            "  ... and {} more rejected rows",
            report.rejects.len() - SHOWN_REJECTS
        )?;
    }
    let fields: Vec<String> = report
        .fields
        .iter()
        .map(|(field, q)| {
            let share = if report.parsed_rows == 0 {
                0.0
            } else {
                100.0 * q.present as f64 / report.parsed_rows as f64
            };
            let mut text = format!("{field} {}%", format::fixed(share, 0));
            if q.unparseable > 0 {
                text.push_str(&format!(
                    " ({} unparseable, e.g. {})",
                    q.unparseable,
                    q.examples
                        .iter()
                        .map(|e| format!("'{e}'"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            text
        })
        .collect();
    if !fields.is_empty() {
        writeln!(out, "  completeness: {}", fields.join(", "))?;
    }
    Ok(())
}
