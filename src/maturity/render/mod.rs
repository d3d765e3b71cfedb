//! The assessment for people and programs: `table` (a terminal),
//! `markdown`, `json` (SPEC-maturity.md's shape) and `html` (one
//! self-contained page with the radar). The words every text renderer
//! shares — headings in English or Portuguese, cell marks, the header line,
//! next actions and evidence lines — are here, so the formats agree.

mod html;
mod json;
mod markdown;
mod radar;
mod table;

use std::io::Write;

use anyhow::Result;

use super::combine::{Cell, DimensionResult, Evidence, Flag, Value};
use super::model::{capitalized, stage_name, Criterion, Lang, CRITERIA, DIMENSIONS, PRACTICES};
use super::rules::{Finding, Outcome, RULES};
use super::Assessment;

/// `tal maturity --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Markdown,
    Json,
    Html,
}

pub fn write(out: &mut dyn Write, format: Format, assessment: &Assessment) -> Result<()> {
    match format {
        Format::Table => table::write(out, assessment),
        Format::Markdown => markdown::write(out, assessment),
        Format::Json => json::write(out, assessment),
        Format::Html => html::write(out, assessment),
    }
}

/// The headings and fixed words of the texts.
pub(super) struct Words {
    pub title: &'static str,
    pub dimension: &'static str,
    pub stage: &'static str,
    pub stages: &'static str,
    pub answers_only: &'static str,
    pub score: &'static str,
    pub overall: &'static str,
    pub overall_why: &'static str,
    pub median: &'static str,
    pub next_actions: &'static str,
    pub evidence: &'static str,
    pub notes: &'static str,
    pub warnings: &'static str,
    pub in_tal: &'static str,
    pub answers_alone: &'static str,
    pub shown: &'static str,
    pub all_met: &'static str,
    pub ahead: &'static str,
    pub met: &'static str,
    pub partly: &'static str,
    pub not_met: &'static str,
    pub unanswered: &'static str,
    pub from_data: &'static str,
    pub contradicted: &'static str,
    pub understated: &'static str,
    pub outside_tal: &'static str,
    pub outside_accepted: &'static str,
    pub radar: &'static str,
    pub solid: &'static str,
    pub dashed: &'static str,
}

const EN: Words = Words {
    title: "ABM maturity assessment",
    dimension: "dimension",
    stage: "stage",
    stages: "stages",
    answers_only: "answers only",
    score: "score",
    overall: "Overall",
    overall_why: "the lowest dimension's: it caps the program",
    median: "median",
    next_actions: "Next actions",
    evidence: "Evidence by criterion",
    notes: "Notes",
    warnings: "Warnings",
    in_tal: "in tal",
    answers_alone: "no evidence in tal: answers only",
    shown: "the data already shows it: check the answer",
    all_met: "every stage met",
    ahead: "met ahead of the stage",
    met: "met",
    partly: "partly",
    not_met: "not met",
    unanswered: "unanswered",
    from_data: "from data",
    contradicted: "contradicted by the data",
    understated: "understated (the data shows more)",
    outside_tal: "outside tal",
    outside_accepted: "the data does not show it; the answer stands",
    radar: "Stage by dimension",
    solid: "stage (answers checked against the data)",
    dashed: "answers only",
};

const PT: Words = Words {
    title: "Avaliação de maturidade em MBC",
    dimension: "dimensão",
    stage: "estágio",
    stages: "estágios",
    answers_only: "só respostas",
    score: "pontos",
    overall: "Geral",
    overall_why: "o da dimensão mais baixa: ela limita o programa",
    median: "mediana",
    next_actions: "Próximas ações",
    evidence: "Evidências por critério",
    notes: "Notas",
    warnings: "Avisos",
    in_tal: "no tal",
    answers_alone: "sem evidência no tal: só respostas",
    shown: "os dados já mostram esta prática: reveja a resposta",
    all_met: "todos os estágios atendidos",
    ahead: "atendidas acima do estágio",
    met: "atendida",
    partly: "parcial",
    not_met: "não atendida",
    unanswered: "sem resposta",
    from_data: "dos dados",
    contradicted: "contradita pelos dados",
    understated: "subestimada (os dados mostram mais)",
    outside_tal: "fora do tal",
    outside_accepted: "os dados não mostram; a resposta vale",
    radar: "Estágio por dimensão",
    solid: "estágio (respostas conferidas com os dados)",
    dashed: "só respostas",
};

