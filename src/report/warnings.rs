//! The report's warnings, in a marketer's words and each with the number
//! behind it. Every warning has a stable `code` for dashboards and scripts:
//! `over_budget`, `tier_empty`, `tal_too_small`, `tal_too_large`,
//! `tier_ratio`, `sellers_short`, `goal_not_covered`, `waitlist`.

use serde::Serialize;

use super::{ratio_in_range, Report, TierLine};
use crate::format::{count, money, percent, ratio};

/// The usual size of a first TAL.
const TAL_RANGE: (usize, usize) = (100, 1000);

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Warning {
    pub code: &'static str,
    pub message: String,
}

fn warning(code: &'static str, message: String) -> Warning {
    Warning { code, message }
}

/// Every warning the plan raises, most pressing first.
pub fn warnings(report: &Report) -> Vec<Warning> {
    let mut out = Vec::new();
    out.extend(over_budget(report));
    out.extend(report.tiers.iter().filter_map(tier_empty));
    out.extend(tal_size(report));
    out.extend(
        report
            .tiers
            .windows(2)
            .filter_map(|pair| tier_ratio(&pair[0], &pair[1], &report.currency)),
    );
    out.extend(
        report
            .tiers
            .iter()
            .filter_map(|tier| sellers_short(tier, report.totals.sellers)),
    );
    out.extend(goal_not_covered(report));
    out.extend(waitlist(report));
    out
}

fn over_budget(report: &Report) -> Option<Warning> {
    let totals = &report.totals;
    let (budget, left) = (totals.budget?, totals.budget_left?);
    if left >= 0.0 {
        return None;
    }
    let cur = &report.currency;
    let spend = if totals.segment_spend > 0.0 {
        format!(
            "the plan spends {} ({} on tiers, {} on segment channels)",
            money(totals.spend, cur),
            money(totals.tier_spend, cur),
            money(totals.segment_spend, cur)
        )
    } else {
        format!("the tiers spend {}", money(totals.spend, cur))
    };
    Some(warning(
        "over_budget",
        format!(
            "Over budget by {}: {spend} against a budget of {}.",
            money(-left, cur),
            money(budget, cur)
        ),
    ))
}

fn tier_empty(tier: &TierLine) -> Option<Warning> {
    if tier.kept > 0 {
        return None;
    }
    let candidates = tier.matched + tier.pushed_in;
    let message = if candidates == 0 {
        format!(
            "{} is empty: no account matched its rules or was pushed down into it.",
            title(tier)
        )
    } else {
        let limit = tier.bound_by.map_or("its limits", |l| l.name());
        format!(
            "{} is empty: it has no room (capacity 0, set by {limit}), so its {} candidate{} went down a tier.",
            title(tier),
            count(candidates),
            plural(candidates)
        )
    };
    Some(warning("tier_empty", message))
}

fn tal_size(report: &Report) -> Option<Warning> {
    let accounts = report.totals.accounts;
    let (low, high) = TAL_RANGE;
    let (code, advice) = if accounts < low {
        ("tal_too_small", "below the usual starting range of 100 to 1,000: widen the ICP or the tier rules, or the sellers will run out of accounts")
    } else if accounts > high {
        ("tal_too_large", "above the usual starting range of 100 to 1,000: a list this long spreads the budget thin; tighten the ICP or cap the tiers")
    } else {
        return None;
    };
    Some(warning(
        code,
        format!(
            "The TAL holds {} account{}, {advice}.",
            count(accounts),
            plural(accounts)
        ),
    ))
}

fn tier_ratio(tier: &TierLine, below: &TierLine, currency: &str) -> Option<Warning> {
    let value = tier.ratio_to_next?;
    if ratio_in_range(value) {
        return None;
    }
    let how = if value < 2.0 { "only " } else { "" };
    Some(warning(
        "tier_ratio",
        format!(
            "{} gets {} per account, {how}{} {}'s {}: a tier usually gets 2–5× the tier below, so the tiers' programs {}.",
            tier.name,
            money(tier.per_account?, currency),
            ratio(value),
            below.name,
            money(below.per_account?, currency),
            if value < 2.0 { "barely differ" } else { "are worlds apart" }
        ),
    ))
}

fn sellers_short(tier: &TierLine, sellers: Option<u64>) -> Option<Warning> {
    let (sellers, per_seller, needed) = (sellers?, tier.accounts_per_seller?, tier.sellers_needed?);
    if needed <= sellers {
        return None;
    }
    let can_cover = sellers.saturating_mul(per_seller);
    let pins = if tier.pinned > 0 {
        format!(" ({} pinned by overrides)", count(tier.pinned))
    } else {
        String::new()
    };
    Some(warning(
        "sellers_short",
        format!(
            "{} holds {} accounts{pins}, but {sellers} seller{} at {per_seller} accounts each can cover {}: it needs {needed} sellers.",
            tier.name,
            count(tier.kept),
            if sellers == 1 { "" } else { "s" },
            count(can_cover as usize)
        ),
    ))
}

fn goal_not_covered(report: &Report) -> Option<Warning> {
    let totals = &report.totals;
    let goal = totals.revenue_goal.filter(|g| *g > 0.0)?;
    if totals.expected_revenue >= goal {
        return None;
    }
    let cur = &report.currency;
    Some(warning(
        "goal_not_covered",
        format!(
            "Expected revenue of {} covers {} of the {} revenue goal: {} short.",
            money(totals.expected_revenue, cur),
            percent(totals.goal_coverage.unwrap_or(0.0)),
            money(goal, cur),
            money(goal - totals.expected_revenue, cur)
        ),
    ))
}

fn waitlist(report: &Report) -> Option<Warning> {
    let n = report.waitlist;
    if n == 0 {
        return None;
    }
    let why = match report.tiers.last() {
        Some(last) => match last.bound_by {
            Some(limit) => format!(" ({} is full, capped by {})", last.name, limit.name()),
            None => String::new(),
        },
        None => String::new(),
    };
    Some(warning(
        "waitlist",
        format!(
            "{} account{} qualif{} but {} waitlisted: no tier had room left{why}.",
            count(n),
            plural(n),
            if n == 1 { "ies" } else { "y" },
            if n == 1 { "is" } else { "are" }
        ),
    ))
}

fn title(tier: &TierLine) -> String {
    if tier.label.is_empty() {
        tier.name.clone()
    } else {
        format!("{} \"{}\"", tier.name, tier.label)
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
