//! `tal explain`: one account, criterion by criterion — every rule with the
//! values it read and whether it held, every signal with its inputs, which
//! tier rules held, the capacity and any demotion, and the segments.

use polars::prelude::{DataType, IntoLazy, PolarsResult};
use serde::Serialize;

use super::lower::condition;
use super::reasons::reasons;
use super::rules::AcvSource;
use super::segments::Values;
use super::{Scored, Status};
use crate::expr::{idents, Expr};
use crate::format;
use crate::input::Accounts;
use crate::spec::signals;
use crate::spec::{Condition, CriterionRule, Phase, Spec};
use crate::value;

/// One `when`: its source, whether it held, and the values it read.
#[derive(Debug, Serialize)]
pub struct RuleCheck {
    pub name: String,
    pub key: String,
    pub when: String,
    pub held: bool,
    pub values: indexmap::IndexMap<String, String>,
    /// Fit criteria: the points earned (0 unless it counted).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points: Option<f64>,
    /// Fit criteria: whether it counted. A band that holds after the one
    /// that counted earns nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counted: Option<bool>,
}

#[derive(Debug, Serialize)]
pub struct Explanation {
    pub domain: String,
    pub account_id: Option<String>,
    pub name: Option<String>,
    pub merged_ids: Vec<String>,
    pub tier: String,
    pub rank: Option<u32>,
    pub fit: f64,
    pub fit_possible: f64,
    pub fit_grade: String,
    pub high_fit: bool,
    pub criteria: Vec<RuleCheck>,
    pub intent_score: f64,
    pub intent: bool,
    pub intent_topics: Vec<String>,
    pub engagement_score: f64,
    pub engaged: bool,
    pub last_engaged: Option<String>,
    pub personas_engaged: Vec<String>,
    pub acv: f64,
    pub acv_band: String,
    pub acv_source: String,
    pub stage: String,
    pub stages: Vec<RuleCheck>,
    pub excludes: Vec<RuleCheck>,
    pub tier_rules: Vec<RuleCheck>,
    pub rules_chose: Option<String>,
    pub override_pin: Option<String>,
    pub capacity: Option<String>,
    pub demoted_from: Option<String>,
    pub segments: Vec<String>,
    pub reasons: String,
}

/// The account for a domain (any form) or an account id (exact, then
/// case-insensitive, then among merged ids).
pub fn find_account(accounts: &Accounts, wanted: &str) -> Option<usize> {
    if let Some(i) = value::normalize_domain(wanted).and_then(|d| accounts.find(&d)) {
        return Some(i as usize);
    }
    let wanted = wanted.trim();
    if let Some(crate::input::accounts::Column::Text(ids)) = accounts.columns.get("account_id") {
        if let Some(i) = ids.iter().position(|id| id.as_deref() == Some(wanted)) {
            return Some(i);
        }
        if let Some(i) = ids.iter().position(|id| {
            id.as_deref()
                .is_some_and(|id| id.eq_ignore_ascii_case(wanted))
        }) {
            return Some(i);
        }
    }
    accounts
        .merged_ids
        .iter()
        .find(|(_, ids)| ids.iter().any(|id| id == wanted))
        .map(|(i, _)| *i as usize)
}

/// Evaluates `conditions` for account `i` alone.
fn held(scored: &Scored, i: usize, conditions: &[&Condition]) -> PolarsResult<Vec<bool>> {
    if conditions.is_empty() {
        return Ok(Vec::new());
    }
    let row = scored.frame.slice(i as i64, 1);
    let exprs: Vec<_> = conditions
        .iter()
        .enumerate()
        .map(|(k, c)| condition(&c.cond).alias(format!("__h{k}")))
        .collect();
    let df = row.lazy().select(exprs).collect()?;
    (0..conditions.len())
        .map(|k| {
            Ok(df
                .column(&format!("__h{k}"))?
                .cast(&DataType::Boolean)?
                .bool()?
                .get(0)
                .unwrap_or(false))
        })
        .collect()
}

fn values_read(
    expr: &Expr,
    values: &Values,
    i: usize,
    phase: Phase,
) -> indexmap::IndexMap<String, String> {
    idents(expr)
        .into_iter()
        .map(|ident| {
            let shown = values.of(&signals::column(&ident.name, phase), i);
            (
                ident.name.clone(),
                if shown.is_empty() {
                    "(missing)".to_string()
                } else {
                    shown.join("; ")
                },
            )
        })
        .collect()
}

