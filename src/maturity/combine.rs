//! From answers and evidence to the grid and the stages
//! (SPEC-maturity.md "Combining" and "Stages"): pure functions, no I/O.
//!
//! Evidence confirms practices, it never proves a stage: it fills gaps
//! (an unanswered cell takes the data's value, flagged `from_data`) and
//! caps unsupported claims (a "yes" the data contradicts is `partly`,
//! unless the practice runs outside `tal`), but it never raises an answer
//! (a "no" the data shows is still `not_met`, flagged `understated`).

use serde::Serialize;

use super::answers::{Answer, Response};
use super::model::{DIMENSIONS, PRACTICES};
use super::rules::{Finding, Outcome};

/// What the evidence says about a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    Met,
    NotMet,
}

/// A cell's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Value {
    Met,
    Partly,
    NotMet,
    Unanswered,
}

impl Value {
    /// Credit towards the score: met 1, partly ½ (in halves).
    fn halves(self) -> u32 {
        match self {
            Value::Met => 2,
            Value::Partly => 1,
            Value::NotMet | Value::Unanswered => 0,
        }
    }
}

/// How the answer and the evidence relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    /// No answer: the value is the data's.
    FromData,
    /// "yes", but the data shows the practice missing.
    Contradicted,
    /// "yes", contradicted by the data, but done outside tal.
    OutsideTal,
    /// "no" or "partly", but the data shows the practice.
    Understated,
}

impl Flag {
    pub fn word(self) -> &'static str {
        match self {
            Flag::FromData => "from_data",
            Flag::Contradicted => "contradicted",
            Flag::OutsideTal => "outside_tal",
            Flag::Understated => "understated",
        }
    }
}

/// A cell's evidence: met if any of its rules is met, else not met if any
/// failed, else none.
pub fn cell_evidence(outcomes: &[Outcome]) -> Option<Evidence> {
    if outcomes.contains(&Outcome::Met) {
        Some(Evidence::Met)
    } else if outcomes.contains(&Outcome::NotMet) {
        Some(Evidence::NotMet)
    } else {
        None
    }
}

/// The combining table, row by row.
pub fn combine(
    answer: Option<Answer>,
    outside_tal: bool,
    evidence: Option<Evidence>,
) -> (Value, Option<Flag>) {
    use Evidence as E;
    match (answer, evidence) {
        (Some(Answer::Yes), Some(E::NotMet)) if outside_tal => (Value::Met, Some(Flag::OutsideTal)),
        (Some(Answer::Yes), Some(E::NotMet)) => (Value::Partly, Some(Flag::Contradicted)),
        (Some(Answer::Yes), _) => (Value::Met, None),
        (Some(Answer::Partly), Some(E::Met)) => (Value::Partly, Some(Flag::Understated)),
        (Some(Answer::Partly), _) => (Value::Partly, None),
        (Some(Answer::No), Some(E::Met)) => (Value::NotMet, Some(Flag::Understated)),
        (Some(Answer::No), _) => (Value::NotMet, None),
        (None, Some(E::Met)) => (Value::Met, Some(Flag::FromData)),
        (None, Some(E::NotMet)) => (Value::NotMet, Some(Flag::FromData)),
        (None, None) => (Value::Unanswered, None),
    }
}

/// The value of a cell from its answer alone.
pub fn answer_value(answer: Option<Answer>) -> Value {
    match answer {
        Some(Answer::Yes) => Value::Met,
        Some(Answer::Partly) => Value::Partly,
        Some(Answer::No) => Value::NotMet,
        None => Value::Unanswered,
    }
}

/// The largest k in 0..=5 with cells 1..k all met (stage order).
pub fn stage_of(values: &[Value]) -> usize {
    values.iter().take_while(|v| **v == Value::Met).count()
}

/// round(100 × Σ credit / 5): met 1, partly ½.
pub fn score_of(values: &[Value]) -> u32 {
    // 100 × (halves / 2) / 5 = 10 × halves: always whole.
    10 * values.iter().map(|v| v.halves()).sum::<u32>()
}

/// One cell of the grid.
#[derive(Debug, Clone)]
pub struct Cell {
    /// Index into [`PRACTICES`].
    pub practice: usize,
    pub response: Response,
    pub evidence: Option<Evidence>,
    /// Indexes of the rules that evidence it.
    pub rules: Vec<usize>,
    pub value: Value,
    pub flag: Option<Flag>,
}

