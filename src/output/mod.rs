//! Writing results: the TAL in every format, and where output goes.

pub mod format;
pub mod tal;
pub mod xlsx;

use std::borrow::Borrow;
use std::io::Write;

use anyhow::Result;
use serde_json::{Map, Value as Json};
use tabled::builder::Builder;
use tabled::settings::Style;

use tal::{Cell, TAL_COLUMNS};

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

/// Spreadsheet formula injection: text starting with = + - @ tab or CR
/// would run as a formula when the file is opened.
pub fn guard_formula(text: &str) -> std::borrow::Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}").into(),
        _ => text.into(),
    }
}

/// Writes rows under `columns` as csv or tsv (minimal quoting, `\n`).
pub fn write_delimited(
    out: &mut dyn Write,
    columns: &[&str],
    rows: impl IntoIterator<Item = impl Borrow<Vec<Cell>>>,
    delimiter: u8,
    raw: bool,
) -> Result<()> {
    let mut writer = delimited_writer(out, delimiter);
    writer.write_record(columns)?;
    for row in rows {
        write_row(&mut writer, row.borrow(), raw)?;
    }
    writer.flush()?;
    Ok(())
}

/// A csv writer with minimal quoting and `\n` line ends.
pub fn delimited_writer<W: Write>(out: W, delimiter: u8) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out)
}

/// One record, text cells guarded against formula injection unless `raw`.
pub fn write_row<W: Write>(writer: &mut csv::Writer<W>, row: &[Cell], raw: bool) -> Result<()> {
    for cell in row {
        if cell.is_text() && !raw {
            writer.write_field(guard_formula(&cell.text).as_bytes())?;
        } else {
            writer.write_field(cell.text.as_bytes())?;
        }
    }
    writer.write_record(None::<&[u8]>)?;
    Ok(())
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
