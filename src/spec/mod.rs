//! The spec: what the user asked for in `tal.toml`, checked and compiled.
//!
//! `model` is the file as written (serde), `load` reads it with key-path
//! errors, `compile` turns it into [`Spec`]: defaults applied, paths resolved
//! against the spec's folder, every `when` parsed and type-checked against the
//! fields and the signals available at that point.

mod compile;
mod inputs;
pub mod load;
pub mod model;
mod numbers;
pub mod plan;
pub mod signals;

use std::fmt;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;

use crate::expr::{Cond, Expr, Type};
use crate::value::DecimalMark;

pub use compile::compile;
pub use inputs::is_workbook;
pub use plan::Plan;
pub use signals::Phase;

/// A spec problem: file, line, key path, message.
#[derive(Debug, Clone)]
pub struct SpecError {
    pub file: String,
    pub line: Option<usize>,
    pub key: String,
    pub message: String,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, " line {line}")?;
        }
        if self.key.is_empty() {
            write!(f, ": {}", self.message)
        } else {
            write!(f, ": {}: {}", self.key, self.message)
        }
    }
}

impl std::error::Error for SpecError {}

/// Loads, parses and compiles the spec at `path`.
pub fn load(path: &Path) -> Result<Spec, SpecError> {
    let (text, raw) = load::read_spec(path)?;
    compile(raw, &text, path)
}

/// What an input's rows are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    Account,
    Intent,
    Engagement,
}

/// A mapped column of an input.
#[derive(Debug, Clone)]
pub struct FieldMap {
    pub name: String,
    pub column: String,
    pub ty: Type,
    /// Number fields: the unit each value is multiplied by.
    pub scale: Option<f64>,
}

impl FieldMap {
    /// A parsed number in the field's unit.
    pub fn scaled(&self, value: f64) -> f64 {
        self.scale.map_or(value, |scale| value * scale)
    }
}

/// One export file.
#[derive(Debug, Clone)]
pub struct Input {
    pub name: String,
    pub kind: InputKind,
    /// As written in the spec, for messages.
    pub path_as_written: String,
    pub path: PathBuf,
    pub key_column: String,
    pub encoding: Option<&'static encoding_rs::Encoding>,
    pub delimiter: Option<u8>,
    pub decimal: DecimalMark,
    pub date_format: Option<String>,
    pub fields: Vec<FieldMap>,
    /// What the file is.
    pub format: FileFormat,
    /// A warehouse table instead of a file (only `tal sql` reads it).
    pub table: Option<Table>,
}

/// How an input's file is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileFormat {
    /// Delimited text in any common encoding.
    Csv,
    /// An Excel workbook (`.xlsx`): one sheet, by name or the first.
    Xlsx { sheet: Option<String> },
    /// Parquet, as `tal export` writes it: typed columns named after the
    /// fields (`domain` the normalised key), read directly.
    Parquet,
}

/// A warehouse table that `tal sql` reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// As written: `schema.name`.
    pub name: String,
    /// The column that stands for file order.
    pub order_by: Option<String>,
}

/// A compiled `when` and where it came from, for messages and explain:
/// the checked tree as written, and its elaboration, which backends run.
#[derive(Debug, Clone)]
pub struct Condition {
    pub key: String,
    pub source: String,
    pub expr: Expr,
    pub cond: Cond,
}

impl Condition {
    /// A checked `when` and its elaboration, seen from `phase` (which says
    /// whether a name is a signal or a field).
    pub fn new(key: String, source: String, expr: Expr, phase: Phase) -> Condition {
        let cond = crate::expr::elaborate(&expr, &|name| signals::column(name, phase));
        Condition {
            key,
            source,
            expr,
            cond,
        }
    }
}

#[derive(Debug, Clone)]
pub enum CriterionRule {
    Points { points: f64, when: Condition },
    Bands(Vec<(Condition, f64)>),
}

#[derive(Debug, Clone)]
pub struct Criterion {
    pub name: String,
    pub rule: CriterionRule,
}

impl Criterion {
    /// A criterion's possible points: its points, or its largest band's.
    pub fn possible(&self) -> f64 {
        match &self.rule {
            CriterionRule::Points { points, .. } => *points,
            CriterionRule::Bands(bands) => {
                bands.iter().map(|(_, points)| *points).fold(0.0, f64::max)
            }
        }
    }
}

#[derive(Debug, Clone)]
pub struct Fit {
    pub high: f64,
    /// Highest minimum first.
    pub grades: Vec<(String, f64)>,
    pub criteria: Vec<Criterion>,
}