fn check(
    name: &str,
    condition: &Condition,
    held: bool,
    values: &Values,
    i: usize,
    phase: Phase,
) -> RuleCheck {
    RuleCheck {
        name: name.to_string(),
        key: condition.key.clone(),
        when: condition.source.clone(),
        held,
        values: values_read(&condition.expr, values, i, phase),
        points: None,
        counted: None,
    }
}

pub fn explain(
    spec: &Spec,
    scored: &Scored,
    accounts: &Accounts,
    i: usize,
) -> PolarsResult<Explanation> {
    let values = Values::of_scored(spec, scored, accounts);
    let mut criteria = Vec::new();
    for (c, criterion) in spec.fit.criteria.iter().enumerate() {
        let conditions: Vec<(&Condition, f64)> = match &criterion.rule {
            CriterionRule::Points { points, when } => vec![(when, *points)],
            CriterionRule::Bands(bands) => {
                bands.iter().map(|(when, points)| (when, *points)).collect()
            }
        };
        let whens: Vec<&Condition> = conditions.iter().map(|(w, _)| *w).collect();
        let results = held(scored, i, &whens)?;
        // The first band that holds is the one that counts.
        let counting = results.iter().position(|&holds| holds);
        for (k, ((when, points), holds)) in conditions.iter().zip(results).enumerate() {
            let mut rule = check(&criterion.name, when, holds, &values, i, Phase::Fit);
            let counted = counting == Some(k);
            debug_assert!(!counted || scored.rules.criteria_points[c].get(i) == *points);
            rule.points = Some(if counted { *points } else { 0.0 });
            rule.counted = Some(counted);
            criteria.push(rule);
        }
    }
    let checks = |named: Vec<(&str, &Condition)>, phase: Phase| -> PolarsResult<Vec<RuleCheck>> {
        let whens: Vec<&Condition> = named.iter().map(|(_, c)| *c).collect();
        let results = held(scored, i, &whens)?;
        Ok(named
            .iter()
            .zip(results)
            .map(|((name, c), h)| check(name, c, h, &values, i, phase))
            .collect())
    };
    let stages = checks(
        spec.stages
            .iter()
            .map(|s| (s.name.as_str(), &s.when))
            .collect(),
        Phase::Stage,
    )?;
    let excludes = checks(
        spec.excludes
            .iter()
            .map(|e| (e.name.as_str(), &e.when))
            .collect(),
        Phase::Tier,
    )?;
    let tier_rules = checks(
        spec.tiers
            .iter()
            .map(|t| (t.name.as_str(), &t.when))
            .collect(),
        Phase::Tier,
    )?;
    let status = scored.status[i];
    let text_field = |name: &str| accounts.columns.get(name).and_then(|c| c.text(i));
    Ok(Explanation {
        domain: accounts.domains[i].to_string(),
        account_id: text_field("account_id"),
        name: text_field("name"),
        merged_ids: accounts
            .merged_ids
            .get(&(i as u32))
            .cloned()
            .unwrap_or_default(),
        tier: status.name(spec).to_string(),
        rank: scored.rank[i],
        fit: scored.rules.fit[i],
        fit_possible: spec.fit.criteria.iter().map(|c| c.possible()).sum(),
        fit_grade: scored.rules.fit_grade.get(i).to_string(),
        high_fit: scored.rules.high_fit[i],
        criteria,
        intent_score: scored.intent[i].score,
        intent: scored.intent[i].score >= spec.intent.threshold,
        intent_topics: scored.intent[i].topics.clone(),
        engagement_score: scored.engagement[i].score,
        engaged: values.engaged(i),
        last_engaged: scored.engagement[i].last.map(|d| d.to_string()),
        personas_engaged: scored.engagement[i].personas.clone(),
        acv: scored.rules.acv[i],
        acv_band: scored.rules.acv_band[i].name().to_string(),
        acv_source: match scored.rules.acv_source[i] {
            AcvSource::Field => {
                format!("the field '{}'", spec.acv.from.as_deref().unwrap_or("acv"))
            }
            AcvSource::Estimate(e) => {
                format!(
                    "estimate {} ({})",
                    e + 1,
                    spec.acv.estimate[e as usize].0.source
                )
            }
            AcvSource::Default => "the default".to_string(),
        },
        stage: scored.rules.stage.get(i).to_string(),
        stages,
        excludes,
        tier_rules,
        rules_chose: (scored.rules.matched_tier.get(i)).map(|t| spec.tiers[t].name.clone()),
        override_pin: scored.pins[i].as_ref().map(|p| {
            let target = p.tier.map_or("Excluded", |t| spec.tiers[t].name.as_str());
            format!(
                "pinned to {target} by {} ({})",
                if p.owner.is_empty() {
                    "someone"
                } else {
                    &p.owner
                },
                p.reason
            )
        }),
        capacity: capacity_note(spec, scored, status),
        demoted_from: (scored.demoted_from.get(i)).map(|t| spec.tiers[t].name.clone()),
        segments: scored.segments.of(i).to_vec(),
        reasons: reasons(spec, scored, &values, i),
    })
}

