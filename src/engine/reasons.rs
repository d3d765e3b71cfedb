//! The one-line `reasons` column: why an account got its tier.

use super::rules::AcvSource;
use super::segments::Values;
use super::{Pin, Scored, Status};
use crate::output::format;
use crate::spec::Spec;

/// e.g. `fit 82.0 (Target industry +30, Company size +20); ACV 120000 large
/// (from acv); intent 74 (Marketing Automation); engaged 31.20`.
pub fn reasons(spec: &Spec, scored: &Scored, values: &Values, i: usize) -> String {
    let mut parts = Vec::new();
    if let Some(pin) = &scored.pins[i] {
        parts.push(pin_reason(spec, pin));
    }
    match (scored.status[i], scored.rules.excluded_by[i]) {
        (Status::Excluded, Some(rule)) if scored.pins[i].is_none() => {
            parts.push(format!("excluded: {}", spec.excludes[rule].name))
        }
        (Status::Unassigned, _) => parts.push("no tier rule held".to_string()),
        _ => {}
    }
    parts.push(fit_reason(spec, scored, i));
    parts.push(acv_reason(spec, scored, i));
    parts.push(intent_reason(spec, scored, i));
    parts.push(engagement_reason(scored, values, i));
    if let Some(from) = scored.demoted_from[i] {
        let to = match scored.status[i] {
            Status::Tier(t) => spec.tiers[t].name.as_str(),
            _ => "Waitlist",
        };
        let outcome = &scored.tiers[from];
        let mut why = format!("pushed down from {} to {to}", spec.tiers[from].name);
        if let (Some(capacity), Some(limit)) = (outcome.capacity, outcome.bound_by) {
            why.push_str(&format!(
                " ({} holds {capacity}, bound by {})",
                spec.tiers[from].name,
                limit.name()
            ));
        }
        parts.push(why);
    }
    parts.join("; ")
}

fn pin_reason(spec: &Spec, pin: &Pin) -> String {
    let target = pin.tier.map_or("Excluded", |t| spec.tiers[t].name.as_str());
    let mut out = format!("pinned to {target}");
    if !pin.owner.is_empty() {
        out.push_str(&format!(" by {}", pin.owner));
    }
    if !pin.reason.is_empty() {
        out.push_str(&format!(" ({})", pin.reason));
    }
    out
}

fn fit_reason(spec: &Spec, scored: &Scored, i: usize) -> String {
    let earned: Vec<String> = spec
        .fit
        .criteria
        .iter()
        .zip(&scored.rules.criteria_points)
        .filter(|(_, points)| points[i] != 0.0)
        .map(|(criterion, points)| format!("{} +{}", criterion.name, format::number(points[i])))
        .collect();
    let mut out = format!("fit {}", format::fixed(scored.rules.fit[i], 1));
    if !earned.is_empty() {
        out.push_str(&format!(" ({})", earned.join(", ")));
    }
    out
}

fn acv_reason(spec: &Spec, scored: &Scored, i: usize) -> String {
    let source = match scored.rules.acv_source[i] {
        AcvSource::Field => format!("from {}", spec.acv.from.as_deref().unwrap_or("acv")),
        AcvSource::Estimate(e) => format!("estimate: {}", spec.acv.estimate[e].0.source),
        AcvSource::Default => "default".to_string(),
    };
    format!(
        "ACV {} {} ({source})",
        format::number(scored.rules.acv[i]),
        scored.rules.acv_band[i]
    )
}

fn intent_reason(spec: &Spec, scored: &Scored, i: usize) -> String {
    let intent = &scored.intent[i];
    if intent.score >= spec.intent.threshold && !intent.topics.is_empty() {
        format!(
            "intent {} ({})",
            format::number(intent.score),
            intent.topics.join(", ")
        )
    } else if intent.score > 0.0 {
        format!(
            "intent {} (below {})",
            format::number(intent.score),
            format::number(spec.intent.threshold)
        )
    } else {
        "no intent".to_string()
    }
}

fn engagement_reason(scored: &Scored, values: &Values, i: usize) -> String {
    let score = format::fixed(scored.engagement[i].score, 2);
    if values.engaged(i) {
        format!("engaged {score}")
    } else if scored.engagement[i].last.is_some() {
        format!("engagement {score} (not engaged)")
    } else {
        "no engagement".to_string()
    }
}
