//! The plan's rules evaluated with polars, phase by phase: fit criteria,
//! fit and grade, ACV, stage, excludes and the tier rules. Each condition is
//! translated once from its elaborated tree (`engine::lower`).

use polars::prelude::{
    col, lit, when, DataFrame, DataType, Expr as PExpr, IntoLazy, IntoSeries, LazyFrame, NamedFrom,
    NewChunkedArray, PolarsResult, RoundMode, Series, StringChunked, NULL,
};

use super::choices::Choices;
use super::lower::{column_name, condition as lower};
use crate::expr::Cond;
use crate::spec::plan::{Criterion, Plan};

/// Where an account's ACV came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcvSource {
    Field,
    /// The estimate of this index (4 bytes: one per account).
    Estimate(u32),
    Default,
}

/// An account's ACV band (SPEC.md "Signals": `acv_band`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcvBand {
    Small,
    Medium,
    Large,
}

impl AcvBand {
    /// As the spec's rules and the outputs spell it.
    pub fn name(self) -> &'static str {
        match self {
            AcvBand::Small => "small",
            AcvBand::Medium => "medium",
            AcvBand::Large => "large",
        }
    }
}

/// A text result with a few distinct values (grades, stages): each account
/// holds the number of its value, not a string of its own.
#[derive(Debug, Default)]
pub struct Labels {
    names: Vec<String>,
    of: Vec<u32>,
}

impl Labels {
    /// Account `i`'s value.
    pub fn get(&self, i: usize) -> &str {
        &self.names[self.of[i] as usize]
    }
}

/// Rule results, one entry per account.
#[derive(Debug, Default)]
pub struct RuleResults {
    /// Points earned, by criterion then account.
    pub criteria_points: Vec<Vec<f64>>,
    pub fit: Vec<f64>,
    pub fit_grade: Labels,
    pub high_fit: Vec<bool>,
    pub acv: Vec<f64>,
    pub acv_source: Vec<AcvSource>,
    pub acv_band: Vec<AcvBand>,
    pub stage: Labels,
    pub excluded_by: Choices,
    pub matched_tier: Choices,
}

/// `when c1 then v1 when c2 then v2 ... otherwise default`.
fn first_match(cases: Vec<(PExpr, PExpr)>, default: PExpr) -> PExpr {
    let mut iter = cases.into_iter();
    let Some((c0, v0)) = iter.next() else {
        return default;
    };
    let Some((c1, v1)) = iter.next() else {
        return when(c0).then(v0).otherwise(default);
    };
    let mut chain = when(c0).then(v0).when(c1).then(v1);
    for (c, v) in iter {
        chain = chain.when(c).then(v);
    }
    chain.otherwise(default)
}

fn criterion_points(criterion: &Criterion) -> PExpr {
    let bands = (criterion.bands.iter())
        .map(|(cond, points)| (lower(cond), lit(*points)))
        .collect();
    first_match(bands, lit(0.0))
}

fn fit_columns(plan: &Plan, lf: LazyFrame) -> LazyFrame {
    let points: Vec<PExpr> = (plan.criteria.iter())
        .enumerate()
        .map(|(i, c)| criterion_points(c).alias(format!("__c{i}")))
        .collect();
    let possible = plan.possible;
    let earned = (0..plan.criteria.len())
        .map(|i| col(format!("__c{i}")))
        .reduce(|a, b| a + b)
        .unwrap_or_else(|| lit(0.0));
    let fit = if possible > 0.0 {
        (lit(100.0) * earned / lit(possible)).round(1, RoundMode::HalfAwayFromZero)
    } else {
        lit(0.0)
    };
    let grades: Vec<PExpr> = (plan.grades.iter())
        .map(|(_, min)| col("fit").gt_eq(lit(*min)))
        .collect();
    lf.with_columns(points)
        .with_columns([fit.alias("fit")])
        .with_columns([
            index_of_first(grades).alias(GRADE),
            col("fit").gt_eq(lit(plan.high)).alias("high_fit"),
        ])
        .with_columns([label(GRADE, &plan.grade_names()).alias("fit_grade")])
}

