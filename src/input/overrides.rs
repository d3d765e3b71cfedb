//! The overrides file: manual pins sales and marketing agreed on
//! (columns domain, tier, owner, reason, expires). Rows are read as written;
//! `engine::overrides` decides which pins are active.

use std::path::Path;

use anyhow::{bail, Context, Result};

use super::read;

/// One row of the overrides file.
#[derive(Debug, Clone, Default)]
pub struct OverrideRow {
    pub line: u64,
    pub domain: String,
    pub tier: String,
    pub owner: String,
    pub reason: String,
    pub expires: String,
}

/// Reads the overrides file at `path`.
pub fn read_overrides(path: &Path) -> Result<Vec<OverrideRow>> {
    let bytes = crate::file::read(path).with_context(|| {
        format!(
            "{}: cannot read the overrides file ([overrides].path)",
            path.display()
        )
    })?;
    let (text, _) = read::decode(bytes, None).with_context(|| path.display().to_string())?;
    let delimiter = read::sniff_delimiter(&text);
    let mut rdr = read::reader(&text, delimiter);
    let mut record = csv::StringRecord::new();
    if !rdr.read_record(&mut record)? {
        return Ok(Vec::new());
    }
    let headers: Vec<String> = record
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    let column = |name: &str| read::find_column(&headers, name);
    let (Some(domain), Some(tier)) = (column("domain"), column("tier")) else {
        bail!("{}: the overrides file needs the columns domain and tier (and optionally owner, reason, expires); its headers are: {}", path.display(), headers.join(", "));
    };
    let (owner, reason, expires) = (column("owner"), column("reason"), column("expires"));
    let text_of = |record: &csv::StringRecord, i: Option<usize>| {
        i.and_then(|i| read::cell(record, i))
            .unwrap_or_default()
            .to_string()
    };
    let mut rows = Vec::new();
    loop {
        if !rdr
            .read_record(&mut record)
            .with_context(|| path.display().to_string())?
        {
            break;
        }
        let line = read::record_line(&text, &record);
        if read::is_blank(&record) {
            continue;
        }
        rows.push(OverrideRow {
            line,
            domain: text_of(&record, Some(domain)),
            tier: text_of(&record, Some(tier)),
            owner: text_of(&record, owner),
            reason: text_of(&record, reason),
            expires: text_of(&record, expires),
        });
    }
    Ok(rows)
}
