//! The figures of an attribute's table (SPEC-icp.md "Per row"): each
//! value's count and share among the best and the base, its lift, the
//! smoothed lift (Jeffreys: half an account added to each count), the
//! lift's 95% range from Wilson intervals, whether it qualifies for the
//! draft, and the attribute's information value.

use crate::expr::Type;
use crate::format::round;

use super::attributes::{Attribute, Grouping, Values};
use super::bands::{self, Scale};
use super::Params;

/// z for a 95% interval.
pub const Z: f64 = 1.96;
/// The half account added to each count (Jeffreys prior).
pub const PRIOR: f64 = 0.5;

/// A row's counts and the totals they are shares of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub best: u64,
    pub base: u64,
    pub n_best: u64,
    pub n_base: u64,
}

/// `n / total`, 0 of nothing.
fn share(n: u64, total: u64) -> f64 {
    if total == 0 {
        0.0
    } else {
        n as f64 / total as f64
    }
}

/// `(n + ½) / (total + 1)`.
pub fn smoothed_share(n: u64, total: u64) -> f64 {
    (n as f64 + PRIOR) / (total as f64 + 2.0 * PRIOR)
}

/// The Wilson score interval of `n` in `total` at z = 1.96; exactly 0 at
/// the bottom when `n` is 0, exactly 1 at the top when `n` is `total`.
pub fn wilson(n: u64, total: u64) -> (f64, f64) {
    if total == 0 {
        return (0.0, 1.0);
    }
    let t = total as f64;
    let p = n as f64 / t;
    let z2 = Z * Z;
    let centre = p + z2 / (2.0 * t);
    let margin = Z * (p * (1.0 - p) / t + z2 / (4.0 * t * t)).sqrt();
    let scale = 1.0 + z2 / t;
    let low = if n == 0 {
        0.0
    } else {
        (centre - margin) / scale
    };
    let high = if n == total {
        1.0
    } else {
        (centre + margin) / scale
    };
    (low, high)
}

/// A row's shares and lifts, unrounded.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lifts {
    pub best_share: f64,
    pub base_share: f64,
    /// None when no base account has the value.
    pub lift: Option<f64>,
    pub smoothed: f64,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

impl Counts {
    pub fn lifts(&self) -> Lifts {
        let best_share = share(self.best, self.n_best);
        let base_share = share(self.base, self.n_base);
        let ratio = |a: f64, b: f64| (b != 0.0).then(|| a / b);
        let (best_low, best_high) = wilson(self.best, self.n_best);
        let (base_low, base_high) = wilson(self.base, self.n_base);
        Lifts {
            best_share,
            base_share,
            lift: ratio(best_share, base_share),
            smoothed: smoothed_share(self.best, self.n_best)
                / smoothed_share(self.base, self.n_base),
            low: ratio(best_low, base_high),
            high: ratio(best_high, base_low),
        }
    }

    /// This row's term of the information value.
    fn information(&self) -> f64 {
        let b = smoothed_share(self.best, self.n_best);
        let s = smoothed_share(self.base, self.n_base);
        (b - s) * (b / s).ln()
    }
}

/// What a row stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowKind {
    Value,
    /// The accounts without a value.
    Missing,
    /// The values past `--top`, folded into one row.
    Other,
}

#[derive(Debug, Clone)]
pub struct Row {
    /// The value as spelt, a band's label, `(missing)` or `(other: k values)`.
    pub value: String,
    pub kind: RowKind,
    /// The value numbers the row counts (a band's number for a band).
    pub ids: Vec<u32>,
    /// A band's lower (inclusive) and upper (exclusive) edge.
    pub band: Option<(Option<f64>, Option<f64>)>,
    pub counts: Counts,
    pub lifts: Lifts,
    pub qualifies: bool,
}

/// One attribute's table.
#[derive(Debug, Clone)]
pub struct Table {
    pub field: String,
    pub ty: Type,
    /// The information value, at 3 decimals.
    pub score: f64,
    /// Share of the best and of the base with a value.
    pub completeness: (f64, f64),
    pub rows: Vec<Row>,
}

/// A table, and for a number field the band of each account it counted.
pub struct Tabulated {
    pub table: Table,
    /// Empty for a text, bool or list field.
    pub bands: Grouping,
}

impl Tabulated {
    /// Each account's values as the table counted them.
    pub fn grouping<'a>(&'a self, attribute: &'a Attribute) -> &'a Grouping {
        match &attribute.values {
            Values::Categorical { grouping, .. } => grouping,
            Values::Number { .. } => &self.bands,
        }
    }
}