/// One dimension's result.
#[derive(Debug, Clone, PartialEq)]
pub struct DimensionResult {
    /// Index into [`DIMENSIONS`].
    pub dimension: usize,
    pub stage: usize,
    pub stage_answers_only: usize,
    pub score: u32,
    /// Met cells above the stage (practice indexes).
    pub ahead: Vec<usize>,
    /// Cells to work on next (practice indexes), in stage order.
    pub next: Vec<usize>,
}

/// Every cell, from the responses (indexed like [`PRACTICES`]) and the
/// rules' findings.
pub fn cells(responses: &[Response], findings: &[Finding]) -> Vec<Cell> {
    PRACTICES
        .iter()
        .enumerate()
        .map(|(i, practice)| {
            let mine: Vec<&Finding> = findings
                .iter()
                .filter(|f| f.rule().cell == practice.id)
                .collect();
            let outcomes: Vec<Outcome> = mine.iter().map(|f| f.outcome).collect();
            let evidence = cell_evidence(&outcomes);
            let response = responses.get(i).cloned().unwrap_or_default();
            let (value, flag) = combine(response.answer, response.outside_tal, evidence);
            Cell {
                practice: i,
                response,
                evidence,
                rules: mine.iter().map(|f| f.rule).collect(),
                value,
                flag,
            }
        })
        .collect()
}

/// Stage, answers-only stage, score, cells ahead and next actions of each
/// dimension. Next: the cells not met at stages up to one above the
/// dimension's stage (none at stage 5).
pub fn dimensions(cells: &[Cell]) -> Vec<DimensionResult> {
    (0..DIMENSIONS.len())
        .map(|d| {
            // Practices are in grid order: dimension by dimension, stage 1 to 5.
            let row: Vec<&Cell> = (1..=5).map(|s| &cells[d * 5 + s - 1]).collect();
            let values: Vec<Value> = row.iter().map(|c| c.value).collect();
            let answered: Vec<Value> = row
                .iter()
                .map(|c| answer_value(c.response.answer))
                .collect();
            let stage = stage_of(&values);
            let ahead = (row.iter().skip(stage))
                .filter(|c| c.value == Value::Met)
                .map(|c| c.practice)
                .collect();
            let next = (row.iter().take((stage + 1).min(5)))
                .filter(|c| c.value != Value::Met)
                .map(|c| c.practice)
                .collect();
            DimensionResult {
                dimension: d,
                stage,
                stage_answers_only: stage_of(&answered),
                score: score_of(&values),
                ahead,
                next,
            }
        })
        .collect()
}

/// The overall stage: the lowest dimension's (the floor caps the program).
pub fn overall(dimensions: &[DimensionResult]) -> usize {
    dimensions.iter().map(|d| d.stage).min().unwrap_or(0)
}

