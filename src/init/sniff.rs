//! Looking at an export before mapping it: its encoding (the same decoding
//! `tal` itself uses), delimiter, header line, a sample of its rows, the
//! decimal mark its numbers are written with and the format of its dates.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::input::{read, xlsx};
use crate::value::{self, DecimalMark};

/// Rows read for statistics: enough for any starter ICP, bounded for huge
/// exports.
const MAX_ROWS: usize = 100_000;

/// An export as `tal init` sees it.
#[derive(Debug)]
pub struct Sample {
    pub path: PathBuf,
    /// The lower-case encoding name.
    pub encoding: String,
    /// Found by detection (not UTF-8, no BOM): worth declaring in the spec.
    pub detected: bool,
    pub delimiter: u8,
    pub headers: Vec<String>,
    /// Data rows with as many cells as headers (blank and ragged rows left out).
    pub rows: Vec<csv::StringRecord>,
    pub decimal: DecimalMark,
    pub dates: Option<DateFormat>,
    /// A workbook: the sheet read, when it has others (the spec names it).
    pub sheet: Option<String>,
}

/// A non-ISO date format found in the cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateFormat {
    /// A chrono strftime pattern such as `%d/%m/%Y`.
    pub pattern: String,
    /// No day above 12 told day and month apart: the order is a guess.
    pub ambiguous: bool,
}

impl Sample {
    /// The non-empty cells of column `index`. `null` is empty too: API
    /// exports (Marketo's bulk extracts) write it for no value.
    pub fn cells(&self, index: usize) -> impl Iterator<Item = &str> {
        self.rows
            .iter()
            .filter_map(move |row| row.get(index).and_then(value::clean_text))
            .filter(|cell| !cell.eq_ignore_ascii_case("null"))
    }

    pub fn date_pattern(&self) -> Option<&str> {
        self.dates.as_ref().map(|d| d.pattern.as_str())
    }
}

/// Reads `path`, decoding it as `encoding` when given (else as `tal` would).
/// A workbook (`.xlsx`) is read as `tal` reads one: its first sheet, from
/// the header row down.
pub fn sample(path: &Path, encoding: Option<&'static encoding_rs::Encoding>) -> Result<Sample> {
    if crate::spec::is_workbook(path) {
        return workbook_sample(path);
    }
    let bytes =
        crate::file::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let has_bom = encoding_rs::Encoding::for_bom(&bytes).is_some();
    let utf8 = std::str::from_utf8(&bytes).is_ok();
    let (text, name) = read::decode(bytes, encoding).with_context(|| path.display().to_string())?;
    let delimiter = read::sniff_delimiter(&text);
    let (headers, rows) = records(&text, delimiter).with_context(|| path.display().to_string())?;
    let mut sample = Sample {
        path: path.to_path_buf(),
        encoding: name,
        detected: !has_bom && !utf8,
        delimiter,
        headers,
        rows,
        decimal: DecimalMark::Dot,
        dates: None,
        sheet: None,
    };
    sample.decimal = sniff_decimal(&sample);
    sample.dates = sniff_date_format(&sample);
    Ok(sample)
}

fn workbook_sample(path: &Path) -> Result<Sample> {
    let sheet = xlsx::read(path, None, &[], DecimalMark::Dot)
        .with_context(|| path.display().to_string())?;
    let (headers, rows) =
        records(&sheet.text.text, b',').with_context(|| path.display().to_string())?;
    let mut sample = Sample {
        path: path.to_path_buf(),
        encoding: "xlsx".to_string(),
        detected: false,
        delimiter: b',',
        headers,
        rows,
        decimal: DecimalMark::Dot,
        dates: None,
        sheet: (sheet.sheets.len() > 1).then_some(sheet.name),
    };
    sample.decimal = sniff_decimal(&sample);
    sample.dates = sniff_date_format(&sample);
    Ok(sample)
}

