//! Lenient numbers (SPEC.md "Numbers"): marks, currencies, suffixes and ranges.

use std::borrow::Cow;
use std::ops::Range;

use super::{clean_text, DecimalMark};

/// Currency symbols and codes dropped at either end of a number; longer
/// tokens first so that `US$` is not read as `$`. Codes match in any case.
const CURRENCIES: &[&str] = &[
    "US$", "R$", "USD", "EUR", "BRL", "GBP", "CNY", "RMB", "$", "€", "£", "¥", "￥", "₹", "元",
];

/// Magnitude suffixes (any case) and their powers of ten. Words come before
/// the abbreviations, and longer before shorter, so the longest match wins.
const SUFFIXES: &[(&str, i32)] = &[
    ("thousands", 3),
    ("thousand", 3),
    ("millions", 6),
    ("million", 6),
    ("milhões", 6),
    ("milhoes", 6),
    ("milhão", 6),
    ("milhao", 6),
    ("millones", 6),
    ("millón", 6),
    ("millon", 6),
    ("billions", 9),
    ("billion", 9),
    ("bilhões", 9),
    ("bilhoes", 9),
    ("bilhão", 9),
    ("bilhao", 9),
    ("mil", 3),
    ("mm", 6),
    ("mi", 6),
    ("bn", 9),
    ("bi", 9),
    ("k", 3),
    ("m", 6),
    ("b", 9),
    ("万", 4),
    ("亿", 8),
];

/// Characters that separate a range's ends: hyphen, en dash, em dash.
const RANGE_DASHES: [char; 3] = ['-', '–', '—'];

/// Lenient number per SPEC.md "Numbers"; None when unparseable (and for empty
/// input: callers tell empty from unparseable with [`clean_text`]).
///
/// Decisions where SPEC.md is silent:
/// - a grouping mark needs a leading group that is not `0` (`0,500` is 0.5:
///   nobody groups the thousands of zero);
/// - space grouping, like the grouping mark, takes exactly three digits;
/// - scientific notation (`1.5E+06`, as Excel writes big numbers) is read;
/// - `−` (U+2212) is a minus sign and `％` a percent sign;
/// - in a range whose right end alone has a suffix, the suffix applies to the
///   left end too when that keeps the ends in order (`10-50M` is 10M–50M, but
///   `500-1K` is 500–1000);
/// - a negative zero is returned as 0.
pub fn parse_number(raw: &str, decimal: DecimalMark) -> Option<f64> {
    let s = clean_text(raw)?;
    if let Some(v) = parse_plain_fast(s, decimal) {
        return Some(v);
    }
    let value = match parse_amount(s, decimal) {
        Some(a) => a.value(a.suffix.unwrap_or(0)),
        None => match s.strip_suffix('+') {
            // `10,001+`: an open-ended band is its lower bound.
            Some(rest) => parse_amount(rest, decimal).and_then(|a| a.value(a.suffix.unwrap_or(0))),
            None => parse_range(s, decimal),
        },
    }?;
    // `+ 0.0` turns -0.0 into 0.0 and leaves every other value alone.
    value.is_finite().then_some(value + 0.0)
}

/// Most cells are plain (`1234`, `-5`, `1234567.0`): read them without
/// allocating. Same result as the full path (both are correctly rounded).
fn parse_plain_fast(s: &str, decimal: DecimalMark) -> Option<f64> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let dots = digits.bytes().filter(|&b| b == b'.').count();
    let plain = digits.bytes().any(|b| b.is_ascii_digit())
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && (dots == 0 || (dots == 1 && decimal == DecimalMark::Dot));
    if !plain {
        return None;
    }
    let v: f64 = s.parse().ok()?;
    v.is_finite().then_some(v + 0.0)
}

/// One number as written: sign, digits, scientific exponent and suffix.
struct Amount<'a> {
    negative: bool,
    int: Cow<'a, str>,
    frac: &'a str,
    exponent: i32,
    suffix: Option<i32>,
}

