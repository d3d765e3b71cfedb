//! Parquet inputs (a `path` ending in `.parquet`): typed columns, read
//! directly, no sniffing. Each row is written as the CSV text every input
//! is read from, its values as `tal` reads them back exactly — numbers in
//! the shortest form that gives the same double, dates as ISO, bools as
//! true/false, lists (text) as they are — and reported under its `_row`
//! when the file has one (a `tal export` file has: the row of the export it
//! came from), else its position.

use std::fs::File;
use std::path::Path;

use anyhow::{Context, Result};
use polars::prelude::{AnyValue, DataType, ParquetReader, SerReader};

use super::read::Numbered;

/// The file's rows as numbered CSV text, header first.
pub fn read(path: &Path) -> Result<Numbered> {
    let file = File::open(path).context("cannot open it")?;
    let frame = ParquetReader::new(file)
        .finish()
        .context("cannot read it as Parquet")?;
    let names: Vec<String> = (frame.get_column_names().iter())
        .map(|n| n.to_string())
        .collect();
    let mut text = Numbered::default();
    text.push(1, &names)?;
    let row_column = frame
        .column("_row")
        .ok()
        .and_then(|c| c.cast(&DataType::Int64).ok());
    let columns = frame.columns();
    let mut cells: Vec<String> = vec![String::new(); columns.len()];
    for i in 0..frame.height() {
        for (cell, column) in cells.iter_mut().zip(columns) {
            cell.clear();
            write_value(cell, column.get(i)?);
        }
        let row = match &row_column {
            Some(rows) => match rows.get(i)? {
                AnyValue::Int64(row) if row > 0 => row as u64,
                _ => i as u64 + 1,
            },
            None => i as u64 + 1,
        };
        text.push(row, &cells)?;
    }
    Ok(text)
}

/// One value as the text `tal`'s lenient parsers read back to the same.
fn write_value(out: &mut String, value: AnyValue) {
    use std::fmt::Write;
    match value {
        AnyValue::Null => {}
        AnyValue::Boolean(b) => out.push_str(if b { "true" } else { "false" }),
        AnyValue::String(s) => out.push_str(s),
        AnyValue::StringOwned(s) => out.push_str(&s),
        AnyValue::Float64(n) => crate::format::write_number(out, n),
        AnyValue::Float32(n) => crate::format::write_number(out, n as f64),
        AnyValue::Date(days) => {
            let date = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)
                .and_then(|epoch| epoch.checked_add_signed(chrono::Duration::days(days as i64)));
            if let Some(date) = date {
                crate::format::write_date(out, date);
            }
        }
        other => {
            let _ = write!(out, "{other}");
        }
    }
}
