//! The report as one self-contained html page to share: headline figures,
//! warnings, the tier pyramid and the budget chart (inline SVG), then the
//! same tables as the other formats. No script, no web font, no link to
//! anything: it opens offline and prints cleanly.

use std::io::Write;

use anyhow::Result;

use super::layout::{self, Grid, Section};
use super::{charts, Report};
use crate::format::{count, money, percent};

const STYLE: &str = r#"
:root { color-scheme: light; --ink: #0f172a; --muted: #64748b; --line: #e2e8f0; --bad: #b91c1c; --good: #15803d; }
* { box-sizing: border-box; }
body { margin: 0; background: #f8fafc; color: var(--ink); font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 32px 28px 48px; }
header h1 { margin: 0; font-size: 28px; letter-spacing: -0.01em; }
header p { margin: 4px 0 0; color: var(--muted); }
.summary { margin: 16px 0 24px; font-size: 16px; }
.kpis { display: grid; grid-template-columns: repeat(4, 1fr); gap: 14px; margin-bottom: 22px; }
.kpi { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; }
.kpi .label { color: var(--muted); font-size: 13px; text-transform: uppercase; letter-spacing: 0.04em; }
.kpi .value { font-size: 26px; font-weight: 650; margin-top: 2px; }
.kpi .note { color: var(--muted); font-size: 13px; }
.kpi .note.bad { color: var(--bad); font-weight: 600; }
.kpi .note.good { color: var(--good); font-weight: 600; }
.meter { height: 6px; background: var(--line); border-radius: 3px; margin-top: 8px; overflow: hidden; }
.meter span { display: block; height: 100%; background: #2563eb; }
.meter span.bad { background: var(--bad); }
.warnings { background: #fff7ed; border: 1px solid #fed7aa; border-radius: 10px; padding: 12px 18px; margin-bottom: 22px; }
.warnings h2 { margin: 0 0 6px; font-size: 16px; color: #9a3412; }
.warnings ul { margin: 0; padding-left: 20px; }
.warnings li { margin: 3px 0; }
.warnings code { color: var(--muted); font-size: 12px; }
.charts { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; margin-bottom: 8px; }
figure { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; }
figcaption { font-weight: 600; margin-bottom: 10px; }
svg.chart { width: 100%; height: auto; display: block; }
svg .band { font-size: 15px; font-weight: 700; }
svg .name { font-size: 14px; font-weight: 600; fill: var(--ink); }
svg .note { font-size: 13px; fill: var(--muted); }
section.grid { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; margin-top: 14px; }
section.grid h2 { margin: 0 0 4px; font-size: 17px; }
section.grid p { margin: 0 0 10px; color: var(--muted); font-size: 13px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th { text-align: left; font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: 0.03em; border-bottom: 2px solid var(--line); padding: 6px 8px; }
td { border-bottom: 1px solid var(--line); padding: 7px 8px; vertical-align: top; }
th.num, td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr:last-child td { border-bottom: none; }
td:first-child { white-space: nowrap; font-weight: 600; }
table.narrow { width: auto; min-width: 420px; }
code { font: 12px/1.4 ui-monospace, "SF Mono", Menlo, Consolas, monospace; background: #f1f5f9; padding: 1px 4px; border-radius: 4px; }
footer { margin-top: 28px; color: var(--muted); font-size: 12px; }
@media print { body { background: #fff; } .kpi, figure, section.grid, .warnings { break-inside: avoid; } }
"#;

/// Escapes text for html content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// `tal report` in backticks becomes code, as in the markdown.
fn code_spans(escaped: &str) -> String {
    let mut out = String::new();
    for (i, part) in escaped.split('`').enumerate() {
        if i % 2 == 1 {
            out.push_str(&format!("<code>{part}</code>"));
        } else {
            out.push_str(part);
        }
    }
    out
}

pub fn write(out: &mut dyn Write, report: &Report) -> Result<()> {
    let title = layout::title(report);
    writeln!(out, "<!doctype html>")?;
    writeln!(out, "<html lang=\"en\"><head><meta charset=\"utf-8\">")?;
    writeln!(
        out,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    )?;
    writeln!(
        out,
        "<title>{}</title><style>{STYLE}</style></head>",
        escape(&title)
    )?;
    writeln!(out, "<body><main>")?;
    write_header(out, report)?;
    write_kpis(out, report)?;
    write_warnings(out, report)?;
    write_charts(out, report)?;
    for section in layout::sections(report) {
        if let Some(grid) = &section.grid {
            write_section(out, &section, grid)?;
        }
    }
    writeln!(
        out,
        "<footer>Made with tal from the spec's tiers, budget and segments. Figures are as of {}.</footer>",
        escape(&report.as_of)
    )?;
    writeln!(out, "</main></body></html>")?;
    Ok(())
}

fn write_header(out: &mut dyn Write, report: &Report) -> Result<()> {
    let mut facts = Vec::new();
    if let Some(period) = &report.period {
        facts.push(period.clone());
    }
    facts.push(report.currency.clone());
    facts.push(format!("as of {}", report.as_of));
    writeln!(
        out,
        "<header><h1>Entitlement budget report</h1><p>{}</p></header>",
        escape(&facts.join(" · "))
    )?;
    writeln!(
        out,
        "<p class=\"summary\">{}</p>",
        escape(&layout::summary(report))
    )?;
    Ok(())
}

/// One headline card: label, value, a note (good, bad or plain) and an
/// optional meter filled to a fraction.
fn kpi(label: &str, value: &str, note: &str, tone: &str, meter: Option<f64>) -> String {
    let meter = meter
        .map(|fraction| {
            let bad = if fraction > 1.0 { " class=\"bad\"" } else { "" };
            format!(
                "<div class=\"meter\"><span{bad} style=\"width:{:.1}%\"></span></div>",
                (fraction * 100.0).clamp(0.0, 100.0)
            )
        })
        .unwrap_or_default();
    format!(
        "<div class=\"kpi\"><div class=\"label\">{}</div><div class=\"value\">{}</div><div class=\"note {tone}\">{}</div>{meter}</div>",
        escape(label),
        escape(value),
        escape(note)
    )
}

fn write_kpis(out: &mut dyn Write, report: &Report) -> Result<()> {
    let t = &report.totals;
    let cur = &report.currency;
    let accounts = kpi(
        "Accounts in the TAL",
        &count(t.accounts),
        &format!("{} waitlisted", count(report.waitlist)),
        "",
        None,
    );
    let spend = match (t.budget, t.budget_left) {
        (Some(budget), Some(left)) if budget > 0.0 => {
            let (note, tone) = if left < 0.0 {
                (
                    format!(
                        "over a {} budget by {}",
                        money(budget, cur),
                        money(-left, cur)
                    ),
                    "bad",
                )
            } else {
                (
                    format!("of {} · {} left", money(budget, cur), money(left, cur)),
                    "",
                )
            };
            kpi(
                "Spend",
                &money(t.spend, cur),
                &note,
                tone,
                Some(t.spend / budget),
            )
        }
        _ => kpi("Spend", &money(t.spend, cur), "no budget set", "", None),
    };
    let pipeline = kpi(
        "Pipeline",
        &money(t.pipeline, cur),
        "ACV of the accounts in the TAL",
        "",
        None,
    );
    let revenue = match (t.revenue_goal, t.goal_coverage) {
        (Some(goal), Some(coverage)) => {
            let tone = if coverage >= 1.0 { "good" } else { "bad" };
            let note = format!("{} of the {} goal", percent(coverage), money(goal, cur));
            kpi(
                "Expected revenue",
                &money(t.expected_revenue, cur),
                &note,
                tone,
                Some(coverage.min(1.0)),
            )
        }
        _ => kpi(
            "Expected revenue",
            &money(t.expected_revenue, cur),
            "no revenue goal set",
            "",
            None,
        ),
    };
    writeln!(
        out,
        "<div class=\"kpis\">{accounts}{spend}{pipeline}{revenue}</div>"
    )?;
    Ok(())
}

fn write_warnings(out: &mut dyn Write, report: &Report) -> Result<()> {
    if report.warnings.is_empty() {
        return Ok(());
    }
    writeln!(out, "<div class=\"warnings\"><h2>Needs attention</h2><ul>")?;
    for warning in &report.warnings {
        writeln!(
            out,
            "<li>{} <code>{}</code></li>",
            escape(&warning.message),
            warning.code
        )?;
    }
    writeln!(out, "</ul></div>")?;
    Ok(())
}

fn write_charts(out: &mut dyn Write, report: &Report) -> Result<()> {
    writeln!(out, "<div class=\"charts\">")?;
    writeln!(
        out,
        "<figure><figcaption>Tier pyramid: accounts and entitlement per tier</figcaption>{}</figure>",
        charts::pyramid(report)
    )?;
    writeln!(
        out,
        "<figure><figcaption>Budget by tier and segment</figcaption>{}</figure>",
        charts::budget_bar(report)
    )?;
    writeln!(out, "</div>")?;
    Ok(())
}

fn write_section(out: &mut dyn Write, section: &Section, grid: &Grid) -> Result<()> {
    writeln!(
        out,
        "<section class=\"grid\"><h2>{}</h2>",
        escape(&section.title)
    )?;
    for line in &section.lines {
        writeln!(out, "<p>{}</p>", code_spans(&escape(line)))?;
    }
    let class = |i: usize| if grid.right[i] { " class=\"num\"" } else { "" };
    let narrow = if grid.headers.len() <= 2 {
        " class=\"narrow\""
    } else {
        ""
    };
    write!(out, "<table{narrow}><thead><tr>")?;
    for (i, header) in grid.headers.iter().enumerate() {
        write!(out, "<th{}>{}</th>", class(i), escape(header))?;
    }
    writeln!(out, "</tr></thead><tbody>")?;
    for row in &grid.rows {
        write!(out, "<tr>")?;
        for (i, cell) in row.iter().enumerate() {
            write!(out, "<td{}>{}</td>", class(i), escape(cell))?;
        }
        writeln!(out, "</tr>")?;
    }
    writeln!(out, "</tbody></table></section>")?;
    Ok(())
}
