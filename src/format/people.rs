//! Numbers for people: money with the currency's symbol and thousands
//! separators, shares, ratios, and round figures to suggest. Every text
//! renderer (the report's table, markdown, html and warnings, orders, the
//! ICP and maturity reports) goes through here, so the same figure reads
//! the same everywhere.

use super::{group, round};

/// `1360000` → `1,360,000`; cents only when there are some.
pub fn amount(value: f64) -> String {
    let value = round(value, 2);
    let whole = value.trunc();
    let cents = round((value - whole).abs() * 100.0, 0) as i64;
    let digits = group(whole.abs() as u64);
    let sign = if value < 0.0 { "-" } else { "" };
    if cents == 0 {
        format!("{sign}{digits}")
    } else {
        format!("{sign}{digits}.{cents:02}")
    }
}

/// Money in the budget's currency: `$1,360,000`, `€40,000`, `12,000 CHF`.
pub fn money(value: f64, currency: &str) -> String {
    let symbol = match currency.trim().to_uppercase().as_str() {
        "USD" => Some("$"),
        "EUR" => Some("€"),
        "GBP" => Some("£"),
        "JPY" | "CNY" | "RMB" => Some("¥"),
        "BRL" => Some("R$"),
        "INR" => Some("₹"),
        "AUD" => Some("A$"),
        "CAD" => Some("C$"),
        _ => None,
    };
    let text = amount(value.abs());
    let sign = if round(value, 2) < 0.0 { "-" } else { "" };
    match symbol {
        Some(symbol) => format!("{sign}{symbol}{text}"),
        None => format!("{sign}{text} {}", currency.trim()),
    }
}

/// A fraction as a percentage with one decimal: `0.8436` → `84.4%`.
pub fn percent(fraction: f64) -> String {
    format!("{:.1}%", round(fraction * 100.0, 1))
}

/// A ratio of entitlements: `3.75×`, `4×`.
pub fn ratio(value: f64) -> String {
    let value = round(value, 2);
    if value == value.trunc() {
        format!("{}×", value as i64)
    } else {
        format!("{value}×")
    }
}

/// Two significant digits: 347 -> 350, 48_123_000 -> 48_000_000.
pub fn nice(value: f64) -> f64 {
    if value < 10.0 {
        return value.round().max(1.0);
    }
    let scale = 10f64.powi(value.log10().floor() as i32 - 1);
    (value / scale).round() * scale
}

/// An optional figure, or an en dash.
pub fn or_dash(value: Option<String>) -> String {
    value.unwrap_or_else(|| "–".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_money_like_a_person() {
        assert_eq!(money(1_360_000.0, "USD"), "$1,360,000");
        assert_eq!(money(-23_000.0, "usd"), "-$23,000");
        assert_eq!(money(2_399_700.5, "EUR"), "€2,399,700.50");
        assert_eq!(money(800.0, "CHF"), "800 CHF");
        assert_eq!(money(0.0, "USD"), "$0");
        assert_eq!(amount(999.999), "1,000");
        assert_eq!(super::super::count(1876), "1,876");
        assert_eq!(super::super::count(100), "100");
    }

    #[test]
    fn writes_shares_and_ratios() {
        assert_eq!(percent(0.84357), "84.4%");
        assert_eq!(percent(1.0), "100.0%");
        assert_eq!(ratio(3.75), "3.75×");
        assert_eq!(ratio(4.0), "4×");
        assert_eq!(ratio(1.3333), "1.33×");
    }
}
