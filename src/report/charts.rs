//! The html report's two charts as inline SVG (no script, no network): the
//! tier pyramid, and the budget split by tier and segment against the
//! budget line.

use std::fmt::Write;

use super::html::escape;
use super::layout::tier_title;
use super::Report;
use crate::format::{count, money, percent};

/// Tier colours, top of the pyramid first; later tiers reuse the last.
const TIER_COLOURS: &[&str] = &["#1e3a8a", "#2563eb", "#60a5fa", "#93c5fd", "#bfdbfe"];
/// Segment colours in the budget bar.
const SEGMENT_COLOURS: &[&str] = &["#ea580c", "#f59e0b", "#fbbf24", "#fcd34d"];
const LEFT_COLOUR: &str = "#e5e7eb";
/// Both charts share one coordinate width, so their text is the same size.
const VIEW_WIDTH: f64 = 460.0;

pub fn tier_colour(t: usize) -> &'static str {
    TIER_COLOURS[t.min(TIER_COLOURS.len() - 1)]
}

fn segment_colour(s: usize) -> &'static str {
    SEGMENT_COLOURS[s.min(SEGMENT_COLOURS.len() - 1)]
}

/// The pyramid: one band per tier, Tier 1 on top, with each tier's
/// accounts, entitlement and spend beside it.
pub fn pyramid(report: &Report) -> String {
    let n = report.tiers.len().max(1);
    let (width, band, label_x) = (190.0, 66.0, 206.0);
    let height = band * n as f64;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" viewBox="0 0 {VIEW_WIDTH} {h}" role="img" aria-label="Tier pyramid">"#,
        h = height + 8.0
    );
    for (t, tier) in report.tiers.iter().enumerate() {
        let (top, bottom) = (band * t as f64, band * (t + 1) as f64);
        let half_top = width / 2.0 * t as f64 / n as f64;
        let half_bottom = width / 2.0 * (t + 1) as f64 / n as f64;
        let mid = width / 2.0;
        let _ = write!(
            svg,
            r##"<polygon points="{:.1},{top:.1} {:.1},{top:.1} {:.1},{b:.1} {:.1},{b:.1}" fill="{c}" stroke="#fff" stroke-width="2"/>"##,
            mid - half_top,
            mid + half_top,
            mid + half_bottom,
            mid - half_bottom,
            b = bottom,
            c = tier_colour(t)
        );
        let text_colour = if t < 2 { "#fff" } else { "#0f172a" };
        let _ = write!(
            svg,
            r#"<text x="{mid}" y="{:.1}" text-anchor="middle" class="band" fill="{text_colour}">{}</text>"#,
            bottom - 14.0,
            count(tier.kept)
        );
        let per = tier
            .per_account
            .map(|p| format!(" · {} per account", money(p, &report.currency)))
            .unwrap_or_default();
        let style = if tier.style.is_empty() {
            String::new()
        } else {
            format!(" · {}", tier.style)
        };
        let _ = write!(
            svg,
            r#"<text x="{label_x}" y="{:.1}" class="name">{}</text><text x="{label_x}" y="{:.1}" class="note">{} accounts{}</text><text x="{label_x}" y="{:.1}" class="note">{}{}</text>"#,
            top + band / 2.0 - 10.0,
            escape(&tier_title(tier)),
            top + band / 2.0 + 7.0,
            count(tier.kept),
            escape(&style),
            top + band / 2.0 + 23.0,
            escape(&money(tier.spend, &report.currency)),
            escape(&per)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// One slice of the budget bar.
struct Slice {
    name: String,
    value: f64,
    colour: &'static str,
}

fn slices(report: &Report) -> Vec<Slice> {
    let mut slices: Vec<Slice> = report
        .tiers
        .iter()
        .enumerate()
        .filter(|(_, tier)| tier.spend > 0.0)
        .map(|(t, tier)| Slice {
            name: tier.name.clone(),
            value: tier.spend,
            colour: tier_colour(t),
        })
        .collect();
    let spent_segments = report.segments.iter().filter(|s| s.spend > 0.0);
    slices.extend(spent_segments.enumerate().map(|(s, segment)| Slice {
        name: segment.name.clone(),
        value: segment.spend,
        colour: segment_colour(s),
    }));
    if let Some(left) = report.totals.budget_left.filter(|l| *l > 0.0) {
        slices.push(Slice {
            name: "Budget left".into(),
            value: left,
            colour: LEFT_COLOUR,
        });
    }
    slices
}

/// A stacked bar of spend by tier and segment, scaled to the larger of the
/// budget and the spend, with the budget marked; a legend below it.
pub fn budget_bar(report: &Report) -> String {
    let slices = slices(report);
    let budget = report.totals.budget.unwrap_or(0.0);
    let scale_to = budget.max(report.totals.spend).max(1.0);
    let (x0, width, bar_y, bar_h) = (4.0, VIEW_WIDTH - 8.0, 28.0, 36.0);
    let legend_y = bar_y + bar_h + 34.0;
    let height = legend_y + 24.0 * slices.len() as f64;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" viewBox="0 0 {VIEW_WIDTH} {height:.0}" role="img" aria-label="Budget by tier and segment">"#
    );
    let mut x = x0;
    for slice in &slices {
        let w = width * slice.value / scale_to;
        let _ = write!(
            svg,
            r#"<rect x="{x:.1}" y="{bar_y}" width="{w:.1}" height="{bar_h}" fill="{}"><title>{}: {}</title></rect>"#,
            slice.colour,
            escape(&slice.name),
            escape(&money(slice.value, &report.currency))
        );
        x += w;
    }
    if budget > 0.0 {
        let bx = x0 + width * budget / scale_to;
        let _ = write!(
            svg,
            r##"<line x1="{bx:.1}" y1="{:.1}" x2="{bx:.1}" y2="{:.1}" stroke="#0f172a" stroke-width="2" stroke-dasharray="4 3"/><text x="{bx:.1}" y="16" text-anchor="{}" class="note">budget {}</text>"##,
            bar_y - 8.0,
            bar_y + bar_h + 8.0,
            if bx > VIEW_WIDTH - 80.0 {
                "end"
            } else {
                "middle"
            },
            escape(&money(budget, &report.currency))
        );
    }
    for (i, slice) in slices.iter().enumerate() {
        let y = legend_y + 24.0 * i as f64;
        let share = if budget > 0.0 {
            format!(" · {}", percent(slice.value / budget))
        } else {
            String::new()
        };
        let _ = write!(
            svg,
            r#"<rect x="{x0}" y="{:.1}" width="14" height="14" rx="3" fill="{}"/><text x="{:.1}" y="{y:.1}" class="name">{}</text><text x="{:.1}" y="{y:.1}" text-anchor="end" class="note">{}{}</text>"#,
            y - 11.0,
            slice.colour,
            x0 + 22.0,
            escape(&slice.name),
            VIEW_WIDTH - 4.0,
            escape(&money(slice.value, &report.currency)),
            escape(&share)
        );
    }
    svg.push_str("</svg>");
    svg
}
