//! `tal icp discover` for people: a summary, the attributes ranked, each
//! one's table of values, the draft `[fit]` and the backtest — as boxed
//! tables for a terminal (`table`) or a page (`markdown`); and the JSON.

use std::io::Write;

use anyhow::Result;
use tabled::builder::Builder;
use tabled::settings::object::Columns;
use tabled::settings::{Alignment, Style};

use crate::format::fixed;
use crate::format::{count, percent};

use super::backtest::Model;
use super::stats::{Row, RowKind, Table};
use super::{BaseKind, Discovery};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum IcpFormat {
    Table,
    Markdown,
    Json,
}

/// Writes the result in `format`.
pub fn write(out: &mut dyn Write, format: IcpFormat, d: &Discovery) -> Result<()> {
    match format {
        IcpFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &super::json::to_json(d))?;
            writeln!(out)?;
        }
        IcpFormat::Table => write_text(out, d, false)?,
        IcpFormat::Markdown => write_text(out, d, true)?,
    }
    Ok(())
}

/// Rows of cells under headers; a header starting with `>` is a number
/// column, aligned right.
struct Grid {
    headers: Vec<String>,
    right: Vec<bool>,
    rows: Vec<Vec<String>>,
}

impl Grid {
    fn new(headers: &[&str]) -> Grid {
        Grid {
            headers: (headers.iter())
                .map(|h| h.trim_start_matches('>').to_string())
                .collect(),
            right: headers.iter().map(|h| h.starts_with('>')).collect(),
            rows: Vec::new(),
        }
    }
}

/// One part of the result: a title, paragraphs, a grid, or verbatim text.
struct Section {
    title: String,
    lines: Vec<String>,
    grid: Option<Grid>,
    code: Option<String>,
    /// Lines after the grid.
    notes: Vec<String>,
}

impl Section {
    fn new(title: impl Into<String>) -> Section {
        Section {
            title: title.into(),
            lines: Vec::new(),
            grid: None,
            code: None,
            notes: Vec::new(),
        }
    }
}

fn write_text(out: &mut dyn Write, d: &Discovery, markdown: bool) -> Result<()> {
    let title = format!("ICP discovery, as of {}", d.as_of);
    if markdown {
        writeln!(out, "# {title}")?;
    } else {
        writeln!(out, "{title}")?;
    }
    for line in summary(d) {
        if markdown {
            writeln!(out, "\n{}", escape(&line))?;
        } else {
            writeln!(out, "{line}")?;
        }
    }
    for section in sections(d) {
        writeln!(out)?;
        if markdown {
            writeln!(out, "## {}\n", escape(&section.title))?;
        } else {
            writeln!(out, "{}", section.title.to_uppercase())?;
        }
        for line in &section.lines {
            if markdown {
                writeln!(out, "{}\n", escape(line))?;
            } else {
                writeln!(out, "{line}")?;
            }
        }
        if let Some(grid) = &section.grid {
            if markdown {
                write_pipe_table(out, grid)?;
            } else {
                writeln!(out, "{}", boxed(grid))?;
            }
        }
        if let Some(code) = &section.code {
            if markdown {
                writeln!(out, "```toml\n{code}```")?;
            } else {
                write!(out, "{code}")?;
            }
        }
        for line in &section.notes {
            if markdown {
                writeln!(out, "\n{}", escape(line))?;
            } else {
                writeln!(out, "{line}")?;
            }
        }
    }
    Ok(())
}

fn accounts(n: usize) -> String {
    format!("{} account{}", count(n), if n == 1 { "" } else { "s" })
}

fn summary(d: &Discovery) -> Vec<String> {
    let p = &d.params;
    let base = match &d.base_kind {
        BaseKind::All => format!(
            "Base: every account, {} ({} besides the best).",
            count(d.base),
            count(d.negatives)
        ),
        BaseKind::Vs(vs) => format!("Base: {} where {vs}, the best left out.", accounts(d.base)),
    };
    let mut lines = vec![
        format!("Best: {} where {}.", accounts(d.best), p.best),
        base,
    ];
    let mut weighed = format!(
        "Weighed: {} field{}",
        d.attributes.len(),
        if d.attributes.len() == 1 { "" } else { "s" }
    );
    if !d.left_out.is_empty() {
        let left: Vec<String> = (d.left_out.iter())
            .map(|(field, why)| format!("{field} ({why})"))
            .collect();
        weighed.push_str(&format!("; left out: {}", left.join(", ")));
    }
    lines.push(format!("{weighed}."));
    lines.push(format!(
        "A value qualifies (★) when at least {} best accounts hold it, its smoothed lift is {} or more and its 95% range lies above 1; \"small\" marks a value fewer than {} best accounts hold.",
        p.min_support,
        fixed(p.min_lift, 2),
        p.min_support
    ));
    lines
}

