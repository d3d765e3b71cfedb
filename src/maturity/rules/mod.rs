//! The evidence rules (SPEC-maturity.md "Evidence rules"): each looks at
//! the compiled spec and the gathered [`Facts`] and says whether the data
//! shows its practice (`met`), shows its absence (`not_met`), or neither
//! (`n/a`), with the detail that decided it. A rule checks its "met"
//! condition first, then its "not met" one.
//!
//! `W` is every `when` of the tiers, the stages and the `when` segments; a
//! `when` "mentions" a name when its parsed expression has that
//! identifier. Word tests are case-insensitive substrings, as written in
//! the contract (so `email` also contains `mail`).
//!
//! The rules of the data and content dimensions are in `accounts`, those of
//! programs in `programs`, those of metrics and team in `metrics`.

mod accounts;
mod metrics;
mod programs;

use chrono::NaiveDate;
use serde::Serialize;

use super::facts::Facts;
use super::model::{Criterion, Text};
use crate::expr::{idents, Expr};
use crate::spec::{SegmentRule, Spec};

/// One evidence rule: what it checks, for which criterion and cell.
#[derive(Debug)]
pub struct Rule {
    pub id: &'static str,
    pub criterion: Criterion,
    /// The practice it evidences.
    pub cell: &'static str,
    /// What to do in `tal` to show the practice (the rule's "met when"),
    /// for next actions.
    pub feature: Text,
}

const fn rule(id: &'static str, criterion: Criterion, cell: &'static str, feature: Text) -> Rule {
    Rule {
        id,
        criterion,
        cell,
        feature,
    }
}

const fn t(en: &'static str, pt: &'static str) -> Text {
    Text { en, pt }
}

use Criterion::*;