fn records(text: &str, delimiter: u8) -> Result<(Vec<String>, Vec<csv::StringRecord>)> {
    let mut rdr = read::reader(text, delimiter);
    let mut records = rdr.records();
    let headers: Vec<String> = match records.next() {
        Some(header) => header
            .context("cannot read the header line")?
            .iter()
            .map(|h| {
                h.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
                    .to_string()
            })
            .collect(),
        None => bail!("the file is empty: an export needs a header line naming its columns"),
    };
    let mut rows = Vec::new();
    for record in records.take(MAX_ROWS) {
        let record = record.context("cannot read the rows")?;
        // Extracts joined end to end repeat their header line.
        let repeated_header = record
            .iter()
            .map(str::trim)
            .eq(headers.iter().map(String::as_str));
        if record.len() == headers.len() && !read::is_blank(&record) && !repeated_header {
            rows.push(record);
        }
    }
    Ok((headers, rows))
}

// ------------------------------------------------------------------ decimal mark

/// The decimal mark that the numbers in the file vote for: `1.234,56` and
/// `3,5` vote comma; `1,234.56` and `95000.00` vote dot; `1,234` and `1.234`
/// are ambiguous. With ambiguous numbers only, a `;`-delimited file is taken
/// to come from a decimal-comma locale (that is why Excel wrote `;`).
pub fn sniff_decimal(sample: &Sample) -> DecimalMark {
    let (mut comma, mut dot, mut ambiguous) = (0usize, 0usize, 0usize);
    for row in &sample.rows {
        for cell in row.iter() {
            for vote in number_votes(cell) {
                match vote {
                    Some(DecimalMark::Comma) => comma += 1,
                    Some(DecimalMark::Dot) => dot += 1,
                    None => ambiguous += 1,
                }
            }
        }
    }
    if comma > dot || (comma == 0 && dot == 0 && ambiguous > 0 && sample.delimiter == b';') {
        DecimalMark::Comma
    } else {
        DecimalMark::Dot
    }
}

/// The votes of the numbers in a cell that reads as an amount (digits with
/// currency, a suffix, a range): `Some(mark)` for a telling number, `None`
/// for an ambiguous one. Dates, times, e-mails and words give no votes.
fn number_votes(cell: &str) -> Vec<Option<DecimalMark>> {
    let cell = cell.trim();
    if cell.contains(['/', ':', '@']) || !cell.bytes().any(|b| b.is_ascii_digit()) {
        return Vec::new();
    }
    let letters = cell.chars().filter(|c| c.is_alphabetic()).count();
    let amount_like = cell.chars().all(|c| {
        c.is_ascii_digit()
            || c.is_whitespace()
            || c.is_alphabetic()
            || ".,$€£¥￥₹元万亿%()+-–—".contains(c)
    });
    if !amount_like || letters > 6 {
        return Vec::new();
    }
    cell.split(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .map(|token| token.trim_matches(['.', ',']))
        .filter(|token| token.contains(['.', ',']))
        .filter_map(token_vote)
        .collect()
}

/// `Some(vote)` for a number token with marks; None (no vote) for a token
/// that is no number, such as `1.2.3`.
fn token_vote(token: &str) -> Option<Option<DecimalMark>> {
    let last = token.rfind(['.', ','])?;
    let mark = if token.as_bytes()[last] == b',' {
        DecimalMark::Comma
    } else {
        DecimalMark::Dot
    };
    let other = if mark == DecimalMark::Comma { '.' } else { ',' };
    let same_marks = token.matches(token.as_bytes()[last] as char).count();
    let tail = token.len() - last - 1;
    if token.contains(other) {
        // `1.234,56`: both marks, the last one is the decimal mark.
        return Some(Some(mark));
    }
    let groups_ok = token
        .split(token.as_bytes()[last] as char)
        .skip(1)
        .all(|g| g.len() == 3);
    match (same_marks, groups_ok) {
        // `1.234.567`: repeated marks in groups of three group thousands.
        (2.., true) => Some(Some(other_mark(mark))),
        (2.., false) => None,
        // `1,234`: either reading holds.
        (_, true) if tail == 3 => Some(None),
        // `3,5` or `95000.00`: a lone mark before other than three digits.
        _ => Some(Some(mark)),
    }
}

fn other_mark(mark: DecimalMark) -> DecimalMark {
    match mark {
        DecimalMark::Comma => DecimalMark::Dot,
        DecimalMark::Dot => DecimalMark::Comma,
    }
}

// ------------------------------------------------------------------ dates

/// A date written as three numbers, e.g. `15/03/2021` or `2021/03/15`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct DateShape {
    sep: char,
    year_first: bool,
    short_year: bool,
}