fn sections(d: &Discovery) -> Vec<Section> {
    let mut sections = vec![ranking(d)];
    sections.extend(
        d.attributes
            .iter()
            .map(|t| attribute(t, d.params.min_support)),
    );
    let mut draft = Section::new("Draft [fit]");
    draft.lines.push(format!(
        "Paste it in place of the spec's [fit] section (--fit-out FILE writes it alone). {} criteria, high fit from {}.",
        d.draft.criteria.len(),
        fixed(d.draft.high, 0)
    ));
    draft.code = Some(d.toml.clone());
    sections.push(draft);
    sections.push(backtest(d));
    if !d.warnings.is_empty() {
        let mut warnings = Section::new("Warnings");
        warnings.lines = d.warnings.clone();
        sections.push(warnings);
    }
    sections
}

/// The attributes, most telling first.
fn ranking(d: &Discovery) -> Section {
    let mut section = Section::new("Attributes, most telling first");
    section.lines.push(
        "Score: the information value, how far the best accounts' values stray from the base's (above 0.3 is strong, below 0.02 says nothing)."
            .to_string(),
    );
    let mut grid = Grid::new(&[
        "#",
        "attribute",
        "type",
        ">score",
        "known: best / base",
        "qualifying values (smoothed lift)",
    ]);
    for (i, table) in d.attributes.iter().enumerate() {
        let qualifying: Vec<String> = (table.rows.iter())
            .filter(|r| r.qualifies)
            .map(|r| format!("{} ({})", r.value, fixed(r.lifts.smoothed, 2)))
            .collect();
        let values = match qualifying.len() {
            0 => "–".to_string(),
            1..=3 => qualifying.join(", "),
            n => format!("{}, +{} more", qualifying[..3].join(", "), n - 3),
        };
        grid.rows.push(vec![
            (i + 1).to_string(),
            table.field.clone(),
            table.ty.name().to_string(),
            fixed(table.score, 3),
            format!(
                "{} / {}",
                percent(table.completeness.0),
                percent(table.completeness.1)
            ),
            values,
        ]);
    }
    section.grid = Some(grid);
    section
}

/// One attribute's values.
fn attribute(table: &Table, min_support: u64) -> Section {
    let mut section = Section::new(format!("{} ({})", table.field, table.ty.name()));
    section.lines.push(format!(
        "Known for {} of the best and {} of the base; score {}.",
        percent(table.completeness.0),
        percent(table.completeness.1),
        fixed(table.score, 3)
    ));
    let mut grid = Grid::new(&[
        "value",
        ">best",
        ">best %",
        ">base",
        ">base %",
        ">lift",
        ">smoothed",
        ">lift 95%",
        "",
    ]);
    grid.rows = table.rows.iter().map(|r| cells(r, min_support)).collect();
    section.grid = Some(grid);
    section
}

fn cells(row: &Row, min_support: u64) -> Vec<String> {
    let l = &row.lifts;
    let two = |v: Option<f64>| v.map_or("–".to_string(), |v| fixed(v, 2));
    let range = match (l.low, l.high) {
        (Some(low), Some(high)) => format!("{}–{}", fixed(low, 2), fixed(high, 2)),
        (Some(low), None) => format!("{}–∞", fixed(low, 2)),
        _ => "–".to_string(),
    };
    let mark = if row.qualifies {
        "★"
    } else if row.counts.best < min_support && row.kind != RowKind::Other {
        "small"
    } else {
        ""
    };
    vec![
        row.value.clone(),
        count(row.counts.best as usize),
        percent(l.best_share),
        count(row.counts.base as usize),
        percent(l.base_share),
        two(l.lift),
        fixed(l.smoothed, 2),
        range,
        mark.to_string(),
    ]
}

fn model_name(name: &str) -> &'static str {
    match name {
        "draft_cv" => "draft, cross-validated",
        "draft_in_sample" => "draft, in sample",
        "current" => "current [fit]",
        _ => "random",
    }
}

