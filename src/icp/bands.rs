//! Number fields cut into bands (SPEC-icp.md "Bands"): the headcount and
//! revenue bands vendors use, or the base's quintiles made round by
//! `nice()` (two significant digits, as `tal init` rounds its ICP).

use crate::format;
use crate::format::nice;

use super::BandMode;

/// How a number field is banded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    Employees,
    Revenue,
    Quantile,
}

/// Headcount band edges: 1–10, 11–50, ... 10,001+.
const EMPLOYEES: [f64; 7] = [11.0, 51.0, 201.0, 501.0, 1001.0, 5001.0, 10001.0];
const EMPLOYEE_LABELS: [&str; 8] = [
    "1–10",
    "11–50",
    "51–200",
    "201–500",
    "501–1,000",
    "1,001–5,000",
    "5,001–10,000",
    "10,001+",
];
/// Revenue band edges, in the data's currency.
const REVENUE: [f64; 8] = [1e6, 1e7, 5e7, 1e8, 2.5e8, 5e8, 1e9, 1e10];
const REVENUE_LABELS: [&str; 9] = [
    "< 1M",
    "1M–10M",
    "10M–50M",
    "50M–100M",
    "100M–250M",
    "250M–500M",
    "500M–1B",
    "1B–10B",
    "10B+",
];

impl Scale {
    pub fn of(field: &str, mode: BandMode) -> Scale {
        match (field, mode) {
            ("employees", BandMode::Standard) => Scale::Employees,
            ("revenue", BandMode::Standard) => Scale::Revenue,
            _ => Scale::Quantile,
        }
    }

    /// The band edges, ascending. Quantile edges come from the base's
    /// values (`in_base`).
    pub fn edges(self, values: &[Option<f64>], in_base: &[bool]) -> Vec<f64> {
        match self {
            Scale::Employees => EMPLOYEES.to_vec(),
            Scale::Revenue => REVENUE.to_vec(),
            Scale::Quantile => {
                let mut base: Vec<f64> = (values.iter().zip(in_base))
                    .filter_map(|(v, &s)| v.filter(|_| s))
                    .collect();
                base.sort_by(f64::total_cmp);
                quintile_edges(&base)
            }
        }
    }

    /// Band `b`'s label.
    pub fn label(self, edges: &[f64], b: usize) -> String {
        match self {
            Scale::Employees => EMPLOYEE_LABELS[b].to_string(),
            Scale::Revenue => REVENUE_LABELS[b].to_string(),
            Scale::Quantile => match bounds(edges, b) {
                (None, None) => "any value".to_string(),
                (None, Some(hi)) => format!("< {}", format::number(hi)),
                (Some(lo), None) => format!(">= {}", format::number(lo)),
                (Some(lo), Some(hi)) => {
                    format!("[{}, {})", format::number(lo), format::number(hi))
                }
            },
        }
    }
}

/// Nearest-rank 20/40/60/80th percentiles of sorted values, through
/// `nice()`, distinct, ascending.
pub fn quintile_edges(sorted: &[f64]) -> Vec<f64> {
    let n = sorted.len();
    if n == 0 {
        return Vec::new();
    }
    let mut edges: Vec<f64> = [20, 40, 60, 80]
        .iter()
        .map(|pct| {
            // ⌈pct·n/100⌉ in whole numbers: 0.2·30 is 6.000000000000001.
            let rank = (pct * n).div_ceil(100).clamp(1, n);
            nice(sorted[rank - 1])
        })
        .collect();
    edges.sort_by(f64::total_cmp);
    edges.dedup();
    edges
}

/// The band of `value`: how many edges are at or below it.
pub fn band_of(edges: &[f64], value: f64) -> usize {
    edges.partition_point(|edge| *edge <= value)
}

/// Band `b`'s lower (inclusive) and upper (exclusive) edge; None at the
/// open ends.
pub fn bounds(edges: &[f64], b: usize) -> (Option<f64>, Option<f64>) {
    let lo = b.checked_sub(1).map(|i| edges[i]);
    (lo, edges.get(b).copied())
}

/// How many bands the edges make.
pub fn count(edges: &[f64]) -> usize {
    edges.len() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_fall_in_the_band_whose_lower_edge_they_reach() {
        let edges = EMPLOYEES;
        assert_eq!(band_of(&edges, 0.0), 0);
        assert_eq!(band_of(&edges, 10.0), 0);
        assert_eq!(band_of(&edges, 11.0), 1);
        assert_eq!(band_of(&edges, 500.0), 3);
        assert_eq!(band_of(&edges, 501.0), 4);
        assert_eq!(band_of(&edges, 10001.0), 7);
        assert_eq!(Scale::Employees.label(&edges, 4), "501–1,000");
        assert_eq!(bounds(&edges, 0), (None, Some(11.0)));
        assert_eq!(bounds(&edges, 7), (Some(10001.0), None));
        assert_eq!(Scale::Revenue.label(&REVENUE, 8), "10B+");
    }

    /// Nearest rank on 10 values: ranks 2, 4, 6, 8; then two significant
    /// digits (347 → 350), repeats dropped.
    #[test]
    fn quintile_edges_are_nice_nearest_ranks() {
        let sorted = [
            3.0, 12.0, 15.0, 150.0, 347.0, 351.0, 352.0, 1234.0, 5000.0, 9999.0,
        ];
        assert_eq!(quintile_edges(&sorted), vec![12.0, 150.0, 350.0, 1200.0]);
        assert_eq!(quintile_edges(&[7.0, 7.0, 7.0]), vec![7.0]);
        assert_eq!(quintile_edges(&[]), Vec::<f64>::new());
        let edges = [12.0, 150.0];
        assert_eq!(Scale::Quantile.label(&edges, 0), "< 12");
        assert_eq!(Scale::Quantile.label(&edges, 1), "[12, 150)");
        assert_eq!(Scale::Quantile.label(&edges, 2), ">= 150");
        assert_eq!(Scale::Quantile.label(&[], 0), "any value");
    }
}
