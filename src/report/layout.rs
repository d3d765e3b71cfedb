//! The report laid out for people: a title and sections, each a short
//! paragraph and a grid of text cells. The terminal table, the markdown and
//! the html all render this one layout, so they always show the same
//! figures in the same words.

use super::{Report, SegmentLine, TierLine};
use crate::format::{count, money, or_dash, percent, ratio};

/// Rows of text cells under headers; numeric columns align right.
pub struct Grid {
    pub headers: Vec<String>,
    pub right: Vec<bool>,
    pub rows: Vec<Vec<String>>,
}

impl Grid {
    /// Headers, with a leading `>` marking a right-aligned column.
    fn new(headers: &[&str]) -> Grid {
        Grid {
            headers: headers
                .iter()
                .map(|h| h.trim_start_matches('>').to_string())
                .collect(),
            right: headers.iter().map(|h| h.starts_with('>')).collect(),
            rows: Vec::new(),
        }
    }
}

pub struct Section {
    pub title: String,
    pub lines: Vec<String>,
    pub grid: Option<Grid>,
}

/// "Entitlement budget report: 2027-Q1, USD, as of 2026-11-20".
pub fn title(report: &Report) -> String {
    let period = report
        .period
        .as_deref()
        .map(|p| format!("{p}, "))
        .unwrap_or_default();
    format!(
        "Entitlement budget report: {period}{}, as of {}",
        report.currency, report.as_of
    )
}

/// The one-paragraph summary under the title.
pub fn summary(report: &Report) -> String {
    let t = &report.totals;
    let cur = &report.currency;
    let budget = match (t.budget, t.budget_left) {
        (Some(budget), Some(left)) if left < 0.0 => format!(
            "The plan spends {} of a {} budget ({} over)",
            money(t.spend, cur),
            money(budget, cur),
            money(-left, cur)
        ),
        (Some(budget), Some(left)) => format!(
            "The plan spends {} of a {} budget ({} left)",
            money(t.spend, cur),
            money(budget, cur),
            money(left, cur)
        ),
        _ => format!("The plan spends {}", money(t.spend, cur)),
    };
    let goal = match (t.revenue_goal, t.goal_coverage) {
        (Some(goal), Some(coverage)) => {
            format!(" — {} of the {} goal", percent(coverage), money(goal, cur))
        }
        _ => String::new(),
    };
    format!(
        "{} accounts in {} tier{}. {budget} for a pipeline of {} and expected revenue of {}{goal}.",
        count(t.accounts),
        report.tiers.len(),
        if report.tiers.len() == 1 { "" } else { "s" },
        money(t.pipeline, cur),
        money(t.expected_revenue, cur)
    )
}

pub fn sections(report: &Report) -> Vec<Section> {
    let mut sections = vec![seats(report), spend(report), totals(report)];
    sections.extend(entitlements(report));
    sections.extend(segments(report));
    sections.push(warnings(report));
    sections
}

pub fn tier_title(tier: &TierLine) -> String {
    if tier.label.is_empty() {
        tier.name.clone()
    } else {
        format!("{} \"{}\"", tier.name, tier.label)
    }
}

fn seats(report: &Report) -> Section {
    let mut grid = Grid::new(&[
        "tier",
        "style",
        ">matched",
        ">pushed in",
        ">kept",
        ">pushed out",
        ">capacity",
        "bound by",
    ]);
    for tier in &report.tiers {
        let pins = if tier.pinned > 0 {
            format!(" ({} pinned)", tier.pinned)
        } else {
            String::new()
        };
        grid.rows.push(vec![
            tier_title(tier),
            tier.style.clone(),
            format!("{}{pins}", count(tier.matched)),
            count(tier.pushed_in),
            count(tier.kept),
            count(tier.pushed_out),
            or_dash(tier.capacity.map(|c| count(c as usize))),
            or_dash(tier.bound_by.map(|l| l.name().to_string())),
        ]);
    }
    Section {
        title: "Who gets a seat".into(),
        lines: vec![format!(
            "Each tier keeps its best candidates up to its capacity and pushes the rest down. {} waitlisted, {} excluded, {} unassigned.",
            count(report.waitlist),
            count(report.excluded),
            count(report.unassigned)
        )],
        grid: Some(grid),
    }
}

fn spend(report: &Report) -> Section {
    let cur = &report.currency;
    let mut grid = Grid::new(&[
        "tier",
        ">per account",
        ">vs next tier",
        ">spend",
        ">share of budget",
        ">sellers needed",
        ">pipeline",
        ">win rate",
        ">expected revenue",
    ]);
    for tier in &report.tiers {
        let vs_next = tier.ratio_to_next.map(|r| {
            let flag = if tier.ratio_flagged { " ⚠" } else { "" };
            format!("{}{flag}", ratio(r))
        });
        grid.rows.push(vec![
            tier.name.clone(),
            or_dash(tier.per_account.map(|p| money(p, cur))),
            or_dash(vs_next),
            money(tier.spend, cur),
            or_dash(tier.budget_share.map(percent)),
            or_dash(tier.sellers_needed.map(|s| count(s as usize))),
            money(tier.pipeline, cur),
            percent(tier.win_rate),
            money(tier.expected_revenue, cur),
        ]);
    }
    Section {
        title: "What each tier costs and brings".into(),
        lines: vec!["Spend is kept accounts × the per-account entitlement; pipeline is the ACV of the kept accounts; expected revenue is pipeline × the tier's win rate. A tier usually gets 2–5× the tier below (⚠ outside that).".into()],
        grid: Some(grid),
    }
}

