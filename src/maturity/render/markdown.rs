//! The assessment as markdown, for a wiki page or a pull request: the same
//! sections as the table, with pipe tables.

use std::io::Write;

use anyhow::Result;

use super::*;

use crate::format::markdown::inline as cell;

pub fn write(out: &mut dyn Write, a: &Assessment) -> Result<()> {
    let w = words(a.lang);
    writeln!(out, "# {}", w.title)?;
    writeln!(out)?;
    writeln!(out, "{}", cell(&header_line(a)))?;
    writeln!(out)?;
    let mut header = vec![w.dimension.to_string()];
    header.extend((1..=5).map(|s| stage_text(s, a.lang)));
    header.extend([w.stage, w.answers_only, w.score].map(String::from));
    writeln!(out, "| {} |", header.join(" | "))?;
    writeln!(
        out,
        "| --- | :---: | :---: | :---: | :---: | :---: | --- | --- | ---: |"
    )?;
    for dimension in &a.dimensions {
        let d = dimension.dimension;
        let marks: Vec<String> = (0..5).map(|s| cell(&mark(&a.cells[d * 5 + s]))).collect();
        writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            cell(DIMENSIONS[d].name.get(a.lang)),
            marks.join(" | "),
            stage_text(dimension.stage, a.lang),
            stage_text(dimension.stage_answers_only, a.lang),
            dimension.score
        )?;
    }
    writeln!(out)?;
    writeln!(out, "{}", cell(&legend(a.lang)))?;
    writeln!(out)?;
    writeln!(out, "**{}**", cell(&overall_line(a)))?;

    writeln!(out)?;
    writeln!(out, "## {}", w.next_actions)?;
    for dimension in &a.dimensions {
        writeln!(out)?;
        writeln!(out, "### {}", cell(&dimension_title(a, dimension)))?;
        writeln!(out)?;
        let actions = actions(a, dimension);
        if actions.is_empty() {
            writeln!(out, "{}.", capitalized(w.all_met))?;
        }
        for action in actions {
            let how = match action.feature {
                Some((feature, rule)) => format!("{}: {} (`{rule}`)", w.in_tal, cell(&feature)),
                None => w.answers_alone.to_string(),
            };
            writeln!(
                out,
                "- **{}** ({}, {}): {}. {}.",
                action.id,
                stage_text(action.stage, a.lang),
                value_word(action.value, a.lang),
                cell(&action.text),
                capitalized(&how)
            )?;
        }
    }

    writeln!(out)?;
    writeln!(out, "## {}", w.evidence)?;
    for &criterion in criteria() {
        writeln!(out)?;
        writeln!(out, "### {}", cell(&criterion_title(a, criterion)))?;
        writeln!(out)?;
        writeln!(out, "| | cell | rule | detail |")?;
        writeln!(out, "| :---: | --- | --- | --- |")?;
        for finding in findings_of(a, criterion) {
            let rule = finding.rule();
            writeln!(
                out,
                "| {} | {} | `{}` | {} |",
                outcome_symbol(finding.outcome),
                rule.cell,
                rule.id,
                cell(&finding.detail)
            )?;
        }
    }

    let notes = notes(a);
    if !notes.is_empty() {
        writeln!(out)?;
        writeln!(out, "## {}", w.notes)?;
        writeln!(out)?;
        for note in notes {
            writeln!(out, "- {}", cell(&note))?;
        }
    }
    if !a.warnings.is_empty() {
        writeln!(out)?;
        writeln!(out, "## {}", w.warnings)?;
        writeln!(out)?;
        for warning in &a.warnings {
            writeln!(out, "- {}", cell(warning))?;
        }
    }
    Ok(())
}
