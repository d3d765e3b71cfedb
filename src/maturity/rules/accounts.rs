//! The rules of the Data & Accounts and Messaging/Content dimensions:
//! fit_defined, joint_pins, intent_selects, hygiene, weekly_refresh,
//! personas_known, segment_offers, stage_content.

use chrono::Duration;

use super::{mentioning, met, na, not_met, plural, share, Context, Found, Owner, W};
use crate::expr::idents;
use crate::report::text::count;
use crate::spec::{CriterionRule, InputKind};

/// The intent signals a `when` may select accounts with.
const INTENT: &[&str] = &[
    "intent",
    "intent_score",
    "intent_topics",
    "intent_topic_count",
];

/// da1: `[fit]` has a criterion with possible points > 0.
pub fn fit_defined(cx: &Context) -> Found {
    let criteria = &cx.spec.fit.criteria;
    let with_points = criteria.iter().filter(|c| c.possible() > 0.0).count() as u64;
    if with_points == 0 {
        return not_met("[fit] has no criterion with points");
    }
    let possible: f64 = criteria.iter().map(|c| c.possible().max(0.0)).sum();
    let criteria = if with_points == 1 {
        "1 criterion".to_string()
    } else {
        format!("{with_points} criteria")
    };
    met(format!(
        "{criteria} with points in [fit] ({} possible points)",
        crate::output::format::number(possible)
    ))
}

/// da2: an active override with an owner.
pub fn joint_pins(cx: &Context) -> Found {
    let f = cx.facts;
    if f.pins_with_owner >= 1 {
        let of = if f.active_pins > f.pins_with_owner {
            format!(" (of {} active)", count(f.active_pins as usize))
        } else {
            String::new()
        };
        return met(format!(
            "{} with an owner{of}",
            plural(f.pins_with_owner, "active override")
        ));
    }
    match &cx.spec.overrides {
        None => na("no overrides file ([overrides].path)"),
        Some(_) if f.active_pins == 0 => na("no active override in the overrides file"),
        Some(_) => na(format!(
            "{}, none with an owner",
            plural(f.active_pins, "active override")
        )),
    }
}

/// da3: intent rows in window and a rule that uses intent; not met when
/// there is neither an intent input nor such a rule.
pub fn intent_selects(cx: &Context) -> Found {
    let inputs = cx.facts.inputs_of(InputKind::Intent);
    let used = cx.facts.rows_of(InputKind::Intent).used;
    let users = mentioning(cx.spec, W, INTENT);
    let rows = format!("{} in window", plural(used, "intent row"));
    match (inputs > 0, used > 0, users.is_empty()) {
        (_, true, false) => met(format!("intent used in {}; {rows}", users.join(", "))),
        (false, _, true) => {
            not_met("no intent input, and no tier, stage or segment rule uses intent")
        }
        (false, _, false) => na(format!(
            "intent used in {}, but no intent input",
            users.join(", ")
        )),
        (true, false, false) => na(format!(
            "intent used in {}, but no intent row in window",
            users.join(", ")
        )),
        (true, _, true) => na(format!(
            "{rows}, but no tier, stage or segment rule uses intent"
        )),
    }
}

/// da4: two or more account inputs, few rejects and merges, and the
/// `[fit]` fields filled in; not met when rejects, merges or a field's
/// gaps pass the lower bars.
pub fn hygiene(cx: &Context) -> Found {
    let f = cx.facts;
    let inputs = f.inputs_of(InputKind::Account) as u64;
    let rows = f.rows_of(InputKind::Account);
    let (read, rejected, merged) = (rows.read, rows.rejected, rows.merged);
    let fields = fit_fields(cx);
    let filled = |field: &str| f.filled.get(field).copied().unwrap_or(0);
    let mut detail = format!(
        "{}; of {} read, {} rejected ({}) and {} merged ({})",
        plural(inputs, "account input"),
        plural(read, "row"),
        count(rejected as usize),
        share(rejected, read),
        count(merged as usize),
        share(merged, read),
    );
    if fields.is_empty() {
        detail.push_str("; no field in [fit]");
    } else {
        let shares: Vec<String> = fields
            .iter()
            .map(|field| format!("{field} {}", share(filled(field), f.accounts)))
            .collect();
        detail.push_str(&format!(
            "; [fit] fields filled over {}: {}",
            plural(f.accounts, "account"),
            shares.join(", ")
        ));
    }
    // Integer comparisons: exact at the bars.
    let complete_at = |field: &str, tenths: u64| filled(field) * 10 >= f.accounts * tenths;
    let is_met = inputs >= 2
        && rejected * 100 <= read
        && merged * 50 <= read
        && fields.iter().all(|field| complete_at(field, 9));
    let failed = rejected * 20 > read
        || merged * 10 > read
        || fields.iter().any(|field| !complete_at(field, 7));
    if is_met {
        met(detail)
    } else if failed {
        not_met(detail)
    } else {
        na(detail)
    }
}