fn backtest(d: &Discovery) -> Section {
    let b = &d.backtest;
    let mut section = Section::new("Backtest");
    let folds = match b.folds {
        Some(k) => {
            format!("cross-validated over {k} folds (each scored by a draft learnt without it)")
        }
        None => "not cross-validated (too few best accounts)".to_string(),
    };
    section.lines.push(format!(
        "Do the best accounts rank high? {} against the base's {} others; the draft {folds}.",
        super::best_accounts(b.positives),
        count(b.negatives)
    ));
    let mut grid = Grid::new(&[
        "model",
        ">AUC",
        ">top 10%",
        ">top 20%",
        ">lift at 10%",
        ">best at high fit",
        ">others at high fit",
    ]);
    let share = |v: Option<f64>| v.map_or("–".to_string(), percent);
    for m in &b.models {
        grid.rows.push(vec![
            model_name(m.name).to_string(),
            fixed(m.auc, 3),
            percent(m.capture_10),
            percent(m.capture_20),
            fixed(m.lift_10, 2),
            share(m.high_fit_recall),
            share(m.high_fit_base_share),
        ]);
    }
    section.grid = Some(grid);
    section.notes.push(
        "AUC: the chance that a best account outranks another account (0.5 is a coin toss, 1 is perfect). Top 10%: the share of the best accounts among the 10% of accounts with the highest fit (ties shared). High fit: fit at or above the model's high."
            .to_string(),
    );
    let draft = b.model("draft_cv").or(b.model("draft_in_sample"));
    section.notes.push(verdict(
        draft,
        b.model("current"),
        d.draft.criteria.is_empty(),
    ));
    section
}

/// One sentence: is the draft better than the current `[fit]`?
fn verdict(draft: Option<&Model>, current: Option<&Model>, empty: bool) -> String {
    let Some(draft) = draft else {
        return String::new();
    };
    let below_chance = |auc: f64| {
        if (auc * 1000.0).round() < 500.0 {
            " (below 0.5: it puts the base's accounts ahead of the best)"
        } else {
            ""
        }
    };
    if empty {
        return match current {
            Some(current) => format!(
                "No value qualified, so the draft ranks nothing; the current [fit] scores AUC {}{}.",
                fixed(current.auc, 3),
                below_chance(current.auc)
            ),
            None => "No value qualified and the spec has no [fit] criteria: nothing ranks the accounts yet.".to_string(),
        };
    }
    let how = if draft.name == "draft_cv" {
        "cross-validated"
    } else {
        "in sample"
    };
    // In thousandths, as printed: within 0.010 is "about as well".
    let thousandths = |auc: f64| (auc * 1000.0).round() as i64;
    let (a, da) = (fixed(draft.auc, 3), thousandths(draft.auc));
    let Some(current) = current else {
        return format!(
            "The spec has no [fit] criteria yet: the draft's AUC is {a} ({how}), against 0.500 for a random order."
        );
    };
    let (c, dc) = (fixed(current.auc, 3), thousandths(current.auc));
    let c = format!("{c}{}", below_chance(current.auc));
    if (da - dc).abs() < 10 {
        format!("The draft and the current [fit] rank the best accounts about as well: AUC {a} ({how}) and {c}.")
    } else if da > dc {
        format!("The draft ranks the best accounts higher than the current [fit]: AUC {a} ({how}) against {c}.")
    } else {
        format!("The current [fit] ranks the best accounts higher than the draft: AUC {c} against {a} ({how}). Keep it, or take from the draft only what you agree with.")
    }
}

fn boxed(grid: &Grid) -> String {
    let mut builder = Builder::default();
    builder.push_record(grid.headers.clone());
    for row in &grid.rows {
        builder.push_record(row.clone());
    }
    let mut table = builder.build();
    table.with(Style::sharp());
    for (i, right) in grid.right.iter().enumerate() {
        if *right {
            table.modify(Columns::one(i), Alignment::right());
        }
    }
    table.to_string()
}

/// A GitHub-flavoured pipe table; `---:` right-aligns numbers.
fn write_pipe_table(out: &mut dyn Write, grid: &Grid) -> Result<()> {
    let cells = |row: &[String]| -> String {
        (row.iter())
            .map(|c| escape(c))
            .collect::<Vec<_>>()
            .join(" | ")
    };
    writeln!(out, "| {} |", cells(&grid.headers))?;
    let rule: Vec<&str> = (grid.right.iter())
        .map(|r| if *r { "---:" } else { "---" })
        .collect();
    writeln!(out, "| {} |", rule.join(" | "))?;
    for row in &grid.rows {
        writeln!(out, "| {} |", cells(row))?;
    }
    Ok(())
}

/// Keeps data from turning into markup (a `*` in a value, a `<`, a
/// backtick: the tables here have no code spans of their own).
fn escape(text: &str) -> String {
    crate::format::markdown::inline(text).replace('`', "\\`")
}