impl Amount<'_> {
    /// The value with `scale` (a power of ten, from a suffix) applied. Built
    /// as a decimal string and parsed once, so `$1.2M` is exactly 1200000.
    fn value(&self, scale: i32) -> Option<f64> {
        let exp = self.exponent.checked_add(scale)?;
        let int = if self.int.is_empty() { "0" } else { &self.int };
        let frac = if self.frac.is_empty() { "0" } else { self.frac };
        let v: f64 = format!("{int}.{frac}e{exp}").parse().ok()?;
        let v = if self.negative { -v } else { v };
        v.is_finite().then_some(v)
    }
}

/// `201-500`, `$10M-$50M`, `1,001 – 5,000`: the midpoint, rounded down when
/// both ends are whole. The first dash (not at the start) that splits the
/// text into two numbers wins, so `-5-10` and `10--5` work.
fn parse_range(s: &str, decimal: DecimalMark) -> Option<f64> {
    // Each end has at most two dashes (`-1.5e-3`), so a range at most five:
    // with more, no cut can give two numbers, and trying every dash (each
    // try reads both ends) would take time quadratic in the cell's length.
    if s.chars().filter(|c| RANGE_DASHES.contains(c)).count() > 5 {
        return None;
    }
    for (i, dash) in s.char_indices().filter(|(_, c)| RANGE_DASHES.contains(c)) {
        if i == 0 {
            continue;
        }
        let (left, right) = (&s[..i], &s[i + dash.len_utf8()..]);
        let (Some(a), Some(b)) = (parse_amount(left, decimal), parse_amount(right, decimal)) else {
            continue;
        };
        let b_scale = b.suffix.unwrap_or(0);
        let a_scale = match a.suffix {
            Some(scale) => scale,
            // `10-50M` means 10M-50M; `500-1K` means 500-1000.
            None if b.suffix.is_some() && a.value(0)? <= b.value(0)? => b_scale,
            None => 0,
        };
        let (lo, hi) = (a.value(a_scale)?, b.value(b_scale)?);
        let mid = (lo + hi) / 2.0;
        return Some(if lo.fract() == 0.0 && hi.fract() == 0.0 {
            mid.floor()
        } else {
            mid
        });
    }
    None
}

/// One number, no range: `(R$ 1.234,56)`, `-$1.2M`, `5万元`, `12%`, `1.5E+06`.
fn parse_amount(s: &str, decimal: DecimalMark) -> Option<Amount<'_>> {
    let mut s = strip_currency(s.trim());
    let mut negative = false;
    if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        negative = true;
        s = strip_currency(inner.trim());
    }
    if let Some(rest) = s.strip_prefix(['-', '−', '+']) {
        if negative {
            return None; // `(-5)`: a sign inside accounting parentheses
        }
        negative = !s.starts_with('+');
        s = strip_currency(rest.trim_start());
    }
    if let Some(rest) = s.strip_suffix(['%', '％']) {
        s = rest.trim_end();
    }
    let mut suffix = None;
    for (word, scale) in SUFFIXES {
        if let Some(rest) = strip_word_suffix(s, word) {
            suffix = Some(*scale);
            s = rest.trim_end();
            break;
        }
    }
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], parse_exponent(&s[i + 1..])?),
        None => (s, 0),
    };
    let (int, frac) = parse_digits(mantissa, decimal)?;
    Some(Amount {
        negative,
        int,
        frac,
        exponent,
        suffix,
    })
}

/// `+06`, `-3`, `12`: a scientific exponent of at most four digits.
fn parse_exponent(s: &str) -> Option<i32> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    let ok = (1..=4).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| s.parse().ok()).flatten()
}

/// Drops currency symbols and codes (and the spaces next to them) at both ends.
fn strip_currency(mut s: &str) -> &str {
    // No currency begins or ends with a digit: most ends are one.
    let digit = |b: Option<&u8>| b.is_some_and(u8::is_ascii_digit);
    loop {
        let before = s.len();
        if !digit(s.as_bytes().first()) {
            if let Some(rest) = CURRENCIES.iter().find_map(|c| strip_prefix_ci(s, c)) {
                s = rest.trim_start();
            }
        }
        if !digit(s.as_bytes().last()) {
            if let Some(rest) = CURRENCIES.iter().find_map(|c| strip_suffix_ci(s, c)) {
                s = rest.trim_end();
            }
        }
        if s.len() == before {
            return s;
        }
    }
}