/// The account fields the `[fit]` criteria name, in first-named order.
fn fit_fields(cx: &Context) -> Vec<String> {
    let mut fields: Vec<String> = Vec::new();
    for criterion in &cx.spec.fit.criteria {
        let whens: Vec<_> = match &criterion.rule {
            CriterionRule::Points { when, .. } => vec![when],
            CriterionRule::Bands(bands) => bands.iter().map(|(when, _)| when).collect(),
        };
        for when in whens {
            for ident in idents(&when.expr) {
                let name = &ident.name;
                if cx.spec.fields.contains_key(name) && !fields.contains(name) {
                    fields.push(name.clone());
                }
            }
        }
    }
    fields
}

/// da5: a weekly build history up to as-of, and tiers that follow
/// engagement or intent; not met when the build folder has no build or
/// none in the last 35 days.
pub fn weekly_refresh(cx: &Context) -> Found {
    let Some(history) = &cx.facts.history else {
        return na("no --build-dir: give the tal build folder to check the weekly refresh");
    };
    let dates: Vec<_> = (history.dates.iter().copied())
        .filter(|d| *d <= cx.as_of)
        .collect();
    let Some(&latest) = dates.last() else {
        return not_met(format!("no build in {}/history up to as-of", history.dir));
    };
    let age = (cx.as_of - latest).num_days();
    let last: Vec<_> = dates.iter().rev().take(4).rev().copied().collect();
    let shown: Vec<String> = last.iter().map(|d| d.to_string()).collect();
    let on = match last.len() {
        1 => "on".to_string(),
        n => format!("the last {n} on"),
    };
    let detail = format!(
        "{} in {}/history up to as-of, {on} {}",
        plural(dates.len() as u64, "build"),
        history.dir,
        shown.join(", ")
    );
    if latest < cx.as_of - Duration::days(35) {
        return not_met(format!("{detail}; the latest is {age} days old"));
    }
    let weekly = dates.len() >= 4
        && last.windows(2).all(|w| (w[1] - w[0]).num_days() <= 8)
        && latest >= cx.as_of - Duration::days(8);
    let users = mentioning(cx.spec, &[Owner::Tier], &["engaged", "intent"]);
    match (weekly, users.is_empty()) {
        (true, false) => met(format!(
            "{detail}; engaged or intent used in {}",
            users.join(", ")
        )),
        (true, true) => na(format!("{detail}; but no tier rule uses engaged or intent")),
        (false, _) => na(format!(
            "{detail}; not weekly (4 builds at most 8 days apart, the latest at most 8 days old)"
        )),
    }
}

/// mc1: persona weights, or two or more personas in the activity.
pub fn personas_known(cx: &Context) -> Found {
    let weights = &cx.spec.engagement.persona_weights;
    let personas = &cx.facts.personas;
    if !weights.is_empty() {
        return met(format!(
            "[engagement].persona_weights names {}",
            plural(weights.len() as u64, "persona")
        ));
    }
    let listed = |names: &[String]| {
        let mut shown: Vec<&str> = names.iter().take(5).map(String::as_str).collect();
        if names.len() > 5 {
            shown.push("...");
        }
        shown.join(", ")
    };
    let found = plural(personas.len() as u64, "persona");
    if personas.len() >= 2 {
        return met(format!(
            "{found} in the activity rows in window: {}",
            listed(personas)
        ));
    }
    na(format!(
        "no persona_weights, and {found} in the activity rows in window"
    ))
}

/// mc2: a segment with an objective, an offer and a channel.
pub fn segment_offers(cx: &Context) -> Found {
    let filled = |text: &Option<String>| text.as_deref().is_some_and(|t| !t.trim().is_empty());
    let found = cx
        .spec
        .segments
        .iter()
        .find(|s| filled(&s.objective) && filled(&s.offer) && !s.channels.is_empty());
    match found {
        Some(segment) => met(format!(
            "segment {} has an objective, an offer and {}",
            segment.name,
            plural(segment.channels.len() as u64, "channel")
        )),
        None => na("no segment has an objective, an offer and a channel"),
    }
}

/// mc4: two or more stages, and a segment that uses the stage.
pub fn stage_content(cx: &Context) -> Found {
    let stages = cx.spec.stages.len() as u64;
    let users = mentioning(cx.spec, &[Owner::Segment], &["stage"]);
    let defined = plural(stages, "stage");
    match (stages >= 2, users.is_empty()) {
        (true, false) => met(format!("{defined}; stage used in {}", users.join(", "))),
        (_, true) => na(format!("{defined}; no segment rule uses stage")),
        (false, false) => na(format!(
            "stage used in {}, but only {defined}",
            users.join(", ")
        )),
    }
}
