//! The accounts as a polars frame: one row per account, raw fields under
//! `f.<name>`, the domain, and the intent and engagement signals — the
//! columns every translated condition reads (see `engine::lower`), and only
//! those the plan reads.

use chrono::NaiveDate;
use polars::prelude::{
    Column as PColumn, DataFrame, DataType, IntoSeries, NamedFrom, PlHashMap, PolarsResult, Series,
    StringChunked, StringChunkedBuilder,
};
use rayon::prelude::*;

use super::activity::{EngagementSignal, IntentSignal};
use super::lower::{column_name, item_column, LIST_SEP};
use crate::expr::Column as Source;
use crate::input::accounts::Column;
use crate::input::Accounts;
use crate::spec::plan::{Plan, Reads};
use crate::spec::Spec;
use crate::value::{push_lowercase, List};

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

/// A field column as polars series; text lower-cased, as every text
/// comparison ignores case, and a list as [`list_series`] gives it.
fn field_series(source: &Source, column: &Column, reads: &Reads) -> PolarsResult<Vec<Series>> {
    let name = column_name(source);
    let name = name.as_str();
    Ok(match column {
        Column::Number(v) => vec![Series::new(name.into(), v.as_slice())],
        Column::Text(v) => vec![text_series(name, v, |out, text| {
            text.as_deref()
                .map(|text| push_lowercase(out, text))
                .is_some()
        })?],
        Column::Bool(v) => vec![Series::new(name.into(), v.as_slice())],
        Column::Date(v) => vec![date_series(name, v.iter().copied())?],
        Column::List(v) => list_series(source, v, reads, |list, each| {
            list.iter().flat_map(List::items).for_each(each)
        })?,
    })
}

/// A list column and its item columns (see `engine::lower`): whether
/// each account has an item (null when none), then per item set a
/// condition tests, whether the account's list holds one of its items. A list some ranking key
/// reads is its lower-cased items between separators instead, to sort on.
/// `each_item` calls back with every item of a value.
fn list_series<T: Sync>(
    source: &Source,
    values: &[T],
    reads: &Reads,
    each_item: impl Fn(&T, &mut dyn FnMut(&str)) + Sync,
) -> PolarsResult<Vec<Series>> {
    let name = column_name(source);
    let name = name.as_str();
    let tested: Vec<&Vec<String>> = reads.items.get(source).into_iter().flatten().collect();
    let sets = SetsOf::new(&tested);
    let chunks: Vec<ItemHits> = (values.par_chunks(CHUNK))
        .map(|chunk| ItemHits::of(chunk, &sets, &each_item))
        .collect();
    let hits = (chunks.into_iter())
        .reduce(ItemHits::append)
        .unwrap_or_else(|| ItemHits::new(0, tested.len()));
    let list = if reads.ranked.contains(source) {
        text_series(name, values, |out, value| {
            let from = out.len();
            each_item(value, &mut |item| {
                out.push(LIST_SEP);
                push_lowercase(out, item);
            });
            out.len() > from && {
                out.push(LIST_SEP);
                true
            }
        })?
    } else {
        Series::new(name.into(), hits.listed)
    };
    let items = (tested.iter().zip(hits.held))
        .map(|(items, holds)| Series::new(item_column(name, items).into(), holds));
    Ok(std::iter::once(list).chain(items).collect())
}

/// Which tested sets each (lower-cased) item is in.
struct SetsOf<'a> {
    sets: usize,
    of: PlHashMap<&'a str, Vec<usize>>,
}

impl<'a> SetsOf<'a> {
    fn new(tested: &[&'a Vec<String>]) -> Self {
        let mut of: PlHashMap<&str, Vec<usize>> = PlHashMap::default();
        for (k, items) in tested.iter().enumerate() {
            for item in items.iter() {
                let sets = of.entry(item.as_str()).or_default();
                if sets.last() != Some(&k) {
                    sets.push(k);
                }
            }
        }
        SetsOf {
            sets: tested.len(),
            of,
        }
    }
}

/// Per account: whether its list has an item, and per tested set whether
/// the list holds one of its items.
struct ItemHits {
    listed: Vec<Option<bool>>,
    held: Vec<Vec<bool>>,
}

impl ItemHits {
    fn new(accounts: usize, tested: usize) -> Self {
        ItemHits {
            listed: Vec::with_capacity(accounts),
            held: vec![Vec::with_capacity(accounts); tested],
        }
    }