/// The format of the file's non-ISO dates, when it has any. The day comes
/// first when a first number is above 12, the month when a second one is;
/// when neither tells, decimal-comma and `;` files are taken as day first
/// (Europe, Latin America) and the others as month first (a US export).
pub fn sniff_date_format(sample: &Sample) -> Option<DateFormat> {
    let mut shapes: Vec<(DateShape, usize)> = Vec::new();
    let (mut first_over_12, mut second_over_12) = (false, false);
    for row in &sample.rows {
        for cell in row.iter() {
            let Some((shape, a, b)) = date_shape(cell.trim()) else {
                continue;
            };
            match shapes.iter_mut().find(|(s, _)| *s == shape) {
                Some((_, n)) => *n += 1,
                None => shapes.push((shape, 1)),
            }
            if !shape.year_first {
                first_over_12 |= a > 12;
                second_over_12 |= b > 12;
            }
        }
    }
    let Some(&(shape, _)) = shapes.iter().max_by_key(|(_, n)| *n) else {
        return month_name_format(sample);
    };
    let year = if shape.short_year { "%y" } else { "%Y" };
    let s = shape.sep;
    if shape.year_first {
        return Some(DateFormat {
            pattern: format!("%Y{s}%m{s}%d"),
            ambiguous: false,
        });
    }
    // Portuguese and Spanish headers ("Data do evento", "Fecha") come
    // from countries that write the day first.
    let latin = sample.headers.iter().any(|h| {
        let h = super::headers::fold(h);
        h.starts_with("data") || h.starts_with("fecha")
    });
    let day_first = match (first_over_12, second_over_12) {
        (true, false) => true,
        (false, true) => false,
        _ => sample.decimal == DecimalMark::Comma || sample.delimiter == b';' || latin,
    };
    let pattern = if day_first {
        format!("%d{s}%m{s}{year}")
    } else {
        format!("%m{s}%d{s}{year}")
    };
    Some(DateFormat {
        pattern,
        ambiguous: first_over_12 == second_over_12,
    })
}

