//! The scoring plan: what a spec asks every backend to compute, built once
//! from the compiled [`Spec`] and free of any backend — the polars engine
//! and the SQL emitter both translate it and decide nothing of their own.
//!
//! It names the columns the rules read (and the list items they test), the
//! fit criteria as bands (a `points` criterion is one band), the grades, the
//! ACV rules, the stages, excludes and tiers in order, the segments and the
//! ranking keys, every condition in its elaborated form ([`Cond`]). Sizing
//! is not here: it is one pure function (`engine::sizing`), which SQL
//! mirrors tier by tier; the plan names the limits a tier's capacity comes
//! from ([`Limit`]).

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexSet;
use serde::Serialize;

use super::{signals, CriterionRule, Phase, SegmentRule, Spec};
use crate::expr::{Column, Cond, Type};

/// The grade of a fit below every grade's minimum.
pub const LOWEST_GRADE: &str = "D";
/// The stage of an account that meets no `[[stages]]` rule.
pub const NO_STAGE: &str = "Target";

/// One fit criterion: the first band that holds gives its points.
#[derive(Debug, Clone)]
pub struct Criterion {
    pub bands: Vec<(Cond, f64)>,
}

/// The ACV rules: the `from` field when above 0, else the first estimate
/// that holds, else the default; banded by `large` and `medium`.
#[derive(Debug, Clone)]
pub struct Acv {
    pub from: Option<Column>,
    pub estimates: Vec<(Cond, f64)>,
    pub default: f64,
    pub large: f64,
    pub medium: f64,
}

/// A segment's rule.
#[derive(Debug, Clone)]
pub enum Segment {
    When(Cond),
    /// One sub-segment per value (per item of a list).
    GroupBy(Column, Type),
}

/// A ranking key.
#[derive(Debug, Clone)]
pub struct RankKey {
    pub column: Column,
    pub ty: Type,
    pub descending: bool,
}

/// What the rules read: the columns, the lists ranked on, and the item
/// sets tested per list (each a `has_any`/`in`, its items lower-cased;
/// first-tested order, each set once).
#[derive(Debug, Clone, Default)]
pub struct Reads {
    pub columns: BTreeSet<Column>,
    pub ranked: BTreeSet<Column>,
    pub items: BTreeMap<Column, IndexSet<Vec<String>>>,
}

/// The whole plan (see the module docs).
#[derive(Debug, Clone)]
pub struct Plan {
    pub reads: Reads,
    pub criteria: Vec<Criterion>,
    /// Σ of every criterion's largest points.
    pub possible: f64,
    /// `high_fit`: fit at or above this.
    pub high: f64,
    /// Each grade and its lowest fit, highest first; below all:
    /// [`LOWEST_GRADE`].
    pub grades: Vec<(String, f64)>,
    pub acv: Acv,
    /// Each stage and its rule, in order; none holds: [`NO_STAGE`].
    pub stages: Vec<(String, Cond)>,
    pub excludes: Vec<Cond>,
    pub tiers: Vec<Cond>,
    pub segments: Vec<Segment>,
    pub ranking: Vec<RankKey>,
}

impl Plan {
    pub fn of(spec: &Spec) -> Plan {
        let criteria: Vec<Criterion> = (spec.fit.criteria.iter())
            .map(|criterion| Criterion {
                bands: match &criterion.rule {
                    CriterionRule::Points { points, when } => vec![(when.cond.clone(), *points)],
                    CriterionRule::Bands(bands) => (bands.iter())
                        .map(|(when, points)| (when.cond.clone(), *points))
                        .collect(),
                },
            })
            .collect();
        let conds = |named: &[super::Named]| named.iter().map(|n| n.when.cond.clone()).collect();
        let plan = Plan {
            reads: Reads::default(),
            possible: spec.fit.criteria.iter().map(|c| c.possible()).sum(),
            criteria,
            high: spec.fit.high,
            grades: spec.fit.grades.clone(),
            acv: Acv {
                from: spec.acv.from.as_ref().map(|f| Column::Field(f.clone())),
                estimates: (spec.acv.estimate.iter())
                    .map(|(when, value)| (when.cond.clone(), *value))
                    .collect(),
                default: spec.acv.default,
                large: spec.acv.large,
                medium: spec.acv.medium,
            },
            stages: (spec.stages.iter())
                .map(|s| (s.name.clone(), s.when.cond.clone()))
                .collect(),
            excludes: conds(&spec.excludes),
            tiers: spec.tiers.iter().map(|t| t.when.cond.clone()).collect(),
            segments: (spec.segments.iter())
                .map(|segment| match &segment.rule {
                    SegmentRule::When(when) => Segment::When(when.cond.clone()),
                    SegmentRule::GroupBy { name, ty } => {
                        Segment::GroupBy(signals::column(name, Phase::Segment), *ty)
                    }
                })
                .collect(),
            ranking: (spec.ranking.iter())
                .map(|key| RankKey {
                    column: signals::column(&key.name, Phase::Tier),
                    ty: key.ty,
                    descending: key.descending,
                })
                .collect(),
        };
        Plan {
            reads: plan.reads(),
            ..plan
        }
    }

    /// The fit alone: the rules after it, which read columns the fit does
    /// not need, left out.
    pub fn fit_only(self) -> Plan {
        let plan = Plan {
            acv: Acv {
                from: None,
                estimates: Vec::new(),
                ..self.acv
            },
            stages: Vec::new(),
            excludes: Vec::new(),
            tiers: Vec::new(),
            segments: Vec::new(),
            ranking: Vec::new(),
            ..self
        };
        Plan {
            reads: plan.reads(),
            ..plan
        }
    }

    /// The grades' names, then the one below them all.
    pub fn grade_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.grades.iter().map(|(g, _)| g.clone()).collect();
        names.push(LOWEST_GRADE.to_string());
        names
    }

    /// The stages' names, then the one of an account that meets none.
    pub fn stage_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.stages.iter().map(|(s, _)| s.clone()).collect();
        names.push(NO_STAGE.to_string());
        names
    }

    /// Every condition, in evaluation order.
    pub fn conditions(&self) -> impl Iterator<Item = &Cond> {
        let criteria = (self.criteria.iter()).flat_map(|c| c.bands.iter().map(|(cond, _)| cond));
        let estimates = self.acv.estimates.iter().map(|(cond, _)| cond);
        let segments = self.segments.iter().filter_map(|s| match s {
            Segment::When(cond) => Some(cond),
            Segment::GroupBy(..) => None,
        });
        (criteria.chain(estimates))
            .chain(self.stages.iter().map(|(_, cond)| cond))
            .chain(&self.excludes)
            .chain(&self.tiers)
            .chain(segments)
    }

    fn reads(&self) -> Reads {
        let mut reads = Reads::default();
        for cond in self.conditions() {
            reads.columns.extend(cond.columns().into_iter().cloned());
            for (list, items) in cond.list_items() {
                let tested = reads.items.entry(list.clone()).or_default();
                if !tested.contains(items) {
                    tested.insert(items.to_vec());
                }
            }
        }
        for key in &self.ranking {
            reads.columns.insert(key.column.clone());
            reads.ranked.insert(key.column.clone());
        }
        reads.columns.extend(self.acv.from.clone());
        reads
    }
}

/// The limit that set a tier's capacity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    MaxAccounts,
    Sellers,
    Budget,
}

impl Limit {
    pub fn name(self) -> &'static str {
        match self {
            Limit::MaxAccounts => "max_accounts",
            Limit::Sellers => "sellers",
            Limit::Budget => "budget",
        }
    }
}
