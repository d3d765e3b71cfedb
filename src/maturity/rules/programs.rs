//! The rules of the Programs, Metrics and Team dimensions: channels_named,
//! digital_programs, persona_programs, channel_mix, activity_tracked,
//! engaged_in_rules, meetings_opps, revenue_kpis, owners, entitlements,
//! crm_loop.

use super::{contains_word, mentioning, met, na, not_met, plural, share, Context, Found, Owner, W};
use crate::report::text::{count, ratio};
use crate::spec::InputKind;

const DIGITAL: &[&str] = &[
    "ads", "display", "linkedin", "social", "email", "web", "search", "retarget", "digital",
];
const ANALOG: &[&str] = &["mail", "gift", "dinner", "event", "field", "print", "box"];

/// pg1: a `[programs]` menu, or segment channels.
pub fn channels_named(cx: &Context) -> Found {
    let spec = cx.spec;
    if !spec.programs.is_empty() {
        return met(format!(
            "{} in [programs]",
            plural(spec.programs.len() as u64, "program")
        ));
    }
    match spec.segments.iter().find(|s| !s.channels.is_empty()) {
        Some(segment) => met(format!(
            "segment {} has {}",
            segment.name,
            plural(segment.channels.len() as u64, "channel")
        )),
        None => na("no [programs], and no segment has channels"),
    }
}

/// A tier's program (its key and, from `[programs]`, its label) or a
/// segment's channel.
struct Named {
    key: String,
    label: Option<String>,
}

impl Named {
    /// Whether the key or the label holds one of `words`.
    fn has(&self, words: &[&str]) -> bool {
        contains_word(&self.key, words).is_some()
            || (self.label.as_deref()).is_some_and(|l| contains_word(l, words).is_some())
    }

    /// "account_ads (Account-targeted LinkedIn ads)".
    fn shown(&self) -> String {
        match &self.label {
            Some(label) if label != &self.key => format!("{} ({label})", self.key),
            _ => self.key.clone(),
        }
    }
}

/// The tiers' programs and the segments' channels, without repeats.
fn program_names(cx: &Context) -> Vec<Named> {
    let spec = cx.spec;
    let mut names: Vec<Named> = Vec::new();
    for tier in &spec.tiers {
        for key in &tier.programs {
            if !names.iter().any(|n| &n.key == key) {
                let label = spec.programs.get(key).map(|p| p.label.clone());
                names.push(Named {
                    key: key.clone(),
                    label,
                });
            }
        }
    }
    for segment in &spec.segments {
        for channel in segment.channels.keys() {
            if !names.iter().any(|n| &n.key == channel) {
                names.push(Named {
                    key: channel.clone(),
                    label: None,
                });
            }
        }
    }
    names
}

/// The names with one of `words`, as shown.
fn with_words(names: &[Named], words: &[&str]) -> Vec<String> {
    (names.iter())
        .filter(|name| name.has(words))
        .map(Named::shown)
        .collect()
}

fn listed(names: &[String]) -> String {
    let mut shown: Vec<&str> = names.iter().take(3).map(String::as_str).collect();
    if names.len() > 3 {
        shown.push("...");
    }
    shown.join(", ")
}

/// pg2: a tier program or segment channel named like a digital channel.
pub fn digital_programs(cx: &Context) -> Found {
    let digital = with_words(&program_names(cx), DIGITAL);
    if digital.is_empty() {
        return na("no tier program or segment channel is digital (ads, display, linkedin, social, email, web, search, retarget, digital)");
    }
    met(format!("digital: {}", listed(&digital)))
}

/// pg3: a segment that uses the personas engaged.
pub fn persona_programs(cx: &Context) -> Found {
    let users = mentioning(cx.spec, &[Owner::Segment], &["personas_engaged"]);
    if users.is_empty() {
        return na("no segment rule uses personas_engaged");
    }
    met(format!("personas_engaged used in {}", users.join(", ")))
}

/// pg4: digital programs and analog ones.
pub fn channel_mix(cx: &Context) -> Found {
    let names = program_names(cx);
    let digital = with_words(&names, DIGITAL);
    let analog = with_words(&names, ANALOG);
    match (digital.is_empty(), analog.is_empty()) {
        (false, false) => met(format!(
            "digital: {}; analog: {}",
            listed(&digital),
            listed(&analog)
        )),
        (true, false) => na(format!("analog: {}; but no digital program", listed(&analog))),
        (_, true) => na("no tier program or segment channel is analog (mail, gift, dinner, event, field, print, box)"),
    }
}

