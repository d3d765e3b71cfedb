//! The draft `[fit]` (SPEC-icp.md "Draft"): the attributes with a
//! qualifying value, most telling first, one criterion each, a band per
//! qualifying value worth `max(1, round(10·ln(smoothed lift)))` points,
//! equal points merged; and the [`Learner`] that learns tables, draft and
//! `high` from one split of the accounts, for the whole data and for each
//! fold of the backtest alike.

use anyhow::{Context, Result};
use chrono::NaiveDate;

use crate::engine;
use crate::expr::{self, Ident, Type};
use crate::format::round;
use crate::input::Loaded;
use crate::spec::signals::{self, Phase};
use crate::spec::{Condition, Criterion, CriterionRule, Fit, Spec};

use super::attributes::{Attribute, Grouping};
use super::stats::{self, Counts, Lifts, Row, Table, Tabulated};
use super::Params;

/// One band of a draft criterion: its values merged (equal points).
#[derive(Debug, Clone)]
pub struct DraftBand {
    pub when: String,
    pub points: i64,
    /// The values (or band labels) it holds, in table order.
    pub values: Vec<String>,
    /// A number band's labels ("1,001–5,000"), which its `when` spells in
    /// raw numbers.
    pub range: Option<String>,
    /// The accounts holding any of them.
    pub counts: Counts,
    pub lifts: Lifts,
}

#[derive(Debug, Clone)]
pub struct DraftCriterion {
    pub field: String,
    /// The attribute's information value.
    pub score: f64,
    /// By points, highest first: the first that holds gives its points.
    pub bands: Vec<DraftBand>,
}

#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub criteria: Vec<DraftCriterion>,
    /// `high`: the nearest-rank 20th percentile of the best accounts' fit
    /// under this draft, floored.
    pub high: f64,
    /// That percentile before flooring (None without best accounts).
    pub percentile: Option<f64>,
    /// Values that cannot be written in a `when`.
    pub warnings: Vec<String>,
}

/// `max(1, round(10·ln(lift)))`, from the smoothed lift as printed.
pub fn points(smoothed: f64) -> i64 {
    (10.0 * round(smoothed, 2).ln()).round().max(1.0) as i64
}

/// A text literal for a `when`: double quotes, single quotes when the
/// value holds a double quote, none when it holds both.
pub fn literal(value: &str) -> Option<String> {
    let escaped = value.replace('\\', r"\\");
    if !value.contains('"') {
        Some(format!("\"{escaped}\""))
    } else if !value.contains('\'') {
        Some(format!("'{escaped}'"))
    } else {
        None
    }
}

/// The field as an expression names it (in backticks when not a plain
/// identifier); None when it cannot be written (it holds a backtick).
fn field_name(field: &str) -> Option<String> {
    (!field.contains('`')).then(|| {
        Ident {
            name: field.to_string(),
            pos: Default::default(),
            ty: None,
        }
        .to_string()
    })
}

/// Builds the draft from tables learnt on one split (`tabulated` beside
/// the `attributes` they count).
pub fn build(
    attributes: &[Attribute],
    tabulated: &[Tabulated],
    in_best: &[bool],
    in_base: &[bool],
    params: &Params,
) -> Draft {
    let mut draft = Draft::default();
    let mut order: Vec<usize> = (0..tabulated.len())
        .filter(|&a| tabulated[a].table.rows.iter().any(|r| r.qualifies))
        .collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&tabulated[a].table, &tabulated[b].table);
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.field.cmp(&b.field))
    });
    for a in order {
        if draft.criteria.len() >= params.max_criteria {
            break;
        }
        let (attribute, tab) = (&attributes[a], &tabulated[a]);
        let grouping = tab.grouping(attribute);
        if let Some(criterion) =
            criterion(&tab.table, grouping, in_best, in_base, &mut draft.warnings)
        {
            draft.criteria.push(criterion);
        }
    }
    draft
}