fn strip_prefix_ci<'a>(s: &'a str, token: &str) -> Option<&'a str> {
    let head = s.get(..token.len())?;
    head.eq_ignore_ascii_case(token).then(|| &s[token.len()..])
}

/// `s` without the suffix `word` (lower-case), matched in any case, accented
/// letters included (`MILHÕES`).
fn strip_word_suffix<'a>(s: &'a str, word: &str) -> Option<&'a str> {
    if word.is_ascii() {
        return strip_suffix_ci(s, word);
    }
    let chars = word.chars().count();
    let (cut, _) = s.char_indices().rev().nth(chars - 1)?;
    // `tail.to_lowercase() == word`, without the copy: no word has a
    // sigma, the one letter `to_lowercase` treats by its context.
    let tail = s[cut..].chars().flat_map(char::to_lowercase);
    tail.eq(word.chars()).then(|| &s[..cut])
}

fn strip_suffix_ci<'a>(s: &'a str, token: &str) -> Option<&'a str> {
    let cut = s.len().checked_sub(token.len())?;
    let tail = s.get(cut..)?;
    tail.eq_ignore_ascii_case(token).then(|| &s[..cut])
}

/// A mark between digit runs in the body of a number.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    Decimal,
    Group,
    Space,
}

/// The digits of a plain number (`1,234.56`, `1.234,56`, `1 234`, `.5`) as
/// (integer digits, fraction digits), following SPEC's mark rules: at most one
/// decimal mark, and it comes last; every grouping mark (and space) is
/// followed by exactly three digits; a lone grouping mark that cannot group
/// is the decimal mark (`3,5` is 3.5 by default, `1.5` with `decimal=","`).
/// The integer digits are a slice of `s` unless grouping marks cut them.
fn parse_digits(s: &str, decimal: DecimalMark) -> Option<(Cow<'_, str>, &str)> {
    let (dec, grp) = decimal.chars();
    // The digits before the first mark end at `first`; each mark starts a
    // run of the digits after it, up to the next mark.
    let mut first = s.len();
    let mut runs: Vec<(Mark, Range<usize>)> = Vec::new();
    for (at, ch) in s.char_indices() {
        let mark = match ch {
            '0'..='9' => continue,
            c if c == dec => Mark::Decimal,
            c if c == grp => Mark::Group,
            ' ' | '\u{a0}' | '\u{202f}' => Mark::Space,
            _ => return None,
        };
        match runs.last_mut() {
            Some((_, run)) => run.end = at,
            None => first = at,
        }
        let from = at + ch.len_utf8();
        runs.push((mark, from..s.len()));
    }
    let digits = |run: &Range<usize>| &s[run.clone()];
    let count = |m: Mark| runs.iter().filter(|(k, _)| *k == m).count();
    // Grouping needs a real leading group: digits, not starting with 0.
    let lead = &s[..first];
    let can_lead = !lead.is_empty() && !lead.starts_with('0');
    let decimal_at = match (count(Mark::Decimal), count(Mark::Group)) {
        (0, 1) => {
            let i = runs.iter().position(|(k, _)| *k == Mark::Group)?;
            let groups = can_lead && runs[i].1.len() == 3;
            (!groups).then_some(i)
        }
        (0, _) => None,
        (1, _) => runs.iter().position(|(k, _)| *k == Mark::Decimal),
        _ => return None,
    };
    let groups_end = decimal_at.unwrap_or(runs.len());
    if decimal_at.is_some_and(|d| d + 1 != runs.len()) {
        return None; // a mark after the decimal mark
    }
    if groups_end > 0 && !can_lead {
        return None;
    }
    let groups = &runs[..groups_end];
    if groups.iter().any(|(_, run)| run.len() != 3) {
        return None;
    }
    let int = match groups {
        [] => Cow::Borrowed(lead),
        _ => Cow::Owned(
            lead.to_string()
                + &groups
                    .iter()
                    .map(|(_, run)| digits(run))
                    .collect::<String>(),
        ),
    };
    let frac = decimal_at.map_or("", |d| digits(&runs[d].1));
    (!int.is_empty() || !frac.is_empty()).then_some((int, frac))
}

