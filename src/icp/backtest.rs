//! Does a `[fit]` rank the best accounts above the rest? (SPEC-icp.md
//! "Backtest"). The positives are the best accounts, the negatives the
//! base's others. The draft is cross-validated: accounts fall in K folds by
//! a hash of their domain, and each fold is scored by a draft learnt
//! without it (band edges, selection, points and `high` alike). Beside it:
//! the draft in sample, the spec's current `[fit]`, and a random ranking.

use anyhow::Result;

use crate::engine;

use super::draft::{Draft, Learner};
use super::sets::Sets;

/// FNV-1a, 64 bits.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// The fold of an account: its normalised domain hashed, modulo `k`.
pub fn fold_of(domain: &str, k: usize) -> usize {
    (fnv1a(domain.as_bytes()) % k as u64) as usize
}

/// How many folds: `--folds`, fewer when there are fewer than 5 positives
/// per fold; None when fewer than 2 folds (or 10 positives) remain.
pub fn folds(requested: usize, positives: usize) -> Option<usize> {
    let k = if positives < 5 * requested {
        positives / 5
    } else {
        requested
    };
    (k >= 2 && positives >= 10).then_some(k)
}

/// One model's figures, unrounded.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub name: &'static str,
    pub auc: f64,
    pub capture_10: f64,
    pub capture_20: f64,
    pub lift_10: f64,
    pub high_fit_recall: Option<f64>,
    pub high_fit_base_share: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Backtest {
    /// The folds used; None without cross-validation.
    pub folds: Option<usize>,
    pub positives: usize,
    pub negatives: usize,
    pub models: Vec<Model>,
}

impl Backtest {
    pub fn model(&self, name: &str) -> Option<&Model> {
        self.models.iter().find(|m| m.name == name)
    }
}

/// `⌈pct·total/100⌉`, in whole numbers.
fn top(pct: usize, total: usize) -> usize {
    (pct * total).div_ceil(100)
}

/// AUC: the positives' mid-ranks by fit ascending, as the Mann–Whitney U
/// over positives × negatives.
pub fn auc(fits: &[f64], positive: &[bool]) -> f64 {
    let mut order: Vec<usize> = (0..fits.len()).collect();
    order.sort_by(|&a, &b| fits[a].total_cmp(&fits[b]));
    let p = positive.iter().filter(|p| **p).count() as f64;
    let negatives = fits.len() as f64 - p;
    let mut ranks = 0.0;
    let mut start = 0;
    while start < order.len() {
        let mut end = start;
        while end < order.len() && fits[order[end]] == fits[order[start]] {
            end += 1;
        }
        // Ranks start+1 ..= end share their mean.
        let mid = (start + 1 + end) as f64 / 2.0;
        let tied_positives = order[start..end].iter().filter(|&&i| positive[i]).count();
        ranks += mid * tied_positives as f64;
        start = end;
    }
    (ranks - p * (p + 1.0) / 2.0) / (p * negatives)
}

/// The positives among the top `pct`% by fit, ties at the cut-off shared
/// in proportion: `A_p + (m − A)·E_p/E`.
pub fn true_positives(fits: &[f64], positive: &[bool], pct: usize) -> (f64, usize) {
    let m = top(pct, fits.len());
    if m == 0 {
        return (0.0, 0);
    }
    let mut sorted = fits.to_vec();
    sorted.sort_by(|a, b| b.total_cmp(a));
    let cut = sorted[m - 1];
    let (mut above, mut above_p, mut at, mut at_p) = (0usize, 0usize, 0usize, 0usize);
    for (fit, &p) in fits.iter().zip(positive) {
        if *fit > cut {
            above += 1;
            above_p += usize::from(p);
        } else if *fit == cut {
            at += 1;
            at_p += usize::from(p);
        }
    }
    let tp = above_p as f64 + (m - above) as f64 * at_p as f64 / at as f64;
    (tp, m)
}

