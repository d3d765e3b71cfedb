//! The report as text: boxed tables for a terminal (`table`), and pipe
//! tables with headings for a wiki page or a pull request (`markdown`).

use std::io::Write;

use anyhow::Result;
use tabled::builder::Builder;
use tabled::settings::object::Columns;
use tabled::settings::{Alignment, Style, Width};

use super::layout::{self, Grid};
use super::Report;
use crate::format::markdown::inline as escape;

/// Text columns wider than this wrap in a terminal.
const WRAP_AT: usize = 40;
/// Paragraphs wrap here in a terminal.
const LINE_WIDTH: usize = 100;

pub fn write_table(out: &mut dyn Write, report: &Report) -> Result<()> {
    writeln!(out, "{}", layout::title(report))?;
    writeln!(out, "{}", wrap(&layout::summary(report)))?;
    for section in layout::sections(report) {
        writeln!(out)?;
        writeln!(out, "{}", section.title.to_uppercase())?;
        for line in &section.lines {
            writeln!(out, "{}", wrap(line))?;
        }
        if let Some(grid) = &section.grid {
            writeln!(out, "{}", boxed(grid))?;
        }
    }
    Ok(())
}

/// Word-wraps a paragraph to [`LINE_WIDTH`].
fn wrap(text: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for word in text.split(' ') {
        let len = word.chars().count();
        if width > 0 && width + 1 + len > LINE_WIDTH {
            out.push('\n');
            width = 0;
        } else if width > 0 {
            out.push(' ');
            width += 1;
        }
        out.push_str(word);
        width += len;
    }
    out
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
        } else {
            table.modify(Columns::one(i), Width::wrap(WRAP_AT).keep_words(true));
        }
    }
    table.to_string()
}

pub fn write_markdown(out: &mut dyn Write, report: &Report) -> Result<()> {
    writeln!(out, "# {}", escape(&layout::title(report)))?;
    writeln!(out)?;
    writeln!(out, "{}", escape(&layout::summary(report)))?;
    for section in layout::sections(report) {
        writeln!(out)?;
        writeln!(out, "## {}", escape(&section.title))?;
        writeln!(out)?;
        let is_list = section.grid.is_none() && section.lines.len() > 1;
        for line in &section.lines {
            if is_list {
                writeln!(out, "- {}", escape(line))?;
            } else {
                writeln!(out, "{}", escape(line))?;
                writeln!(out)?;
            }
        }
        if let Some(grid) = &section.grid {
            write_pipe_table(out, grid)?;
        }
    }
    Ok(())
}

/// A GitHub-flavoured pipe table; `---:` right-aligns numbers.
fn write_pipe_table(out: &mut dyn Write, grid: &Grid) -> Result<()> {
    let cells = |row: &[String]| -> String {
        row.iter()
            .map(|c| escape(c))
            .collect::<Vec<_>>()
            .join(" | ")
    };
    writeln!(out, "| {} |", cells(&grid.headers))?;
    let rule: Vec<&str> = grid
        .right
        .iter()
        .map(|r| if *r { "---:" } else { "---" })
        .collect();
    writeln!(out, "| {} |", rule.join(" | "))?;
    for row in &grid.rows {
        writeln!(out, "| {} |", cells(row))?;
    }
    Ok(())
}