/// How many best and base accounts hold any of `ids`.
pub fn count_any(grouping: &Grouping, ids: &[u32], in_best: &[bool], in_base: &[bool]) -> Counts {
    let mut counts = Counts {
        best: 0,
        base: 0,
        n_best: 0,
        n_base: 0,
    };
    let mut wanted = vec![false; ids.iter().max().map_or(0, |&max| max as usize + 1)];
    for &id in ids {
        wanted[id as usize] = true;
    }
    let wanted = |id: &u32| wanted.get(*id as usize).copied().unwrap_or(false);
    for i in 0..grouping.accounts() {
        let (b, s) = (in_best[i], in_base[i]);
        counts.n_best += u64::from(b);
        counts.n_base += u64::from(s);
        if (b || s) && grouping.of(i).iter().any(wanted) {
            counts.best += u64::from(b);
            counts.base += u64::from(s);
        }
    }
    counts
}

/// Does a row qualify for the draft? Compared as printed: 2 decimals.
fn qualifies(kind: &RowKind, counts: &Counts, lifts: &Lifts, params: &Params) -> bool {
    *kind == RowKind::Value
        && counts.best >= params.min_support
        && round(lifts.smoothed, 2) >= params.min_lift
        && lifts.low.is_some_and(|low| round(low, 2) > 1.0)
}

fn row(value: String, kind: RowKind, ids: Vec<u32>, counts: Counts, params: &Params) -> Row {
    let lifts = counts.lifts();
    Row {
        qualifies: qualifies(&kind, &counts, &lifts, params),
        value,
        kind,
        ids,
        band: None,
        counts,
        lifts,
    }
}

/// What a table counts: an attribute's own values, or a number field's
/// bands for this learning.
enum Counted<'a> {
    Values {
        grouping: &'a Grouping,
        names: &'a [String],
        keys: &'a [String],
    },
    Bands {
        grouping: Grouping,
        scale: Scale,
        edges: Vec<f64>,
    },
}

impl Counted<'_> {
    fn of<'a>(attribute: &'a Attribute, in_base: &[bool]) -> Counted<'a> {
        match &attribute.values {
            Values::Categorical {
                grouping,
                names,
                keys,
            } => Counted::Values {
                grouping,
                names,
                keys,
            },
            Values::Number { values, scale } => {
                let edges = scale.edges(values, in_base);
                let band = |v: &Option<f64>| v.map(|v| bands::band_of(&edges, v) as u32);
                Counted::Bands {
                    grouping: Grouping::of_one(values.iter().map(band)),
                    scale: *scale,
                    edges,
                }
            }
        }
    }

    fn grouping(&self) -> &Grouping {
        match self {
            Counted::Values { grouping, .. } => grouping,
            Counted::Bands { grouping, .. } => grouping,
        }
    }

    /// How many values (or bands) there are.
    fn len(&self) -> usize {
        match self {
            Counted::Values { names, .. } => names.len(),
            Counted::Bands { edges, .. } => bands::count(edges),
        }
    }

    /// Value `v`'s row, its band's edges set.
    fn row(&self, v: usize, counts: Counts, params: &Params) -> Row {
        let value = match self {
            Counted::Values { names, .. } => names[v].clone(),
            Counted::Bands { scale, edges, .. } => scale.label(edges, v),
        };
        let mut row = row(value, RowKind::Value, vec![v as u32], counts, params);
        if let Counted::Bands { edges, .. } = self {
            row.band = Some(bands::bounds(edges, v));
        }
        row
    }
}

/// Counts an attribute's values among the best and the base and weighs them.
pub fn tabulate(
    attribute: &Attribute,
    in_best: &[bool],
    in_base: &[bool],
    params: &Params,
) -> Tabulated {
    let counted = Counted::of(attribute, in_base);
    let grouping = counted.grouping();
    let (mut best, mut base) = (vec![0u64; counted.len()], vec![0u64; counted.len()]);
    let (mut n_best, mut n_base, mut missing_best, mut missing_base) = (0, 0, 0, 0);
    for i in 0..grouping.accounts() {
        let (b, s) = (u64::from(in_best[i]), u64::from(in_base[i]));
        if b + s == 0 {
            continue;
        }
        n_best += b;
        n_base += s;
        let ids = grouping.of(i);
        if ids.is_empty() {
            missing_best += b;
            missing_base += s;
        }
        for &id in ids {
            best[id as usize] += b;
            base[id as usize] += s;
        }
    }
    let counts = |best, base| Counts {
        best,
        base,
        n_best,
        n_base,
    };
    let mut rows: Vec<Row> = (0..counted.len())
        .filter(|&v| best[v] + base[v] > 0)
        .map(|v| counted.row(v, counts(best[v], base[v]), params))
        .collect();
    let score = round(rows.iter().map(|r| r.counts.information()).sum(), 3);
    // Values by smoothed lift (as printed), best count, then value; bands
    // stay in edge order.
    if let Counted::Values { keys, .. } = &counted {
        rows.sort_by(|a, b| {
            let smoothed = |r: &Row| round(r.lifts.smoothed, 2);
            (smoothed(b).total_cmp(&smoothed(a)))
                .then(b.counts.best.cmp(&a.counts.best))
                .then_with(|| keys[a.ids[0] as usize].cmp(&keys[b.ids[0] as usize]))
        });
    }
    if missing_best + missing_base > 0 {
        let missing = counts(missing_best, missing_base);
        let label = "(missing)".to_string();
        rows.push(row(label, RowKind::Missing, Vec::new(), missing, params));
    }
    let table = Table {
        field: attribute.field.clone(),
        ty: attribute.ty,
        score,
        completeness: (
            1.0 - share(missing_best, n_best),
            1.0 - share(missing_base, n_base),
        ),
        rows,
    };
    let bands = match counted {
        Counted::Bands { grouping, .. } => grouping,
        Counted::Values { .. } => Grouping::default(),
    };
    Tabulated { table, bands }
}

