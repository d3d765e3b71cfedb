//! Exports saved as Excel workbooks (`.xlsx`): Salesforce and HubSpot
//! reports are often downloaded so. One sheet (by name, else the first) is
//! turned into the CSV text every other input is read from, so one reader
//! serves both, with three things only a workbook needs:
//!
//! - the header row is found, even below the title and filter rows that a
//!   Salesforce "formatted" report puts above it: the first row holding
//!   every column the spec maps (the key and the fields), else, when no
//!   columns are asked for (`tal init`), the first of the fullest rows;
//! - trailing summary rows ("Grand Totals (12 records)", "Total",
//!   "Confidential Information", "Copyright ...") are not data: they are
//!   left out and counted, like the title rows above the header;
//! - typed cells keep their value: a number is written with the input's
//!   decimal mark and no grouping, a date as ISO `YYYY-MM-DD` (its time of
//!   day, if any, after a `T`), a bool as `true`/`false`, an error as Excel
//!   shows it (`#N/A`: unparseable, so counted), and rows keep the number
//!   the sheet shows them under, for rejects.

use std::path::Path;

use anyhow::{bail, Context, Result};
use calamine::{open_workbook_auto, Data, Reader};

use crate::value::DecimalMark;

/// Rows searched for the header row.
const HEADER_SEARCH: usize = 50;

/// Words that open a report's summary rows, in any case.
const FOOTER_WORDS: &[&str] = &[
    "grand totals",
    "grand total",
    "totals",
    "total",
    "subtotals",
    "subtotal",
    "sum",
    "count",
    "confidential",
    "copyright",
    "©",
    "generated",
    "report generated",
    "总计",
    "合计",
];

/// One sheet as CSV text, and where its rows came from.
#[derive(Debug)]
pub struct Sheet {
    /// The sheet's name.
    pub name: String,
    /// The sheet row of the header (1-based, as Excel numbers rows).
    pub header_row: u32,
    /// Summary rows at the end, left out.
    pub footer_rows: usize,
    /// The header row then the data rows, as CSV with `,`, each record
    /// with the row the sheet shows it on.
    pub text: super::read::Numbered,
    /// The workbook's sheets, for messages and `tal init`.
    pub sheets: Vec<String>,
}

/// Reads sheet `sheet` (else the first) of the workbook at `path`. The
/// header row is the first holding every one of `columns` (matched as
/// `read::find_column` matches headers); without columns, or when no row
/// holds them all, the first of the rows with the most text cells.
pub fn read(
    path: &Path,
    sheet: Option<&str>,
    columns: &[&str],
    decimal: DecimalMark,
) -> Result<Sheet> {
    let mut workbook = open_workbook_auto(path).context("cannot open it as an Excel workbook")?;
    let sheets = workbook.sheet_names();
    let name = match sheet {
        Some(wanted) => match sheets.iter().find(|s| s.as_str() == wanted.trim()) {
            Some(found) => found.clone(),
            None => match sheets
                .iter()
                .find(|s| s.eq_ignore_ascii_case(wanted.trim()))
            {
                Some(found) => found.clone(),
                None => bail!(
                    "no sheet named '{wanted}'; the workbook's sheets are {}",
                    quoted_list(&sheets)
                ),
            },
        },
        None => match sheets.first() {
            Some(first) => first.clone(),
            None => bail!("the workbook has no sheets"),
        },
    };
    let range = workbook
        .worksheet_range(&name)
        .with_context(|| format!("cannot read the sheet '{name}'"))?;
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|cells| {
            // Columns stay where the sheet shows them, even if A is empty.
            let mut row = vec![String::new(); first_col as usize];
            row.extend(cells.iter().map(|cell| text(cell, decimal)));
            row
        })
        .collect();
    let Some(header) = header_index(&rows, columns) else {
        bail!("the sheet '{name}' is empty: an export needs a header row naming its columns");
    };
    let footer_rows = footer_len(&rows[header + 1..]);
    let body = &rows[header..rows.len() - footer_rows];
    let mut text = super::read::Numbered::default();
    for (i, row) in body.iter().enumerate() {
        text.push(first_row as u64 + (header + i) as u64 + 1, row)?;
    }
    Ok(Sheet {
        name,
        header_row: first_row + header as u32 + 1,
        footer_rows,
        text,
        sheets,
    })
}

/// A cell as the text a CSV export would hold.
fn text(cell: &Data, decimal: DecimalMark) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Bool(b) => b.to_string(),
        Data::Int(n) => n.to_string(),
        Data::Float(n) => number(*n, decimal),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, hh, mm, ss, _) = dt.to_ymd_hms_milli();
            if (hh, mm, ss) == (0, 0, 0) {
                format!("{y:04}-{m:02}-{d:02}")
            } else {
                format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}")
            }
        }
        Data::DateTime(dt) => number(dt.as_f64(), decimal),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