/// Every rule, in the contract's order.
pub static RULES: [Rule; 19] = [
    rule("fit_defined", AccountDefinition, "da1", t(
        "give [fit] a criterion with points",
        "dê ao [fit] um critério com pontos",
    )),
    rule("joint_pins", Processes, "da2", t(
        "record the pins sales and marketing agree on in the overrides file, each with its owner",
        "registre no arquivo de overrides as fixações que vendas e marketing combinaram, cada uma com o seu responsável (owner)",
    )),
    rule("intent_selects", Technology, "da3", t(
        "map an intent export and use intent, intent_score, intent_topics or intent_topic_count in a tier, stage or segment rule",
        "mapeie um export de intenção e use intent, intent_score, intent_topics ou intent_topic_count na regra de um tier, estágio ou segmento",
    )),
    rule("hygiene", AccountDefinition, "da4", t(
        "read two or more account inputs with at most 1% of rows rejected and 2% merged, and every [fit] field at least 90% complete",
        "leia duas ou mais entradas de contas com no máximo 1% de linhas rejeitadas e 2% fundidas, e cada campo do [fit] ao menos 90% completo",
    )),
    rule("weekly_refresh", Technology, "da5", t(
        "run tal build every week (the last 4 builds at most 8 days apart, the latest within 8 days; pass --build-dir) with tiers that use engaged or intent",
        "rode tal build toda semana (os 4 últimos builds com no máximo 8 dias entre si, o último há 8 dias ou menos; passe --build-dir) com tiers que usem engaged ou intent",
    )),
    rule("personas_known", AccountDefinition, "mc1", t(
        "set [engagement].persona_weights, or map the persona of the activity rows",
        "defina [engagement].persona_weights, ou mapeie a persona das linhas de atividade",
    )),
    rule("segment_offers", Processes, "mc2", t(
        "give a segment an objective, an offer and at least one channel",
        "dê a um segmento um objetivo (objective), uma oferta (offer) e ao menos um canal",
    )),
    rule("stage_content", Processes, "mc4", t(
        "define two or more [[stages]] and use stage in a segment's rule",
        "defina dois ou mais [[stages]] e use stage na regra de um segmento",
    )),
    rule("channels_named", Processes, "pg1", t(
        "list the [programs], or give the segments channels",
        "liste os [programs], ou dê canais aos segmentos",
    )),
    rule("digital_programs", Technology, "pg2", t(
        "name digital programs (ads, display, LinkedIn, social, email, web, search, retargeting) on a tier or as a segment channel",
        "nomeie programas digitais (ads, display, LinkedIn, social, email, web, search, retargeting) num tier ou como canal de um segmento",
    )),
    rule("persona_programs", Processes, "pg3", t(
        "use personas_engaged in a segment's rule",
        "use personas_engaged na regra de um segmento",
    )),
    rule("channel_mix", Processes, "pg4", t(
        "add analog programs (direct mail, gifts, dinners, events, field, print, boxes) beside the digital ones",
        "acrescente programas analógicos (mala direta, brindes, jantares, eventos, field, impressos, caixas) aos digitais",
    )),
    rule("activity_tracked", Measurement, "mt1", t(
        "map an engagement export with activity in the window, and define two or more [[stages]]",
        "mapeie um export de engajamento com atividade na janela, e defina dois ou mais [[stages]]",
    )),
    rule("engaged_in_rules", Measurement, "mt2", t(
        "set [engagement].threshold and use engaged or engagement_score in a tier, stage or segment rule",
        "defina [engagement].threshold e use engaged ou engagement_score na regra de um tier, estágio ou segmento",
    )),
    rule("meetings_opps", Measurement, "mt3", t(
        "score meetings in [engagement].points with the persona mapped, or base a stage on opportunity_stage or open_opportunity",
        "pontue reuniões (meeting) em [engagement].points com a persona mapeada, ou baseie um estágio em opportunity_stage ou open_opportunity",
    )),
    rule("revenue_kpis", Measurement, "mt4", t(
        "set [budget].revenue_goal and a win_rate on every tier, and map renewals or customer_since",
        "defina [budget].revenue_goal e um win_rate em cada tier, e mapeie renewals ou customer_since",
    )),
    rule("owners", StructureLeadership, "tm1", t(
        "map the account owner and fill it in for at least 90% of the TAL",
        "mapeie o responsável (owner) da conta e preencha-o em ao menos 90% da TAL",
    )),
    rule("entitlements", Processes, "tm2", t(
        "give two or more tiers a per_account entitlement, each 2–5× the tier below",
        "dê a dois ou mais tiers um per_account, cada um 2–5× o do tier abaixo",
    )),
    rule("crm_loop", Technology, "tm3", t(
        "write the tiers back to the CRM ([export.crm] columns) and set Tier 1's accounts_per_seller",
        "devolva os tiers ao CRM (colunas de [export.crm]) e defina o accounts_per_seller do Tier 1",
    )),
];

/// The rule with this id.
pub fn rule_index(id: &str) -> Option<usize> {
    RULES.iter().position(|r| r.id == id)
}

/// What a rule found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Outcome {
    #[serde(rename = "met")]
    Met,
    #[serde(rename = "not_met")]
    NotMet,
    #[serde(rename = "n/a")]
    NotApplicable,
}

impl Outcome {
    pub fn word(self) -> &'static str {
        match self {
            Outcome::Met => "met",
            Outcome::NotMet => "not_met",
            Outcome::NotApplicable => "n/a",
        }
    }
}

/// One rule's result and the detail that decided it.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Index into [`RULES`].
    pub rule: usize,
    pub outcome: Outcome,
    pub detail: String,
}

impl Finding {
    pub fn rule(&self) -> &'static Rule {
        &RULES[self.rule]
    }
}

/// A rule's outcome and detail, before it is numbered.
pub(crate) type Found = (Outcome, String);

pub(crate) fn met(detail: impl Into<String>) -> Found {
    (Outcome::Met, detail.into())
}

pub(crate) fn not_met(detail: impl Into<String>) -> Found {
    (Outcome::NotMet, detail.into())
}

pub(crate) fn na(detail: impl Into<String>) -> Found {
    (Outcome::NotApplicable, detail.into())
}

