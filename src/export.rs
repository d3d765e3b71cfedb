//! `tal export --parquet DIR` (SPEC-sql.md): every input's rows as `tal`
//! read them, one Parquet file per input (`DIR/<input>.parquet`), so that a
//! CSV user can load them into a warehouse and run `tal sql` there.
//!
//! Columns: `_row` (the data row, 1-based, in file order), `domain` (the
//! normalised key; null for a rejected row), one column per mapped field in
//! its type (number → Float64 in the field's unit, bool → Boolean, date →
//! Date, list → its items joined with `; `, text → String, trimmed, null
//! when empty), then `_bucket` and `_reason` (empty unless rejected). The
//! rows are logged by the readers themselves (`input::rows`), so a file's
//! buckets are `tal check`'s counts row by row.
//!
//! The overrides file, when the spec has one, becomes `overrides.parquet`:
//! `_row`, `domain` (normalised; null when it is no domain or the expiry
//! date does not parse, as such a pin is ignored), `tier`, `owner`,
//! `reason` and `expires` (Date).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::NaiveDate;
use polars::prelude::{Column as PColumn, DataFrame, DataType, NamedFrom, ParquetWriter, Series};

use crate::expr::Type;
use crate::file::AtomicFile;
use crate::format::join_into;
use crate::input::overrides::read_overrides;
use crate::input::{self, RowLog, Value};
use crate::spec::{Input, Spec};
use crate::value::{normalize_domain, parse_date};

/// A file written and how many rows it holds.
pub struct Written {
    pub path: PathBuf,
    pub rows: usize,
}

/// Writes the Parquet files of `spec`'s inputs (read as of `as_of`) into
/// `dir`.
pub fn parquet(spec: &Spec, as_of: NaiveDate, dir: &Path) -> Result<Vec<Written>> {
    if let Some(input) = spec.inputs.iter().find(|i| i.table.is_some()) {
        anyhow::bail!(
            "input '{}' is a warehouse table (table = \"{}\"): tal export writes the rows of export files, and that one is in the warehouse already",
            input.name,
            input.path_as_written
        );
    }
    let keep = input::Keep {
        rows: true,
        digests: false,
    };
    let loaded = input::load_keeping(spec, as_of, keep)?;
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the folder {}", dir.display()))?;
    let mut written = Vec::new();
    for (input, report) in spec.inputs.iter().zip(&loaded.reports) {
        let log = report.log.clone().unwrap_or_default();
        let mut frame = input_frame(input, &log).context("arranging the rows")?;
        let path = dir.join(format!("{}.parquet", input.name));
        write(&path, &mut frame)?;
        written.push(Written {
            path,
            rows: log.len(),
        });
    }
    if let Some(overrides) = &spec.overrides {
        let mut frame = overrides_frame(overrides).context("arranging the overrides")?;
        let path = dir.join("overrides.parquet");
        let rows = frame.height();
        write(&path, &mut frame)?;
        written.push(Written { path, rows });
    }
    Ok(written)
}

fn write(path: &Path, frame: &mut DataFrame) -> Result<()> {
    let mut file = AtomicFile::create(path)?;
    ParquetWriter::new(&mut file)
        .finish(frame)
        .with_context(|| format!("cannot write {}", path.display()))?;
    file.commit()
}

/// `_row`, `1..=n`.
fn row_numbers(n: usize) -> Series {
    Series::new("_row".into(), (1..=n as i64).collect::<Vec<_>>())
}

fn input_frame(input: &Input, log: &RowLog) -> Result<DataFrame> {
    let n = log.len();
    let mut columns: Vec<PColumn> = vec![row_numbers(n).into()];
    let domains: Vec<Option<&str>> = log.domains.iter().map(|d| d.as_deref()).collect();
    columns.push(Series::new("domain".into(), domains).into());
    for (k, field) in input.fields.iter().enumerate() {
        let values = log
            .values
            .iter()
            .map(|row| row.get(k).and_then(Option::as_ref));
        columns.push(field_series(&field.name, field.ty, values)?.into());
    }
    let buckets: Vec<&str> = log.buckets.iter().map(|b| b.name()).collect();
    columns.push(Series::new("_bucket".into(), buckets).into());
    let reasons: Vec<Option<&str>> = (log.reasons.iter())
        .map(|r| (!r.is_empty()).then_some(r.as_str()))
        .collect();
    columns.push(Series::new("_reason".into(), reasons).into());
    Ok(DataFrame::new(n, columns)?)
}

/// One field's values as a typed column.
fn field_series<'a>(
    name: &str,
    ty: Type,
    values: impl Iterator<Item = Option<&'a Value>>,
) -> Result<Series> {
    let name = name.into();
    Ok(match ty {
        Type::Number => {
            let v: Vec<Option<f64>> = values
                .map(|v| match v {
                    Some(Value::Number(n)) => Some(*n),
                    _ => None,
                })
                .collect();
            Series::new(name, v)
        }
        Type::Bool => {
            let v: Vec<Option<bool>> = values
                .map(|v| match v {
                    Some(Value::Bool(b)) => Some(*b),
                    _ => None,
                })
                .collect();
            Series::new(name, v)
        }
        Type::Date => {
            let v: Vec<Option<i32>> = values
                .map(|v| match v {
                    Some(Value::Date(d)) => Some(epoch_days(*d)),
                    _ => None,
                })
                .collect();
            Series::new(name, v).cast(&DataType::Date)?
        }
        Type::Text | Type::List => {
            let v: Vec<Option<String>> = values
                .map(|v| match v {
                    Some(Value::Text(t)) => Some(t.to_string()),
                    Some(Value::List(list)) => {
                        let mut text = String::new();
                        join_into(&mut text, list.items(), "; ");
                        Some(text)
                    }
                    _ => None,
                })
                .collect();
            Series::new(name, v)
        }
    })
}

fn epoch_days(date: NaiveDate) -> i32 {
    (date - NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()).num_days() as i32
}

fn overrides_frame(path: &Path) -> Result<DataFrame> {
    let rows = read_overrides(path)?;
    let n = rows.len();
    let text = |s: &str| (!s.is_empty()).then(|| s.to_string());
    let expires: Vec<Option<NaiveDate>> = (rows.iter())
        .map(|r| parse_date(&r.expires, None))
        .collect();
    // A pin whose expiry does not parse is ignored: no domain to pin.
    let domains: Vec<Option<String>> = (rows.iter().zip(&expires))
        .map(|(r, expires)| {
            let unreadable = !r.expires.trim().is_empty() && expires.is_none();
            normalize_domain(&r.domain).filter(|_| !unreadable)
        })
        .collect();
    let column = |name: &str, values: Vec<Option<String>>| -> PColumn {
        Series::new(name.into(), values).into()
    };
    let days: Vec<Option<i32>> = expires.iter().map(|d| d.map(epoch_days)).collect();
    let columns = vec![
        row_numbers(n).into(),
        column("domain", domains),
        column("tier", rows.iter().map(|r| text(&r.tier)).collect()),
        column("owner", rows.iter().map(|r| text(&r.owner)).collect()),
        column("reason", rows.iter().map(|r| text(&r.reason)).collect()),
        Series::new("expires".into(), days)
            .cast(&DataType::Date)?
            .into(),
    ];
    Ok(DataFrame::new(n, columns)?)
}
