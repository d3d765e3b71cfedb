//! Reading a ticked order sheet back: csv (any encoding and delimiter a
//! spreadsheet saves) or a workbook (xlsx, xls, ods; the "Orders" sheet, else
//! the first), as a header row and data rows numbered as a spreadsheet shows
//! them.

use std::path::Path;

use anyhow::{bail, Context, Result};
use calamine::{open_workbook_auto, Data, Reader};

use crate::input::read::{decode, reader, record_line, sniff_delimiter};

/// One cell as the sheet holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Empty,
    Text(String),
    Bool(bool),
    Number(f64),
}

/// A sheet: its headers and its rows, each with its row number.
pub struct Sheet {
    pub headers: Vec<String>,
    pub rows: Vec<(u64, Vec<Value>)>,
}

impl Sheet {
    /// Row `r`'s cell under `col` (Empty past a short row's end).
    pub fn cell<'a>(&self, cells: &'a [Value], col: usize) -> &'a Value {
        cells.get(col).unwrap_or(&Value::Empty)
    }
}

pub fn read_sheet(path: &Path) -> Result<Sheet> {
    let bytes =
        crate::file::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let is_workbook =
        bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
    let sheet = if is_workbook {
        read_workbook(path)
    } else {
        read_csv(bytes)
    };
    sheet.with_context(|| format!("reading the order sheet {}", path.display()))
}

fn read_csv(bytes: Vec<u8>) -> Result<Sheet> {
    let (text, _) = decode(bytes, None)?;
    let mut rdr = reader(&text, sniff_delimiter(&text));
    let mut record = csv::StringRecord::new();
    if !rdr.read_record(&mut record)? {
        bail!("the file is empty: it needs the header line `tal orders template` writes");
    }
    let headers = record
        .iter()
        .map(|h| {
            h.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
                .to_string()
        })
        .collect();
    let mut rows = Vec::new();
    while rdr.read_record(&mut record)? {
        let cells = record
            .iter()
            .map(|c| match c.trim() {
                "" => Value::Empty,
                text => Value::Text(text.to_string()),
            })
            .collect();
        rows.push((record_line(&text, &record), cells));
    }
    Ok(Sheet { headers, rows })
}

fn read_workbook(path: &Path) -> Result<Sheet> {
    let mut workbook = open_workbook_auto(path)?;
    let names = workbook.sheet_names();
    let Some(name) = names
        .iter()
        .find(|n| n.eq_ignore_ascii_case("orders"))
        .or(names.first())
        .cloned()
    else {
        bail!("the workbook has no sheets");
    };
    let range = workbook.worksheet_range(&name)?;
    let first_row = range.start().map_or(0, |(row, _)| row as u64);
    let first_col = range.start().map_or(0, |(_, col)| col as usize);
    let mut rows = range.rows().enumerate().map(|(i, cells)| {
        // Keep columns where a spreadsheet shows them, even if column A is empty.
        let mut values = vec![Value::Empty; first_col];
        values.extend(cells.iter().map(value));
        (first_row + i as u64 + 1, values)
    });
    let Some((_, header)) = rows.next() else {
        bail!("the sheet '{name}' is empty: it needs the header row `tal orders template` writes");
    };
    let headers = header
        .into_iter()
        .map(|v| match v {
            Value::Text(text) => text,
            Value::Number(n) => crate::format::number(n),
            Value::Bool(b) => b.to_string(),
            Value::Empty => String::new(),
        })
        .collect();
    Ok(Sheet {
        headers,
        rows: rows.collect(),
    })
}

fn value(data: &Data) -> Value {
    match data {
        Data::Empty => Value::Empty,
        Data::Bool(b) => Value::Bool(*b),
        Data::Int(n) => Value::Number(*n as f64),
        Data::Float(n) => Value::Number(*n),
        Data::String(s) if s.trim().is_empty() => Value::Empty,
        Data::String(s) => Value::Text(s.trim().to_string()),
        other => Value::Text(other.to_string()),
    }
}
