//! The spec's rules evaluated with polars, phase by phase: fit criteria,
//! fit and grade, ACV, stage, excludes and the tier rules. Each `when` is
//! lowered once from its typed tree and sees the columns of its phase.

use polars::prelude::{
    col, lit, when, DataFrame, DataType, Expr as PExpr, IntoLazy, LazyFrame, PolarsResult,
    RoundMode, NULL,
};

use crate::expr::to_polars::lower_condition;
use crate::spec::signals::{column_of, field_column};
use crate::spec::{Condition, CriterionRule, Phase, Spec};

/// Where an account's ACV came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcvSource {
    Field,
    Estimate(usize),
    Default,
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
    pub acv_band: Vec<&'static str>,
    pub stage: Labels,
    pub excluded_by: Vec<Option<usize>>,
    pub matched_tier: Vec<Option<usize>>,
}

fn lower(condition: &Condition, phase: Phase) -> PExpr {
    lower_condition(&condition.expr, &|name| column_of(name, phase))
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

fn criterion_points(rule: &CriterionRule) -> PExpr {
    match rule {
        CriterionRule::Points { points, when: cond } => when(lower(cond, Phase::Fit))
            .then(lit(*points))
            .otherwise(lit(0.0)),
        CriterionRule::Bands(bands) => first_match(
            bands
                .iter()
                .map(|(c, p)| (lower(c, Phase::Fit), lit(*p)))
                .collect(),
            lit(0.0),
        ),
    }
}

fn fit_columns(spec: &Spec, lf: LazyFrame) -> LazyFrame {
    let points: Vec<PExpr> = spec
        .fit
        .criteria
        .iter()
        .enumerate()
        .map(|(i, c)| criterion_points(&c.rule).alias(format!("__c{i}")))
        .collect();
    let possible: f64 = spec.fit.criteria.iter().map(|c| c.possible()).sum();
    let earned = (0..spec.fit.criteria.len())
        .map(|i| col(format!("__c{i}")))
        .reduce(|a, b| a + b)
        .unwrap_or_else(|| lit(0.0));
    let fit = if possible > 0.0 {
        (lit(100.0) * earned / lit(possible)).round(1, RoundMode::HalfAwayFromZero)
    } else {
        lit(0.0)
    };
    let grades: Vec<PExpr> = (spec.fit.grades.iter())
        .map(|(_, min)| col("fit").gt_eq(lit(*min)))
        .collect();
    lf.with_columns(points)
        .with_columns([fit.alias("fit")])
        .with_columns([
            index_of_first(grades).alias(GRADE),
            col("fit").gt_eq(lit(spec.fit.high)).alias("high_fit"),
        ])
        .with_columns([label(GRADE, &grade_names(spec)).alias("fit_grade")])
}

fn acv_columns(spec: &Spec, lf: LazyFrame) -> LazyFrame {
    let acv = &spec.acv;
    let mut values = Vec::new();
    let mut sources = Vec::new();
    if let Some(from) = &acv.from {
        let field = col(field_column(from).as_str());
        values.push((field.clone().gt(lit(0.0)), field));
        sources.push((col(field_column(from).as_str()).gt(lit(0.0)), lit(-1i32)));
    }
    for (i, (cond, value)) in acv.estimate.iter().enumerate() {
        values.push((lower(cond, Phase::Acv), lit(*value)));
        sources.push((lower(cond, Phase::Acv), lit(i as i32)));
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
        first_match(sources, lit(-2i32)).alias("__acv_source"),
    ])
    .with_columns([band.alias("acv_band")])
}

/// The grades, then the grade of a fit below them all.
fn grade_names(spec: &Spec) -> Vec<String> {
    let mut names: Vec<String> = spec.fit.grades.iter().map(|(g, _)| g.clone()).collect();
    names.push("D".to_string());
    names
}

/// The stages, then the stage of an account that meets none.
fn stage_names(spec: &Spec) -> Vec<String> {
    let mut names: Vec<String> = spec.stages.iter().map(|s| s.name.clone()).collect();
    names.push("Target".to_string());
    names
}

/// Columns holding the index of an account's grade and stage (null: the
/// default), from which the results take the names as the spec spells them.
const GRADE: &str = "__grade";
const STAGE: &str = "__stage";

/// The name the `index` column points at (null: the last name);
/// lower-cased, like all text in the frame (see `expr::to_polars`).
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
pub fn evaluate(spec: &Spec, frame: DataFrame) -> PolarsResult<(DataFrame, RuleResults)> {
    let stages: Vec<PExpr> = (spec.stages.iter())
        .map(|s| lower(&s.when, Phase::Stage))
        .collect();
    let lf = acv_columns(spec, fit_columns(spec, frame.lazy()))
        .with_columns([index_of_first(stages).alias(STAGE)])
        .with_columns([label(STAGE, &stage_names(spec)).alias("stage")])
        .with_columns([
            index_of_first(
                spec.excludes
                    .iter()
                    .map(|e| lower(&e.when, Phase::Tier))
                    .collect(),
            )
            .alias("__excluded_by"),
            index_of_first(
                spec.tiers
                    .iter()
                    .map(|t| lower(&t.when, Phase::Tier))
                    .collect(),
            )
            .alias("__tier"),
        ]);
    let df = lf.collect()?;
    let results = extract(spec, &df)?;
    Ok((df, results))
}

/// The `fit` column alone, for a caller that weighs a `[fit]` without
/// tiering (see [`super::fit_scores`]).
pub fn evaluate_fit(spec: &Spec, frame: DataFrame) -> PolarsResult<Vec<f64>> {
    let df = fit_columns(spec, frame.lazy())
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

fn indexes(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<usize>>> {
    Ok(df
        .column(name)?
        .i32()?
        .iter()
        .map(|v| v.map(|i| i as usize))
        .collect())
}

fn extract(spec: &Spec, df: &DataFrame) -> PolarsResult<RuleResults> {
    let criteria_points = (0..spec.fit.criteria.len())
        .map(|i| floats(df, &format!("__c{i}")))
        .collect::<PolarsResult<_>>()?;
    let acv_source = df
        .column("__acv_source")?
        .i32()?
        .iter()
        .map(|v| match v {
            Some(-1) => AcvSource::Field,
            Some(i) if i >= 0 => AcvSource::Estimate(i as usize),
            _ => AcvSource::Default,
        })
        .collect();
    let acv_band = df
        .column("acv_band")?
        .str()?
        .iter()
        .map(|v| match v {
            Some("large") => "large",
            Some("medium") => "medium",
            _ => "small",
        })
        .collect();
    Ok(RuleResults {
        criteria_points,
        fit: floats(df, "fit")?,
        fit_grade: labels(df, GRADE, grade_names(spec))?,
        high_fit: df
            .column("high_fit")?
            .bool()?
            .iter()
            .map(|v| v.unwrap_or(false))
            .collect(),
        acv: floats(df, "acv")?,
        acv_source,
        acv_band,
        stage: labels(df, STAGE, stage_names(spec))?,
        excluded_by: indexes(df, "__excluded_by")?,
        matched_tier: indexes(df, "__tier")?,
    })
}
