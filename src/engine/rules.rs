//! The plan's rules evaluated with polars, phase by phase: fit criteria,
//! fit and grade, ACV, stage, excludes and the tier rules. Each condition is
//! translated once from its elaborated tree (`engine::lower`).

use polars::prelude::{
    col, lit, when, Column as PColumn, DataFrame, DataType, Expr as PExpr, IntoLazy, IntoSeries,
    LazyFrame, NewChunkedArray, PolarsResult, RoundMode, StringChunked, NULL,
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
    /// The band of an ACV (SPEC.md "Signals": at least `large`, at least
    /// `medium`, else small). ACVs are finite: fields parse only finite
    /// numbers, and estimates and the default are the spec's.
    fn of(acv: f64, large: f64, medium: f64) -> Self {
        if acv >= large {
            AcvBand::Large
        } else if acv >= medium {
            AcvBand::Medium
        } else {
            AcvBand::Small
        }
    }

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
#[derive(Debug, Default, PartialEq)]
pub struct Labels {
    names: Vec<String>,
    of: Vec<u32>,
}

impl Labels {
    /// Each account's value from the index of the case that held (none:
    /// the last name, the default).
    fn of(names: Vec<String>, index: impl Iterator<Item = Option<usize>>) -> Self {
        let default = names.len().saturating_sub(1);
        let of = index.map(|k| k.unwrap_or(default) as u32).collect();
        Labels { names, of }
    }

    /// Appends the values of the accounts after these (the same names).
    fn append(&mut self, mut next: Labels) {
        self.of.append(&mut next.of);
    }

    /// Account `i`'s value.
    pub fn get(&self, i: usize) -> &str {
        &self.names[self.of[i] as usize]
    }

    /// The values as a frame column, lower-cased like all text in the
    /// frame (see `engine::lower`): each name once, not once per account,
    /// and no nested `when` chain making a column per case.
    fn column(&self, name: &str) -> PColumn {
        let lowered: Vec<String> = self.names.iter().map(|n| n.to_lowercase()).collect();
        let values = self.of.iter().map(|&k| lowered[k as usize].as_str());
        StringChunked::from_iter_values(name.into(), values)
            .into_series()
            .into()
    }
}

/// The points one criterion gave each account. A criterion gives one of a
/// few values (a band's points, or none), so an account holds the index of
/// its value in a byte instead of the value in eight: at 5M accounts and
/// six criteria, 30 MB of fresh pages instead of 240 MB. Plain values when
/// a criterion has more than 256 (or a value is not among them).
#[derive(Debug, Clone, PartialEq)]
pub enum Points {
    Coded { values: Vec<f64>, of: Vec<u8> },
    Plain(Vec<f64>),
}

impl Points {
    /// `points`, coded against the `values` they are taken from.
    fn new(values: Vec<f64>, mut points: impl Iterator<Item = f64>) -> Self {
        if values.len() > 256 {
            return Points::Plain(points.collect());
        }
        let mut of = Vec::with_capacity(points.size_hint().0);
        while let Some(p) = points.next() {
            match values.iter().position(|v| v.to_bits() == p.to_bits()) {
                Some(k) => of.push(k as u8),
                None => {
                    let mut plain: Vec<f64> = of.iter().map(|&k| values[k as usize]).collect();
                    plain.push(p);
                    plain.extend(points);
                    return Points::Plain(plain);
                }
            }
        }
        Points::Coded { values, of }
    }

    pub fn len(&self) -> usize {
        match self {
            Points::Coded { of, .. } => of.len(),
            Points::Plain(points) => points.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Account `i`'s points.
    pub fn get(&self, i: usize) -> f64 {
        match self {
            Points::Coded { values, of } => values[of[i] as usize],
            Points::Plain(points) => points[i],
        }
    }

    /// Appends the points of the accounts after these.
    fn append(&mut self, next: Points) {
        match (&mut *self, next) {
            (
                Points::Coded { values, of },
                Points::Coded {
                    values: theirs,
                    of: more,
                },
            ) if *values == theirs => {
                of.extend(more);
            }
            (_, next) => {
                let all = (0..self.len()).map(|i| self.get(i));
                let mut plain: Vec<f64> = all.collect();
                plain.extend((0..next.len()).map(|i| next.get(i)));
                *self = Points::Plain(plain);
            }
        }
    }
}

/// Rule results, one entry per account.
#[derive(Debug, Default, PartialEq)]
pub struct RuleResults {
    /// Points earned, by criterion then account.
    pub criteria_points: Vec<Points>,
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

impl RuleResults {
    /// Appends the results of the accounts after these.
    fn append(&mut self, next: RuleResults) {
        for (mine, theirs) in self.criteria_points.iter_mut().zip(next.criteria_points) {
            mine.append(theirs);
        }
        self.fit.extend(next.fit);
        self.fit_grade.append(next.fit_grade);
        self.high_fit.extend(next.high_fit);
        self.acv.extend(next.acv);
        self.acv_source.extend(next.acv_source);
        self.acv_band.extend(next.acv_band);
        self.stage.append(next.stage);
        self.excluded_by.append(next.excluded_by);
        self.matched_tier.append(next.matched_tier);
    }
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
    lf.with_columns([
        first_match(values, lit(acv.default))
            .cast(DataType::Float64)
            .alias("acv"),
        first_match(sources, lit(-2i32)).alias(ACV_SOURCE),
    ])
}

/// The column holding the index of an account's grade (null: the default),
/// from which the results take the name as the spec spells it.
const GRADE: &str = "__grade";
/// The column holding where an account's ACV came from (see `AcvSource`).
const ACV_SOURCE: &str = "__acv_source";

fn index_of_first(conditions: Vec<PExpr>) -> PExpr {
    let cases = conditions
        .into_iter()
        .enumerate()
        .map(|(i, c)| (c, lit(i as i32)))
        .collect();
    first_match(cases, lit(NULL).cast(DataType::Int32))
}

/// Frames at least this tall are evaluated in two halves side by side.
const HALVES_FROM: usize = 1 << 17;

/// Evaluates every rule; returns the frame (for segments later) and results.
///
/// Every rule reads its own account's row only, so a tall frame is cut in
/// two and the halves evaluated at once: polars runs most steps of one
/// frame on one core, and between them the results are read out in Rust.
pub fn evaluate(plan: &Plan, frame: DataFrame) -> PolarsResult<(DataFrame, RuleResults)> {
    evaluate_halves_from(plan, frame, HALVES_FROM)
}

/// [`evaluate`], in halves when the frame has at least `halves_from` rows.
pub(super) fn evaluate_halves_from(
    plan: &Plan,
    frame: DataFrame,
    halves_from: usize,
) -> PolarsResult<(DataFrame, RuleResults)> {
    let height = frame.height();
    if height < halves_from.max(2) {
        return evaluate_rows(plan, frame);
    }
    let half = height / 2;
    let (top, bottom) = (
        frame.slice(0, half),
        frame.slice(half as i64, height - half),
    );
    drop(frame);
    let (top, bottom) = rayon::join(|| evaluate_rows(plan, top), || evaluate_rows(plan, bottom));
    let ((mut df, mut results), (df_bottom, results_bottom)) = (top?, bottom?);
    df.vstack_mut_owned(df_bottom)?;
    results.append(results_bottom);
    Ok((df, results))
}

/// [`evaluate`] on one frame.
///
/// Grades, ACV bands and stages are named in the frame from the index of
/// the case that held, one column each (the rules after them read the
/// names): the fit first, as ACV estimates may read the grade.
fn evaluate_rows(plan: &Plan, frame: DataFrame) -> PolarsResult<(DataFrame, RuleResults)> {
    let mut df = fit_columns(plan, frame.lazy()).collect()?;
    let fit_grade = Labels::of(plan.grade_names(), indexes(&df, GRADE)?);
    df.with_column(fit_grade.column("fit_grade"))?;
    let mut df = acv_columns(plan, df.lazy()).collect()?;
    let acv = floats(&df, "acv")?;
    let (large, medium) = (plan.acv.large, plan.acv.medium);
    let acv_band: Vec<AcvBand> = (acv.iter())
        .map(|&acv| AcvBand::of(acv, large, medium))
        .collect();
    let bands =
        StringChunked::from_iter_values("acv_band".into(), acv_band.iter().map(|band| band.name()));
    df.with_column(bands.into_series().into())?;
    let stage_conds: Vec<&Cond> = plan.stages.iter().map(|(_, cond)| cond).collect();
    let stage = Labels::of(plan.stage_names(), first_holding(&df, &stage_conds)?.iter());
    df.with_column(stage.column("stage"))?;
    let excluded_by = first_holding(&df, &plan.excludes.iter().collect::<Vec<_>>())?;
    let matched_tier = first_holding(&df, &plan.tiers.iter().collect::<Vec<_>>())?;
    let results = RuleResults {
        criteria_points: (plan.criteria.iter().enumerate())
            .map(|(i, criterion)| criterion_points_of(&df, i, criterion))
            .collect::<PolarsResult<_>>()?,
        fit: floats(&df, "fit")?,
        fit_grade,
        high_fit: (df.column("high_fit")?.bool()?.iter())
            .map(|v| v.unwrap_or(false))
            .collect(),
        acv,
        acv_source: acv_sources(&df)?,
        acv_band,
        stage,
        excluded_by,
        matched_tier,
    };
    // The columns only the results were read from go now: at millions of
    // accounts the next stages take the memory they held instead of pages
    // the kernel has to clear (bench/README.md, round 6).
    let internal = (0..plan.criteria.len())
        .map(|i| format!("__c{i}"))
        .chain([GRADE, ACV_SOURCE].map(String::from));
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

/// The points criterion `i` gave each account (its column `__c{i}`): a
/// band's points, or none.
fn criterion_points_of(df: &DataFrame, i: usize, criterion: &Criterion) -> PolarsResult<Points> {
    let values = (criterion.bands.iter().map(|(_, points)| *points)).chain([0.0]);
    let column = df.column(&format!("__c{i}"))?.cast(&DataType::Float64)?;
    let points = column.f64()?.iter().map(|v| v.unwrap_or(0.0));
    Ok(Points::new(values.collect(), points))
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

/// The indexes in an integer column (null: none).
fn indexes<'d>(
    df: &'d DataFrame,
    name: &str,
) -> PolarsResult<impl Iterator<Item = Option<usize>> + 'd> {
    Ok((df.column(name)?.i32()?.iter()).map(|k| k.and_then(|k| usize::try_from(k).ok())))
}

/// Where each account's ACV came from (the column `acv_columns` made).
fn acv_sources(df: &DataFrame) -> PolarsResult<Vec<AcvSource>> {
    Ok((df.column(ACV_SOURCE)?.i32()?.iter())
        .map(|v| match v {
            Some(-1) => AcvSource::Field,
            Some(i) if i >= 0 => AcvSource::Estimate(i as u32),
            _ => AcvSource::Default,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Points coded or plain, whole or appended, read back as the very
    /// values (bits and all) given.
    fn points_read_back(
        values: Vec<f64>,
        points: Vec<f64>,
        cut: usize,
    ) -> Result<(), TestCaseError> {
        let cut = cut.min(points.len());
        let whole = Points::new(values.clone(), points.iter().copied());
        let mut halves = Points::new(values.clone(), points[..cut].iter().copied());
        halves.append(Points::new(values, points[cut..].iter().copied()));
        for coded in [&whole, &halves] {
            prop_assert_eq!(coded.len(), points.len());
            for (i, p) in points.iter().enumerate() {
                prop_assert_eq!(coded.get(i).to_bits(), p.to_bits());
            }
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn points_hold_what_they_were_given(
            values in prop::collection::vec(prop_oneof![Just(0.0), Just(-0.0), -50.0..50.0f64], 1..6),
            picks in prop::collection::vec((0usize..8, -50.0..50.0f64), 0..40),
            cut in 0usize..40,
        ) {
            // Mostly the values coded, now and then one that is not.
            let points = (picks.iter())
                .map(|&(k, other)| values.get(k).copied().unwrap_or(other))
                .collect();
            points_read_back(values, points, cut)?;
        }
    }

    #[test]
    fn more_than_256_values_are_kept_plain() {
        let values: Vec<f64> = (0..300).map(f64::from).collect();
        let points = Points::new(values.clone(), values.iter().copied());
        assert!(matches!(points, Points::Plain(_)));
        assert_eq!(points.get(299), 299.0);
    }
}