pub(super) fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::En => &EN,
        Lang::Pt => &PT,
    }
}

/// ✓ ½ ✗ ·
pub(super) fn symbol(value: Value) -> &'static str {
    match value {
        Value::Met => "✓",
        Value::Partly => "½",
        Value::NotMet => "✗",
        Value::Unanswered => "·",
    }
}

/// d ! ~ (an outside_tal cell has no mark).
pub(super) fn flag_mark(flag: Option<Flag>) -> &'static str {
    match flag {
        Some(Flag::FromData) => "d",
        Some(Flag::Contradicted) => "!",
        Some(Flag::Understated) => "~",
        Some(Flag::OutsideTal) | None => "",
    }
}

/// A flag in a few words, and in full.
pub(super) fn flag_words(flag: Flag, lang: Lang) -> (&'static str, &'static str) {
    let w = words(lang);
    match flag {
        Flag::FromData => (w.from_data, w.from_data),
        Flag::Contradicted => (lang.pick("contradicted", "contradita"), w.contradicted),
        Flag::Understated => (lang.pick("understated", "subestimada"), w.understated),
        Flag::OutsideTal => (w.outside_tal, w.outside_tal),
    }
}

/// A cell as the grid shows it: "✓", "½!", "✓d".
pub(super) fn mark(cell: &Cell) -> String {
    format!("{}{}", symbol(cell.value), flag_mark(cell.flag))
}

pub(super) fn value_word(value: Value, lang: Lang) -> &'static str {
    let w = words(lang);
    match value {
        Value::Met => w.met,
        Value::Partly => w.partly,
        Value::NotMet => w.not_met,
        Value::Unanswered => w.unanswered,
    }
}

/// "✓ met, ½ partly, ✗ not met, · unanswered; d from data, ! contradicted
/// by the data, ~ understated (the data shows more)".
pub(super) fn legend(lang: Lang) -> String {
    let w = words(lang);
    format!(
        "✓ {}, ½ {}, ✗ {}, · {}; d {}, ! {}, ~ {}",
        w.met, w.partly, w.not_met, w.unanswered, w.from_data, w.contradicted, w.understated
    )
}

/// "3 Early".
pub(super) fn stage_text(stage: usize, lang: Lang) -> String {
    format!("{stage} {}", stage_name(stage, lang))
}

/// The line under the title: date, who answered, what was read.
pub(super) fn header_line(a: &Assessment) -> String {
    let pt = a.lang == Lang::Pt;
    let mut parts = vec![format!("{} {}", if pt { "em" } else { "as of" }, a.as_of)];
    if let Some(org) = &a.meta.organization {
        parts.push(org.clone());
    }
    match (&a.meta.respondent, a.meta.date) {
        (Some(who), Some(date)) => parts.push(if pt {
            format!("respondido por {who} em {date}")
        } else {
            format!("answered by {who} on {date}")
        }),
        (Some(who), None) => parts.push(if pt {
            format!("respondido por {who}")
        } else {
            format!("answered by {who}")
        }),
        (None, Some(date)) => parts.push(if pt {
            format!("respondido em {date}")
        } else {
            format!("answered on {date}")
        }),
        (None, None) => {}
    }
    parts.push(match &a.answers_file {
        Some(file) => format!("{}: {file}", if pt { "respostas" } else { "answers" }),
        None => (if pt {
            "sem respostas: só os dados"
        } else {
            "no answers: data only"
        })
        .to_string(),
    });
    parts.push(match &a.spec_file {
        Some(file) => format!("{}: {file}", if pt { "evidências" } else { "evidence" }),
        None => (if pt {
            "sem spec: só as respostas"
        } else {
            "no spec: answers only"
        })
        .to_string(),
    });
    parts.join(" · ")
}

/// "Overall: stage 2 Defining (…) · median 3 Early".
pub(super) fn overall_line(a: &Assessment) -> String {
    let w = words(a.lang);
    format!(
        "{}: {} {} ({}) · {} {}",
        w.overall,
        w.stage,
        stage_text(a.overall, a.lang),
        w.overall_why,
        w.median,
        stage_text(a.median, a.lang)
    )
}