impl Table {
    /// Folds the values of a text, bool or list attribute past the `top`-th
    /// into one `(other: k values)` row, which counts the accounts holding
    /// any of them.
    pub fn fold_past_top(
        &mut self,
        attribute: &Attribute,
        top: usize,
        in_best: &[bool],
        in_base: &[bool],
        params: &Params,
    ) {
        let Values::Categorical { grouping, .. } = &attribute.values else {
            return;
        };
        let values = self
            .rows
            .iter()
            .filter(|r| r.kind == RowKind::Value)
            .count();
        if values <= top {
            return;
        }
        // Values first, then the missing row.
        let missing: Vec<Row> = self.rows.split_off(values);
        let rest: Vec<Row> = self.rows.split_off(top);
        let ids: Vec<u32> = rest.iter().flat_map(|r| r.ids.iter().copied()).collect();
        let counts = count_any(grouping, &ids, in_best, in_base);
        let k = rest.len();
        let label = format!("(other: {k} value{})", if k == 1 { "" } else { "s" });
        self.rows
            .push(row(label, RowKind::Other, ids, counts, params));
        self.rows.extend(missing);
    }

    /// A warning when the field is much more (or less) often known among
    /// the best than in the base.
    pub fn completeness_warning(&self) -> Option<String> {
        let (best, base) = self.completeness;
        if (best - base).abs() <= 0.2 {
            return None;
        }
        let pct = crate::format::percent;
        let why = if best < base {
            "the best look emptier than they are, so its lifts understate them (fill it in, or leave it out with --fields)"
        } else {
            "its lifts partly measure who was enriched, not who fits (fill in the base, or leave it out with --fields)"
        };
        Some(format!(
            "'{}' is known for {} of the best accounts but {} of the base: {why}",
            self.field,
            pct(best),
            pct(base)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    /// Hand-computed: 12 of 40 best against 30 of 400 base.
    #[test]
    fn lifts_and_wilson_bounds() {
        let counts = Counts {
            best: 12,
            base: 30,
            n_best: 40,
            n_base: 400,
        };
        let l = counts.lifts();
        assert!(close(l.best_share, 0.3));
        assert!(close(l.base_share, 0.075));
        assert!(close(l.lift.unwrap(), 4.0));
        // (12.5/41) / (30.5/401)
        assert!(close(l.smoothed, 4.008396641343463));
        let (lo, hi) = wilson(12, 40);
        assert!(close(lo, 0.18074670915695296), "{lo}");
        assert!(close(hi, 0.454303106543204), "{hi}");
        let (lo_s, hi_s) = wilson(30, 400);
        assert!(close(lo_s, 0.053037406335715714), "{lo_s}");
        assert!(close(hi_s, 0.10504833817401285), "{hi_s}");
        assert!(close(l.low.unwrap(), lo / hi_s));
        assert!(close(l.high.unwrap(), hi / lo_s));
    }

    #[test]
    fn a_value_the_base_lacks_has_no_lift_and_no_upper_bound() {
        let counts = Counts {
            best: 3,
            base: 0,
            n_best: 10,
            n_base: 90,
        };
        let l = counts.lifts();
        assert_eq!(l.lift, None);
        assert_eq!(l.high, None);
        assert_eq!(wilson(0, 90).0, 0.0);
        assert_eq!(wilson(10, 10).1, 1.0);
        // (3.5/11) / (0.5/91)
        assert!(close(l.smoothed, 57.90909090909091));
    }
}
