//! The TAL as an xlsx workbook: a "TAL" sheet, one sheet per tier, and the
//! entitlement budget report. Numbers are number cells; text is always a
//! string cell, so a name like `=HYPERLINK(...)` stays text and never runs
//! as a formula (the csv formula guard is not needed, and not applied).

use anyhow::{Context, Result};
use rust_xlsxwriter::{Format, Workbook, Worksheet};
use serde_json::Value as Json;

use super::tal::{Cell, Selection, TAL_COLUMNS};
use crate::report::{self, Report};
use crate::spec::Spec;

/// Excel caps sheet names at 31 characters.
const SHEET_NAME_MAX: usize = 31;

/// A sheet's name: Excel's forbidden characters replaced, cut to 31
/// characters, and made unique among `taken` (case-insensitively).
pub fn sheet_name(wanted: &str, taken: &[String]) -> String {
    let clean: String = wanted
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .collect();
    let clean = clean.trim_matches(|c: char| c == '\'' || c.is_whitespace());
    let clean = if clean.is_empty() { "Sheet" } else { clean };
    let is_taken = |name: &str| taken.iter().any(|t| t.eq_ignore_ascii_case(name));
    let cut = |name: &str, room: usize| name.chars().take(room).collect::<String>();
    let mut name = cut(clean, SHEET_NAME_MAX);
    let mut n = 2;
    while is_taken(&name) || name.eq_ignore_ascii_case("history") {
        let suffix = format!(" ({n})");
        name = format!("{}{suffix}", cut(clean, SHEET_NAME_MAX - suffix.len()));
        n += 1;
    }
    name
}

/// Writes `rows` under `columns` into a sheet: a bold, frozen header row
/// with filters, number cells for numbers, string cells for text.
fn fill_sheet(sheet: &mut Worksheet, columns: &[&str], rows: &[Vec<Cell>]) -> Result<()> {
    let header = Format::new().set_bold().set_background_color("#E2E8F0");
    for (col, name) in columns.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *name, &header)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (col, cell) in row.iter().enumerate() {
            let col = col as u16;
            match cell.json() {
                Json::Number(n) => {
                    sheet.write_number(r, col, n.as_f64().unwrap_or_default())?;
                }
                _ if cell.text.is_empty() => {}
                _ => {
                    sheet.write_string(r, col, &cell.text)?;
                }
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    if !columns.is_empty() {
        sheet.autofilter(0, 0, rows.len() as u32, columns.len() as u16 - 1)?;
    }
    for (col, name) in columns.iter().enumerate() {
        let width = match *name {
            "name" | "domain" | "segments" | "intent_topics" | "personas_engaged" => 28.0,
            "reasons" => 60.0,
            _ => 12.0,
        };
        sheet.set_column_width(col as u16, width)?;
    }
    Ok(())
}

/// A named sheet of rows.
pub struct Sheet<'a> {
    pub name: &'a str,
    pub rows: &'a [Vec<Cell>],
}

/// The workbook's bytes: the sheets in order, then the report if given.
pub fn workbook(columns: &[&str], sheets: &[Sheet], report: Option<&Report>) -> Result<Vec<u8>> {
    let mut workbook = Workbook::new();
    let mut taken: Vec<String> = vec!["Report".into()];
    for sheet in sheets {
        let name = sheet_name(sheet.name, &taken);
        let worksheet = workbook.add_worksheet();
        worksheet.set_name(&name)?;
        fill_sheet(worksheet, columns, sheet.rows)
            .with_context(|| format!("writing the sheet '{name}'"))?;
        taken.push(name);
    }
    if let Some(report) = report {
        report::sheet::add_sheet(&mut workbook, report).context("writing the report sheet")?;
    }
    Ok(workbook.save_to_buffer()?)
}

/// The TAL sheet, one sheet per selected tier, then the report.
pub fn tal_workbook(
    spec: &Spec,
    selection: &Selection,
    rows: &[Vec<Cell>],
    report: &Report,
) -> Result<Vec<u8>> {
    let tier = TAL_COLUMNS.iter().position(|c| *c == "tier").unwrap_or(1);
    let tier_rows: Vec<(&str, Vec<Vec<Cell>>)> = spec
        .tiers
        .iter()
        .filter(|t| selection.wants_name(&t.name))
        .map(|t| {
            let mine = rows.iter().filter(|row| row[tier].text == t.name);
            (t.name.as_str(), mine.cloned().collect())
        })
        .collect();
    let mut sheets = vec![Sheet { name: "TAL", rows }];
    sheets.extend(tier_rows.iter().map(|(name, rows)| Sheet { name, rows }));
    workbook(TAL_COLUMNS, &sheets, Some(report))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let taken = vec!["Report".to_string(), "TAL".to_string()];
        assert_eq!(sheet_name("Tier 1", &taken), "Tier 1");
        assert_eq!(sheet_name("report", &taken), "report (2)");
        assert_eq!(sheet_name("A/B [test]?", &taken), "A-B -test--");
        assert_eq!(sheet_name("'quoted'", &taken), "quoted");
        let long = "Enterprise accounts in North America";
        assert_eq!(sheet_name(long, &taken).chars().count(), 31);
        let taken = vec![sheet_name(long, &taken)];
        let second = sheet_name(long, &taken);
        assert!(second.ends_with(" (2)") && second.chars().count() == 31);
    }
}
