//! The entitlement budget report (SPEC.md "Entitlement budget report"): the
//! plan marketing and sales sign. It is built once as data ([`Report`], which
//! serialises to SPEC.md's JSON shape) and then rendered: `table`, `markdown`,
//! `csv`, `html`, and a sheet of the xlsx workbook.
//!
//! Readings where SPEC.md is silent, written down once here:
//!
//! - `matched` counts the accounts the tier's rules chose *plus* the accounts
//!   pinned to it by an override (`pinned` says how many of them were pins),
//!   so every tier balances: `matched + pushed_in = kept + pushed_out`.
//! - `spend` is `kept × per_account` (0 without `per_account`); `pipeline` is
//!   Σ acv of the kept accounts; `expected_revenue` is Σ acv × `win_rate`.
//!   Money is rounded to cents, shares and ratios to 4 decimals.
//! - `ratio_to_next` is this tier's `per_account` ÷ the next tier's; null for
//!   the last tier or when either amount is missing or the next is 0.
//! - `sellers_needed` is ⌈kept ÷ accounts_per_seller⌉; null without
//!   `accounts_per_seller`.
//! - Segment `spend` is Σ of its channel amounts. A `group_by` entry's
//!   channels are one budget the entry's groups share: each group line
//!   ("Industry: Software") shows the shared channels and what they cost,
//!   and the totals count them once per entry. Sizing commits the channel
//!   budgets before the tiers (SPEC.md step 3), so `totals.spend` (tier
//!   spend + channel spend) stays within an enforced budget;
//!   `totals.tier_spend` and `totals.segment_spend` keep the two apart.

mod charts;
mod csv;
pub(crate) mod html;
mod layout;
pub(crate) mod num;
pub mod sheet;
mod table;
mod warnings;

use std::io::Write;

use anyhow::Result;
use indexmap::IndexMap;
use serde::Serialize;

use crate::engine::{Limit, Scored, Status};
use crate::format::round;
use crate::spec::{SegmentRule, Spec, Tier};

pub use warnings::Warning;

/// Report formats of `tal report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Table,
    Markdown,
    Json,
    Csv,
    Html,
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub as_of: String,
    pub period: Option<String>,
    pub currency: String,
    pub tiers: Vec<TierLine>,
    pub waitlist: usize,
    pub excluded: usize,
    pub unassigned: usize,
    pub totals: Totals,
    pub segments: Vec<SegmentLine>,
    pub warnings: Vec<Warning>,
}

/// One tier: its sizing, its money, and what each account is entitled to.
#[derive(Debug, Clone, Serialize)]
pub struct TierLine {
    pub name: String,
    pub label: String,
    pub style: String,
    /// The rules' matches plus the pins (see the module docs).
    pub matched: usize,
    pub pinned: usize,
    pub pushed_in: usize,
    pub kept: usize,
    pub pushed_out: usize,
    pub capacity: Option<u64>,
    pub bound_by: Option<Limit>,
    #[serde(serialize_with = "num::opt")]
    pub per_account: Option<f64>,
    #[serde(serialize_with = "num::opt")]
    pub ratio_to_next: Option<f64>,
    /// The ratio is outside the usual 2–5×.
    pub ratio_flagged: bool,
    #[serde(serialize_with = "num::one")]
    pub spend: f64,
    #[serde(serialize_with = "num::opt")]
    pub budget_share: Option<f64>,
    pub sellers_needed: Option<u64>,
    #[serde(serialize_with = "num::one")]
    pub pipeline: f64,
    #[serde(serialize_with = "num::one")]
    pub expected_revenue: f64,
    #[serde(serialize_with = "num::one")]
    pub win_rate: f64,
    pub accounts_per_seller: Option<u64>,
    pub max_accounts: Option<u64>,
    pub entitlements: Entitlements,
}

/// What each account of a tier gets.
#[derive(Debug, Clone, Serialize)]
pub struct Entitlements {
    pub research: Option<String>,
    pub exec_sponsor: Option<bool>,
    pub personalization: Option<String>,
    pub programs: Vec<ProgramLine>,
    /// What the whole menu costs for one account.
    #[serde(serialize_with = "num::one")]
    pub menu_cost: f64,
}