/// A next action: the practice to do and how tal shows it.
pub(super) struct Action {
    pub id: &'static str,
    pub stage: usize,
    pub text: String,
    /// What to do in tal, and the rule's id; None: answers only.
    pub feature: Option<(String, &'static str)>,
    pub value: Value,
}

pub(super) fn actions(a: &Assessment, dimension: &DimensionResult) -> Vec<Action> {
    dimension
        .next
        .iter()
        .map(|&i| {
            let cell = &a.cells[i];
            let practice = &PRACTICES[i];
            // When the data already shows the practice, the answer is what
            // lags: say so rather than how to show it.
            let shown = cell.evidence == Some(Evidence::Met);
            let feature = cell.rules.first().map(|&r| {
                let text = if shown {
                    words(a.lang).shown.to_string()
                } else {
                    RULES[r].feature.get(a.lang).to_string()
                };
                (text, RULES[r].id)
            });
            Action {
                id: practice.id,
                stage: practice.stage,
                text: practice.action.get(a.lang).to_string(),
                feature,
                value: cell.value,
            }
        })
        .collect()
}

/// The title of a dimension's next actions: "Data & Accounts, stage 3 Early".
pub(super) fn dimension_title(a: &Assessment, dimension: &DimensionResult) -> String {
    let w = words(a.lang);
    let mut title = format!(
        "{}, {} {}",
        DIMENSIONS[dimension.dimension].name.get(a.lang),
        w.stage,
        stage_text(dimension.stage, a.lang)
    );
    if !dimension.ahead.is_empty() {
        let ahead: Vec<&str> = dimension.ahead.iter().map(|&i| PRACTICES[i].id).collect();
        title.push_str(&format!(" ({}: {})", w.ahead, ahead.join(", ")));
    }
    title
}

/// ✓ ✗ –
pub(super) fn outcome_symbol(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Met => "✓",
        Outcome::NotMet => "✗",
        Outcome::NotApplicable => "–",
    }
}

/// The findings of one criterion, in rule order.
pub(super) fn findings_of(a: &Assessment, criterion: Criterion) -> Vec<&Finding> {
    (a.findings.iter())
        .filter(|f| f.rule().criterion == criterion)
        .collect()
}

/// (observed, met) of a criterion: rules met or failed, and met.
pub(super) fn criterion_counts(a: &Assessment, criterion: Criterion) -> (usize, usize) {
    let findings = findings_of(a, criterion);
    let observed = (findings.iter())
        .filter(|f| f.outcome != Outcome::NotApplicable)
        .count();
    let met = (findings.iter())
        .filter(|f| f.outcome == Outcome::Met)
        .count();
    (observed, met)
}

/// "Account definition: 2 of 3 observed rules met (4 rules)".
pub(super) fn criterion_title(a: &Assessment, criterion: Criterion) -> String {
    let (observed, met) = criterion_counts(a, criterion);
    let rules = findings_of(a, criterion).len();
    match a.lang {
        Lang::En => format!(
            "{}: {met} of {observed} observed met ({rules} {})",
            criterion.name(a.lang),
            if rules == 1 { "rule" } else { "rules" }
        ),
        Lang::Pt => format!(
            "{}: {met} de {observed} observadas atendidas ({rules} {})",
            criterion.name(a.lang),
            if rules == 1 { "regra" } else { "regras" }
        ),
    }
}

/// Every criterion, in the seed's order.
pub(super) fn criteria() -> &'static [Criterion; 5] {
    &CRITERIA
}

/// Notes: answered cells with a note or run outside tal.
pub(super) fn notes(a: &Assessment) -> Vec<String> {
    let w = words(a.lang);
    a.cells
        .iter()
        .filter(|c| c.response.note.is_some() || c.flag == Some(Flag::OutsideTal))
        .map(|c| {
            let mut line = PRACTICES[c.practice].id.to_string();
            if let Some(answer) = c.response.answer {
                line.push_str(&format!(" {}", answer.word()));
            }
            if c.flag == Some(Flag::OutsideTal) {
                line.push_str(&format!(" ({}; {})", w.outside_tal, w.outside_accepted));
            } else if c.response.outside_tal {
                line.push_str(&format!(" ({})", w.outside_tal));
            }
            if let Some(note) = &c.response.note {
                line.push_str(&format!(": {note}"));
            }
            line
        })
        .collect()
}

/// The practice, first letter up.
pub(super) fn practice_text(i: usize, lang: Lang) -> String {
    capitalized(PRACTICES[i].text.get(lang))
}