/// One attribute's criterion; None when none of its values can be written.
fn criterion(
    table: &Table,
    grouping: &Grouping,
    in_best: &[bool],
    in_base: &[bool],
    warnings: &mut Vec<String>,
) -> Option<DraftCriterion> {
    let Some(field) = field_name(&table.field) else {
        warnings.push(format!(
            "'{}' holds a backtick, so no `when` can name it: left out of the draft",
            table.field
        ));
        return None;
    };
    let mut rows: Vec<&Row> = Vec::new();
    for row in table.rows.iter().filter(|r| r.qualifies) {
        if matches!(table.ty, Type::Text | Type::List) && literal(&row.value).is_none() {
            warnings.push(format!(
                "'{}' value {} holds both kinds of quote, so no `when` can name it: left out of the draft",
                table.field, row.value
            ));
            continue;
        }
        rows.push(row);
    }
    // Groups of rows with equal points: any for values, adjacent for bands.
    let mut groups: Vec<(i64, Vec<&Row>)> = Vec::new();
    for row in rows {
        let p = points(row.lifts.smoothed);
        let joins = |(points, group): &(i64, Vec<&Row>)| {
            *points == p
                && match table.ty {
                    Type::Number => group
                        .last()
                        .is_some_and(|last| last.ids[0] + 1 == row.ids[0]),
                    _ => true,
                }
        };
        let found = match table.ty {
            Type::Number => groups.last_mut().filter(|g| joins(g)),
            _ => groups.iter_mut().find(|g| joins(g)),
        };
        match found {
            Some((_, group)) => group.push(row),
            None => groups.push((p, vec![row])),
        }
    }
    if groups.is_empty() {
        return None;
    }
    // A stable sort: equal points keep table order.
    groups.sort_by_key(|g| std::cmp::Reverse(g.0));
    let bands = groups
        .into_iter()
        .map(|(points, group)| {
            let ids: Vec<u32> = group.iter().flat_map(|r| r.ids.iter().copied()).collect();
            let counts = stats::count_any(grouping, &ids, in_best, in_base);
            DraftBand {
                when: when(&field, table.ty, &group),
                points,
                values: group.iter().map(|r| r.value.clone()).collect(),
                range: (table.ty == Type::Number).then(|| {
                    (group.iter().map(|r| r.value.as_str()))
                        .collect::<Vec<_>>()
                        .join(" + ")
                }),
                counts,
                lifts: counts.lifts(),
            }
        })
        .collect();
    Some(DraftCriterion {
        field: table.field.clone(),
        score: table.score,
        bands,
    })
}

/// The `when` of a band holding `rows`.
fn when(field: &str, ty: Type, rows: &[&Row]) -> String {
    let literals = || -> Vec<String> { rows.iter().filter_map(|r| literal(&r.value)).collect() };
    match ty {
        Type::List => format!("{field} has_any [{}]", literals().join(", ")),
        Type::Bool if rows.len() == 1 => format!("{field} == {}", rows[0].value),
        Type::Bool => format!("{field} in [true, false]"),
        Type::Number => {
            let lo = rows.first().and_then(|r| r.band).and_then(|(lo, _)| lo);
            let hi = rows.last().and_then(|r| r.band).and_then(|(_, hi)| hi);
            let number = crate::format::number;
            match (lo, hi) {
                (Some(lo), Some(hi)) => {
                    format!("{field} >= {} and {field} < {}", number(lo), number(hi))
                }
                (Some(lo), None) => format!("{field} >= {}", number(lo)),
                (None, Some(hi)) => format!("{field} < {}", number(hi)),
                (None, None) => format!("{field} is not null"),
            }
        }
        _ => format!("{field} in [{}]", literals().join(", ")),
    }
}

