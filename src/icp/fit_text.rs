//! The draft as `tal.toml` text: a `[fit]` section to paste in place of
//! the spec's, every number with a comment saying where it came from.

use std::fmt::Write;

use chrono::NaiveDate;

use crate::format::{count, percent};
use crate::format::{fixed, number, toml};
use crate::spec::Spec;

use super::backtest::Backtest;
use super::draft::{Draft, DraftBand};
use super::BaseKind;

/// What the header comment says.
pub struct Header<'a> {
    pub command: String,
    pub as_of: NaiveDate,
    pub best: usize,
    pub base: usize,
    pub base_kind: &'a BaseKind,
    pub backtest: &'a Backtest,
}

/// A comment's text on one line.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// "0.812 cross-validated over 5 folds, against 0.701 for the current [fit]".
fn backtest_line(backtest: &Backtest) -> String {
    let auc = |name: &str| backtest.model(name).map(|m| fixed(m.auc, 3));
    let draft = match (backtest.folds, auc("draft_cv"), auc("draft_in_sample")) {
        (Some(k), Some(cv), _) => format!("AUC {cv} cross-validated over {k} folds"),
        (_, _, Some(in_sample)) => {
            format!("AUC {in_sample} in sample (too few best accounts to cross-validate)")
        }
        _ => "no AUC".to_string(),
    };
    match auc("current") {
        Some(current) => format!("{draft}, against {current} for the current [fit]"),
        None => format!("{draft}; the spec has no [fit] criteria to compare with"),
    }
}

/// The draft's `tal.toml` text.
pub fn write(spec: &Spec, draft: &Draft, header: &Header) -> String {
    let mut out = String::new();
    let base = match header.base_kind {
        BaseKind::All => "every account".to_string(),
        BaseKind::Vs(vs) => format!("--vs {vs}"),
    };
    let lines = [
        format!("Draft [fit] from: {}", header.command),
        format!(
            "As of {}: {} against a base of {} ({base}).",
            header.as_of,
            super::best_accounts(header.best),
            count(header.base)
        ),
        format!("Backtest: {}.", backtest_line(header.backtest)),
        "Each band earns max(1, round(10 × ln(smoothed lift))) points; its comment gives".into(),
        "how many best accounts hold it and its share of the best and of the base.".into(),
    ];
    for line in lines {
        let _ = writeln!(out, "# {}", one_line(&line));
    }
    out.push_str("[fit]\n");
    let high_origin = match draft.percentile {
        Some(p) => format!(
            "20th percentile of the best accounts' fit under this draft ({}), floored: about 80% of them are high fit",
            fixed(p, 1)
        ),
        None => "no best account to learn it from".to_string(),
    };
    let _ = writeln!(out, "high = {}  # {high_origin}", number(draft.high));
    let grades: Vec<String> = (spec.fit.grades.iter())
        .map(|(grade, min)| format!("{} = {}", toml::key(grade), number(*min)))
        .collect();
    let _ = writeln!(
        out,
        "grades = {{ {} }}  # as in the spec (A 80, B 60, C 40 when it has none)",
        grades.join(", ")
    );
    if draft.criteria.is_empty() {
        out.push_str("# No value qualified: no criteria.\n");
    }
    for criterion in &draft.criteria {
        out.push('\n');
        out.push_str("[[fit.criteria]]\n");
        let _ = writeln!(
            out,
            "name = {}  # information value {}",
            toml::basic_string(&criterion.field),
            fixed(criterion.score, 3)
        );
        out.push_str("bands = [\n");
        for band in &criterion.bands {
            let _ = writeln!(
                out,
                "  {{ when = {}, points = {} }},  # {}",
                toml::string(&band.when),
                band.points,
                one_line(&band_origin(band))
            );
        }
        out.push_str("]\n");
    }
    out
}

/// "30 of 64 best (46.9%) vs 12.0% of the base: smoothed lift 3.91".
fn band_origin(band: &DraftBand) -> String {
    let c = &band.counts;
    let range = band
        .range
        .as_ref()
        .map(|r| format!("{r}: "))
        .unwrap_or_default();
    format!(
        "{range}{} of {} best ({}) vs {} of the base: smoothed lift {}",
        count(c.best as usize),
        count(c.n_best as usize),
        percent(band.lifts.best_share),
        percent(band.lifts.base_share),
        fixed(band.lifts.smoothed, 2)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_and_keys() {
        assert_eq!(
            toml::string(r#"industry in ["A"]"#),
            r#"'industry in ["A"]'"#
        );
        assert_eq!(
            toml::string(r#"name in ['O"Neil']"#),
            r#""name in ['O\"Neil']""#
        );
        assert_eq!(toml::key("A"), "A");
        assert_eq!(toml::key("A+"), "\"A+\"");
    }
}