/// A model's figures over the accounts of the backtest. `high_fit` says
/// which are at or above their `high`.
pub fn measure(name: &'static str, fits: &[f64], positive: &[bool], high_fit: &[bool]) -> Model {
    let total = fits.len();
    let p = positive.iter().filter(|p| **p).count();
    let negatives = total - p;
    let (tp_10, m_10) = true_positives(fits, positive, 10);
    let (tp_20, _) = true_positives(fits, positive, 20);
    let high = |want: bool, of: usize| {
        let n = (high_fit.iter().zip(positive))
            .filter(|(h, pos)| **h && **pos == want)
            .count();
        n as f64 / of as f64
    };
    Model {
        name,
        auc: auc(fits, positive),
        capture_10: tp_10 / p as f64,
        capture_20: tp_20 / p as f64,
        lift_10: (tp_10 / m_10 as f64) / (p as f64 / total as f64),
        high_fit_recall: Some(high(true, p)),
        high_fit_base_share: Some(high(false, negatives)),
    }
}

/// A random ranking: AUC ½, the top q% holds q% of the positives.
pub fn random(total: usize) -> Model {
    let capture = |pct| top(pct, total) as f64 / total as f64;
    Model {
        name: "random",
        auc: 0.5,
        capture_10: capture(10),
        capture_20: capture(20),
        lift_10: 1.0,
        high_fit_recall: None,
        high_fit_base_share: None,
    }
}

/// Backtests the draft (cross-validated and in sample), the spec's
/// `[fit]` and a random ranking. `draft` and `fits` are learnt on every
/// account.
pub fn run(
    learner: &Learner,
    sets: &Sets,
    draft: &Draft,
    fits: &[f64],
    warnings: &mut Vec<String>,
) -> Result<Backtest> {
    let n = sets.best.len();
    // The accounts of the backtest: the best and the base's others.
    let tested: Vec<usize> = (0..n).filter(|&i| sets.best[i] || sets.base[i]).collect();
    let positive: Vec<bool> = tested.iter().map(|&i| sets.best[i]).collect();
    let pick = |values: &[f64]| -> Vec<f64> { tested.iter().map(|&i| values[i]).collect() };
    let at_or_above = |values: &[f64], high: f64| -> Vec<bool> {
        tested.iter().map(|&i| values[i] >= high).collect()
    };
    let requested = learner.params.folds;
    let k = folds(requested, sets.best_count);
    let mut models = Vec::new();
    match k {
        None if requested < 2 => warnings.push(format!(
            "--folds {requested}: no cross-validation (it takes 2 folds or more), so the backtest shows the draft in sample only, which flatters it"
        )),
        None => warnings.push(format!(
            "{} {} too few to cross-validate (it takes 10: 5 per fold, 2 folds at least): the backtest shows the draft in sample only, which flatters it",
            super::best_accounts(sets.best_count),
            if sets.best_count == 1 { "is" } else { "are" }
        )),
        Some(k) => {
            if k < requested {
                warnings.push(format!(
                    "{} make {k} folds of 5 or more, not the {requested} asked for",
                    super::best_accounts(sets.best_count)
                ));
            }
            models.push(cross_validate(learner, sets, k, &tested, &positive)?);
        }
    }
    models.push(measure(
        "draft_in_sample",
        &pick(fits),
        &positive,
        &at_or_above(fits, draft.high),
    ));
    let spec = learner.spec;
    if !spec.fit.criteria.is_empty() {
        let current = engine::fit_scores(spec, learner.loaded, learner.as_of)?;
        models.push(measure(
            "current",
            &pick(&current),
            &positive,
            &at_or_above(&current, spec.fit.high),
        ));
    }
    models.push(random(tested.len()));
    Ok(Backtest {
        folds: k,
        positives: sets.best_count,
        negatives: sets.negatives,
        models,
    })
}