fn acv_columns(plan: &Plan, lf: LazyFrame) -> LazyFrame {
    let acv = &plan.acv;
    let mut values = Vec::new();
    let mut sources = Vec::new();
    if let Some(from) = &acv.from {
        let field = col(column_name(from).as_str());
        values.push((field.clone().gt(lit(0.0)), field.clone()));
        sources.push((field.gt(lit(0.0)), lit(-1i32)));
    }
    for (i, (cond, value)) in acv.estimates.iter().enumerate() {
        values.push((lower(cond), lit(*value)));
        sources.push((lower(cond), lit(i as i32)));
    }
    let band = when(col("acv").gt_eq(lit(acv.large)))
        .then(lit("large"))
        .when(col("acv").gt_eq(lit(acv.medium)))
        .then(lit("medium"))
        .otherwise(lit("small"));
    lf.with_columns([
        first_match(values, lit(acv.default))
            .cast(DataType::Float64)
            .alias("acv"),
        first_match(sources, lit(-2i32)).alias(ACV_SOURCE),
    ])
    .with_columns([band.alias("acv_band")])
}

/// Columns holding the index of an account's grade and stage (null: the
/// default), from which the results take the names as the spec spells them.
const GRADE: &str = "__grade";
const STAGE: &str = "__stage";
/// The column holding where an account's ACV came from (see `AcvSource`).
const ACV_SOURCE: &str = "__acv_source";

/// The name the `index` column points at (null: the last name);
/// lower-cased, like all text in the frame (see `engine::lower`).
fn label(index: &str, names: &[String]) -> PExpr {
    let Some((default, named)) = names.split_last() else {
        return lit(NULL);
    };
    let cases = (named.iter().enumerate())
        .map(|(k, name)| (col(index).eq(lit(k as i32)), lit(name.to_lowercase())))
        .collect();
    first_match(cases, lit(default.to_lowercase()))
}

fn index_of_first(conditions: Vec<PExpr>) -> PExpr {
    let cases = conditions
        .into_iter()
        .enumerate()
        .map(|(i, c)| (c, lit(i as i32)))
        .collect();
    first_match(cases, lit(NULL).cast(DataType::Int32))
}

/// Evaluates every rule; returns the frame (for segments later) and results.
pub fn evaluate(plan: &Plan, frame: DataFrame) -> PolarsResult<(DataFrame, RuleResults)> {
    let mut df = acv_columns(plan, fit_columns(plan, frame.lazy())).collect()?;
    let stage_conds: Vec<&Cond> = plan.stages.iter().map(|(_, cond)| cond).collect();
    let stages = first_holding(&df, &stage_conds)?;
    let names = plan.stage_names();
    let default = names.len().saturating_sub(1);
    let stage_index: Vec<Option<i32>> = stages.iter().map(|k| k.map(|k| k as i32)).collect();
    // Each name lower-cased once, not once per account.
    let lowered: Vec<String> = names.iter().map(|name| name.to_lowercase()).collect();
    let stage_label = StringChunked::from_iter_values(
        "stage".into(),
        stages
            .iter()
            .map(|k| lowered[k.unwrap_or(default)].as_str()),
    );
    df.with_column(Series::new(STAGE.into(), stage_index).into())?;
    df.with_column(stage_label.into_series().into())?;
    let excluded_by = first_holding(&df, &plan.excludes.iter().collect::<Vec<_>>())?;
    let matched_tier = first_holding(&df, &plan.tiers.iter().collect::<Vec<_>>())?;
    let results = extract(plan, &df, excluded_by, matched_tier)?;
    // The columns only the results were read from go now: at millions of
    // accounts the next stages take the memory they held instead of pages
    // the kernel has to clear (bench/README.md, round 6).
    let internal = (0..plan.criteria.len())
        .map(|i| format!("__c{i}"))
        .chain([GRADE, ACV_SOURCE, STAGE].map(String::from));
    for name in internal {
        df.drop_in_place(&name)?;
    }
    Ok((df, results))
}

