//! How numbers and dates are written in every output.

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
    if value == value.trunc() && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

/// A number with exactly `decimals` places (the value is rounded first).
pub fn fixed(value: f64, decimals: usize) -> String {
    format!("{:.*}", decimals, round(value, decimals as i32))
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

    #[test]
    fn writes_whole_numbers_without_decimals() {
        assert_eq!(number(120000.0), "120000");
        assert_eq!(number(12345.5), "12345.5");
        assert_eq!(number(-0.0), "0");
        assert_eq!(fixed(31.2, 2), "31.20");
        assert_eq!(fixed(82.0, 1), "82.0");
    }
}
