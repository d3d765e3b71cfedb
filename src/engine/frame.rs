//! The accounts as a polars frame: one row per account, raw fields under
//! `f.<name>`, the domain, and the intent and engagement signals — the
//! columns every lowered `when` reads (see `expr::to_polars`).

use std::borrow::Cow;
use std::collections::HashSet;

use chrono::NaiveDate;
use polars::prelude::{Column as PColumn, DataFrame, DataType, NamedFrom, PolarsResult, Series};
use rayon::prelude::*;

use super::activity::{EngagementSignal, IntentSignal};
use crate::expr::idents;
use crate::expr::to_polars::list_matcher;
use crate::input::accounts::Column;
use crate::input::value::lowercase;
use crate::input::Accounts;
use crate::spec::signals::{column_of, field_column, DOMAIN};
use crate::spec::{Phase, Spec};

pub fn epoch_days(date: NaiveDate) -> i32 {
    (date - NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()).num_days() as i32
}

fn date_series(
    name: &str,
    values: impl Iterator<Item = Option<NaiveDate>>,
) -> PolarsResult<Series> {
    let days: Vec<Option<i32>> = values.map(|d| d.map(epoch_days)).collect();
    Series::new(name.into(), days).cast(&DataType::Date)
}

/// List matchers (see `expr::to_polars`), made on every core: a million
/// accounts' lists are millions of items to lower-case.
fn list_series<T: Sync>(
    name: &str,
    values: &[T],
    items: impl Fn(&T) -> Option<&[String]> + Sync,
) -> Series {
    let matchers: Vec<Option<String>> = values
        .par_iter()
        .map(|v| items(v).and_then(list_matcher))
        .collect();
    Series::new(name.into(), matchers)
}

/// A field column as a polars series; text lower-cased, as every text
/// comparison ignores case.
fn field_series(name: &str, column: &Column) -> PolarsResult<Series> {
    Ok(match column {
        Column::Number(v) => Series::new(name.into(), v.as_slice()),
        Column::Text(v) => {
            let lower: Vec<Option<Cow<str>>> = v
                .par_iter()
                .map(|text| text.as_deref().map(lowercase))
                .collect();
            Series::new(
                name.into(),
                lower.iter().map(|t| t.as_deref()).collect::<Vec<_>>(),
            )
        }
        Column::Bool(v) => Series::new(name.into(), v.as_slice()),
        Column::Date(v) => date_series(name, v.iter().copied())?,
        Column::List(v) => list_series(name, v, |items| items.as_deref()),
    })
}

/// The frame columns that some `when`, ranking key or `acv.from` reads.
/// Fields nothing reads (names, ids, owners...) stay out of the frame: a
/// million accounts' text is a lot to copy for nothing.
fn columns_read(spec: &Spec) -> HashSet<String> {
    let mut read: HashSet<String> = spec
        .conditions()
        .into_iter()
        .flat_map(|(condition, phase)| {
            idents(&condition.expr)
                .into_iter()
                .map(move |ident| column_of(&ident.name, phase))
        })
        .collect();
    read.extend(
        spec.ranking
            .iter()
            .map(|key| column_of(&key.name, Phase::Tier)),
    );
    read.extend(spec.acv.from.as_deref().map(field_column));
    read
}

/// Builds the frame the rules are evaluated on.
pub fn accounts_frame(
    spec: &Spec,
    accounts: &Accounts,
    intent: &[IntentSignal],
    engagement: &[EngagementSignal],
) -> PolarsResult<DataFrame> {
    let n = accounts.len();
    let read = columns_read(spec);
    let mut columns: Vec<PColumn> = Vec::new();
    if read.contains(DOMAIN) {
        columns.push(Series::new(DOMAIN.into(), accounts.domains.as_slice()).into());
    }
    for (name, column) in &accounts.columns {
        let name = field_column(name);
        if read.contains(&name) {
            columns.push(field_series(&name, column)?.into());
        }
    }
    let threshold = spec.intent.threshold;
    let engaged = |score: f64| spec.engagement.is_engaged(score);
    columns.extend([
        Series::new(
            "intent_score".into(),
            intent.iter().map(|s| s.score).collect::<Vec<_>>(),
        )
        .into(),
        Series::new(
            "intent".into(),
            intent
                .iter()
                .map(|s| s.score >= threshold)
                .collect::<Vec<_>>(),
        )
        .into(),
        list_series("intent_topics", intent, |s| Some(&s.topics)).into(),
        Series::new(
            "intent_topic_count".into(),
            intent
                .iter()
                .map(|s| s.topics.len() as f64)
                .collect::<Vec<_>>(),
        )
        .into(),
        Series::new(
            "engagement_score".into(),
            engagement.iter().map(|s| s.score).collect::<Vec<_>>(),
        )
        .into(),
        Series::new(
            "engaged".into(),
            engagement
                .iter()
                .map(|s| engaged(s.score))
                .collect::<Vec<_>>(),
        )
        .into(),
        date_series("last_engaged", engagement.iter().map(|s| s.last))?.into(),
        list_series("personas_engaged", engagement, |s| Some(&s.personas)).into(),
    ]);
    DataFrame::new(n, columns)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The demo's rules read these fields (a stage reads the opportunity
    /// stage); names, ids, owners and dates nothing reads stay out.
    #[test]
    fn frame_holds_the_fields_rules_read() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo/tal.toml");
        let spec = crate::spec::load(&path).unwrap();
        let mut fields: Vec<String> = columns_read(&spec)
            .into_iter()
            .filter(|c| c.starts_with("f.") || c == DOMAIN)
            .collect();
        fields.sort();
        assert_eq!(
            fields,
            [
                "f.acv",
                "f.country",
                "f.employees",
                "f.industry",
                "f.is_customer",
                "f.opportunity_stage",
                "f.revenue",
                "f.technologies"
            ]
        );
    }
}