/// Dates with English month names (`Nov 18, 2026 2:32 PM`, `18-Nov-2026`):
/// the pattern that reads most of them.
fn month_name_format(sample: &Sample) -> Option<DateFormat> {
    const PATTERNS: &[&str] = &[
        "%b %d, %Y",
        "%B %d, %Y",
        "%d-%b-%Y",
        "%d %b %Y",
        "%d %B %Y",
        "%d-%b-%y",
        "%b %d %Y",
    ];
    const MONTHS: &[&str] = &[
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let cells: Vec<&str> = sample
        .rows
        .iter()
        .flat_map(|row| row.iter())
        .map(str::trim)
        .filter(|c| c.len() <= 40 && c.bytes().any(|b| b.is_ascii_digit()))
        .filter(|c| {
            let lower = c.to_ascii_lowercase();
            MONTHS.iter().any(|m| lower.contains(m))
        })
        .take(2000)
        .collect();
    let parsed = |pattern: &&str| {
        cells
            .iter()
            .filter(|c| value::parse_date(c, Some(pattern)).is_some())
            .count()
    };
    // On a tie the earlier pattern wins: `%b` before `%B`, which reads both.
    let (_, best) = PATTERNS
        .iter()
        .enumerate()
        .max_by_key(|(i, p)| (parsed(p), std::cmp::Reverse(*i)))?;
    (parsed(best) * 2 > cells.len() && !cells.is_empty()).then(|| DateFormat {
        pattern: best.to_string(),
        ambiguous: false,
    })
}

/// The shape of a non-ISO date cell and its first two numbers.
fn date_shape(cell: &str) -> Option<(DateShape, u32, u32)> {
    if value::parse_date(cell, None).is_some() {
        return None;
    }
    let date = cell.split([' ', 'T']).next()?;
    let sep = date.chars().find(|c| ['/', '.', '-'].contains(c))?;
    let parts: Vec<&str> = date.split(sep).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let lens: Vec<usize> = parts.iter().map(|p| p.len()).collect();
    let numbers: Vec<u32> = parts.iter().map(|p| p.parse().unwrap_or(0)).collect();
    let shape = match lens.as_slice() {
        [4, 1..=2, 1..=2] => DateShape {
            sep,
            year_first: true,
            short_year: false,
        },
        [1..=2, 1..=2, 4] | [1..=2, 1..=2, 2] => DateShape {
            sep,
            year_first: false,
            short_year: lens[2] == 2,
        },
        _ => return None,
    };
    // A time may follow; anything else is not a date.
    let rest = &cell[date.len()..];
    if !rest.is_empty() && value::parse_date(&format!("2000-01-01{rest}"), None).is_none() {
        return None;
    }
    Some((shape, numbers[0], numbers[1]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_of(rows: &[&[&str]], delimiter: u8) -> Sample {
        Sample {
            path: PathBuf::new(),
            encoding: "utf-8".into(),
            detected: false,
            delimiter,
            headers: vec![],
            rows: rows
                .iter()
                .map(|r| csv::StringRecord::from(r.to_vec()))
                .collect(),
            decimal: DecimalMark::Dot,
            dates: None,
            sheet: None,
        }
    }

    #[test]
    fn numbers_vote_for_their_decimal_mark() {
        assert_eq!(number_votes("R$ 1.234,56"), vec![Some(DecimalMark::Comma)]);
        assert_eq!(number_votes("3,5 mi"), vec![Some(DecimalMark::Comma)]);
        assert_eq!(number_votes("$1,234.56"), vec![Some(DecimalMark::Dot)]);
        assert_eq!(number_votes("95000.00"), vec![Some(DecimalMark::Dot)]);
        assert_eq!(number_votes("4.620.000"), vec![Some(DecimalMark::Comma)]);
        assert_eq!(number_votes("1,234"), vec![None]);
        assert_eq!(number_votes("15/03/2021"), vec![]);
        assert_eq!(number_votes("Acme, Inc. since 1999"), vec![]);
        assert_eq!(number_votes("1.2.3"), vec![]);
    }

    #[test]
    fn decimal_comma_from_cells_or_from_a_semicolon_file() {
        let br = sample_of(&[&["x", "R$ 2,5 mi"], &["y", "1.234"]], b';');
        assert_eq!(sniff_decimal(&br), DecimalMark::Comma);
        let ambiguous = sample_of(&[&["1.234"]], b';');
        assert_eq!(sniff_decimal(&ambiguous), DecimalMark::Comma);
        let us = sample_of(&[&["1,234"], &["$1.2M"]], b',');
        assert_eq!(sniff_decimal(&us), DecimalMark::Dot);
    }

    #[test]
    fn date_order_from_values_over_12() {
        let dmy = sample_of(&[&["03/04/2021"], &["28/02/2020 10:00"]], b',');
        assert_eq!(sniff_date_format(&dmy).unwrap().pattern, "%d/%m/%Y");
        let mdy = sample_of(&[&["03/15/2023"], &["1/2/2024"]], b',');
        let found = sniff_date_format(&mdy).unwrap();
        assert_eq!(
            (found.pattern.as_str(), found.ambiguous),
            ("%m/%d/%Y", false)
        );
        let guess = sample_of(&[&["03.04.2021"]], b';');
        let found = sniff_date_format(&guess).unwrap();
        assert_eq!(
            (found.pattern.as_str(), found.ambiguous),
            ("%d.%m.%Y", true)
        );
        let ymd = sample_of(&[&["2024/11/20"]], b'\t');
        assert_eq!(sniff_date_format(&ymd).unwrap().pattern, "%Y/%m/%d");
        let names = sample_of(
            &[&["Nov 18, 2026 2:32 PM"], &["Dec 1, 2026"], &["Marketing"]],
            b',',
        );
        assert_eq!(sniff_date_format(&names).unwrap().pattern, "%b %d, %Y");
        let dashes = sample_of(&[&["18-Nov-2026"]], b',');
        assert_eq!(sniff_date_format(&dashes).unwrap().pattern, "%d-%b-%Y");
        let iso = sample_of(
            &[
                &["2024-11-20"],
                &["2024-11-20T10:00:00Z"],
                &["555-123-4567"],
            ],
            b',',
        );
        assert_eq!(sniff_date_format(&iso), None);
    }
}
