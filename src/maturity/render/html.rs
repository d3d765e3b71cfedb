//! The assessment as one self-contained html page, like the budget
//! report: no script, no web font, no link to anything. The overall and
//! median stages, the radar beside the stages table, the grid coloured by
//! value with each practice in its cell, next actions, evidence by
//! criterion, notes and warnings.

use std::io::Write;

use anyhow::Result;

use super::super::combine::{Flag, Value};
use super::radar::{self, ANSWERS_COLOUR, STAGE_COLOUR};
use super::*;
use crate::report::html::escape;

const STYLE: &str = r#"
:root { color-scheme: light; --ink: #0f172a; --muted: #64748b; --line: #e2e8f0; }
* { box-sizing: border-box; }
body { margin: 0; background: #f8fafc; color: var(--ink); font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 32px 28px 48px; }
header h1 { margin: 0; font-size: 28px; letter-spacing: -0.01em; }
header p { margin: 4px 0 0; color: var(--muted); }
.kpis { display: grid; grid-template-columns: repeat(4, 1fr); gap: 14px; margin: 20px 0 22px; }
.kpi { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; }
.kpi .label { color: var(--muted); font-size: 13px; text-transform: uppercase; letter-spacing: 0.04em; }
.kpi .value { font-size: 24px; font-weight: 650; margin-top: 2px; }
.kpi .note { color: var(--muted); font-size: 13px; }
.warnings { background: #fff7ed; border: 1px solid #fed7aa; border-radius: 10px; padding: 12px 18px; margin-bottom: 22px; }
.warnings h2 { margin: 0 0 6px; font-size: 16px; color: #9a3412; }
.warnings ul { margin: 0; padding-left: 20px; }
.charts { display: grid; grid-template-columns: 1.4fr 1fr; gap: 14px; }
figure, section { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; }
section { margin-top: 14px; }
figcaption, section h2 { font-weight: 600; font-size: 17px; margin: 0 0 10px; }
section h3 { font-size: 15px; margin: 14px 0 6px; }
svg.chart { width: 100%; height: auto; display: block; }
svg .name { font-size: 14px; font-weight: 600; fill: var(--ink); }
svg .note { font-size: 12.5px; fill: var(--muted); }
svg .ring { font-size: 11px; fill: #94a3b8; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th { text-align: left; font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: 0.03em; border-bottom: 2px solid var(--line); padding: 6px 8px; }
td { border-bottom: 1px solid var(--line); padding: 7px 8px; vertical-align: top; }
table.stages td { white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr:last-child td { border-bottom: none; }
table.grid { table-layout: fixed; border-collapse: separate; border-spacing: 4px; }
table.grid th { border: none; text-align: center; }
table.grid th:first-child { text-align: left; width: 13%; }
table.grid td { border: none; border-radius: 8px; padding: 8px 9px; font-size: 12.5px; line-height: 1.35; }
table.grid td.dim { font-weight: 650; font-size: 14px; background: none; padding-left: 0; }
td .mark { display: block; font-size: 17px; font-weight: 700; margin-bottom: 2px; }
td.met { background: #dcfce7; color: #14532d; }
td.partly { background: #fef3c7; color: #78350f; }
td.not_met { background: #fee2e2; color: #7f1d1d; }
td.unanswered { background: #f1f5f9; color: #475569; }
.badge { display: inline-block; font-size: 11px; font-weight: 650; border-radius: 999px; padding: 0 7px; margin-left: 4px; vertical-align: 2px; background: rgba(255,255,255,0.75); border: 1px solid currentColor; }
.legend { color: var(--muted); font-size: 13px; margin: 8px 0 0; }
.legend span { display: inline-block; margin-right: 14px; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; vertical-align: -1px; margin-right: 4px; }
ul.actions { margin: 4px 0 0; padding-left: 20px; }
ul.actions li { margin: 4px 0; }
.how { color: var(--muted); font-size: 13px; }
.ok { color: #15803d; font-weight: 700; }
.bad { color: #b91c1c; font-weight: 700; }
.na { color: #94a3b8; font-weight: 700; }
code { font: 12px/1.4 ui-monospace, "SF Mono", Menlo, Consolas, monospace; background: #f1f5f9; padding: 1px 4px; border-radius: 4px; }
footer { margin-top: 28px; color: var(--muted); font-size: 12px; }
@media print { body { background: #fff; } figure, section, .kpi { break-inside: avoid; } }
"#;

pub fn write(out: &mut dyn Write, a: &Assessment) -> Result<()> {
    let w = words(a.lang);
    let lang = match a.lang {
        Lang::En => "en",
        Lang::Pt => "pt-BR",
    };
    writeln!(out, "<!doctype html>")?;
    writeln!(out, "<html lang=\"{lang}\"><head><meta charset=\"utf-8\">")?;
    writeln!(
        out,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    )?;
    writeln!(
        out,
        "<title>{}</title><style>{STYLE}</style></head>",
        escape(w.title)
    )?;
    writeln!(out, "<body><main>")?;
    writeln!(
        out,
        "<header><h1>{}</h1><p>{}</p></header>",
        escape(w.title),
        escape(&header_line(a))
    )?;
    write_kpis(out, a)?;
    write_warnings(out, a)?;
    writeln!(out, "<div class=\"charts\">")?;
    writeln!(
        out,
        "<figure><figcaption>{}</figcaption>{}</figure>",
        escape(w.radar),
        radar::radar(a)
    )?;
    write_stages(out, a)?;
    writeln!(out, "</div>")?;
    write_grid(out, a)?;
    write_actions(out, a)?;
    write_evidence(out, a)?;
    write_notes(out, a)?;
    writeln!(
        out,
        "<footer>{}</footer>",
        escape(&match a.lang {
            Lang::En => format!("Made with tal maturity. Evidence as of {}.", a.as_of),
            Lang::Pt => format!("Feito com tal maturity. Evidências em {}.", a.as_of),
        })
    )?;
    writeln!(out, "</main></body></html>")?;
    Ok(())
}

fn kpi(label: &str, value: &str, note: &str) -> String {
    format!(
        "<div class=\"kpi\"><div class=\"label\">{}</div><div class=\"value\">{}</div><div class=\"note\">{}</div></div>",
        escape(label),
        escape(value),
        escape(note)
    )
}

fn write_kpis(out: &mut dyn Write, a: &Assessment) -> Result<()> {
    let w = words(a.lang);
    let flagged = |flag: Flag| a.cells.iter().filter(|c| c.flag == Some(flag)).count();
    let pt = a.lang == Lang::Pt;
    let cards = [
        kpi(w.overall, &stage_text(a.overall, a.lang), w.overall_why),
        kpi(
            w.median,
            &stage_text(a.median, a.lang),
            if pt {
                "a 3ª das 5 dimensões"
            } else {
                "the 3rd of the 5 dimensions"
            },
        ),
        kpi(
            if pt { "Contraditas" } else { "Contradicted" },
            &flagged(Flag::Contradicted).to_string(),
            if pt {
                "\"sim\" que os dados não sustentam"
            } else {
                "\"yes\" answers the data does not support"
            },
        ),
        kpi(
            if pt { "Subestimadas" } else { "Understated" },
            &flagged(Flag::Understated).to_string(),
            if pt {
                "práticas que os dados mostram além da resposta"
            } else {
                "practices the data shows beyond the answer"
            },
        ),
    ];
    writeln!(out, "<div class=\"kpis\">{}</div>", cards.join(""))?;
    Ok(())
}

fn write_warnings(out: &mut dyn Write, a: &Assessment) -> Result<()> {
    if a.warnings.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "<div class=\"warnings\"><h2>{}</h2><ul>",
        escape(words(a.lang).warnings)
    )?;
    for warning in &a.warnings {
        writeln!(out, "<li>{}</li>", escape(warning))?;
    }
    writeln!(out, "</ul></div>")?;
    Ok(())
}

/// The stages table beside the radar.
fn write_stages(out: &mut dyn Write, a: &Assessment) -> Result<()> {
    let w = words(a.lang);
    writeln!(
        out,
        "<figure><figcaption>{}</figcaption><table class=\"stages\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th class=\"num\">{}</th></tr></thead><tbody>",
        escape(&capitalized(w.stages)),
        escape(w.dimension),
        escape(w.stage),
        escape(w.answers_only),
        escape(w.score)
    )?;
    for d in &a.dimensions {
        writeln!(
            out,
            "<tr><td><b>{}</b></td><td><span class=\"swatch\" style=\"background:{STAGE_COLOUR}\"></span>{}</td><td><span class=\"swatch\" style=\"background:{ANSWERS_COLOUR}\"></span>{}</td><td class=\"num\">{}</td></tr>",
            escape(DIMENSIONS[d.dimension].name.get(a.lang)),
            escape(&stage_text(d.stage, a.lang)),
            escape(&stage_text(d.stage_answers_only, a.lang)),
            d.score
        )?;
    }
    writeln!(out, "</tbody></table>")?;
    writeln!(
        out,
        "<p class=\"legend\">{}</p></figure>",
        escape(&overall_line(a))
    )?;
    Ok(())
}

fn value_class(value: Value) -> &'static str {
    match value {
        Value::Met => "met",
        Value::Partly => "partly",
        Value::NotMet => "not_met",
        Value::Unanswered => "unanswered",
    }
}

fn flag_badge(flag: Option<Flag>, lang: Lang) -> String {
    let Some(flag) = flag else {
        return String::new();
    };
    let (short, long) = flag_words(flag, lang);
    format!(
        "<span class=\"badge\" title=\"{}\">{} {}</span>",
        escape(long),
        flag_mark(Some(flag)),
        escape(short)
    )
}

fn write_grid(out: &mut dyn Write, a: &Assessment) -> Result<()> {
    let w = words(a.lang);
    writeln!(
        out,
        "<section><h2>{}</h2><table class=\"grid\"><thead><tr><th>{}</th>",
        escape(match a.lang {
            Lang::En => "Practices",
            Lang::Pt => "Práticas",
        }),
        escape(w.dimension)
    )?;
    for stage in 1..=5 {
        write!(out, "<th>{}</th>", escape(&stage_text(stage, a.lang)))?;
    }
    writeln!(out, "</tr></thead><tbody>")?;
    for d in &a.dimensions {
        write!(
            out,
            "<tr><td class=\"dim\">{}<br><span class=\"how\">{} {}</span></td>",
            escape(DIMENSIONS[d.dimension].name.get(a.lang)).replace('/', "/<wbr>"),
            escape(w.stage),
            escape(&stage_text(d.stage, a.lang))
        )?;
        for s in 0..5 {
            let cell = &a.cells[d.dimension * 5 + s];
            write!(
                out,
                "<td class=\"{}\" title=\"{} · {}\"><span class=\"mark\">{}{}</span>{}</td>",
                value_class(cell.value),
                PRACTICES[cell.practice].id,
                escape(value_word(cell.value, a.lang)),
                symbol(cell.value),
                flag_badge(cell.flag, a.lang),
                escape(&practice_text(cell.practice, a.lang))
            )?;
        }
        writeln!(out, "</tr>")?;
    }
    writeln!(out, "</tbody></table>")?;
    writeln!(
        out,
        "<p class=\"legend\">{}</p></section>",
        escape(&legend(a.lang))
    )?;
    Ok(())
}

fn write_actions(out: &mut dyn Write, a: &Assessment) -> Result<()> {
    let w = words(a.lang);
    writeln!(out, "<section><h2>{}</h2>", escape(w.next_actions))?;
    for d in &a.dimensions {
        writeln!(out, "<h3>{}</h3>", escape(&dimension_title(a, d)))?;
        let actions = actions(a, d);
        if actions.is_empty() {
            writeln!(
                out,
                "<p class=\"how\">{}.</p>",
                escape(&capitalized(w.all_met))
            )?;
            continue;
        }
        writeln!(out, "<ul class=\"actions\">")?;
        for action in actions {
            let how = match action.feature {
                Some((feature, rule)) => format!(
                    "{}: {} <code>{}</code>",
                    escape(w.in_tal),
                    escape(&feature),
                    escape(rule)
                ),
                None => escape(w.answers_alone),
            };
            writeln!(
                out,
                "<li><b>{}</b> ({}, {}) {}<br><span class=\"how\">{how}</span></li>",
                action.id,
                escape(&stage_text(action.stage, a.lang)),
                escape(value_word(action.value, a.lang)),
                escape(&action.text)
            )?;
        }
        writeln!(out, "</ul>")?;
    }
    writeln!(out, "</section>")?;
    Ok(())
}

fn write_evidence(out: &mut dyn Write, a: &Assessment) -> Result<()> {
    let w = words(a.lang);
    writeln!(out, "<section><h2>{}</h2>", escape(w.evidence))?;
    for &criterion in criteria() {
        writeln!(out, "<h3>{}</h3>", escape(&criterion_title(a, criterion)))?;
        writeln!(out, "<table><tbody>")?;
        for finding in findings_of(a, criterion) {
            let class = match finding.outcome {
                Outcome::Met => "ok",
                Outcome::NotMet => "bad",
                Outcome::NotApplicable => "na",
            };
            let rule = finding.rule();
            writeln!(
                out,
                "<tr><td class=\"{class}\" style=\"width:28px\">{}</td><td style=\"width:48px\">{}</td><td style=\"width:150px\"><code>{}</code></td><td>{}</td></tr>",
                outcome_symbol(finding.outcome),
                rule.cell,
                rule.id,
                escape(&finding.detail)
            )?;
        }
        writeln!(out, "</tbody></table>")?;
    }
    writeln!(out, "</section>")?;
    Ok(())
}

fn write_notes(out: &mut dyn Write, a: &Assessment) -> Result<()> {
    let notes = notes(a);
    if notes.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "<section><h2>{}</h2><ul class=\"actions\">",
        escape(words(a.lang).notes)
    )?;
    for note in notes {
        writeln!(out, "<li>{}</li>", escape(&note))?;
    }
    writeln!(out, "</ul></section>")?;
    Ok(())
}