fn totals(report: &Report) -> Section {
    let t = &report.totals;
    let cur = &report.currency;
    let mut grid = Grid::new(&["figure", ">value"]);
    let mut row = |name: &str, value: String| grid.rows.push(vec![name.to_string(), value]);
    row("accounts in the TAL", count(t.accounts));
    row("tier spend", money(t.tier_spend, cur));
    row("segment channel spend", money(t.segment_spend, cur));
    row("total spend", money(t.spend, cur));
    row("budget", or_dash(t.budget.map(|b| money(b, cur))));
    match t.budget_left {
        Some(left) if left < 0.0 => row("over budget by", money(-left, cur)),
        left => row("budget left", or_dash(left.map(|l| money(l, cur)))),
    }
    row("sellers", or_dash(t.sellers.map(|s| count(s as usize))));
    row("pipeline", money(t.pipeline, cur));
    row("expected revenue", money(t.expected_revenue, cur));
    row(
        "revenue goal",
        or_dash(t.revenue_goal.map(|g| money(g, cur))),
    );
    row("goal coverage", or_dash(t.goal_coverage.map(percent)));
    Section {
        title: "Totals".into(),
        lines: Vec::new(),
        grid: Some(grid),
    }
}

/// None when no tier names any entitlement.
fn entitlements(report: &Report) -> Option<Section> {
    let cur = &report.currency;
    let any = report.tiers.iter().any(|t| {
        let e = &t.entitlements;
        e.research.is_some()
            || e.exec_sponsor.is_some()
            || e.personalization.is_some()
            || !e.programs.is_empty()
    });
    if !any {
        return None;
    }
    let mut grid = Grid::new(&[
        "tier",
        "research",
        "exec sponsor",
        "personalization",
        "programs",
        ">menu cost",
    ]);
    for tier in &report.tiers {
        let e = &tier.entitlements;
        let programs: Vec<String> = e
            .programs
            .iter()
            .map(|p| format!("{} ({})", p.label, money(p.cost, cur)))
            .collect();
        grid.rows.push(vec![
            tier.name.clone(),
            or_dash(e.research.clone()),
            or_dash(
                e.exec_sponsor
                    .map(|yes| if yes { "yes" } else { "no" }.to_string()),
            ),
            or_dash(e.personalization.clone()),
            if programs.is_empty() {
                "–".into()
            } else {
                programs.join("; ")
            },
            money(e.menu_cost, cur),
        ]);
    }
    Some(Section {
        title: "What each account is entitled to".into(),
        lines: vec!["The contract between marketing and sales: per account of each tier. Sales orders programs from the menu with `tal orders template`.".into()],
        grid: Some(grid),
    })
}

fn segments(report: &Report) -> Vec<Section> {
    if report.segments.is_empty() {
        return Vec::new();
    }
    let cur = &report.currency;
    let mut headers = vec!["segment".to_string(), ">accounts".to_string()];
    headers.extend(report.tiers.iter().map(|t| format!(">{}", t.name)));
    headers.push(">spend".into());
    let mut grid = Grid::new(&headers.iter().map(String::as_str).collect::<Vec<_>>());
    for segment in &report.segments {
        let mut row = vec![segment.name.clone(), count(segment.accounts)];
        row.extend(segment.by_tier.values().map(|n| count(*n)));
        row.push(money(segment.spend, cur));
        grid.rows.push(row);
    }
    let mut sections = vec![Section {
        title: "Segments".into(),
        lines: vec!["Sub-segments of the TAL and their accounts by tier. Channel spend counts in the totals.".into()],
        grid: Some(grid),
    }];
    let planned: Vec<&SegmentLine> = report
        .segments
        .iter()
        .filter(|s| s.objective.is_some() || s.offer.is_some() || !s.channels.is_empty())
        .collect();
    if !planned.is_empty() {
        let mut grid = Grid::new(&["segment", "objective", "offer", "channels"]);
        for segment in planned {
            let channels: Vec<String> = segment
                .channels
                .iter()
                .map(|(name, value)| format!("{name} {}", money(*value, cur)))
                .collect();
            grid.rows.push(vec![
                segment.name.clone(),
                or_dash(segment.objective.clone()),
                or_dash(segment.offer.clone()),
                if channels.is_empty() {
                    "–".into()
                } else {
                    channels.join("; ")
                },
            ]);
        }
        sections.push(Section {
            title: "Segment plans".into(),
            lines: Vec::new(),
            grid: Some(grid),
        });
    }
    sections
}

fn warnings(report: &Report) -> Section {
    let lines = if report.warnings.is_empty() {
        vec!["None: the plan fits its budget, its sellers and the usual ranges.".into()]
    } else {
        report
            .warnings
            .iter()
            .map(|w| format!("⚠ {} ({})", w.message, w.code))
            .collect()
    };
    Section {
        title: "Warnings".into(),
        lines,
        grid: None,
    }
}