/// A program on a tier's menu.
#[derive(Debug, Clone, Serialize)]
pub struct ProgramLine {
    pub key: String,
    pub label: String,
    #[serde(serialize_with = "num::one")]
    pub cost: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Totals {
    /// Accounts in the TAL.
    pub accounts: usize,
    /// Tier spend plus segment channel spend.
    #[serde(serialize_with = "num::one")]
    pub spend: f64,
    #[serde(serialize_with = "num::one")]
    pub tier_spend: f64,
    #[serde(serialize_with = "num::one")]
    pub segment_spend: f64,
    #[serde(serialize_with = "num::opt")]
    pub budget: Option<f64>,
    /// Budget − spend; negative when over.
    #[serde(serialize_with = "num::opt")]
    pub budget_left: Option<f64>,
    pub sellers: Option<u64>,
    #[serde(serialize_with = "num::one")]
    pub pipeline: f64,
    #[serde(serialize_with = "num::one")]
    pub expected_revenue: f64,
    #[serde(serialize_with = "num::opt")]
    pub revenue_goal: Option<f64>,
    #[serde(serialize_with = "num::opt")]
    pub goal_coverage: Option<f64>,
}

/// One sub-segment of the TAL.
#[derive(Debug, Clone, Serialize)]
pub struct SegmentLine {
    pub name: String,
    pub accounts: usize,
    pub by_tier: IndexMap<String, usize>,
    pub objective: Option<String>,
    pub offer: Option<String>,
    #[serde(serialize_with = "num::map")]
    pub channels: IndexMap<String, f64>,
    #[serde(serialize_with = "num::one")]
    pub spend: f64,
}

/// Money to the cent.
fn money(value: f64) -> f64 {
    round(value, 2)
}

/// Builds the report from a scored project.
pub fn build(spec: &Spec, scored: &Scored) -> Report {
    let tiers = tier_lines(spec, scored);
    let segments = segment_lines(spec, scored);
    let count = |status: Status| scored.status.iter().filter(|s| **s == status).count();
    let totals = totals(spec, &tiers);
    let mut report = Report {
        as_of: scored.as_of.to_string(),
        period: spec.budget.period.clone(),
        currency: spec.budget.currency.clone(),
        tiers,
        waitlist: count(Status::Waitlist),
        excluded: count(Status::Excluded),
        unassigned: count(Status::Unassigned),
        totals,
        segments,
        warnings: Vec::new(),
    };
    report.warnings = warnings::warnings(&report);
    report
}

/// Σ acv and Σ acv × win rate of the accounts each tier kept.
fn acv_by_tier(spec: &Spec, scored: &Scored) -> Vec<(f64, f64)> {
    let mut sums = vec![(0.0, 0.0); spec.tiers.len()];
    for (i, status) in scored.status.iter().enumerate() {
        if let Status::Tier(t) = *status {
            let acv = scored.rules.acv[i];
            sums[t].0 += acv;
            sums[t].1 += acv * spec.tiers[t].win_rate;
        }
    }
    sums
}

/// 2–5× the tier below is the usual spread of entitlements.
pub fn ratio_in_range(ratio: f64) -> bool {
    (2.0..=5.0).contains(&round(ratio, 4))
}

fn tier_lines(spec: &Spec, scored: &Scored) -> Vec<TierLine> {
    let sums = acv_by_tier(spec, scored);
    spec.tiers
        .iter()
        .enumerate()
        .map(|(t, tier)| {
            let outcome = &scored.tiers[t];
            let next = spec.tiers.get(t + 1).and_then(|next| next.per_account);
            let ratio_to_next = match (tier.per_account, next) {
                (Some(this), Some(next)) if next > 0.0 => Some(round(this / next, 4)),
                _ => None,
            };
            let spend = money(outcome.kept as f64 * tier.per_account.unwrap_or(0.0));
            TierLine {
                name: tier.name.clone(),
                label: tier.label.clone(),
                style: tier.style.clone(),
                matched: outcome.matched + outcome.pinned,
                pinned: outcome.pinned,
                pushed_in: outcome.pushed_in,
                kept: outcome.kept,
                pushed_out: outcome.pushed_out,
                capacity: outcome.capacity,
                bound_by: outcome.bound_by,
                per_account: tier.per_account,
                ratio_to_next,
                ratio_flagged: ratio_to_next.is_some_and(|r| !ratio_in_range(r)),
                spend,
                budget_share: share(spend, spec.budget.total),
                sellers_needed: tier
                    .accounts_per_seller
                    .filter(|&per| per > 0)
                    .map(|per| (outcome.kept as u64).div_ceil(per)),
                pipeline: money(sums[t].0),
                expected_revenue: money(sums[t].1),
                win_rate: tier.win_rate,
                accounts_per_seller: tier.accounts_per_seller,
                max_accounts: tier.max_accounts,
                entitlements: entitlements(spec, tier),
            }
        })
        .collect()
}

/// `part ÷ whole` to 4 decimals; None without a positive whole.
fn share(part: f64, whole: Option<f64>) -> Option<f64> {
    whole.filter(|&w| w > 0.0).map(|w| round(part / w, 4))
}

fn entitlements(spec: &Spec, tier: &Tier) -> Entitlements {
    let programs: Vec<ProgramLine> = tier
        .programs
        .iter()
        .map(|key| {
            let program = spec.programs.get(key);
            ProgramLine {
                key: key.clone(),
                label: program.map_or_else(|| key.clone(), |p| p.label.clone()),
                cost: program.map_or(0.0, |p| p.cost),
            }
        })
        .collect();
    Entitlements {
        research: tier.research.clone(),
        exec_sponsor: tier.exec_sponsor,
        personalization: tier.personalization.clone(),
        menu_cost: money(programs.iter().map(|p| p.cost).sum()),
        programs,
    }
}

fn totals(spec: &Spec, tiers: &[TierLine]) -> Totals {
    let tier_spend = money(tiers.iter().map(|t| t.spend).sum());
    let segment_spend = money(spec.channel_spend());
    let spend = money(tier_spend + segment_spend);
    let expected_revenue = money(tiers.iter().map(|t| t.expected_revenue).sum());
    let budget = spec.budget.total;
    let revenue_goal = spec.budget.revenue_goal;
    Totals {
        accounts: tiers.iter().map(|t| t.kept).sum(),
        spend,
        tier_spend,
        segment_spend,
        budget,
        budget_left: budget.map(|b| money(b - spend)),
        sellers: spec.budget.sellers,
        pipeline: money(tiers.iter().map(|t| t.pipeline).sum()),
        expected_revenue,
        revenue_goal,
        goal_coverage: share(expected_revenue, revenue_goal),
    }
}

/// Segments in spec order; a `group_by` segment's groups by size, then name.
fn segment_lines(spec: &Spec, scored: &Scored) -> Vec<SegmentLine> {
    let mut lines = Vec::new();
    for segment in &spec.segments {
        let mut members: IndexMap<String, Vec<usize>> = IndexMap::new();
        if let SegmentRule::When(_) = segment.rule {
            members.insert(segment.name.clone(), Vec::new());
        }
        let prefix = format!("{}: ", segment.name);
        for &a in &scored.tal {
            for label in scored.segments.of(a as usize) {
                let belongs = match segment.rule {
                    SegmentRule::When(_) => *label == segment.name,
                    SegmentRule::GroupBy { .. } => label.starts_with(&prefix),
                };
                if belongs {
                    members.entry(label.clone()).or_default().push(a as usize);
                }
            }
        }
        let mut groups: Vec<(String, Vec<usize>)> = members.into_iter().collect();
        groups.sort_by(|(a, am), (b, bm)| {
            bm.len()
                .cmp(&am.len())
                .then_with(|| a.to_lowercase().cmp(&b.to_lowercase()))
                .then_with(|| a.cmp(b))
        });
        for (name, accounts) in groups {
            lines.push(segment_line(spec, scored, segment, name, &accounts));
        }
    }
    lines
}

fn segment_line(
    spec: &Spec,
    scored: &Scored,
    segment: &crate::spec::Segment,
    name: String,
    accounts: &[usize],
) -> SegmentLine {
    let mut by_tier: IndexMap<String, usize> =
        spec.tiers.iter().map(|t| (t.name.clone(), 0)).collect();
    for &a in accounts {
        if let Status::Tier(t) = scored.status[a] {
            by_tier[t] += 1;
        }
    }
    SegmentLine {
        name,
        accounts: accounts.len(),
        by_tier,
        objective: segment.objective.clone(),
        offer: segment.offer.clone(),
        channels: segment.channels.clone(),
        spend: money(segment.channels.values().sum()),
    }
}

/// Writes the report in `format`.
pub fn write(out: &mut dyn Write, format: ReportFormat, report: &Report) -> Result<()> {
    match format {
        ReportFormat::Table => table::write_table(out, report),
        ReportFormat::Markdown => table::write_markdown(out, report),
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, report)?;
            out.write_all(b"\n")?;
            Ok(())
        }
        ReportFormat::Csv => csv::write(out, report),
        ReportFormat::Html => html::write(out, report),
    }
}
