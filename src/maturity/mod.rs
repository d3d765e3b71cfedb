//! `tal maturity`: the ABM maturity assessment (SPEC-maturity.md), with
//! the self-assessment checked against the team's own data.
//!
//! The pieces, in the order a run uses them:
//!
//! - `model`: the five dimensions × five stages, one practice per cell, the
//!   tracking criteria, every text in English and Portuguese;
//! - `answers`: the answers file (TOML or CSV) read into responses;
//!   `template` writes the empty file;
//! - `facts`: the evidence-gathering step — row counts, completeness, pins,
//!   personas and owners from the one load and score of the project, and
//!   the build folder's history dates;
//! - `rules`: the nineteen evidence rules, on the compiled spec and the
//!   facts;
//! - `combine`: answers × evidence → cells, stages, next actions;
//! - `render`: table, markdown, json, html.
//!
//! Everything from `rules` on is pure: no file, no clock.
//!
//! Readings where the contract is silent:
//!
//! - "complete over accounts" (hygiene) is the share of the account
//!   universe (after the merge of every account input) that has a value
//!   for the field: enrichment from a second input counts. 0 accounts is
//!   0% complete, and 0 rows read is 0% rejected and merged.
//! - entitlements compares each tier that sets `per_account` with the next
//!   one down that sets it (a tier without one is skipped); the bounds 2×
//!   and 5× are inside, and a lower amount of 0 is outside.
//! - owners is n/a on an empty TAL; revenue_kpis holds with no tiers.
//! - weekly_refresh looks only at `history/` dates on or before as-of; a
//!   `--build-dir` that does not exist is an error, one without
//!   `history/` has no build.
//! - A "met" condition is checked before a "not met" one (engaged_in_rules
//!   can meet both: a threshold and rules that use engagement, with no
//!   engagement input).
//! - Next actions name the cells not met up to one stage above the
//!   dimension's; as cells 1..stage are met, that is the cell just above.
//! - `--lang pt` translates the model, the headings and the actions;
//!   evidence details and warnings stay in English.
//! - An `outside_tal` cell has no mark in the grid (the contract's marks
//!   are d, ! and ~); the notes list it.

pub mod answers;
pub mod combine;
pub mod facts;
pub mod model;
pub mod render;
pub mod rules;
pub mod template;

use chrono::NaiveDate;

use answers::{Answers, Meta};
use combine::{Cell, DimensionResult};
use model::Lang;
use rules::Finding;

/// A finished assessment, ready to render.
#[derive(Debug, Clone)]
pub struct Assessment {
    pub as_of: NaiveDate,
    pub lang: Lang,
    /// Where the answers and the evidence came from (None: not used).
    pub answers_file: Option<String>,
    pub spec_file: Option<String>,
    pub meta: Meta,
    /// The 25 cells, in grid order.
    pub cells: Vec<Cell>,
    pub dimensions: Vec<DimensionResult>,
    pub overall: usize,
    pub median: usize,
    /// Every rule's finding, in rule order.
    pub findings: Vec<Finding>,
    pub warnings: Vec<String>,
}

/// Where the evidence came from, and what it found.
pub struct Observed {
    pub spec_file: Option<String>,
    pub findings: Vec<Finding>,
    pub warnings: Vec<String>,
}

impl Observed {
    /// No spec to look at: every rule n/a.
    pub fn nothing(reason: &str) -> Self {
        Observed {
            spec_file: None,
            findings: rules::none_observed(reason),
            warnings: Vec::new(),
        }
    }
}

/// Combines the answers with what was observed.
pub fn assess(answers: &Answers, observed: Observed, as_of: NaiveDate, lang: Lang) -> Assessment {
    let cells = combine::cells(&answers.responses, &observed.findings);
    let dimensions = combine::dimensions(&cells);
    Assessment {
        as_of,
        lang,
        answers_file: answers.file.clone(),
        spec_file: observed.spec_file,
        meta: answers.meta.clone(),
        overall: combine::overall(&dimensions),
        median: combine::median(&dimensions),
        cells,
        dimensions,
        findings: observed.findings,
        warnings: observed.warnings,
    }
}
