//! Writing results: the TAL in every format, and where output goes.

pub mod tal;
pub mod xlsx;

use std::borrow::Borrow;
use std::io::Write;

use anyhow::Result;
use serde_json::{Map, Value as Json};
use tabled::builder::Builder;
use tabled::settings::Style;

use tal::{Cell, TAL_COLUMNS};

use crate::format::guard_formula;

/// Output formats of `tal score`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TalFormat {
    Csv,
    Tsv,
    Json,
    Jsonl,
    Table,
    Xlsx,
}

/// Writes rows under `columns` as csv or tsv (minimal quoting, `\n`).
pub fn write_delimited(
    out: &mut dyn Write,
    columns: &[&str],
    rows: impl IntoIterator<Item = impl Borrow<Vec<Cell>>>,
    delimiter: u8,
    raw: bool,
) -> Result<()> {
    let mut buffer = Vec::new();
    encode_header(&mut buffer, columns, delimiter);
    for row in rows {
        encode_row(&mut buffer, row.borrow(), delimiter, raw);
        if buffer.len() >= 1 << 16 {
            out.write_all(&buffer)?;
            buffer.clear();
        }
    }
    out.write_all(&buffer)?;
    Ok(())
}

/// The header record appended to `out`.
pub fn encode_header(out: &mut Vec<u8>, columns: &[&str], delimiter: u8) {
    let cells: Vec<Cell> = columns.iter().map(|c| Cell::plain(*c)).collect();
    encode_row(out, &cells, delimiter, true);
}

/// One record appended to `out`, text cells guarded against formula
/// injection unless `raw`. The bytes are those the csv crate writes (a
/// field is quoted only when it holds the delimiter, a quote or a line
/// end; a lone empty field is `""`), without its per-field state machine,
/// which showed in the profile of writing a million rows.
pub fn encode_row(out: &mut Vec<u8>, row: &[Cell], delimiter: u8, raw: bool) {
    if let [only] = row {
        if only.text.is_empty() {
            out.extend_from_slice(b"\"\"\n");
            return;
        }
    }
    for (k, cell) in row.iter().enumerate() {
        if k > 0 {
            out.push(delimiter);
        }
        if cell.is_text() && !raw {
            encode_field(out, guard_formula(&cell.text).as_bytes(), delimiter);
        } else {
            encode_field(out, cell.text.as_bytes(), delimiter);
        }
    }
    out.push(b'\n');
}

fn encode_field(out: &mut Vec<u8>, field: &[u8], delimiter: u8) {
    let special = |b: &u8| *b == delimiter || matches!(b, b'"' | b'\r' | b'\n');
    if !field.iter().any(special) {
        out.extend_from_slice(field);
        return;
    }
    // Quoted: most such fields (every `reasons`) only hold a comma, so the
    // runs between double quotes are copied whole.
    out.push(b'"');
    let mut rest = field;
    while let Some(at) = memchr::memchr(b'"', rest) {
        out.extend_from_slice(&rest[..=at]);
        out.push(b'"');
        rest = &rest[at + 1..];
    }
    out.extend_from_slice(rest);
    out.push(b'"');
}

fn json_object(columns: &[&str], row: &[Cell]) -> Json {
    let map: Map<String, Json> = columns
        .iter()
        .zip(row)
        .map(|(c, cell)| (c.to_string(), cell.json()))
        .collect();
    Json::Object(map)
}

/// A JSON array with one object per line.
pub fn write_json(
    out: &mut dyn Write,
    columns: &[&str],
    rows: impl IntoIterator<Item = impl Borrow<Vec<Cell>>>,
) -> Result<()> {
    out.write_all(b"[")?;
    for (i, row) in rows.into_iter().enumerate() {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(&mut *out, &json_object(columns, row.borrow()))?;
    }
    out.write_all(b"\n]\n")?;
    Ok(())
}

pub fn write_jsonl(
    out: &mut dyn Write,
    columns: &[&str],
    rows: impl IntoIterator<Item = impl Borrow<Vec<Cell>>>,
) -> Result<()> {
    for row in rows {
        serde_json::to_writer(&mut *out, &json_object(columns, row.borrow()))?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// The columns a terminal table shows, and how wide text may get.
const TABLE_COLUMNS: &[&str] = &[
    "rank",
    "tier",
    "name",
    "domain",
    "fit",
    "acv",
    "intent_score",
    "engagement_score",
    "stage",
    "demoted_from",
];
const TABLE_CELL_WIDTH: usize = 28;

fn shorten(text: &str) -> String {
    if text.chars().count() <= TABLE_CELL_WIDTH {
        return text.to_string();
    }
    let cut: String = text.chars().take(TABLE_CELL_WIDTH - 1).collect();
    format!("{cut}…")
}

/// A readable subset of the columns, for a terminal.
pub fn write_table(
    out: &mut dyn Write,
    columns: &[&str],
    rows: impl IntoIterator<Item = impl Borrow<Vec<Cell>>>,
) -> Result<()> {
    let picked: Vec<usize> = TABLE_COLUMNS
        .iter()
        .filter_map(|c| columns.iter().position(|x| x == c))
        .collect();
    let mut builder = Builder::default();
    builder.push_record(picked.iter().map(|&i| columns[i].to_string()));
    for row in rows {
        let row = row.borrow();
        builder.push_record(picked.iter().map(|&i| shorten(&row[i].text)));
    }
    let mut table = builder.build();
    table.with(Style::sharp());
    writeln!(out, "{table}")?;
    Ok(())
}

/// Writes the TAL rows in `format`.
pub fn write_tal(
    out: &mut dyn Write,
    format: TalFormat,
    rows: impl IntoIterator<Item = impl Borrow<Vec<Cell>>>,
    raw: bool,
) -> Result<()> {
    match format {
        TalFormat::Csv => write_delimited(out, TAL_COLUMNS, rows, b',', raw),
        TalFormat::Tsv => write_delimited(out, TAL_COLUMNS, rows, b'\t', raw),
        TalFormat::Json => write_json(out, TAL_COLUMNS, rows),
        TalFormat::Jsonl => write_jsonl(out, TAL_COLUMNS, rows),
        TalFormat::Table => write_table(out, TAL_COLUMNS, rows),
        TalFormat::Xlsx => {
            let rows: Vec<Vec<Cell>> = rows.into_iter().map(|r| r.borrow().clone()).collect();
            let sheets = [xlsx::Sheet {
                name: "TAL",
                rows: &rows,
            }];
            out.write_all(&xlsx::workbook(TAL_COLUMNS, &sheets, None)?)?;
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What the csv crate writes for the same record.
    fn csv_crate(row: &[Cell], delimiter: u8, raw: bool) -> Vec<u8> {
        let mut writer = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        let fields: Vec<String> = (row.iter())
            .map(|c| match c.is_text() && !raw {
                true => guard_formula(&c.text).into_owned(),
                false => c.text.clone(),
            })
            .collect();
        writer.write_record(&fields).unwrap();
        writer.into_inner().unwrap()
    }

    proptest! {
        #[test]
        fn rows_are_encoded_as_the_csv_crate_does(
            texts in proptest::collection::vec("[a-c,;\t\"\r\n =+@-]{0,6}", 1..5),
            tab in any::<bool>(),
            raw in any::<bool>(),
        ) {
            let delimiter = if tab { b'\t' } else { b',' };
            let row: Vec<Cell> = texts.into_iter().map(Cell::text).collect();
            let mut mine = Vec::new();
            encode_row(&mut mine, &row, delimiter, raw);
            prop_assert_eq!(mine, csv_crate(&row, delimiter, raw));
        }
    }
}
