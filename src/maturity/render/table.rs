//! The assessment in a terminal: the grid as a boxed table, then the
//! overall stage, next actions, evidence by criterion, notes, warnings.

use std::io::Write;

use anyhow::Result;
use tabled::builder::Builder;
use tabled::settings::object::Columns;
use tabled::settings::{Alignment, Style};

use super::*;

pub fn write(out: &mut dyn Write, a: &Assessment) -> Result<()> {
    let w = words(a.lang);
    writeln!(out, "{}", w.title)?;
    writeln!(out, "{}", header_line(a))?;
    writeln!(out)?;
    writeln!(out, "{}", grid(a))?;
    writeln!(out, "{}", legend(a.lang))?;
    writeln!(out)?;
    writeln!(out, "{}", overall_line(a))?;

    writeln!(out)?;
    writeln!(out, "{}", w.next_actions.to_uppercase())?;
    for dimension in &a.dimensions {
        let title = dimension_title(a, dimension);
        let actions = actions(a, dimension);
        if actions.is_empty() {
            writeln!(out, "{title}: {}.", w.all_met)?;
            continue;
        }
        writeln!(out, "{title}:")?;
        for action in actions {
            writeln!(
                out,
                "  {} ({}, {}) {}",
                action.id,
                stage_text(action.stage, a.lang),
                value_word(action.value, a.lang),
                action.text
            )?;
            match action.feature {
                Some((feature, rule)) => writeln!(out, "      {}: {feature} [{rule}]", w.in_tal)?,
                None => writeln!(out, "      {}", w.answers_alone)?,
            }
        }
    }

    writeln!(out)?;
    writeln!(out, "{}", w.evidence.to_uppercase())?;
    for &criterion in criteria() {
        writeln!(out, "{}", criterion_title(a, criterion))?;
        for finding in findings_of(a, criterion) {
            let rule = finding.rule();
            writeln!(
                out,
                "  {} {} {}: {}",
                outcome_symbol(finding.outcome),
                rule.cell,
                rule.id,
                finding.detail
            )?;
        }
    }

    let notes = notes(a);
    if !notes.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", w.notes.to_uppercase())?;
        for note in notes {
            writeln!(out, "  {note}")?;
        }
    }
    if !a.warnings.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", w.warnings.to_uppercase())?;
        for warning in &a.warnings {
            writeln!(out, "  - {warning}")?;
        }
    }
    Ok(())
}

/// The 5×5 grid with each dimension's stages and score.
fn grid(a: &Assessment) -> String {
    let w = words(a.lang);
    let mut builder = Builder::default();
    let mut header = vec![w.dimension.to_string()];
    header.extend((1..=5).map(|s| stage_text(s, a.lang)));
    header.extend([w.stage, w.answers_only, w.score].map(String::from));
    builder.push_record(header);
    for dimension in &a.dimensions {
        let d = dimension.dimension;
        let mut row = vec![DIMENSIONS[d].name.get(a.lang).to_string()];
        row.extend((0..5).map(|s| mark(&a.cells[d * 5 + s])));
        row.push(stage_text(dimension.stage, a.lang));
        row.push(stage_text(dimension.stage_answers_only, a.lang));
        row.push(dimension.score.to_string());
        builder.push_record(row);
    }
    let mut table = builder.build();
    table.with(Style::sharp());
    table.modify(Columns::new(1..6), Alignment::center());
    table.modify(Columns::new(8..9), Alignment::right());
    table.to_string()
}