/// What the rules look at.
pub struct Context<'a> {
    pub spec: &'a Spec,
    pub facts: &'a Facts,
    pub as_of: NaiveDate,
}

/// Runs every rule, in order; warnings go to `warnings`.
pub fn evaluate(cx: &Context, warnings: &mut Vec<String>) -> Vec<Finding> {
    let found: [Found; 19] = [
        accounts::fit_defined(cx),
        accounts::joint_pins(cx),
        accounts::intent_selects(cx),
        accounts::hygiene(cx),
        accounts::weekly_refresh(cx),
        accounts::personas_known(cx),
        accounts::segment_offers(cx),
        accounts::stage_content(cx),
        programs::channels_named(cx),
        programs::digital_programs(cx),
        programs::persona_programs(cx),
        programs::channel_mix(cx),
        metrics::activity_tracked(cx),
        metrics::engaged_in_rules(cx),
        metrics::meetings_opps(cx),
        metrics::revenue_kpis(cx),
        metrics::owners(cx),
        metrics::entitlements(cx, warnings),
        metrics::crm_loop(cx),
    ];
    found
        .into_iter()
        .enumerate()
        .map(|(rule, (outcome, detail))| Finding {
            rule,
            outcome,
            detail,
        })
        .collect()
}

/// Every rule `n/a`, with one reason (no spec to look at).
pub fn none_observed(reason: &str) -> Vec<Finding> {
    (0..RULES.len())
        .map(|rule| Finding {
            rule,
            outcome: Outcome::NotApplicable,
            detail: reason.to_string(),
        })
        .collect()
}

/// Which kind of rule a `when` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Owner {
    Tier,
    Stage,
    Segment,
}

/// A `when` of W, named for details ("Tier 1's rule", "stage Decision").
pub(crate) struct When<'a> {
    pub owner: Owner,
    pub label: String,
    pub expr: &'a Expr,
}

/// W: every `when` of the tiers, the stages and the `when` segments.
pub(crate) fn whens(spec: &Spec) -> Vec<When<'_>> {
    let mut out = Vec::new();
    for tier in &spec.tiers {
        out.push(When {
            owner: Owner::Tier,
            label: format!("{}'s rule", tier.name),
            expr: &tier.when.expr,
        });
    }
    for stage in &spec.stages {
        out.push(When {
            owner: Owner::Stage,
            label: format!("stage {}", stage.name),
            expr: &stage.when.expr,
        });
    }
    for segment in &spec.segments {
        if let SegmentRule::When(when) = &segment.rule {
            out.push(When {
                owner: Owner::Segment,
                label: format!("segment {}", segment.name),
                expr: &when.expr,
            });
        }
    }
    out
}

/// Whether the expression has one of these identifiers.
pub(crate) fn mentions(expr: &Expr, names: &[&str]) -> bool {
    idents(expr)
        .iter()
        .any(|i| names.contains(&i.name.as_str()))
}

/// The labels of the `when`s of W (of `owners`) that mention one of `names`.
pub(crate) fn mentioning(spec: &Spec, owners: &[Owner], names: &[&str]) -> Vec<String> {
    whens(spec)
        .into_iter()
        .filter(|w| owners.contains(&w.owner) && mentions(w.expr, names))
        .map(|w| w.label)
        .collect()
}

/// Every kind of `when` in W.
pub(crate) const W: &[Owner] = &[Owner::Tier, Owner::Stage, Owner::Segment];

/// The first of `words` that `text` contains, case-insensitively.
pub(crate) fn contains_word<'w>(text: &str, words: &[&'w str]) -> Option<&'w str> {
    let lower = text.to_lowercase();
    words.iter().copied().find(|w| lower.contains(w))
}