/// mt1: activity in window and two or more stages; not met with neither
/// an engagement input nor stages.
pub fn activity_tracked(cx: &Context) -> Found {
    let inputs = cx.facts.inputs_of(InputKind::Engagement);
    let used = cx.facts.rows_of(InputKind::Engagement).used;
    let stages = cx.spec.stages.len() as u64;
    let detail = format!(
        "{} in window; {}",
        plural(used, "activity row"),
        plural(stages, "stage")
    );
    if used >= 1 && stages >= 2 {
        met(detail)
    } else if inputs == 0 && stages == 0 {
        not_met("no engagement input and no [[stages]]")
    } else if inputs == 0 {
        na(format!("no engagement input; {}", plural(stages, "stage")))
    } else {
        na(detail)
    }
}

/// mt2: an engagement threshold, and rules that use engagement; not met
/// without an engagement input.
pub fn engaged_in_rules(cx: &Context) -> Found {
    let threshold = cx.spec.engagement.threshold;
    let users = mentioning(cx.spec, W, &["engaged", "engagement_score"]);
    let set = match threshold {
        Some(t) => format!("threshold {}", crate::output::format::number(t)),
        None => "no [engagement].threshold".to_string(),
    };
    if threshold.is_some() && !users.is_empty() {
        return met(format!("{set}; engagement used in {}", users.join(", ")));
    }
    if cx.facts.inputs_of(InputKind::Engagement) == 0 {
        return not_met("no engagement input");
    }
    if users.is_empty() {
        na(format!(
            "{set}; no tier, stage or segment rule uses engaged or engagement_score"
        ))
    } else {
        na(format!("{set}; engagement used in {}", users.join(", ")))
    }
}

/// mt3: scored meetings with a persona, or a stage on the opportunity.
pub fn meetings_opps(cx: &Context) -> Found {
    let meeting_keys: Vec<&String> = (cx.spec.engagement.points.keys())
        .filter(|k| k.contains("meeting"))
        .collect();
    let rows: u64 = meeting_keys
        .iter()
        .filter_map(|k| cx.facts.rows_with_persona.get(k.as_str()))
        .sum();
    let stages = mentioning(
        cx.spec,
        &[Owner::Stage],
        &["opportunity_stage", "open_opportunity"],
    );
    let mut found = Vec::new();
    if !meeting_keys.is_empty() {
        found.push(format!(
            "{} with a persona in window",
            plural(rows, "meeting row")
        ));
    }
    if !stages.is_empty() {
        found.push(format!("the opportunity used in {}", stages.join(", ")));
    }
    if (!meeting_keys.is_empty() && rows >= 1) || !stages.is_empty() {
        return met(found.join("; "));
    }
    if meeting_keys.is_empty() {
        na("no meeting in [engagement].points, and no stage rule uses opportunity_stage or open_opportunity")
    } else {
        na(format!(
            "{}; no stage rule uses opportunity_stage or open_opportunity",
            found.join("; ")
        ))
    }
}

/// Whether each tier sets `win_rate` (the compiled spec defaults it to 0,
/// so the file says whether it was written).
fn tiers_with_win_rate(cx: &Context) -> Vec<bool> {
    match crate::spec::load::parse_spec(&cx.spec.text, "") {
        Ok(raw) => raw.tiers.iter().map(|t| t.win_rate.is_some()).collect(),
        Err(_) => cx.spec.tiers.iter().map(|t| t.win_rate > 0.0).collect(),
    }
}

