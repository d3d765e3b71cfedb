//! How numbers, dates and counts are written in every output, and the
//! spreadsheet formula guard: one leaf module that input reading, the
//! engine, the writers and the report all use. [`people`] writes figures
//! for people to read (money, shares, ratios).

pub mod markdown;
mod people;
pub mod terminal;
pub mod toml;

use std::fmt::Write;

pub use people::{amount, money, nice, or_dash, percent, ratio};

/// Half away from zero at `decimals` places, as SPEC.md rounds every signal.
pub fn round(value: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    let rounded = (value * scale).round() / scale;
    if rounded.is_finite() {
        rounded + 0.0 // no negative zero
    } else {
        value
    }
}

/// Whole numbers without decimals, others as written by the shortest
/// round-trip form (`120000`, `12345.5`).
pub fn number(value: f64) -> String {
    let mut out = String::new();
    write_number(&mut out, value);
    out
}

/// [`number`], appended to `out` (no allocation per value when a million
/// rows are written).
pub fn write_number(out: &mut String, value: f64) {
    if value == value.trunc() && value.abs() < 1e15 {
        if value < 0.0 {
            out.push('-');
        }
        write_whole(out, value.abs() as u64, 1);
    } else {
        let _ = write!(out, "{value}");
    }
}

/// `n` in decimal with at least `width` digits (zeros in front), appended
/// to `out`. The formatter's machinery, called a dozen times per row,
/// showed in the profile of writing a million rows.
pub fn write_whole(out: &mut String, mut n: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut start = digits.len();
    while n > 0 || start == digits.len() {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    for _ in digits.len() - start..width {
        out.push('0');
    }
    for &digit in &digits[start..] {
        out.push(digit as char);
    }
}

/// `YYYY-MM-DD`, as chrono displays a date, appended to `out`.
pub fn write_date(out: &mut String, date: chrono::NaiveDate) {
    use chrono::Datelike;
    match u64::try_from(date.year()) {
        Ok(year) if year <= 9999 => {
            write_whole(out, year, 4);
            out.push('-');
            write_whole(out, u64::from(date.month()), 2);
            out.push('-');
            write_whole(out, u64::from(date.day()), 2);
        }
        _ => {
            let _ = write!(out, "{date}");
        }
    }
}

/// A number with exactly `decimals` places (the value is rounded first).
///
/// Written from the rounded whole number of units (`31.2` at 2 places is
/// 3120 hundredths, so "31.20"): the same text as formatting the rounded
/// float with `{:.2}`, without the float formatter's slow exact path, which
/// showed in the profile of writing a million rows.
pub fn fixed(value: f64, decimals: usize) -> String {
    let mut out = String::new();
    write_fixed(&mut out, value, decimals);
    out
}

/// [`fixed`], appended to `out`.
pub fn write_fixed(out: &mut String, value: f64, decimals: usize) {
    let places = decimals.min(9) as u32;
    let units = (value * 10f64.powi(places as i32)).round();
    if decimals > 9 || !units.is_finite() || units.abs() >= 1e15 {
        let _ = write!(out, "{:.*}", decimals, round(value, decimals as i32));
        return;
    }
    if units < 0.0 {
        out.push('-');
    }
    let units = units.abs() as u64;
    if places == 0 {
        write_whole(out, units, 1);
    } else {
        let scale = 10u64.pow(places);
        write_whole(out, units / scale, 1);
        out.push('.');
        write_whole(out, units % scale, decimals);
    }
}

/// `items` joined by `separator`, appended to `out`.
pub fn join_into<S: AsRef<str>>(
    out: &mut String,
    items: impl IntoIterator<Item = S>,
    separator: &str,
) {
    for (n, item) in items.into_iter().enumerate() {
        if n > 0 {
            out.push_str(separator);
        }
        out.push_str(item.as_ref());
    }
}

/// Thousands separators on a count: `1,360,000`.
pub fn count(value: usize) -> String {
    group(value as u64)
}

/// `1360000` → `1,360,000`.
pub fn group(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Spreadsheet formula injection: text starting with = + - @ tab or CR
/// would run as a formula when the file is opened.
pub fn guard_formula(text: &str) -> std::borrow::Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}").into(),
        _ => text.into(),
    }
}

/// [`guard_formula`] undone: a cell `tal` (or anyone) guarded reads as
/// the value it stands for, so `'=x` and `=x` are the same value.
pub fn unguard_formula(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_formula_guard_comes_off_as_it_went_on() {
        for text in ["=1+1", "+x", "-3", "@sum", "\tx", "plain", "'quoted", ""] {
            assert_eq!(unguard_formula(&guard_formula(text)), text);
        }
        assert_eq!(unguard_formula("'=x"), "=x");
        assert_eq!(unguard_formula("'x"), "'x");
    }

    #[test]
    fn rounds_half_away_from_zero() {
        assert_eq!(round(2.5, 0), 3.0);
        assert_eq!(round(-2.5, 0), -3.0);
        assert_eq!(round(6.25, 1), 6.3);
        assert_eq!(round(0.125, 2), 0.13);
        assert_eq!(round(-0.04, 1), 0.0);
        assert_eq!(fixed(-0.04, 1), "0.0");
    }

    proptest::proptest! {
        /// Whole numbers, padded or not, and dates: the formatter's text.
        #[test]
        fn digits_as_the_formatter_writes_them(
            n in proptest::prelude::any::<u64>(),
            width in 0usize..24,
            whole in -1e15f64..1e15,
            day in -800_000i32..3_000_000,
        ) {
            let mut out = String::new();
            write_whole(&mut out, n, width);
            proptest::prop_assert_eq!(out, format!("{n:0width$}"));
            let whole = whole.trunc();
            proptest::prop_assert_eq!(number(whole), format!("{}", whole as i64));
            if let Some(date) = chrono::NaiveDate::from_num_days_from_ce_opt(day) {
                let mut out = String::new();
                write_date(&mut out, date);
                proptest::prop_assert_eq!(out, date.to_string());
            }
        }

        /// The same text as formatting the rounded value.
        #[test]
        fn fixed_places_are_the_rounded_value(
            value in -1e9f64..1e9,
            whole in -100_000i64..100_000,
            decimals in 0usize..4,
        ) {
            for value in [value, whole as f64 / 100.0, whole as f64 / 8.0] {
                let expected = format!("{:.*}", decimals, round(value, decimals as i32));
                proptest::prop_assert_eq!(fixed(value, decimals), expected);
            }
        }
    }

    #[test]
    fn writes_whole_numbers_without_decimals() {
        assert_eq!(number(120000.0), "120000");
        assert_eq!(number(12345.5), "12345.5");
        assert_eq!(number(-0.0), "0");
        assert_eq!(fixed(31.2, 2), "31.20");
        assert_eq!(fixed(82.0, 1), "82.0");
    }
}