#[cfg(test)]
mod tests {
    use super::DecimalMark::{Comma, Dot};
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn numbers_default_decimal_dot() {
        let cases: &[(&str, Option<f64>)] = &[
            ("1234", Some(1234.0)),
            ("1,234", Some(1234.0)),
            ("1 234", Some(1234.0)),
            ("1\u{a0}234", Some(1234.0)),
            ("1\u{202f}234\u{202f}567", Some(1234567.0)),
            ("$1.2M", Some(1_200_000.0)),
            ("€ 3,5 mi", Some(3_500_000.0)),
            ("5K", Some(5000.0)),
            ("5k", Some(5000.0)),
            ("1.5B", Some(1_500_000_000.0)),
            ("2bn", Some(2e9)),
            ("2 BN", Some(2e9)),
            ("R$ 2 bi", Some(2e9)),
            ("500 mil", Some(500_000.0)),
            ("500 MIL", Some(500_000.0)),
            ("3 mm", Some(3e6)),
            ("5万", Some(50_000.0)),
            ("3亿", Some(300_000_000.0)),
            // number words (the Inc. 5000 writes every revenue so)
            ("36.9 Million", Some(36_900_000.0)),
            ("$36.9 Million", Some(36_900_000.0)),
            ("2 Billion", Some(2e9)),
            ("1.2 billions", Some(1_200_000_000.0)),
            ("5 thousand", Some(5000.0)),
            ("5 Thousands", Some(5000.0)),
            ("12million", Some(12_000_000.0)),
            ("1,5 milhões", Some(1_500_000.0)),
            ("1,5 MILHÕES", Some(1_500_000.0)),
            ("2 milhao", Some(2_000_000.0)),
            ("1 milhão", Some(1_000_000.0)),
            ("R$ 3 bilhões", Some(3e9)),
            ("3 bilhoes", Some(3e9)),
            ("1 bilhão", Some(1e9)),
            ("3 millones", Some(3_000_000.0)),
            ("1 millón", Some(1_000_000.0)),
            ("1 MILLON", Some(1_000_000.0)),
            ("$10 Million - $50 Million", Some(30_000_000.0)),
            ("10-50 million", Some(30_000_000.0)),
            ("(1,000)", Some(-1000.0)),
            ("12%", Some(12.0)),
            ("12.5 %", Some(12.5)),
            ("12％", Some(12.0)),
            ("-5", Some(-5.0)),
            ("+5", Some(5.0)),
            ("−5", Some(-5.0)),
            ("- 5", Some(-5.0)),
            (".5", Some(0.5)),
            ("0", Some(0.0)),
            ("-0", Some(0.0)),
            ("007", Some(7.0)),
            ("1.", Some(1.0)),
            ("3,5", Some(3.5)),
            ("1,23", Some(1.23)),
            ("1,234,567", Some(1_234_567.0)),
            ("1,234.56", Some(1234.56)),
            ("1.234", Some(1.234)),
            ("1234,567", Some(1_234_567.0)),
            ("0,500", Some(0.5)),
            (",5", Some(0.5)),
            ("1 234,5", Some(1234.5)),
            ("1 234.5", Some(1234.5)),
            // Salesforce, HubSpot, Excel
            ("$1,234,567.00", Some(1_234_567.0)),
            ("1234567.0", Some(1_234_567.0)),
            ("USD 1,234,567.00", Some(1_234_567.0)),
            ("1,234,567.00 USD", Some(1_234_567.0)),
            ("usd1000", Some(1000.0)),
            ("US$ 3.5 M", Some(3_500_000.0)),
            ("us$3.5m", Some(3_500_000.0)),
            ("$2.50B", Some(2_500_000_000.0)),
            ("$5K", Some(5000.0)),
            ("1.23E+09", Some(1_230_000_000.0)),
            ("1.5e6", Some(1_500_000.0)),
            ("5e-3", Some(0.005)),
            // accounting negatives
            ("($1,000.00)", Some(-1000.0)),
            ("$(1,000.00)", Some(-1000.0)),
            ("(1,000) USD", Some(-1000.0)),
            ("-$1.2M", Some(-1_200_000.0)),
            ("$-1.2M", Some(-1_200_000.0)),
            ("(12%)", Some(-12.0)),
            // currencies at either end
            ("£1,000", Some(1000.0)),
            ("¥1,000", Some(1000.0)),
            ("￥1,000", Some(1000.0)),
            ("₹1,000", Some(1000.0)),
            ("1000€", Some(1000.0)),
            ("EUR 1,000", Some(1000.0)),
            ("1,000 eur", Some(1000.0)),
            ("GBP 5", Some(5.0)),
            ("5 gbp", Some(5.0)),
            ("BRL 5", Some(5.0)),
            ("CNY 5", Some(5.0)),
            ("RMB 5万", Some(50_000.0)),
            // Chinese exports
            ("5万元", Some(50_000.0)),
            ("5,000万元", Some(50_000_000.0)),
            ("1.2亿", Some(120_000_000.0)),
            ("1.2亿元", Some(120_000_000.0)),
            ("¥3.5亿", Some(350_000_000.0)),
            ("元5", Some(5.0)),
            // ranges
            ("201-500", Some(350.0)),
            ("1-10", Some(5.0)),
            ("11-50", Some(30.0)),
            ("1,001-5,000", Some(3000.0)),
            ("5,001-10,000", Some(7500.0)),
            ("201 - 500", Some(350.0)),
            ("201–500", Some(350.0)),
            ("201 — 500", Some(350.0)),
            ("$10M-$50M", Some(30_000_000.0)),
            ("$10M - $50M", Some(30_000_000.0)),
            ("$1M-$5M", Some(3_000_000.0)),
            ("10-50M", Some(30_000_000.0)),
            ("$500K-$1M", Some(750_000.0)),
            ("500-1K", Some(750.0)),
            ("1.5-2.25", Some(1.875)),
            ("1-2.5", Some(1.75)),
            ("5-10万", Some(75_000.0)),
            ("10-20%", Some(15.0)),
            ("-5-10", Some(2.0)),
            ("10--5", Some(2.0)),
            ("10,001+", Some(10_001.0)),
            ("5,000+", Some(5000.0)),
            ("$10B+", Some(10e9)),
            // unparseable
            ("", None),
            ("   ", None),
            ("n/a", None),
            ("N/A", None),
            ("abc", None),
            ("--", None),
            ("-", None),
            ("—", None),
            ("1.2.3", None),
            ("12abc", None),
            ("1.234,56", None),
            ("1,2,3", None),
            ("1,234,56", None),
            ("12 34", None),
            ("1  234", None),
            ("$", None),
            ("%", None),
            ("()", None),
            ("(5", None),
            ("(-5)", None),
            ("k", None),
            ("5kk", None),
            ("1mmm", None),
            ("5 mn", None),
            ("Million", None),
            ("5 millionen", None),
            ("5 thousand million", None),
            ("2025-01-31", None),
            ("1-2-3", None),
            ("10-20+", None),
            ("1,00,000", None),
            ("5e", None),
            ("1e99999", None),
            ("inf", None),
            ("NaN", None),
            ("1e400", None),
            ("0x10", None),
            ("5 人民币", None),
            ("1.5.", None),
            ("., ", None),
            (".", None),
        ];
        for (raw, want) in cases {
            assert_eq!(parse_number(raw, Dot), *want, "{raw:?}");
        }
    }

