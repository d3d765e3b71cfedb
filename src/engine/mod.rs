//! Scoring and tiering: pure logic over loaded inputs. No clock, no files:
//! `as_of` and the override rows come in as values, and every sort ends on
//! the domain, so the same inputs always give the same bytes.

pub mod activity;
mod choices;
pub mod explain;
mod frame;
mod lower;
pub mod overrides;
mod ranking;
pub mod reasons;
pub mod rules;
pub mod segments;
pub mod sizing;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use polars::prelude::DataFrame;

use crate::input::overrides::OverrideRow;
use crate::input::Loaded;
use crate::spec::{Plan, Spec};

pub use activity::{EngagementSignal, IntentSignal};
pub use choices::Choices;
pub use overrides::Pin;
pub use rules::{AcvSource, RuleResults};
pub use sizing::{Limit, TierOutcome};

/// Where an account ended up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Tier(usize),
    Excluded,
    Unassigned,
    Waitlist,
}

impl Status {
    pub fn in_tal(self) -> bool {
        matches!(self, Status::Tier(_))
    }

    /// The `tier` column: the tier's name, or the status.
    pub fn name(self, spec: &Spec) -> &str {
        match self {
            Status::Tier(t) => &spec.tiers[t].name,
            Status::Excluded => "Excluded",
            Status::Unassigned => "Unassigned",
            Status::Waitlist => "Waitlist",
        }
    }
}

/// Everything scoring found, per account (indexed like `Accounts`).
pub struct Scored {
    pub as_of: NaiveDate,
    /// The rules' frame: the engine's own (explain and segments read it).
    frame: DataFrame,
    pub rules: RuleResults,
    pub intent: Vec<IntentSignal>,
    pub engagement: Vec<EngagementSignal>,
    /// Pins by account: boxed, as a million accounts have a handful.
    pub pins: Vec<Option<Box<Pin>>>,
    pub status: Vec<Status>,
    pub demoted_from: Choices,
    pub rank: Vec<Option<u32>>,
    /// TAL accounts in rank order.
    pub tal: Vec<u32>,
    /// Accounts outside the TAL: Excluded, Unassigned, Waitlist, then domain.
    pub others: Vec<u32>,
    pub segments: segments::SegmentLabels,
    pub tiers: Vec<TierOutcome>,
    pub budget_left: Option<f64>,
    pub warnings: Vec<String>,
}

/// Scores, tiers, sizes and segments every account.
pub fn score(
    spec: &Spec,
    loaded: &Loaded,
    overrides: &[OverrideRow],
    as_of: NaiveDate,
) -> Result<Scored> {
    let n = loaded.accounts.len();
    let plan = Plan::of(spec);
    crate::progress::step("signals and the frame");
    let (frame, intent, engagement) = signals_and_frame(spec, &plan, loaded, as_of)?;
    crate::progress::step("rules");
    let (frame, rules) = rules::evaluate(&plan, frame).context("evaluating the spec's rules")?;
    crate::progress::step("pins, ranking, sizing, segments");
    let (pins, warnings) = overrides::active_pins(spec, overrides, &loaded.accounts, as_of);

    let pinned_tier: Choices = pins
        .iter()
        .map(|p| p.as_ref().and_then(|p| p.tier))
        .collect();
    let candidate_tier: Choices = (0..n)
        .map(|i| {
            if pins[i].is_some() || rules.excluded_by.is_some(i) {
                None
            } else {
                rules.matched_tier.get(i)
            }
        })
        .collect();
    // Only accounts that may take a seat are ranked: the others are listed
    // in account order, and are most of a large universe.
    let may_sit: Vec<bool> = (0..n)
        .map(|i| pinned_tier.is_some(i) || candidate_tier.is_some(i))
        .collect();
    let order = ranking::order(&plan, &frame, &may_sit).context("ranking the accounts")?;
    let sized = sizing::size(
        spec,
        &sizing::SizingInput {
            order: &order,
            pinned_tier: &pinned_tier,
            matched_tier: &candidate_tier,
        },
    );

    let status: Vec<Status> = (0..n)
        .map(|i| {
            match (
                sized.seat.get(i),
                &pins[i],
                rules.excluded_by.get(i),
                candidate_tier.get(i),
            ) {
                (Some(t), _, _, _) => Status::Tier(t),
                (None, Some(_), _, _) => Status::Excluded,
                (None, None, Some(_), _) => Status::Excluded,
                (None, None, None, Some(_)) => Status::Waitlist,
                (None, None, None, None) => Status::Unassigned,
            }
        })
        .collect();
    let (tal, others, rank) = ranks(&order, &status);
    let frame = segments::with_tier_columns(spec, &plan, frame, &status)
        .context("adding the tier columns")?;
    let segments = segments::assign(
        spec,
        &plan,
        &frame,
        &loaded.accounts,
        &status,
        &tal,
        &rules,
        &intent,
        &engagement,
    )
    .context("computing segments")?;
    Ok(Scored {
        as_of,
        frame,
        rules,
        intent,
        engagement,
        pins,
        status,
        demoted_from: sized.demoted_from,
        rank,
        tal,
        others,
        segments,
        tiers: sized.outcomes,
        budget_left: sized.budget_left,
        warnings,
    })
}

