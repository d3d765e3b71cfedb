//! Sub-segments of the TAL (SPEC.md step 5): `when` segments, and
//! `group_by` segments with one label per value ("Industry: Software"),
//! grouped case-insensitively and spelt as the group's first account by
//! domain. Joined in spec order.

use std::collections::HashMap;

use polars::prelude::{
    DataFrame, DataType, IntoColumn, IntoLazy, NamedFrom, PlHashMap, PolarsResult, Series,
};

use super::activity::{EngagementSignal, IntentSignal};
use super::lower::condition;
use super::rules::RuleResults;
use super::Status;
use crate::expr::Column as Source;
use crate::format;
use crate::input::accounts::Column;
use crate::input::Accounts;
use crate::spec::plan::{self, Plan};
use crate::spec::Spec;

/// Adds `tier`, `tier_number`, `tier_code` and `in_tal` to the frame, for
/// the segments' `when` rules, the only rules that read them.
pub fn with_tier_columns(
    spec: &Spec,
    plan: &Plan,
    mut frame: DataFrame,
    status: &[Status],
) -> PolarsResult<DataFrame> {
    if !(plan.segments.iter()).any(|s| matches!(s, plan::Segment::When(_))) {
        return Ok(frame);
    }
    // Lower-cased like all text in the frame (see `engine::lower`): a
    // name per status, not per account.
    let lower = |s: Status| s.name(spec).to_lowercase();
    let tiers: Vec<String> = (0..spec.tiers.len())
        .map(|t| lower(Status::Tier(t)))
        .collect();
    let [excluded, unassigned, waitlist] =
        [Status::Excluded, Status::Unassigned, Status::Waitlist].map(lower);
    let tier: Vec<&str> = (status.iter())
        .map(|s| match s {
            Status::Tier(t) => tiers[*t].as_str(),
            Status::Excluded => excluded.as_str(),
            Status::Unassigned => unassigned.as_str(),
            Status::Waitlist => waitlist.as_str(),
        })
        .collect();
    let number: Vec<Option<f64>> = status
        .iter()
        .map(|s| tier_number(*s).map(|n| n as f64))
        .collect();
    let code: Vec<Option<String>> = status
        .iter()
        .map(|s| tier_number(*s).map(|n| format!("tier_{n}")))
        .collect();
    let in_tal: Vec<bool> = status.iter().map(|s| s.in_tal()).collect();
    frame.with_column(Series::new("tier".into(), tier).into_column())?;
    frame.with_column(Series::new("tier_number".into(), number).into_column())?;
    frame.with_column(Series::new("tier_code".into(), code).into_column())?;
    frame.with_column(Series::new("in_tal".into(), in_tal).into_column())?;
    Ok(frame)
}

pub fn tier_number(status: Status) -> Option<usize> {
    match status {
        Status::Tier(t) => Some(t + 1),
        _ => None,
    }
}

/// The signals and fields of one account as display text.
pub struct Values<'a> {
    pub spec: &'a Spec,
    pub accounts: &'a Accounts,
    pub rules: &'a RuleResults,
    pub intent: &'a [IntentSignal],
    pub engagement: &'a [EngagementSignal],
    pub status: &'a [Status],
}

impl<'a> Values<'a> {
    /// The values of a scored project.
    pub fn of_scored(spec: &'a Spec, scored: &'a super::Scored, accounts: &'a Accounts) -> Self {
        Values {
            spec,
            accounts,
            rules: &scored.rules,
            intent: &scored.intent,
            engagement: &scored.engagement,
            status: &scored.status,
        }
    }

    /// The values of `source` for account `i` (lists give one value per
    /// item; a missing value gives none).
    pub fn of(&self, source: &Source, i: usize) -> Vec<String> {
        let name = match source {
            Source::Domain => return vec![self.accounts.domains[i].to_string()],
            Source::Field(name) => {
                return match self.accounts.columns.get(name) {
                    Some(Column::List(v)) => (v[i].iter())
                        .flat_map(|list| list.items().map(str::to_string))
                        .collect(),
                    Some(column) => column.text(i).into_iter().collect(),
                    None => Vec::new(),
                }
            }
            Source::Signal(name) => name.as_str(),
        };
        let one = |s: String| vec![s];
        match name {
            "intent_score" => one(format::number(self.intent[i].score)),
            "intent" => one((self.intent[i].score >= self.spec.intent.threshold).to_string()),
            "intent_topics" => self.intent[i].topics.clone(),
            "intent_topic_count" => one(self.intent[i].topics.len().to_string()),
            "engagement_score" => one(format::fixed(self.engagement[i].score, 2)),
            "engaged" => one(self.engaged(i).to_string()),
            "last_engaged" => self.engagement[i]
                .last
                .map(|d| d.to_string())
                .into_iter()
                .collect(),
            "personas_engaged" => self.engagement[i].personas.clone(),
            "fit" => one(format::fixed(self.rules.fit[i], 1)),
            "fit_grade" => one(self.rules.fit_grade.get(i).to_string()),
            "high_fit" => one(self.rules.high_fit[i].to_string()),
            "acv" => one(format::number(self.rules.acv[i])),
            "acv_band" => one(self.rules.acv_band[i].name().to_string()),
            "stage" => one(self.rules.stage.get(i).to_string()),
            "tier" => one(self.status[i].name(self.spec).to_string()),
            "tier_number" => tier_number(self.status[i])
                .map(|n| n.to_string())
                .into_iter()
                .collect(),
            "tier_code" => tier_number(self.status[i])
                .map(|n| format!("tier_{n}"))
                .into_iter()
                .collect(),
            "in_tal" => one(self.status[i].in_tal().to_string()),
            _ => Vec::new(),
        }
    }