fn capacity_note(spec: &Spec, scored: &Scored, status: Status) -> Option<String> {
    let Status::Tier(t) = status else { return None };
    let outcome = &scored.tiers[t];
    Some(match (outcome.capacity, outcome.bound_by) {
        (Some(capacity), Some(limit)) => format!(
            "{} holds {capacity} accounts (bound by {}); {} kept",
            spec.tiers[t].name,
            limit.name(),
            outcome.kept
        ),
        _ => format!(
            "{} has no capacity limit; {} kept",
            spec.tiers[t].name, outcome.kept
        ),
    })
}

/// The explanation as text for a terminal.
pub fn to_text(e: &Explanation) -> String {
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    let title = e.name.clone().unwrap_or_else(|| e.domain.clone());
    line(format!(
        "{title} ({}){}",
        e.domain,
        e.account_id
            .as_ref()
            .map(|id| format!(", account {id}"))
            .unwrap_or_default()
    ));
    if !e.merged_ids.is_empty() {
        line(format!("  merged ids: {}", e.merged_ids.join(", ")));
    }
    let rank = e.rank.map(|r| format!(", rank {r}")).unwrap_or_default();
    line(format!("Result: {}{rank}", e.tier));
    line(format!(
        "\nFit {} of 100 (grade {}, high fit: {})",
        format::fixed(e.fit, 1),
        e.fit_grade,
        yes(e.high_fit)
    ));
    for c in &e.criteria {
        let counted = c.counted.unwrap_or(c.held);
        let note = if c.held && !counted {
            " (holds; an earlier band counted)"
        } else {
            ""
        };
        line(format!(
            "  [{}] {} +{}  when {}  ({}){note}",
            mark(counted),
            c.name,
            format::number(c.points.unwrap_or(0.0)),
            c.when,
            show_values(c)
        ));
    }
    line(format!(
        "\nIntent {} ({}): {}",
        format::number(e.intent_score),
        yes(e.intent),
        list_or_none(&e.intent_topics)
    ));
    line(format!(
        "Engagement {} (engaged: {}), last {}, personas: {}",
        format::fixed(e.engagement_score, 2),
        yes(e.engaged),
        e.last_engaged.as_deref().unwrap_or("never"),
        list_or_none(&e.personas_engaged)
    ));
    line(format!(
        "ACV {} ({}), from {}",
        format::number(e.acv),
        e.acv_band,
        e.acv_source
    ));
    line(format!("Stage {}", e.stage));
    for (title, checks) in [
        ("Stages", &e.stages),
        ("Excludes", &e.excludes),
        ("Tier rules", &e.tier_rules),
    ] {
        if !checks.is_empty() {
            line(format!("\n{title}:"));
            for c in checks {
                line(format!(
                    "  [{}] {}  when {}  ({})",
                    mark(c.held),
                    c.name,
                    c.when,
                    show_values(c)
                ));
            }
        }
    }
    line(String::new());
    if let Some(pin) = &e.override_pin {
        line(format!("Override: {pin}"));
    }
    line(format!(
        "The rules chose: {}",
        e.rules_chose.as_deref().unwrap_or("no tier")
    ));
    if let Some(capacity) = &e.capacity {
        line(format!("Capacity: {capacity}"));
    }
    if let Some(from) = &e.demoted_from {
        line(format!("Pushed down from {from} (its tier was full)"));
    }
    line(format!("Segments: {}", list_or_none(&e.segments)));
    line(format!("Reasons: {}", e.reasons));
    out
}

fn mark(held: bool) -> &'static str {
    if held {
        "x"
    } else {
        " "
    }
}

fn yes(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_string()
    } else {
        items.join(", ")
    }
}

fn show_values(c: &RuleCheck) -> String {
    c.values
        .iter()
        .map(|(k, v)| format!("{k} = {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}
