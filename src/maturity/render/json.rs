//! The assessment as JSON, in SPEC-maturity.md's shape: `as_of`, `lang`,
//! `overall`, `median`, `dimensions`, `cells`, `evidence`, `criteria`,
//! `warnings`. Names and texts are in `--lang`; ids, values, flags and
//! answers (`yes`/`partly`/`no`) are always the same words.

use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use super::super::answers::Answer;
use super::super::combine::{Evidence, Flag, Value};
use super::super::model::{stage_name, DIMENSIONS, PRACTICES};
use super::super::rules::{Outcome, RULES};
use super::*;

#[derive(Serialize)]
struct Json<'a> {
    as_of: String,
    lang: &'static str,
    overall: Overall,
    median: Stage,
    dimensions: Vec<JsonDimension>,
    cells: Vec<JsonCell<'a>>,
    evidence: Vec<JsonFinding<'a>>,
    criteria: Vec<JsonCriterion>,
    warnings: &'a [String],
}

#[derive(Serialize)]
struct Overall {
    stage: usize,
    name: &'static str,
    rule: &'static str,
}

#[derive(Serialize)]
struct Stage {
    stage: usize,
    name: &'static str,
}

#[derive(Serialize)]
struct JsonDimension {
    id: &'static str,
    name: &'static str,
    stage: usize,
    stage_name: &'static str,
    stage_answers_only: usize,
    score: u32,
    ahead: Vec<&'static str>,
    next: Vec<JsonNext>,
}

#[derive(Serialize)]
struct JsonNext {
    id: &'static str,
    stage: usize,
    practice: &'static str,
    rule: Option<&'static str>,
}

#[derive(Serialize)]
struct JsonCell<'a> {
    id: &'static str,
    dimension: &'static str,
    stage: usize,
    practice: &'static str,
    answer: Option<Answer>,
    outside_tal: bool,
    note: Option<&'a str>,
    evidence: Option<Evidence>,
    rules: Vec<&'static str>,
    value: Value,
    flag: Option<Flag>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'static str,
    criterion: &'static str,
    cell: &'static str,
    result: Outcome,
    detail: &'a str,
}

#[derive(Serialize)]
struct JsonCriterion {
    id: &'static str,
    observed: usize,
    met: usize,
}

pub fn write(out: &mut dyn Write, a: &Assessment) -> Result<()> {
    let lang = a.lang;
    let dimensions = a
        .dimensions
        .iter()
        .map(|d| JsonDimension {
            id: DIMENSIONS[d.dimension].id,
            name: DIMENSIONS[d.dimension].name.get(lang),
            stage: d.stage,
            stage_name: stage_name(d.stage, lang),
            stage_answers_only: d.stage_answers_only,
            score: d.score,
            ahead: d.ahead.iter().map(|&i| PRACTICES[i].id).collect(),
            next: d
                .next
                .iter()
                .map(|&i| JsonNext {
                    id: PRACTICES[i].id,
                    stage: PRACTICES[i].stage,
                    practice: PRACTICES[i].text.get(lang),
                    rule: a.cells[i].rules.first().map(|&r| RULES[r].id),
                })
                .collect(),
        })
        .collect();
    let cells = a
        .cells
        .iter()
        .map(|c| {
            let practice = &PRACTICES[c.practice];
            JsonCell {
                id: practice.id,
                dimension: practice.dimension().id,
                stage: practice.stage,
                practice: practice.text.get(lang),
                answer: c.response.answer,
                outside_tal: c.response.outside_tal,
                note: c.response.note.as_deref(),
                evidence: c.evidence,
                rules: c.rules.iter().map(|&r| RULES[r].id).collect(),
                value: c.value,
                flag: c.flag,
            }
        })
        .collect();
    let evidence = a
        .findings
        .iter()
        .map(|f| JsonFinding {
            rule: f.rule().id,
            criterion: f.rule().criterion.id(),
            cell: f.rule().cell,
            result: f.outcome,
            detail: &f.detail,
        })
        .collect();
    let criteria = criteria()
        .iter()
        .map(|&c| {
            let (observed, met) = criterion_counts(a, c);
            JsonCriterion {
                id: c.id(),
                observed,
                met,
            }
        })
        .collect();
    let json = Json {
        as_of: a.as_of.to_string(),
        lang: lang.code(),
        overall: Overall {
            stage: a.overall,
            name: stage_name(a.overall, lang),
            rule: "min",
        },
        median: Stage {
            stage: a.median,
            name: stage_name(a.median, lang),
        },
        dimensions,
        cells,
        evidence,
        criteria,
        warnings: &a.warnings,
    };
    serde_json::to_writer_pretty(&mut *out, &json)?;
    out.write_all(b"\n")?;
    Ok(())
}
