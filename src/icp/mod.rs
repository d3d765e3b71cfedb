//! `tal icp discover`: the Ideal Customer Profile learnt from the best
//! customers, in the open (SPEC-icp.md). Take the accounts a condition
//! calls the best (`renewals >= 2`), compare every attribute's values among
//! them with the base (every account, or `--vs`), draft a `[fit]` from the
//! values that stand out, and backtest the draft against the spec's own
//! `[fit]` with cross-validation.
//!
//! [`plan`] checks the arguments against the spec before an export is read:
//! the `--best`/`--vs` conditions, fields only (`sets`), and which fields
//! are weighed (`attributes`). [`discover`] then splits the accounts,
//! reads each attribute's values per account (`attributes`, bands in
//! `bands`), counts and weighs them (`stats`), learns a draft from the rows
//! that qualify (`draft`; its `tal.toml` text in `fit_text`) and backtests
//! it fold by fold (`backtest`). Every fit — drafts, the spec's `[fit]`, and
//! the `--best`/`--vs` conditions themselves — is computed by the engine
//! ([`crate::engine::fit_scores`]), so the backtest scores exactly what
//! `tal score` would. `render` and `json` write the result.
//!
//! Choices where the contract is silent (also in docs/icp.md):
//! - `--best`/`--vs` are evaluated as a one-criterion `[fit]` (100 when the
//!   condition holds, else 0): the engine's evaluator, not a second one. A
//!   field named like an intent or engagement signal cannot be told from
//!   the signal there, so it is refused in EXPR and left out of the tables.
//! - A bad EXPR and a bad `--fields` are usage errors (exit 2), like any
//!   other bad argument; an empty set is a failed run (exit 1).
//! - "More than 50% distinct" is measured over every account (a property
//!   of the field), case-insensitively; fields named in `--fields` are kept
//!   whatever their share of distinct values.
//! - Spellings come from the first account by domain among the best and
//!   the base. Rows are the values present among them; empty bands are not
//!   rows (nor terms of the information value).
//! - Thresholds read the rounded figures a reader sees: `qualifies`
//!   compares the smoothed lift and the low end of the range at 2 decimals,
//!   rows sort on the smoothed lift at 2 decimals, attributes on the score
//!   at 3 (its printed precision), and points are computed from the printed
//!   smoothed lift.
//! - `--top` folds the values of text, bool and list attributes past the
//!   N-th into one `(other: k values)` row, counting the accounts with any
//!   of them, in every format; bands are never folded (9 at most). The
//!   draft may still use a qualifying value past `--top`.
//! - Labels: employees `1–10` … `10,001+`, revenue `< 1M`, `1M–10M` …
//!   `10B+`, other bands `< e1`, `[e1, e2)`, `>= ek`.
//! - A merged band's smoothed lift and best count are those of the accounts
//!   holding any of its values; bool values with equal points merge into
//!   `field in [true, false]`; `when` literals escape a backslash as `\\`.
//! - `random` has no high fit: its `high_fit_recall` and
//!   `high_fit_base_share` are null. Captures and high-fit shares are
//!   shares (4 decimals in JSON); the information value has 3 decimals.
//! - Without cross-validation (K < 2) the `draft_cv` row is absent and
//!   `backtest.folds` is null.
//! - `--strict` exits 3 on the data-quality warnings of the inputs (as
//!   `tal score`), not on the analysis warnings (few best accounts,
//!   completeness), which are part of the result.

mod attributes;
mod backtest;
mod bands;
mod draft;
mod fit_text;
mod json;
mod render;
mod sets;
mod stats;

use std::fmt;

use anyhow::Result;
use chrono::NaiveDate;

use crate::input::Loaded;
use crate::spec::{Condition, Spec};

pub use attributes::Table;
pub use backtest::{Backtest, Model};
pub use draft::Draft;
pub use render::{write, IcpFormat};

/// How number fields are cut into bands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BandMode {
    /// Headcount and revenue bands vendors use; quantiles for other numbers.
    Standard,
    /// Quintiles of the base for every number.
    Quantile,
}

impl BandMode {
    pub fn name(self) -> &'static str {
        match self {
            BandMode::Standard => "standard",
            BandMode::Quantile => "quantile",
        }
    }
}

/// What the user asked for.
#[derive(Debug, Clone)]
pub struct Params {
    pub best: String,
    pub vs: Option<String>,
    /// `--fields`: empty for the default list.
    pub fields: Vec<String>,
    pub min_support: u64,
    pub min_lift: f64,
    pub max_criteria: usize,
    pub folds: usize,
    pub bands: BandMode,
    pub top: usize,
}

impl Params {
    /// The command line that asks for this, for the draft's header.
    pub fn command(&self) -> String {
        let mut out = format!("tal icp discover --best {}", shell_quote(&self.best));
        if let Some(vs) = &self.vs {
            out.push_str(&format!(" --vs {}", shell_quote(vs)));
        }
        if !self.fields.is_empty() {
            out.push_str(&format!(
                " --fields {}",
                shell_quote(&self.fields.join(","))
            ));
        }
        let defaults = Params::default();
        if self.min_support != defaults.min_support {
            out.push_str(&format!(" --min-support {}", self.min_support));
        }
        if self.min_lift != defaults.min_lift {
            out.push_str(&format!(" --min-lift {}", self.min_lift));
        }
        if self.max_criteria != defaults.max_criteria {
            out.push_str(&format!(" --max-criteria {}", self.max_criteria));
        }
        if self.folds != defaults.folds {
            out.push_str(&format!(" --folds {}", self.folds));
        }
        if self.bands != defaults.bands {
            out.push_str(&format!(" --bands {}", self.bands.name()));
        }
        out
    }
}