impl Draft {
    /// The draft as a compiled `[fit]`, its conditions checked like the
    /// spec's own (fields and intent and engagement signals in scope).
    pub fn fit(&self, spec: &Spec) -> Result<Fit> {
        let scope = signals::scope(&spec.fields, Phase::Fit);
        let mut criteria = Vec::new();
        for (i, criterion) in self.criteria.iter().enumerate() {
            let mut bands = Vec::new();
            for (j, band) in criterion.bands.iter().enumerate() {
                let key = format!("fit.criteria[{}].bands[{}].when", i + 1, j + 1);
                let expr = expr::compile_condition(&band.when, &scope)
                    .with_context(|| format!("the draft's {key} '{}'", band.when))?;
                let condition = Condition::new(key, band.when.clone(), expr, Phase::Fit);
                bands.push((condition, band.points as f64));
            }
            criteria.push(Criterion {
                name: criterion.field.clone(),
                rule: CriterionRule::Bands(bands),
            });
        }
        Ok(Fit {
            high: self.high,
            grades: spec.fit.grades.clone(),
            criteria,
        })
    }

    /// Sets `high` from the best accounts' fit under this draft.
    fn set_high(&mut self, fits: &[f64], in_best: &[bool]) {
        let mut best: Vec<f64> = (fits.iter().zip(in_best))
            .filter(|(_, b)| **b)
            .map(|(f, _)| *f)
            .collect();
        best.sort_by(f64::total_cmp);
        self.percentile = (!best.is_empty()).then(|| {
            // Nearest rank: ⌈0.2·n⌉.
            let rank = best.len().div_ceil(5).max(1);
            best[rank - 1]
        });
        self.high = self.percentile.map_or(0.0, f64::floor);
    }
}

/// What one split of the accounts teaches.
pub struct Learnt {
    pub tables: Vec<Table>,
    pub draft: Draft,
    /// Every account's fit under the draft.
    pub fits: Vec<f64>,
}

/// Learns tables, draft and `high` from a split of the accounts.
pub struct Learner<'a> {
    pub spec: &'a Spec,
    pub loaded: &'a Loaded,
    pub as_of: NaiveDate,
    pub params: &'a Params,
    pub attributes: &'a [Attribute],
}

impl Learner<'_> {
    pub fn learn(&self, in_best: &[bool], in_base: &[bool]) -> Result<Learnt> {
        let tabulated: Vec<Tabulated> = (self.attributes.iter())
            .map(|a| stats::tabulate(a, in_best, in_base, self.params))
            .collect();
        let mut draft = build(self.attributes, &tabulated, in_best, in_base, self.params);
        let fits = self.fits(&draft)?;
        draft.set_high(&fits, in_best);
        Ok(Learnt {
            tables: tabulated.into_iter().map(|t| t.table).collect(),
            draft,
            fits,
        })
    }

    /// Every account's fit under `draft`, by the engine.
    fn fits(&self, draft: &Draft) -> Result<Vec<f64>> {
        let spec = Spec {
            fit: draft.fit(self.spec)?,
            ..self.spec.clone()
        };
        engine::fit_scores(&spec, self.loaded, self.as_of)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_from_the_printed_smoothed_lift() {
        // 10·ln(3.91) = 13.64 → 14; 10·ln(1.5) = 4.05 → 4; ln(1.05) → 0 → 1.
        assert_eq!(points(3.9149), 14);
        assert_eq!(points(1.5), 4);
        assert_eq!(points(1.05), 1);
        // 1.6487 prints 1.65: 10·ln(1.65) = 5.008 → 5.
        assert_eq!(points(1.6487), 5);
    }

    #[test]
    fn literals_pick_the_quote_the_value_lacks() {
        assert_eq!(literal("Software").as_deref(), Some("\"Software\""));
        assert_eq!(
            literal("The \"A\" Team").as_deref(),
            Some("'The \"A\" Team'")
        );
        assert_eq!(literal("It's \"x\""), None);
        assert_eq!(literal(r"a\b").as_deref(), Some(r#""a\\b""#));
        assert_eq!(
            field_name("segment code").as_deref(),
            Some("`segment code`")
        );
        assert_eq!(field_name("industry").as_deref(), Some("industry"));
    }
}