    pub fn engaged(&self, i: usize) -> bool {
        self.spec.engagement.is_engaged(self.engagement[i].score)
    }
}

/// The segment labels of each account. Only TAL accounts have any, a few
/// thousand of millions: they are held by account, not in a vector as
/// long as the universe.
#[derive(Debug, Default)]
pub struct SegmentLabels {
    by_account: PlHashMap<u32, Vec<String>>,
}

impl SegmentLabels {
    /// Account `i`'s labels, in spec order (none outside the TAL).
    pub fn of(&self, i: usize) -> &[String] {
        u32::try_from(i)
            .ok()
            .and_then(|i| self.by_account.get(&i))
            .map_or(&[], Vec::as_slice)
    }

    fn of_mut(&mut self, account: u32) -> &mut Vec<String> {
        self.by_account.entry(account).or_default()
    }
}

/// Segment labels per account (none outside the TAL).
#[allow(clippy::too_many_arguments)]
pub fn assign(
    spec: &Spec,
    plan: &Plan,
    frame: &DataFrame,
    accounts: &Accounts,
    status: &[Status],
    tal: &[u32],
    rules: &RuleResults,
    intent: &[IntentSignal],
    engagement: &[EngagementSignal],
) -> PolarsResult<SegmentLabels> {
    let mut labels = SegmentLabels::default();
    let held = when_segments(plan, frame)?;
    let values = Values {
        spec,
        accounts,
        rules,
        intent,
        engagement,
        status,
    };
    for (s, (segment, rule)) in spec.segments.iter().zip(&plan.segments).enumerate() {
        let members: Vec<u32> = tal
            .iter()
            .copied()
            .filter(|&a| match status[a as usize] {
                Status::Tier(t) => {
                    segment.tiers.is_empty() || segment.tiers.contains(&spec.tiers[t].name)
                }
                _ => false,
            })
            .collect();
        match rule {
            plan::Segment::When(_) => {
                for &a in &members {
                    if held[s].as_ref().is_some_and(|h| h[a as usize]) {
                        labels.of_mut(a).push(segment.name.clone());
                    }
                }
            }
            plan::Segment::GroupBy(source, _) => {
                group_by(&segment.name, source, &members, &values, &mut labels)
            }
        }
    }
    Ok(labels)
}

/// One bool column per `when` segment (None for group_by segments).
fn when_segments(plan: &Plan, frame: &DataFrame) -> PolarsResult<Vec<Option<Vec<bool>>>> {
    let exprs: Vec<_> = (plan.segments.iter())
        .enumerate()
        .filter_map(|(s, segment)| match segment {
            plan::Segment::When(cond) => Some(condition(cond).alias(format!("__s{s}"))),
            plan::Segment::GroupBy(..) => None,
        })
        .collect();
    let df = frame.clone().lazy().select(exprs).collect()?;
    (0..plan.segments.len())
        .map(|s| match df.column(&format!("__s{s}")) {
            Ok(column) => Ok(Some(
                column
                    .cast(&DataType::Boolean)?
                    .bool()?
                    .iter()
                    .map(|v| v.unwrap_or(false))
                    .collect(),
            )),
            Err(_) => Ok(None),
        })
        .collect()
}

fn group_by(
    segment: &str,
    source: &Source,
    members: &[u32],
    values: &Values,
    labels: &mut SegmentLabels,
) {
    // The group's spelling: its first account by domain.
    let mut by_domain: Vec<u32> = members.to_vec();
    by_domain.sort_by(|&a, &b| {
        values.accounts.domains[a as usize].cmp(&values.accounts.domains[b as usize])
    });
    let mut spelling: HashMap<String, String> = HashMap::new();
    for &a in &by_domain {
        for value in values.of(source, a as usize) {
            spelling.entry(value.to_lowercase()).or_insert(value);
        }
    }
    for &a in members {
        let account_labels = labels.of_mut(a);
        for value in values.of(source, a as usize) {
            let spelt = spelling.get(&value.to_lowercase()).unwrap_or(&value);
            let label = format!("{segment}: {spelt}");
            if !account_labels.contains(&label) {
                account_labels.push(label);
            }
        }
    }
}
