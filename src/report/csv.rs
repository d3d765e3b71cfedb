//! The report as CSV for spreadsheets: one row per tier, with the JSON
//! shape's tier keys as headers, plain numbers (no currency, no
//! separators), and user text behind the formula guard.

use std::io::Write;

use anyhow::Result;

use super::{Report, TierLine};
use crate::format::guard_formula;
use crate::format::number;

pub const COLUMNS: &[&str] = &[
    "name",
    "label",
    "style",
    "matched",
    "pinned",
    "pushed_in",
    "kept",
    "pushed_out",
    "capacity",
    "bound_by",
    "per_account",
    "ratio_to_next",
    "spend",
    "budget_share",
    "sellers_needed",
    "pipeline",
    "win_rate",
    "expected_revenue",
    "research",
    "exec_sponsor",
    "personalization",
    "programs",
    "menu_cost",
];

fn opt<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

fn text(value: &str) -> String {
    guard_formula(value).into_owned()
}

/// One tier's cells, in [`COLUMNS`] order.
fn row(tier: &TierLine) -> Vec<String> {
    let e = &tier.entitlements;
    let programs: Vec<&str> = e.programs.iter().map(|p| p.key.as_str()).collect();
    vec![
        text(&tier.name),
        text(&tier.label),
        text(&tier.style),
        tier.matched.to_string(),
        tier.pinned.to_string(),
        tier.pushed_in.to_string(),
        tier.kept.to_string(),
        tier.pushed_out.to_string(),
        opt(tier.capacity),
        opt(tier.bound_by.map(|l| l.name())),
        opt(tier.per_account.map(number)),
        opt(tier.ratio_to_next.map(number)),
        number(tier.spend),
        opt(tier.budget_share.map(number)),
        opt(tier.sellers_needed),
        number(tier.pipeline),
        number(tier.win_rate),
        number(tier.expected_revenue),
        text(e.research.as_deref().unwrap_or_default()),
        opt(e.exec_sponsor),
        text(e.personalization.as_deref().unwrap_or_default()),
        text(&programs.join("; ")),
        number(e.menu_cost),
    ]
}

pub fn write(out: &mut dyn Write, report: &Report) -> Result<()> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    writer.write_record(COLUMNS)?;
    for tier in &report.tiers {
        writer.write_record(row(tier))?;
    }
    writer.flush()?;
    Ok(())
}
