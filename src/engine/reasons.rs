//! The one-line `reasons` column: why an account got its tier.

use std::fmt::Write;

use super::rules::AcvSource;
use super::segments::Values;
use super::{Pin, Scored, Status};
use crate::format;
use crate::spec::Spec;

/// e.g. `fit 82.0 (Target industry +30, Company size +20); ACV 120000 large
/// (from acv); intent 74 (Marketing Automation); engaged 31.20`.
///
/// Written into one string as it goes: `tal score --all` writes this for
/// every account, and a string per part showed in the profile.
pub fn reasons(spec: &Spec, scored: &Scored, values: &Values, i: usize) -> String {
    let mut out = String::with_capacity(160);
    write_reasons(&mut out, spec, scored, values, i);
    out
}

/// [`reasons`], written into `out` (which is cleared first).
pub fn write_reasons(out: &mut String, spec: &Spec, scored: &Scored, values: &Values, i: usize) {
    out.clear();
    if let Some(pin) = &scored.pins[i] {
        pin_reason(out, spec, pin);
    }
    match (scored.status[i], scored.rules.excluded_by.get(i)) {
        (Status::Excluded, Some(rule)) if scored.pins[i].is_none() => {
            separate(out);
            out.push_str("excluded: ");
            out.push_str(&spec.excludes[rule].name);
        }
        (Status::Unassigned, _) => {
            separate(out);
            out.push_str("no tier rule held");
        }
        _ => {}
    }
    separate(out);
    fit_reason(out, spec, scored, i);
    separate(out);
    acv_reason(out, spec, scored, i);
    separate(out);
    intent_reason(out, spec, scored, i);
    separate(out);
    engagement_reason(out, scored, values, i);
    if let Some(from) = scored.demoted_from.get(i) {
        let to = match scored.status[i] {
            Status::Tier(t) => spec.tiers[t].name.as_str(),
            _ => "Waitlist",
        };
        let outcome = &scored.tiers[from];
        separate(out);
        let _ = write!(out, "pushed down from {} to {to}", spec.tiers[from].name);
        if let (Some(capacity), Some(limit)) = (outcome.capacity, outcome.bound_by) {
            let _ = write!(
                out,
                " ({} holds {capacity}, bound by {})",
                spec.tiers[from].name,
                limit.name()
            );
        }
    }
}

/// Parts of the reasons are separated by "; ".
fn separate(out: &mut String) {
    if !out.is_empty() {
        out.push_str("; ");
    }
}

fn pin_reason(out: &mut String, spec: &Spec, pin: &Pin) {
    let target = pin.tier.map_or("Excluded", |t| spec.tiers[t].name.as_str());
    let _ = write!(out, "pinned to {target}");
    if !pin.owner.is_empty() {
        let _ = write!(out, " by {}", pin.owner);
    }
    if !pin.reason.is_empty() {
        let _ = write!(out, " ({})", pin.reason);
    }
}

fn fit_reason(out: &mut String, spec: &Spec, scored: &Scored, i: usize) {
    out.push_str("fit ");
    format::write_fixed(out, scored.rules.fit[i], 1);
    let earned = (spec.fit.criteria.iter())
        .zip(&scored.rules.criteria_points)
        .map(|(criterion, points)| (criterion, points.get(i)))
        .filter(|(_, points)| *points != 0.0);
    let mut any = false;
    for (criterion, points) in earned {
        out.push_str(if any { ", " } else { " (" });
        out.push_str(&criterion.name);
        out.push_str(" +");
        format::write_number(out, points);
        any = true;
    }
    if any {
        out.push(')');
    }
}

fn acv_reason(out: &mut String, spec: &Spec, scored: &Scored, i: usize) {
    out.push_str("ACV ");
    format::write_number(out, scored.rules.acv[i]);
    out.push(' ');
    out.push_str(scored.rules.acv_band[i].name());
    out.push_str(" (");
    match scored.rules.acv_source[i] {
        AcvSource::Field => {
            out.push_str("from ");
            out.push_str(spec.acv.from.as_deref().unwrap_or("acv"));
        }
        AcvSource::Estimate(e) => {
            out.push_str("estimate: ");
            out.push_str(&spec.acv.estimate[e as usize].0.source);
        }
        AcvSource::Default => out.push_str("default"),
    }
    out.push(')');
}

fn intent_reason(out: &mut String, spec: &Spec, scored: &Scored, i: usize) {
    let intent = &scored.intent[i];
    if intent.score >= spec.intent.threshold && !intent.topics.is_empty() {
        out.push_str("intent ");
        format::write_number(out, intent.score);
        out.push_str(" (");
        format::join_into(out, &intent.topics, ", ");
        out.push(')');
    } else if intent.score > 0.0 {
        out.push_str("intent ");
        format::write_number(out, intent.score);
        out.push_str(" (below ");
        format::write_number(out, spec.intent.threshold);
        out.push(')');
    } else {
        out.push_str("no intent");
    }
}

fn engagement_reason(out: &mut String, scored: &Scored, values: &Values, i: usize) {
    let score = scored.engagement[i].score;
    if values.engaged(i) {
        out.push_str("engaged ");
        format::write_fixed(out, score, 2);
    } else if scored.engagement[i].last.is_some() {
        out.push_str("engagement ");
        format::write_fixed(out, score, 2);
        out.push_str(" (not engaged)");
    } else {
        out.push_str("no engagement");
    }
}