/// `n` and a noun, pluralised with an s: "1 tier", "3 tiers".
pub(crate) fn plural(n: u64, noun: &str) -> String {
    let count = crate::format::count(n as usize);
    if n == 1 {
        format!("{count} {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// A share as a percentage with one decimal ("0.4%"); 0 of 0 is 0%.
pub(crate) fn share(part: u64, whole: u64) -> String {
    let fraction = if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    };
    crate::format::percent(fraction)
}

#[cfg(test)]
pub(crate) mod testing {
    //! Small specs for the rule tests: an account input plus `rest`.

    use super::*;

    pub fn spec(rest: &str) -> Spec {
        let text = format!(
            r#"[inputs.crm]
path = "crm.csv"
key = "domain"
fields = {{ industry = "industry", employees = "employees", owner = "owner", opportunity_stage = "stage" }}
{rest}
"#
        );
        let raw = crate::spec::load::parse_spec(&text, "tal.toml").unwrap();
        crate::spec::compile(raw, &text, std::path::Path::new("tal.toml")).unwrap()
    }

    pub fn as_of() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
    }

    /// The outcome and detail of rule `id` on `spec` and `facts`.
    pub fn run(id: &str, spec: &Spec, facts: &Facts) -> (Outcome, String) {
        let cx = Context {
            spec,
            facts,
            as_of: as_of(),
        };
        let finding = evaluate(&cx, &mut Vec::new())
            .into_iter()
            .find(|f| f.rule().id == id)
            .unwrap();
        (finding.outcome, finding.detail)
    }

    pub fn outcome(id: &str, spec: &Spec, facts: &Facts) -> Outcome {
        run(id, spec, facts).0
    }

    /// An input's row buckets.
    pub fn input(
        kind: crate::spec::InputKind,
        read: u64,
        used: u64,
    ) -> super::super::facts::InputRows {
        super::super::facts::InputRows {
            name: format!("{kind:?}").to_lowercase(),
            kind,
            rows: crate::input::Buckets {
                read,
                used,
                ..Default::default()
            },
        }
    }

    /// An intent input for `[inputs.intent]` specs.
    pub const INTENT_INPUT: &str = r#"
[inputs.intent]
path = "intent.csv"
key = "domain"
fields = { topic = "topic", score = "score", date = "week" }
"#;

    /// An engagement input for `[inputs.engagement]` specs.
    pub const ENGAGEMENT_INPUT: &str = r#"
[inputs.engagement]
path = "activity.csv"
key = "email"
fields = { type = "type", date = "date", persona = "persona" }
"#;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One rule per cell that has one, and the contract's cells.
    #[test]
    fn rules_name_their_cells() {
        let cells: Vec<&str> = RULES.iter().map(|r| r.cell).collect();
        assert_eq!(
            cells,
            [
                "da1", "da2", "da3", "da4", "da5", "mc1", "mc2", "mc4", "pg1", "pg2", "pg3", "pg4",
                "mt1", "mt2", "mt3", "mt4", "tm1", "tm2", "tm3"
            ]
        );
        for rule in &RULES {
            assert!(super::super::model::practice_index(rule.cell).is_some());
        }
        assert_eq!(rule_index("owners"), Some(16));
    }

    #[test]
    fn w_is_tiers_stages_and_when_segments() {
        let spec = testing::spec(
            r#"
[[exclude]]
name = "x"
when = "intent"
[[tiers]]
name = "Tier 1"
when = "intent and engaged"
[[stages]]
name = "Decision"
when = 'opportunity_stage == "Proposal"'
[[segments]]
name = "Surging"
when = "intent_score > 80"
[[segments]]
name = "Industry"
group_by = "industry"
"#,
        );
        let labels: Vec<String> = whens(&spec).into_iter().map(|w| w.label).collect();
        assert_eq!(
            labels,
            ["Tier 1's rule", "stage Decision", "segment Surging"]
        );
        assert_eq!(
            mentioning(&spec, W, &["intent", "intent_score"]),
            ["Tier 1's rule", "segment Surging"]
        );
        assert_eq!(
            contains_word("Account-targeted LinkedIn Ads", &["mail", "ads"]),
            Some("ads")
        );
        assert_eq!(plural(1, "row"), "1 row");
        assert_eq!(plural(1420, "row"), "1,420 rows");
        assert_eq!(share(1, 3), "33.3%");
        assert_eq!(share(0, 0), "0.0%");
    }
}