impl Default for Params {
    fn default() -> Self {
        Params {
            best: String::new(),
            vs: None,
            fields: Vec::new(),
            min_support: 5,
            min_lift: 1.5,
            max_criteria: 8,
            folds: 5,
            bands: BandMode::Standard,
            top: 10,
        }
    }
}

/// `'text'` for a POSIX shell (bare when nothing in it needs quoting).
fn shell_quote(text: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_-.,/:=".contains(c);
    if !text.is_empty() && text.chars().all(plain) {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// "1 best account", "1,200 best accounts".
fn best_accounts(n: usize) -> String {
    let s = if n == 1 { "" } else { "s" };
    format!("{} best account{s}", crate::format::count(n))
}

/// A bad argument: the command prints it and exits 2.
#[derive(Debug)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// The arguments checked against the spec, before any export is read.
pub struct Plan<'a> {
    pub spec: &'a Spec,
    pub params: &'a Params,
    best: Condition,
    vs: Option<Condition>,
    candidates: attributes::Candidates,
}

/// Checks `--best`, `--vs` and `--fields` against the spec's fields.
pub fn plan<'a>(spec: &'a Spec, params: &'a Params) -> Result<Plan<'a>, UsageError> {
    let best = sets::compile("--best", &params.best, spec)?;
    let vs = match &params.vs {
        Some(vs) => Some(sets::compile("--vs", vs, spec)?),
        None => None,
    };
    let candidates = attributes::candidates(spec, &params.fields, &best, vs.as_ref())?;
    Ok(Plan {
        spec,
        params,
        best,
        vs,
        candidates,
    })
}

/// Which accounts the base is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BaseKind {
    All,
    Vs(String),
}

/// Everything `tal icp discover` found.
pub struct Discovery {
    pub as_of: NaiveDate,
    pub params: Params,
    pub best: usize,
    pub base: usize,
    pub base_kind: BaseKind,
    /// Accounts in the base but not among the best.
    pub negatives: usize,
    pub attributes: Vec<Table>,
    /// Fields left out of the tables, and why.
    pub left_out: Vec<(String, String)>,
    pub draft: Draft,
    /// The spec's grades, which the draft keeps.
    pub grades: Vec<(String, f64)>,
    /// The draft's `tal.toml` text.
    pub toml: String,
    pub backtest: Backtest,
    pub warnings: Vec<String>,
}

/// Splits the accounts, tabulates the attributes, drafts a `[fit]` and
/// backtests it.
pub fn discover(plan: &Plan, loaded: &Loaded, as_of: NaiveDate) -> Result<Discovery> {
    let (spec, params) = (plan.spec, plan.params);
    let sets = sets::split(plan, loaded, as_of)?;
    let mut warnings = plan.candidates.warnings.clone();
    if sets.best_count < 50 {
        warnings.push(format!(
            "only {}: vendors ask for 50 to 200 before they draw an ICP, so read the lifts and the draft as hints, not proof",
            best_accounts(sets.best_count)
        ));
    }
    let in_scope: Vec<bool> = (sets.best.iter().zip(&sets.base))
        .map(|(b, s)| *b || *s)
        .collect();
    let (attributes, left_out) =
        attributes::read(&plan.candidates, &loaded.accounts, &in_scope, params.bands);
    let full = draft::Learner {
        spec,
        loaded,
        as_of,
        params,
        attributes: &attributes,
    };
    let learnt = full.learn(&sets.best, &sets.base)?;
    let mut tables = learnt.tables;
    for table in &tables {
        if let Some(warning) = table.completeness_warning() {
            warnings.push(warning);
        }
    }
    let backtest = backtest::run(&full, &sets, &learnt.draft, &learnt.fits, &mut warnings)?;
    let mut draft = learnt.draft;
    warnings.append(&mut draft.warnings);
    if draft.criteria.is_empty() {
        warnings.push(format!(
            "no value qualified (at least {} best accounts, a smoothed lift of {} or more and a 95% range above 1): the draft has no criteria",
            params.min_support,
            crate::format::fixed(params.min_lift, 2)
        ));
    }
    if !draft.criteria.is_empty() && draft.high <= 0.0 {
        warnings.push(
            "the draft's high is 0 (a fifth of the best accounts or more meet none of its criteria), so every account would be high fit: raise high by hand, or widen the draft (--min-lift, --min-support)"
                .to_string(),
        );
    }
    for (table, attribute) in tables.iter_mut().zip(&attributes) {
        table.fold_past_top(attribute, params.top, &sets.best, &sets.base, params);
    }
    tables.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.field.cmp(&b.field))
    });
    let base_kind = match &params.vs {
        Some(vs) => BaseKind::Vs(vs.clone()),
        None => BaseKind::All,
    };
    let header = fit_text::Header {
        command: params.command(),
        as_of,
        best: sets.best_count,
        base: sets.base_count,
        base_kind: &base_kind,
        backtest: &backtest,
    };
    let toml = fit_text::write(spec, &draft, &header);
    Ok(Discovery {
        as_of,
        params: params.clone(),
        best: sets.best_count,
        base: sets.base_count,
        base_kind,
        negatives: sets.negatives,
        attributes: tables,
        left_out,
        draft,
        grades: spec.fit.grades.clone(),
        toml,
        backtest,
        warnings,
    })
}
