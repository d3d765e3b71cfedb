//! The accounts as a polars frame: one row per account, raw fields under
//! `f.<name>`, the domain, and the intent and engagement signals — the
//! columns every lowered `when` reads (see `expr::to_polars`).

use std::collections::HashSet;

use chrono::NaiveDate;
use polars::prelude::{
    Column as PColumn, DataFrame, DataType, IntoSeries, NamedFrom, PolarsResult, Series,
    StringChunked, StringChunkedBuilder,
};
use rayon::prelude::*;

use super::activity::{EngagementSignal, IntentSignal};
use crate::expr::idents;
use crate::expr::to_polars::write_list_matcher;
use crate::input::accounts::Column;
use crate::input::value::push_lowercase;
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

/// Accounts per chunk of a text column built on every core.
const CHUNK: usize = 1 << 16;

/// A text column built on every core, each value written by `write` into
/// one reused buffer (false: null), so no account gets a string of its own.
fn text_series<T: Sync>(
    name: &str,
    values: &[T],
    write: impl Fn(&mut String, &T) -> bool + Sync,
) -> PolarsResult<Series> {
    let chunks: Vec<StringChunked> = values
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut builder = StringChunkedBuilder::new(name.into(), chunk.len());
            let mut text = String::new();
            for value in chunk {
                text.clear();
                if write(&mut text, value) {
                    builder.append_value(&text);
                } else {
                    builder.append_null();
                }
            }
            builder.finish()
        })
        .collect();
    let mut chunks = chunks.into_iter();
    let Some(mut column) = chunks.next() else {
        return Ok(Series::new_empty(name.into(), &DataType::String));
    };
    for chunk in chunks {
        column.append_owned(chunk)?;
    }
    // One chunk: the rules then run over one array, not sixteen.
    Ok(column.rechunk().into_owned().into_series())
}

/// A field column as a polars series; text lower-cased, as every text
/// comparison ignores case.
fn field_series(name: &str, column: &Column) -> PolarsResult<Series> {
    Ok(match column {
        Column::Number(v) => Series::new(name.into(), v.as_slice()),
        Column::Text(v) => text_series(name, v, |out, text| {
            text.as_deref()
                .map(|text| push_lowercase(out, text))
                .is_some()
        })?,
        Column::Bool(v) => Series::new(name.into(), v.as_slice()),
        Column::Date(v) => date_series(name, v.iter().copied())?,
        // List matchers (see `expr::to_polars`).
        Column::List(v) => text_series(name, v, |out, list| {
            list.as_ref()
                .is_some_and(|list| write_list_matcher(out, list.items()))
        })?,
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
        let domains = text_series(DOMAIN, &accounts.domains, |out, domain| {
            out.push_str(domain);
            true
        })?;
        columns.push(domains.into());
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
        text_series("intent_topics", intent, |out, s| {
            write_list_matcher(out, &s.topics)
        })?
        .into(),
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
        text_series("personas_engaged", engagement, |out, s| {
            write_list_matcher(out, &s.personas)
        })?
        .into(),
    ]);
    DataFrame::new(n, columns)
}

#[cfg(test)]
mod tests {
    use super::*;
    use compact_str::CompactString;

    /// Chunks built on every core come back whole and in order.
    #[test]
    fn text_columns_span_chunks_in_order() {
        let values: Vec<Option<CompactString>> = (0..CHUNK * 2 + 7)
            .map(|i| (i % 5 != 0).then(|| compact_str::format_compact!("Acme {i}")))
            .collect();
        let series = field_series("f.name", &Column::Text(values.clone())).unwrap();
        let got: Vec<Option<String>> = (series.str().unwrap().iter())
            .map(|v| v.map(str::to_string))
            .collect();
        let want: Vec<Option<String>> = (values.iter())
            .map(|v| v.as_ref().map(|t| t.to_lowercase().to_string()))
            .collect();
        assert_eq!(got, want);
    }

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