/// Rules evaluated side by side in one pass over the frame, at most this
/// many: a plan with 1,000 tiers is 16 passes of bounded width, not one
/// `when/then` chain 1,000 deep.
const RULES_PER_PASS: usize = 64;

/// For each account, the first of `conds` that holds (none: none holds).
fn first_holding(df: &DataFrame, conds: &[&Cond]) -> PolarsResult<Choices> {
    let mut first = Choices::none(df.height());
    for (pass, batch) in conds.chunks(RULES_PER_PASS).enumerate() {
        let columns: Vec<PExpr> = (batch.iter().enumerate())
            .map(|(k, cond)| lower(cond).alias(format!("__rule{k}")))
            .collect();
        let held = df.clone().lazy().select(columns).collect()?;
        for (k, column) in held.columns().iter().enumerate() {
            let rule = pass * RULES_PER_PASS + k;
            for (i, holds) in column.bool()?.iter().enumerate() {
                if holds == Some(true) && !first.is_some(i) {
                    first.set(i, rule);
                }
            }
        }
    }
    Ok(first)
}

/// The `fit` column alone, for a caller that weighs a `[fit]` without
/// tiering (see [`super::fit_scores`]).
pub fn evaluate_fit(plan: &Plan, frame: DataFrame) -> PolarsResult<Vec<f64>> {
    let df = fit_columns(plan, frame.lazy())
        .select([col("fit")])
        .collect()?;
    floats(&df, "fit")
}

fn floats(df: &DataFrame, name: &str) -> PolarsResult<Vec<f64>> {
    Ok(df
        .column(name)?
        .cast(&DataType::Float64)?
        .f64()?
        .iter()
        .map(|v| v.unwrap_or(0.0))
        .collect())
}

/// The labels of column `name`, the index of the case that held (null:
/// the last name, the default).
fn labels(df: &DataFrame, name: &str, names: Vec<String>) -> PolarsResult<Labels> {
    let default = names.len().saturating_sub(1) as u32;
    let of = (df.column(name)?.i32()?.iter())
        .map(|k| k.map_or(default, |k| k as u32))
        .collect();
    Ok(Labels { names, of })
}

fn extract(
    plan: &Plan,
    df: &DataFrame,
    excluded_by: Choices,
    matched_tier: Choices,
) -> PolarsResult<RuleResults> {
    let criteria_points = (0..plan.criteria.len())
        .map(|i| floats(df, &format!("__c{i}")))
        .collect::<PolarsResult<_>>()?;
    let acv_source = df
        .column(ACV_SOURCE)?
        .i32()?
        .iter()
        .map(|v| match v {
            Some(-1) => AcvSource::Field,
            Some(i) if i >= 0 => AcvSource::Estimate(i as u32),
            _ => AcvSource::Default,
        })
        .collect();
    let acv_band = df
        .column("acv_band")?
        .str()?
        .iter()
        .map(|v| match v {
            Some("large") => AcvBand::Large,
            Some("medium") => AcvBand::Medium,
            _ => AcvBand::Small,
        })
        .collect();
    Ok(RuleResults {
        criteria_points,
        fit: floats(df, "fit")?,
        fit_grade: labels(df, GRADE, plan.grade_names())?,
        high_fit: df
            .column("high_fit")?
            .bool()?
            .iter()
            .map(|v| v.unwrap_or(false))
            .collect(),
        acv: floats(df, "acv")?,
        acv_source,
        acv_band,
        stage: labels(df, STAGE, plan.stage_names())?,
        excluded_by,
        matched_tier,
    })
}