    #[test]
    fn numbers_decimal_comma() {
        let cases: &[(&str, Option<f64>)] = &[
            ("1.234", Some(1234.0)),
            ("3,5", Some(3.5)),
            ("1.234.567,89", Some(1_234_567.89)),
            ("R$ 1.234.567,89", Some(1_234_567.89)),
            ("R$1.234,56", Some(1234.56)),
            ("r$ 1.234,56", Some(1234.56)),
            ("-R$ 1.234,56", Some(-1234.56)),
            ("(R$ 1.234,56)", Some(-1234.56)),
            ("1,5 mi", Some(1_500_000.0)),
            ("€3,5 mi", Some(3_500_000.0)),
            ("R$ 2,5 bi", Some(2_500_000_000.0)),
            ("500 mil", Some(500_000.0)),
            ("1,5 mil", Some(1500.0)),
            ("1.5", Some(1.5)),
            ("1.2345", Some(1.2345)),
            ("1.234,56", Some(1234.56)),
            ("1 234,56", Some(1234.56)),
            ("1\u{a0}234,56", Some(1234.56)),
            ("12,5%", Some(12.5)),
            ("0,5", Some(0.5)),
            (",5", Some(0.5)),
            ("1.001-5.000", Some(3000.0)),
            ("10.001+", Some(10_001.0)),
            ("1,23E+09", Some(1_230_000_000.0)),
            ("1.234", Some(1234.0)),
            ("1234", Some(1234.0)),
            // unparseable
            ("1,234.56", None),
            ("1,2,3", None),
            ("1.2.3", None),
            ("1.234.56", None),
        ];
        for (raw, want) in cases {
            assert_eq!(parse_number(raw, Comma), *want, "{raw:?}");
        }
    }

