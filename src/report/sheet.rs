//! The report as a worksheet of the xlsx workbook (`tal score --format
//! xlsx`): the tier table with real numbers (money formatted, not text),
//! the totals, the segments and the warnings. Text is always written as a
//! string cell, so nothing in it can become a formula.

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::layout;
use super::Report;

/// Cell formats of the sheet.
struct Formats {
    title: Format,
    header: Format,
    money: Format,
    share: Format,
    ratio: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            header: Format::new().set_bold().set_background_color("#E2E8F0"),
            money: Format::new().set_num_format("#,##0"),
            share: Format::new().set_num_format("0.0%"),
            ratio: Format::new().set_num_format("0.00\"×\""),
        }
    }
}

/// A cell value of the tier table.
enum Value {
    Text(String),
    Count(Option<f64>),
    Money(Option<f64>),
    Share(Option<f64>),
    Ratio(Option<f64>),
}

fn write_value(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: &Value,
    f: &Formats,
) -> Result<(), XlsxError> {
    match value {
        Value::Text(text) if text.is_empty() => Ok(()),
        Value::Text(text) => sheet.write_string(row, col, text).map(|_| ()),
        Value::Count(Some(n)) => sheet.write_number(row, col, *n).map(|_| ()),
        Value::Money(Some(n)) => sheet
            .write_number_with_format(row, col, *n, &f.money)
            .map(|_| ()),
        Value::Share(Some(n)) => sheet
            .write_number_with_format(row, col, *n, &f.share)
            .map(|_| ()),
        Value::Ratio(Some(n)) => sheet
            .write_number_with_format(row, col, *n, &f.ratio)
            .map(|_| ()),
        _ => Ok(()),
    }
}

const TIER_HEADERS: &[&str] = &[
    "tier",
    "label",
    "style",
    "matched",
    "pinned",
    "pushed in",
    "kept",
    "pushed out",
    "capacity",
    "bound by",
    "per account",
    "vs next tier",
    "spend",
    "share of budget",
    "sellers needed",
    "pipeline",
    "win rate",
    "expected revenue",
];

fn tier_values(report: &Report) -> Vec<Vec<Value>> {
    let n = |v: usize| Value::Count(Some(v as f64));
    report
        .tiers
        .iter()
        .map(|t| {
            vec![
                Value::Text(t.name.clone()),
                Value::Text(t.label.clone()),
                Value::Text(t.style.clone()),
                n(t.matched),
                n(t.pinned),
                n(t.pushed_in),
                n(t.kept),
                n(t.pushed_out),
                Value::Count(t.capacity.map(|c| c as f64)),
                Value::Text(t.bound_by.map(|l| l.name().to_string()).unwrap_or_default()),
                Value::Money(t.per_account),
                Value::Ratio(t.ratio_to_next),
                Value::Money(Some(t.spend)),
                Value::Share(t.budget_share),
                Value::Count(t.sellers_needed.map(|s| s as f64)),
                Value::Money(Some(t.pipeline)),
                Value::Share(Some(t.win_rate)),
                Value::Money(Some(t.expected_revenue)),
            ]
        })
        .collect()
}

fn total_values(report: &Report) -> Vec<(&'static str, Value)> {
    let t = &report.totals;
    vec![
        ("accounts in the TAL", Value::Count(Some(t.accounts as f64))),
        ("waitlisted", Value::Count(Some(report.waitlist as f64))),
        ("excluded", Value::Count(Some(report.excluded as f64))),
        ("unassigned", Value::Count(Some(report.unassigned as f64))),
        ("tier spend", Value::Money(Some(t.tier_spend))),
        ("segment channel spend", Value::Money(Some(t.segment_spend))),
        ("total spend", Value::Money(Some(t.spend))),
        ("budget", Value::Money(t.budget)),
        ("budget left (negative: over)", Value::Money(t.budget_left)),
        ("pipeline", Value::Money(Some(t.pipeline))),
        ("expected revenue", Value::Money(Some(t.expected_revenue))),
        ("revenue goal", Value::Money(t.revenue_goal)),
        ("goal coverage", Value::Share(t.goal_coverage)),
    ]
}

/// Adds the "Report" sheet.
pub fn add_sheet(workbook: &mut Workbook, report: &Report) -> Result<(), XlsxError> {
    let f = Formats::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Report")?;
    sheet.write_string_with_format(0, 0, layout::title(report), &f.title)?;
    sheet.write_string(1, 0, layout::summary(report))?;
    let mut row = 3;
    for (col, header) in TIER_HEADERS.iter().enumerate() {
        sheet.write_string_with_format(row, col as u16, *header, &f.header)?;
    }
    for values in tier_values(report) {
        row += 1;
        for (col, value) in values.iter().enumerate() {
            write_value(sheet, row, col as u16, value, &f)?;
        }
    }
    row += 2;
    sheet.write_string_with_format(row, 0, "Totals", &f.header)?;
    sheet.write_string_with_format(row, 1, "", &f.header)?;
    for (name, value) in total_values(report) {
        row += 1;
        sheet.write_string(row, 0, name)?;
        write_value(sheet, row, 1, &value, &f)?;
    }
    row = write_segments(sheet, report, row + 2, &f)?;
    row += 2;
    sheet.write_string_with_format(row, 0, "Warnings", &f.header)?;
    sheet.write_string_with_format(row, 1, "", &f.header)?;
    for warning in &report.warnings {
        row += 1;
        sheet.write_string(row, 0, warning.code)?;
        sheet.write_string(row, 1, &warning.message)?;
    }
    sheet.set_column_width(0, 28)?;
    sheet.set_column_width(1, 16)?;
    Ok(())
}

/// The segment table; returns the last row written.
fn write_segments(
    sheet: &mut Worksheet,
    report: &Report,
    mut row: u32,
    f: &Formats,
) -> Result<u32, XlsxError> {
    let mut headers = vec!["segment".to_string(), "accounts".to_string()];
    headers.extend(report.tiers.iter().map(|t| t.name.clone()));
    headers.extend(["objective", "offer", "channels", "spend"].map(String::from));
    for (col, header) in headers.iter().enumerate() {
        sheet.write_string_with_format(row, col as u16, header, &f.header)?;
    }
    for segment in &report.segments {
        row += 1;
        let mut values = vec![
            Value::Text(segment.name.clone()),
            Value::Count(Some(segment.accounts as f64)),
        ];
        values.extend(
            segment
                .by_tier
                .values()
                .map(|n| Value::Count(Some(*n as f64))),
        );
        let channels: Vec<String> = segment
            .channels
            .iter()
            .map(|(name, amount)| format!("{name} {amount}"))
            .collect();
        values.extend([
            Value::Text(segment.objective.clone().unwrap_or_default()),
            Value::Text(segment.offer.clone().unwrap_or_default()),
            Value::Text(channels.join("; ")),
            Value::Money(Some(segment.spend)),
        ]);
        for (col, value) in values.iter().enumerate() {
            write_value(sheet, row, col as u16, value, f)?;
        }
    }
    Ok(row)
}
