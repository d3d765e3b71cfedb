//! How numbers and dates are written in every output.

use std::fmt::Write;

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
    let _ = if value == value.trunc() && value.abs() < 1e15 {
        write!(out, "{}", value as i64)
    } else {
        write!(out, "{value}")
    };
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
    let _ = if places == 0 {
        write!(out, "{units}")
    } else {
        let scale = 10u64.pow(places);
        let (whole, fraction) = (units / scale, units % scale);
        write!(out, "{whole}.{fraction:0width$}", width = decimals)
    };
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

#[cfg(test)]
mod tests {
    use super::*;

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