/// The median stage: the 3rd of the 5, sorted.
pub fn median(dimensions: &[DimensionResult]) -> usize {
    let mut stages: Vec<usize> = dimensions.iter().map(|d| d.stage).collect();
    stages.sort_unstable();
    stages.get(stages.len() / 2).copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Answer::*;
    use Evidence as E;

    /// The contract's combining table, row by row.
    #[test]
    fn combining_table() {
        // answer, outside_tal, evidence: value, flag
        type Row = (Option<Answer>, bool, Option<E>, Value, Option<Flag>);
        let rows: &[Row] = &[
            // yes + met or none: met
            (Some(Yes), false, Some(E::Met), Value::Met, None),
            (Some(Yes), false, None, Value::Met, None),
            (Some(Yes), true, Some(E::Met), Value::Met, None),
            (Some(Yes), true, None, Value::Met, None),
            // yes + not met: partly, contradicted (met if outside_tal)
            (
                Some(Yes),
                false,
                Some(E::NotMet),
                Value::Partly,
                Some(Flag::Contradicted),
            ),
            (
                Some(Yes),
                true,
                Some(E::NotMet),
                Value::Met,
                Some(Flag::OutsideTal),
            ),
            // partly + any: partly, understated if met
            (
                Some(Partly),
                false,
                Some(E::Met),
                Value::Partly,
                Some(Flag::Understated),
            ),
            (Some(Partly), false, Some(E::NotMet), Value::Partly, None),
            (Some(Partly), false, None, Value::Partly, None),
            (Some(Partly), true, Some(E::NotMet), Value::Partly, None),
            // no + met: not met, understated
            (
                Some(No),
                false,
                Some(E::Met),
                Value::NotMet,
                Some(Flag::Understated),
            ),
            (
                Some(No),
                true,
                Some(E::Met),
                Value::NotMet,
                Some(Flag::Understated),
            ),
            // no + not met / none: not met
            (Some(No), false, Some(E::NotMet), Value::NotMet, None),
            (Some(No), false, None, Value::NotMet, None),
            // none + met / not met: from data
            (None, false, Some(E::Met), Value::Met, Some(Flag::FromData)),
            (
                None,
                false,
                Some(E::NotMet),
                Value::NotMet,
                Some(Flag::FromData),
            ),
            (
                None,
                true,
                Some(E::NotMet),
                Value::NotMet,
                Some(Flag::FromData),
            ),
            // none + none: unanswered
            (None, false, None, Value::Unanswered, None),
        ];
        for &(answer, outside, evidence, value, flag) in rows {
            assert_eq!(
                combine(answer, outside, evidence),
                (value, flag),
                "{answer:?} outside_tal={outside} {evidence:?}"
            );
        }
    }

    #[test]
    fn cell_evidence_prefers_met_then_not_met() {
        use Outcome::*;
        assert_eq!(cell_evidence(&[NotMet, Met]), Some(E::Met));
        assert_eq!(cell_evidence(&[NotApplicable, NotMet]), Some(E::NotMet));
        assert_eq!(cell_evidence(&[NotApplicable]), None);
        assert_eq!(cell_evidence(&[]), None);
    }

    #[test]
    fn stage_is_cumulative_and_score_counts_halves() {
        use Value::*;
        assert_eq!(stage_of(&[Met, Met, Partly, Met, Met]), 2);
        assert_eq!(stage_of(&[NotMet, Met, Met, Met, Met]), 0);
        assert_eq!(stage_of(&[Met; 5]), 5);
        assert_eq!(stage_of(&[Unanswered; 5]), 0);
        assert_eq!(score_of(&[Met, Met, Partly, Met, Met]), 90);
        assert_eq!(score_of(&[Partly, NotMet, Unanswered, NotMet, Partly]), 20);
        assert_eq!(score_of(&[Met; 5]), 100);
    }

    fn grid(values: [[Option<Answer>; 5]; 5]) -> Vec<Cell> {
        let responses: Vec<Response> = values
            .iter()
            .flatten()
            .map(|&answer| Response {
                answer,
                ..Response::default()
            })
            .collect();
        cells(&responses, &[])
    }

    #[test]
    fn dimensions_overall_and_median() {
        let y = Some(Yes);
        let p = Some(Partly);
        let n = Some(No);
        let cells = grid([
            [y, y, n, y, None], // da: stage 2, da4 ahead, next da3
            [y, y, y, y, y],    // mc: stage 5, no next
            [p, y, y, y, y],    // pg: stage 0, next pg1
            [y, y, y, p, None], // mt: stage 3, next mt4
            [y, None, y, y, y], // tm: stage 1, next tm2
        ]);
        let dims = dimensions(&cells);
        let summary: Vec<(usize, u32, Vec<&str>, Vec<&str>)> = dims
            .iter()
            .map(|d| {
                let ids = |v: &[usize]| v.iter().map(|&i| PRACTICES[i].id).collect::<Vec<_>>();
                (d.stage, d.score, ids(&d.ahead), ids(&d.next))
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                (2, 60, vec!["da4"], vec!["da3"]),
                (5, 100, vec![], vec![]),
                (0, 90, vec!["pg2", "pg3", "pg4", "pg5"], vec!["pg1"]),
                (3, 70, vec![], vec!["mt4"]),
                (1, 80, vec!["tm3", "tm4", "tm5"], vec!["tm2"]),
            ]
        );
        // No evidence here: answers only gives the same stages.
        assert!(dims.iter().all(|d| d.stage == d.stage_answers_only));
        assert_eq!(overall(&dims), 0);
        assert_eq!(median(&dims), 2);
    }

    /// A contradicted "yes" lowers the stage but not the answers-only one.
    #[test]
    fn evidence_caps_the_stage() {
        use crate::maturity::rules::{rule_index, Finding};
        let mut responses = vec![Response::default(); 25];
        for r in responses.iter_mut().take(3) {
            r.answer = Some(Yes);
        }
        let findings = vec![Finding {
            rule: rule_index("joint_pins").unwrap(),
            outcome: Outcome::NotMet,
            detail: String::new(),
        }];
        let cells = cells(&responses, &findings);
        assert_eq!(
            (cells[1].value, cells[1].flag),
            (Value::Partly, Some(Flag::Contradicted))
        );
        assert_eq!(cells[1].rules, vec![1]);
        let da = &dimensions(&cells)[0];
        assert_eq!((da.stage, da.stage_answers_only, da.score), (1, 3, 50));
        assert_eq!(da.next, vec![1]);
        assert_eq!(da.ahead, vec![2]);
    }
}