    /// Regression (found by fuzz/, the values and expr targets): a cell
    /// of many dashes was tried as a range at every dash, each try reading
    /// both ends: 10,000 dashes took seconds, a long cell minutes.
    #[test]
    fn a_cell_of_dashes_is_no_range_and_is_read_in_linear_time() {
        let cell = format!("20250{}", "-".repeat(50_000));
        let start = std::time::Instant::now();
        assert_eq!(parse_number(&cell, DecimalMark::Dot), None);
        assert!(start.elapsed() < std::time::Duration::from_secs(2));
        // Five dashes are still a range: a sign and an exponent's sign at
        // each end, and the dash between them.
        assert_eq!(parse_number("-1e-3--2e-3", DecimalMark::Dot), Some(-0.0015));
        assert_eq!(parse_number("-1e-3---2e-3", DecimalMark::Dot), None);
    }

    #[test]
    fn suffix_scaling_is_exact() {
        // 1.2 * 1e6 in f64 is 1199999.9999999998: the parser must not multiply.
        let cases = [
            ("$1.2M", 1_200_000.0),
            ("0.1k", 100.0),
            ("1.1B", 1_100_000_000.0),
            ("2.3万", 23_000.0),
            ("0.7亿", 70_000_000.0),
            ("4.35 mi", 4_350_000.0),
            ("$1.3M-$1.7M", 1_500_000.0),
        ];
        for (raw, want) in cases {
            assert_eq!(parse_number(raw, Dot), Some(want), "{raw:?}");
        }
        assert_eq!(parse_number("€3,3 mi", Comma), Some(3_300_000.0));
    }

    fn group(n: i64, sep: char) -> String {
        let digits = n.unsigned_abs().to_string();
        let mut out = String::new();
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(sep);
            }
            out.push(ch);
        }
        if n < 0 {
            format!("-{out}")
        } else {
            out
        }
    }

    proptest! {
        #[test]
        fn grouped_integers_round_trip(n in -999_999_999_999_999i64..=999_999_999_999_999) {
            let want = Some(n as f64);
            prop_assert_eq!(parse_number(&group(n, ','), Dot), want);
            prop_assert_eq!(parse_number(&group(n, '.'), Comma), want);
            prop_assert_eq!(parse_number(&group(n, ' '), Dot), want);
            prop_assert_eq!(parse_number(&group(n, '\u{a0}'), Comma), want);
            prop_assert_eq!(parse_number(&n.to_string(), Dot), want);
        }

        #[test]
        fn displayed_floats_round_trip(x in proptest::num::f64::NORMAL | proptest::num::f64::ZERO) {
            prop_assert_eq!(parse_number(&x.to_string(), Dot), Some(x + 0.0));
            let comma = x.to_string().replace('.', ",");
            prop_assert_eq!(parse_number(&comma, Comma), Some(x + 0.0));
        }

        #[test]
        fn fast_path_agrees_with_full_path(s in "-?[0-9]{0,20}(\\.[0-9]{0,20})?") {
            for dec in [Dot, Comma] {
                let full = parse_amount(&s, dec).and_then(|a| a.value(0)).map(|v| v + 0.0);
                prop_assert_eq!(parse_number(&s, dec), full);
            }
        }

        #[test]
        fn parse_number_never_panics(s in "\\PC*") {
            let _ = parse_number(&s, Dot);
            let _ = parse_number(&s, Comma);
        }

        #[test]
        fn parse_number_never_panics_on_number_like(s in "[-–—+()$€R¥万亿元%kKmMbBiIlnNeE0-9., \u{a0}]{0,16}") {
            for dec in [Dot, Comma] {
                if let Some(v) = parse_number(&s, dec) {
                    prop_assert!(v.is_finite());
                }
            }
        }
    }
}