/// A float in plain notation with the input's decimal mark, no grouping.
fn number(n: f64, decimal: DecimalMark) -> String {
    let plain = crate::format::number(n);
    match decimal {
        DecimalMark::Dot => plain,
        DecimalMark::Comma => plain.replace('.', ","),
    }
}

/// The header row among the first rows (see [`read`]); None when the sheet
/// has no non-empty cell there.
fn header_index(rows: &[Vec<String>], columns: &[&str]) -> Option<usize> {
    let search = &rows[..rows.len().min(HEADER_SEARCH)];
    if !columns.is_empty() {
        let holds_all = |row: &Vec<String>| {
            let headers: Vec<String> = row.iter().map(|h| h.trim().to_string()).collect();
            (columns.iter()).all(|c| super::read::find_column(&headers, c).is_some())
        };
        if let Some(i) = search.iter().position(holds_all) {
            return Some(i);
        }
    }
    let filled = |row: &Vec<String>| {
        row.iter()
            .filter(|c| !c.trim().is_empty() && c.trim().parse::<f64>().is_err())
            .count()
    };
    let most = search.iter().map(filled).max().filter(|&n| n > 0)?;
    search.iter().position(|row| filled(row) == most)
}

/// How many rows at the end are a report's summary: blank rows and rows
/// whose first non-empty cell opens with a summary word, back to the last
/// row of data.
fn footer_len(rows: &[Vec<String>]) -> usize {
    let mut footer = 0;
    let mut summary_seen = false;
    for row in rows.iter().rev() {
        let first = row.iter().map(|c| c.trim()).find(|c| !c.is_empty());
        match first {
            None => {}
            Some(cell) if is_summary(cell) => summary_seen = true,
            Some(_) => break,
        }
        footer += 1;
    }
    // Blank rows alone at the end are skipped as blank anyway: count a
    // footer only when it held a summary row.
    if summary_seen {
        footer
    } else {
        0
    }
}

fn is_summary(cell: &str) -> bool {
    let lower = cell.to_lowercase();
    FOOTER_WORDS.iter().any(|word| {
        lower
            .strip_prefix(word)
            .is_some_and(|rest| rest.is_empty() || !rest.starts_with(|c: char| c.is_alphanumeric()))
    })
}

fn quoted_list(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("'{n}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(cells: &[&[&str]]) -> Vec<Vec<String>> {
        cells
            .iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    #[test]
    fn header_below_title_and_filter_rows() {
        let sheet = rows(&[
            &["Accounts with open pipeline", "", ""],
            &["Filtered By: Type equals Prospect", "", ""],
            &["", "", ""],
            &["Account Name", "Website", "Employees"],
            &["Acme", "acme.com", "1200"],
        ]);
        assert_eq!(header_index(&sheet, &["Website", "employees"]), Some(3));
        assert_eq!(header_index(&sheet, &[]), Some(3));
        // Columns the sheet lacks: the fullest row, for the error message.
        assert_eq!(header_index(&sheet, &["Domain"]), Some(3));
        assert_eq!(header_index(&rows(&[&["", ""]]), &[]), None);
    }

    #[test]
    fn summary_rows_at_the_end_are_a_footer() {
        let data = rows(&[
            &["Acme", "acme.com"],
            &["Beta", "beta.com"],
            &["", ""],
            &["Grand Totals (2 records)", ""],
            &["", ""],
            &["Confidential Information - Do Not Distribute", ""],
            &[
                "Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.",
                "",
            ],
        ]);
        assert_eq!(footer_len(&data), 5);
        let plain = rows(&[&["Acme", "acme.com"], &["Totalsoft", "totalsoft.com"]]);
        assert_eq!(footer_len(&plain), 0);
        let blank_end = rows(&[&["Acme", "acme.com"], &["", ""]]);
        assert_eq!(footer_len(&blank_end), 0);
        assert!(is_summary("Total"));
        assert!(is_summary("TOTAL: 12"));
        assert!(is_summary("Grand Totals (12 records)"));
        assert!(!is_summary("Totalsoft"));
    }

    #[test]
    fn typed_cells_as_text() {
        use calamine::{ExcelDateTime, ExcelDateTimeType};
        assert_eq!(text(&Data::Float(1200.0), DecimalMark::Dot), "1200");
        assert_eq!(text(&Data::Float(1234.5), DecimalMark::Comma), "1234,5");
        assert_eq!(text(&Data::Int(-7), DecimalMark::Dot), "-7");
        assert_eq!(text(&Data::Bool(true), DecimalMark::Dot), "true");
        let date = ExcelDateTime::new(45943.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(text(&Data::DateTime(date), DecimalMark::Dot), "2025-10-13");
        let noon = ExcelDateTime::new(45943.5, ExcelDateTimeType::DateTime, false);
        assert_eq!(
            text(&Data::DateTime(noon), DecimalMark::Dot),
            "2025-10-13T12:00:00"
        );
        assert_eq!(
            text(&Data::Error(calamine::CellErrorType::NA), DecimalMark::Dot),
            "#N/A"
        );
    }
}