/// The fit of every account (SPEC "Signals": 1 decimal) under `spec`'s
/// `[fit]`, and nothing else: the frame holds only what the fit criteria
/// read (fields, intent and engagement signals), and only the fit columns
/// are evaluated. For weighing a `[fit]` without tiering, as
/// `tal icp discover` does for drafts and for the spec's own `[fit]`.
pub fn fit_scores(spec: &Spec, loaded: &Loaded, as_of: NaiveDate) -> Result<Vec<f64>> {
    let plan = Plan::of(spec).fit_only();
    let (frame, _, _) = signals_and_frame(spec, &plan, loaded, as_of)?;
    rules::evaluate_fit(&plan, frame).context("evaluating the fit criteria")
}

/// The intent and engagement signals, and the frame of the columns `plan`
/// reads. The frame's field columns need no signal: built beside them.
fn signals_and_frame(
    spec: &Spec,
    plan: &Plan,
    loaded: &Loaded,
    as_of: NaiveDate,
) -> Result<(DataFrame, Vec<IntentSignal>, Vec<EngagementSignal>)> {
    let n = loaded.accounts.len();
    let ((intent, engagement), fields) = rayon::join(
        || {
            rayon::join(
                || activity::intent_signals(&loaded.intent, &spec.intent, n),
                || activity::engagement_signals(&loaded.activity, &spec.engagement, as_of, n),
            )
        },
        || frame::field_columns(plan, &loaded.accounts),
    );
    let frame = fields
        .and_then(|fields| frame::accounts_frame(spec, plan, fields, &intent, &engagement))
        .context("building the accounts frame")?;
    Ok((frame, intent, engagement))
}

/// TAL in tier order then ranking; the rest by status then domain (which
/// is account order).
fn ranks(order: &[u32], status: &[Status]) -> (Vec<u32>, Vec<u32>, Vec<Option<u32>>) {
    let mut tal: Vec<u32> = order
        .iter()
        .copied()
        .filter(|&a| status[a as usize].in_tal())
        .collect();
    // A stable sort keeps the ranking order inside each tier.
    tal.sort_by_key(|&a| status[a as usize]);
    let mut rank = vec![None; status.len()];
    for (i, &a) in tal.iter().enumerate() {
        rank[a as usize] = Some(i as u32 + 1);
    }
    let mut others: Vec<u32> = Vec::with_capacity(status.len() - tal.len());
    for wanted in [Status::Excluded, Status::Unassigned, Status::Waitlist] {
        others.extend((0..status.len() as u32).filter(|&a| status[a as usize] == wanted));
    }
    (tal, others, rank)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rules give the same results and frame whether the frame is
    /// evaluated whole or in halves side by side, whatever its height.
    #[test]
    fn rules_in_halves_are_the_rules_whole() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo");
        let spec = crate::spec::load(&dir.join("tal.toml")).unwrap();
        let as_of = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        let loaded = crate::input::load(&spec, as_of).unwrap();
        let plan = Plan::of(&spec);
        let (frame, _, _) = signals_and_frame(&spec, &plan, &loaded, as_of).unwrap();
        for height in [0, 1, 2, 3, 1000, frame.height()] {
            let frame = frame.slice(0, height);
            let (whole_df, whole) =
                rules::evaluate_halves_from(&plan, frame.clone(), usize::MAX).unwrap();
            let (halves_df, halves) = rules::evaluate_halves_from(&plan, frame, 0).unwrap();
            assert_eq!(halves, whole, "{height} rows");
            // Every criterion's points are held a byte an account.
            let coded = |p: &rules::Points| matches!(p, rules::Points::Coded { .. });
            assert!(whole.criteria_points.iter().all(coded), "{height} rows");
            assert!(halves_df.equals_missing(&whole_df), "{height} rows");
        }
        assert!(frame.height() > 1000);
    }
}