/// Each fold scored by the draft learnt without it, pooled.
fn cross_validate(
    learner: &Learner,
    sets: &Sets,
    k: usize,
    tested: &[usize],
    positive: &[bool],
) -> Result<Model> {
    let domains = &learner.loaded.accounts.domains;
    let fold: Vec<usize> = domains.iter().map(|d| fold_of(d, k)).collect();
    let mut fits = vec![0.0; tested.len()];
    let mut high_fit = vec![false; tested.len()];
    for f in 0..k {
        let without = |set: &[bool]| -> Vec<bool> {
            (set.iter().zip(&fold))
                .map(|(&s, &fold)| s && fold != f)
                .collect()
        };
        let learnt = learner.learn(&without(&sets.best), &without(&sets.base))?;
        for (t, &i) in tested.iter().enumerate() {
            if fold[i] == f {
                fits[t] = learnt.fits[i];
                high_fit[t] = learnt.fits[i] >= learnt.draft.high;
            }
        }
    }
    Ok(measure("draft_cv", &fits, positive, &high_fit))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_known_values() {
        assert_eq!(fnv1a(b""), 0xcbf29ce484222325);
        assert_eq!(fnv1a(b"a"), 0xaf63dc4c8601ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x85944171f73967e8);
    }

    /// FNV-1a-64 of the domain's bytes, worked out separately.
    #[test]
    fn known_domains_fall_in_known_folds() {
        assert_eq!(fnv1a(b"a01.com"), 5585368516956013392);
        assert_eq!(fold_of("a01.com", 5), 2);
        assert_eq!(fold_of("b12.com", 5), 0);
        assert_eq!(fold_of("acme.com", 5), 0);
        assert_eq!(fold_of("acme.com", 3), 2);
        assert_eq!(fold_of("xn--bcher-kva.de", 5), 3);
        assert_eq!(fold_of("northwind.example", 5), 0);
    }

    /// Positives at 3, 2, 2, 1; negatives at 2, 1, 1, 0. Pairs won, a tie
    /// half: 4 + 2·(3 + ½) + (1 + 2·½) = 13 of 16.
    #[test]
    fn auc_gives_ties_half_a_win() {
        let fits = [3.0, 2.0, 2.0, 1.0, 2.0, 1.0, 1.0, 0.0];
        let positive = [true, true, true, true, false, false, false, false];
        assert_eq!(auc(&fits, &positive), 13.0 / 16.0);
        assert_eq!(auc(&[5.0, 5.0], &[true, false]), 0.5);
    }

    /// Ten accounts, top 20% is m = 2: one above the cut-off (a positive),
    /// then three tied at it, two of them positive: tp = 1 + 1·2/3.
    #[test]
    fn capture_shares_the_tie_at_the_cut_off() {
        let fits = [9.0, 5.0, 5.0, 5.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0];
        let positive = [
            true, true, false, true, false, false, true, false, false, false,
        ];
        let (tp, m) = true_positives(&fits, &positive, 20);
        assert_eq!(m, 2);
        assert_eq!(tp, 1.0 + 2.0 / 3.0);
        // Top 10%: m = 1, the 9 alone.
        assert_eq!(true_positives(&fits, &positive, 10), (1.0, 1));
        let model = measure("x", &fits, &positive, &[true; 10]);
        assert_eq!(model.capture_20, (1.0 + 2.0 / 3.0) / 4.0);
        // (1/1) / (4/10)
        assert_eq!(model.lift_10, 2.5);
        assert_eq!(model.high_fit_recall, Some(1.0));
        // ⌈0.1·30⌉ is 3, though 0.1·30 is 3.0000000000000004 in floats.
        assert_eq!(top(10, 30), 3);
        assert_eq!(random(30).capture_10, 0.1);
    }

    #[test]
    fn folds_shrink_to_five_positives_each() {
        assert_eq!(folds(5, 64), Some(5));
        assert_eq!(folds(5, 24), Some(4));
        assert_eq!(folds(5, 14), Some(2));
        assert_eq!(folds(5, 9), None);
        assert_eq!(folds(1, 100), None);
        assert_eq!(folds(10, 10), Some(2));
    }
}