    /// An item holds when it lower-cases to a tested item: one lookup per
    /// item, however many items the sets have.
    fn of<T>(values: &[T], sets: &SetsOf, each_item: impl Fn(&T, &mut dyn FnMut(&str))) -> Self {
        let mut hits = ItemHits::new(values.len(), sets.sets);
        let mut holds = vec![false; sets.sets];
        let mut lower = String::new();
        for value in values {
            holds.fill(false);
            let mut any = false;
            each_item(value, &mut |item| {
                any = true;
                if sets.sets == 0 {
                    return;
                }
                lower.clear();
                push_lowercase(&mut lower, item);
                for &k in sets.of.get(lower.as_str()).into_iter().flatten() {
                    holds[k] = true;
                }
            });
            hits.listed.push(any.then_some(true));
            for (column, holds) in hits.held.iter_mut().zip(&holds) {
                column.push(*holds);
            }
        }
        hits
    }

    fn append(mut self, next: ItemHits) -> Self {
        self.listed.extend(next.listed);
        for (column, next) in self.held.iter_mut().zip(next.held) {
            column.extend(next);
        }
        self
    }
}

/// The frame columns of the fields the plan reads (and the domain): they
/// need no signal, so they are built while the signals are computed.
pub fn field_columns(plan: &Plan, accounts: &Accounts) -> PolarsResult<Vec<PColumn>> {
    let reads = &plan.reads;
    let mut columns: Vec<PColumn> = Vec::new();
    if reads.columns.contains(&Source::Domain) {
        let name = column_name(&Source::Domain);
        let domains = text_series(&name, &accounts.domains, |out, domain| {
            out.push_str(domain);
            true
        })?;
        columns.push(domains.into());
    }
    for (name, column) in &accounts.columns {
        let source = Source::Field(name.clone());
        if reads.columns.contains(&source) {
            columns.extend(
                field_series(&source, column, reads)?
                    .into_iter()
                    .map(Into::into),
            );
        }
    }
    Ok(columns)
}

/// Builds the frame the rules are evaluated on: the [`field_columns`], then
/// the intent and engagement signals.
pub fn accounts_frame(
    spec: &Spec,
    plan: &Plan,
    mut columns: Vec<PColumn>,
    intent: &[IntentSignal],
    engagement: &[EngagementSignal],
) -> PolarsResult<DataFrame> {
    let n = intent.len();
    let reads = &plan.reads;
    let threshold = spec.intent.threshold;
    let engaged = |score: f64| spec.engagement.is_engaged(score);
    let signal = |name: &str| Source::Signal(name.to_string());
    // The intent and the engagement columns side by side.
    let (intent_columns, engagement_columns) = rayon::join(
        || -> PolarsResult<Vec<Series>> {
            let mut columns = vec![
                Series::new(
                    "intent_score".into(),
                    intent.iter().map(|s| s.score).collect::<Vec<_>>(),
                ),
                Series::new(
                    "intent".into(),
                    intent
                        .iter()
                        .map(|s| s.score >= threshold)
                        .collect::<Vec<_>>(),
                ),
            ];
            columns.extend(list_series(
                &signal("intent_topics"),
                intent,
                reads,
                |s, each| s.topics.iter().for_each(|topic| each(topic)),
            )?);
            columns.push(Series::new(
                "intent_topic_count".into(),
                intent
                    .iter()
                    .map(|s| s.topics.len() as f64)
                    .collect::<Vec<_>>(),
            ));
            Ok(columns)
        },
        || -> PolarsResult<Vec<Series>> {
            let mut columns = vec![
                Series::new(
                    "engagement_score".into(),
                    engagement.iter().map(|s| s.score).collect::<Vec<_>>(),
                ),
                Series::new(
                    "engaged".into(),
                    engagement
                        .iter()
                        .map(|s| engaged(s.score))
                        .collect::<Vec<_>>(),
                ),
                date_series("last_engaged", engagement.iter().map(|s| s.last))?,
            ];
            columns.extend(list_series(
                &signal("personas_engaged"),
                engagement,
                reads,
                |s, each| s.personas.iter().for_each(|persona| each(persona)),
            )?);
            Ok(columns)
        },
    );
    let signals = intent_columns?.into_iter().chain(engagement_columns?);
    columns.extend(signals.into_iter().map(Into::into));
    DataFrame::new(n, columns)
}

#[cfg(test)]
mod tests {
    use super::*;
    use compact_str::CompactString;
    use proptest::prelude::*;