/// mt4: a revenue goal, a win rate on every tier, and renewals or
/// customer_since mapped.
pub fn revenue_kpis(cx: &Context) -> Found {
    let spec = cx.spec;
    let goal = spec.budget.revenue_goal;
    let rates = tiers_with_win_rate(cx);
    let missing: Vec<&str> = (spec.tiers.iter().zip(&rates))
        .filter(|(_, set)| !**set)
        .map(|(t, _)| t.name.as_str())
        .collect();
    let mapped: Vec<&str> = ["renewals", "customer_since"]
        .into_iter()
        .filter(|f| spec.fields.contains_key(*f))
        .collect();
    let mut parts = vec![match goal {
        Some(goal) => format!("revenue goal {}", crate::report::text::amount(goal)),
        None => "no [budget].revenue_goal".to_string(),
    }];
    parts.push(if missing.is_empty() {
        format!("win_rate on {}", plural(spec.tiers.len() as u64, "tier"))
    } else {
        format!("no win_rate on {}", missing.join(", "))
    });
    parts.push(if mapped.is_empty() {
        "neither renewals nor customer_since mapped".to_string()
    } else {
        format!("{} mapped", mapped.join(" and "))
    });
    let detail = parts.join("; ");
    if goal.is_some() && missing.is_empty() && !mapped.is_empty() {
        met(detail)
    } else {
        na(detail)
    }
}

/// tm1: an owner on 90% of the TAL; not met under 50% when mapped.
pub fn owners(cx: &Context) -> Found {
    let f = cx.facts;
    let Some(owned) = f.tal_owned else {
        return na("owner is not mapped");
    };
    if f.tal == 0 {
        return na("the TAL is empty");
    }
    let detail = format!(
        "owner set on {} of {} TAL accounts ({})",
        count(owned as usize),
        count(f.tal as usize),
        share(owned, f.tal)
    );
    if owned * 10 >= f.tal * 9 {
        met(detail)
    } else if owned * 2 < f.tal {
        not_met(detail)
    } else {
        na(detail)
    }
}

/// tm2: two or more tiers with `per_account`, each 2–5× the tier below
/// (the report's `ratio_to_next`: adjacent tiers that both set it, the
/// lower above 0). A ratio outside 2–5× is a warning and makes it n/a.
pub fn entitlements(cx: &Context, warnings: &mut Vec<String>) -> Found {
    let tiers = &cx.spec.tiers;
    let with = tiers.iter().filter(|t| t.per_account.is_some()).count() as u64;
    if with < 2 {
        return na(format!("{} with per_account", plural(with, "tier")));
    }
    let mut ratios = Vec::new();
    let mut outside = Vec::new();
    for pair in tiers.windows(2) {
        let (Some(upper), Some(lower)) = (pair[0].per_account, pair[1].per_account) else {
            continue;
        };
        if lower <= 0.0 {
            continue;
        }
        let text = format!("{} {} {}", pair[0].name, ratio(upper / lower), pair[1].name);
        if upper >= 2.0 * lower && upper <= 5.0 * lower {
            ratios.push(text);
        } else {
            warnings.push(format!(
                "entitlements: {} gets {} the per-account entitlement of {}, outside 2–5×; the entitlements rule (tm2) is n/a",
                pair[0].name,
                ratio(upper / lower),
                pair[1].name
            ));
            outside.push(text);
        }
    }
    let tiers_text = format!("{} with per_account", plural(with, "tier"));
    if outside.is_empty() {
        let shown = if ratios.is_empty() {
            String::new()
        } else {
            format!(": {}", ratios.join(", "))
        };
        met(format!("{tiers_text}{shown}"))
    } else {
        na(format!(
            "{tiers_text}; outside 2–5×: {}",
            outside.join(", ")
        ))
    }
}

/// tm3: the CRM write-back, and Tier 1's accounts per seller.
pub fn crm_loop(cx: &Context) -> Found {
    let spec = cx.spec;
    let columns = spec.crm_export.as_ref().map_or(0, |e| e.columns.len()) as u64;
    let first = spec.tiers.first();
    let per_seller = first.and_then(|t| t.accounts_per_seller);
    let export = if columns > 0 {
        format!("[export.crm] writes {}", plural(columns, "column"))
    } else {
        "no [export.crm] column".to_string()
    };
    let seller = match (first, per_seller) {
        (Some(tier), Some(n)) => format!("{} has {} per seller", tier.name, plural(n, "account")),
        (Some(tier), None) => format!("{} has no accounts_per_seller", tier.name),
        (None, _) => "no tier".to_string(),
    };
    let detail = format!("{export}; {seller}");
    if columns > 0 && per_seller.is_some() {
        met(detail)
    } else {
        na(detail)
    }
}