#[derive(Debug, Clone)]
pub struct Named {
    pub name: String,
    pub when: Condition,
}

#[derive(Debug, Clone)]
pub struct IntentSpec {
    /// As written; matched case-insensitively.
    pub topics: Vec<String>,
    pub threshold: f64,
    pub window_days: i64,
}

#[derive(Debug, Clone)]
pub struct EngagementSpec {
    pub window_days: i64,
    pub half_life_days: Option<f64>,
    pub threshold: Option<f64>,
    /// Lower-cased activity type -> points.
    pub points: IndexMap<String, f64>,
    /// Lower-cased persona -> multiplier.
    pub persona_weights: IndexMap<String, f64>,
}

impl EngagementSpec {
    /// `engaged`: the score reaches the threshold, or is above 0 without one.
    pub fn is_engaged(&self, score: f64) -> bool {
        match self.threshold {
            Some(t) => score >= t,
            None => score > 0.0,
        }
    }
}

#[derive(Debug, Clone)]
pub struct AcvSpec {
    pub from: Option<String>,
    pub large: f64,
    pub medium: f64,
    pub estimate: Vec<(Condition, f64)>,
    pub default: f64,
}

#[derive(Debug, Clone, Default)]
pub struct Budget {
    pub period: Option<String>,
    pub currency: String,
    pub total: Option<f64>,
    pub sellers: Option<u64>,
    pub revenue_goal: Option<f64>,
    pub enforce: bool,
}

#[derive(Debug, Clone)]
pub struct RankKey {
    pub name: String,
    pub ty: Type,
    pub descending: bool,
}

#[derive(Debug, Clone)]
pub struct Tier {
    pub name: String,
    pub label: String,
    pub style: String,
    pub when: Condition,
    pub per_account: Option<f64>,
    pub accounts_per_seller: Option<u64>,
    pub max_accounts: Option<u64>,
    pub win_rate: f64,
    pub research: Option<String>,
    pub exec_sponsor: Option<bool>,
    pub personalization: Option<String>,
    pub programs: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Program {
    pub label: String,
    pub cost: f64,
}

#[derive(Debug, Clone)]
pub enum SegmentRule {
    When(Condition),
    GroupBy { name: String, ty: Type },
}

#[derive(Debug, Clone)]
pub struct Segment {
    pub name: String,
    pub rule: SegmentRule,
    /// Only accounts in these tiers (canonical names); empty: all.
    pub tiers: Vec<String>,
    pub objective: Option<String>,
    pub offer: Option<String>,
    pub channels: IndexMap<String, f64>,
}

#[derive(Debug, Clone)]
pub struct CrmExport {
    pub changed_only: bool,
    /// CRM column -> TAL column.
    pub columns: IndexMap<String, String>,
}

/// The checked, compiled spec.
#[derive(Debug, Clone)]
pub struct Spec {
    pub path: PathBuf,
    pub text: String,
    pub inputs: Vec<Input>,
    /// Every account field and its type, in first-mapped order.
    pub fields: IndexMap<String, Type>,
    pub fit: Fit,
    pub excludes: Vec<Named>,
    pub intent: IntentSpec,
    pub engagement: EngagementSpec,
    pub acv: AcvSpec,
    pub budget: Budget,
    pub ranking: Vec<RankKey>,
    pub tiers: Vec<Tier>,
    pub programs: IndexMap<String, Program>,
    pub stages: Vec<Named>,
    pub segments: Vec<Segment>,
    pub overrides: Option<PathBuf>,
    /// The pins as a warehouse table (`[overrides] table`), for `tal sql`.
    pub overrides_table: Option<Table>,
    pub crm_export: Option<CrmExport>,
    /// Problems that do not stop a run (e.g. a tier's program missing from
    /// `[programs]`).
    pub warnings: Vec<String>,
}

impl Spec {
    /// What the segments' channels cost: each `[[segments]]` entry's
    /// channels once (a `group_by` entry's groups share one budget). It is
    /// committed before the tiers are sized.
    pub fn channel_spend(&self) -> f64 {
        (self.segments.iter())
            .flat_map(|segment| segment.channels.values())
            .sum()
    }

    /// The tier with this name, case-insensitively.
    pub fn tier_index(&self, name: &str) -> Option<usize> {
        self.tiers
            .iter()
            .position(|tier| tier.name.eq_ignore_ascii_case(name.trim()))
    }
}