    /// Chunks built on every core come back whole and in order.
    #[test]
    fn text_columns_span_chunks_in_order() {
        let values: Vec<Option<CompactString>> = (0..CHUNK * 2 + 7)
            .map(|i| (i % 5 != 0).then(|| compact_str::format_compact!("Acme {i}")))
            .collect();
        let name = Source::Field("name".into());
        let series = field_series(&name, &Column::Text(values.clone()), &Reads::default())
            .unwrap()
            .remove(0);
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
        let reads = Plan::of(&spec).reads;
        let fields: Vec<String> = (reads.columns.iter())
            .filter(|c| !matches!(c, Source::Signal(_)))
            .map(column_name)
            .collect();
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
        let sets: Vec<&Vec<String>> = reads.items[&Source::Field("technologies".into())]
            .iter()
            .collect();
        assert_eq!(
            sets,
            [
                &[
                    "marketo",
                    "hubspot",
                    "pardot",
                    "eloqua",
                    "segment",
                    "snowflake"
                ]
                .map(String::from)
                .to_vec(),
                &vec!["rivalmetrics".to_string()]
            ]
        );
    }

    /// Whether a list holds an item, as the frame says: one of its items
    /// lower-cases to the lower-cased item.
    fn holds(lists: &[Option<List>], items: &[String], ranked: bool) -> Vec<Vec<Option<bool>>> {
        let list = Source::Field("l".into());
        let reads = Reads {
            columns: Default::default(),
            ranked: (ranked.then(|| list.clone()).into_iter()).collect(),
            items: [(
                list.clone(),
                items.iter().map(|item| vec![item.clone()]).collect(),
            )]
            .into(),
        };
        let series = field_series(&list, &Column::List(lists.to_vec()), &reads).unwrap();
        assert_eq!(series.len(), items.len() + 1);
        (series.iter().skip(1))
            .map(|s| s.bool().unwrap().iter().collect())
            .collect()
    }

    proptest! {
        /// An item column says what a search for the item between
        /// separators in the lower-cased list says.
        #[test]
        fn item_columns_find_whole_items_in_any_case(
            cells in proptest::collection::vec("[aAkK\u{212a}éÉ ;,|]{0,8}", 0..40),
            item in "[aAkK\u{212a}éÉ ]{0,3}",
            ranked in any::<bool>(),
        ) {
            let lists: Vec<Option<List>> = cells.iter().map(|c| List::parse(c)).collect();
            let wanted = item.to_lowercase();
            let found = holds(&lists, std::slice::from_ref(&wanted), ranked).remove(0);
            for (list, found) in lists.iter().zip(found) {
                let mut text = String::from(LIST_SEP);
                for item in list.iter().flat_map(List::items) {
                    push_lowercase(&mut text, item);
                    text.push(LIST_SEP);
                }
                let searched = text.contains(&format!("{LIST_SEP}{wanted}{LIST_SEP}"));
                prop_assert_eq!(found, Some(searched), "{:?}", list);
            }
        }
    }
}
