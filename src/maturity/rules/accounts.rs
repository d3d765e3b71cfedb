//! The rules of the Data & Accounts and Messaging/Content dimensions:
//! fit_defined, joint_pins, intent_selects, hygiene, weekly_refresh,
//! personas_known, segment_offers, stage_content.

use chrono::Duration;

use super::{mentioning, met, na, not_met, plural, share, Context, Found, Owner, W};
use crate::expr::idents;
use crate::format::count;
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
        crate::format::number(possible)
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
        return not_met(format!("no build in {} up to as-of", history.folder));
    };
    let age = (cx.as_of - latest).num_days();
    let last: Vec<_> = dates.iter().rev().take(4).rev().copied().collect();
    let shown: Vec<String> = last.iter().map(|d| d.to_string()).collect();
    let on = match last.len() {
        1 => "on".to_string(),
        n => format!("the last {n} on"),
    };
    let detail = format!(
        "{} in {} up to as-of, {on} {}",
        plural(dates.len() as u64, "build"),
        history.folder,
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

#[cfg(test)]
mod tests {
    use super::super::testing::{as_of, input, outcome, run, spec, ENGAGEMENT_INPUT, INTENT_INPUT};
    use super::super::Outcome::{Met, NotApplicable as Na, NotMet};
    use crate::maturity::facts::{Facts, History};
    use crate::spec::InputKind::{Account, Intent};

    const TIER_ON_INTENT: &str = r#"
[[tiers]]
name = "Tier 1"
when = "intent"
"#;

    #[test]
    fn fit_defined() {
        let facts = Facts::default();
        let points = spec(
            "[[fit.criteria]]\nname = \"Software\"\npoints = 30\nwhen = 'industry == \"Software\"'\n",
        );
        assert_eq!(
            run("fit_defined", &points, &facts),
            (
                Met,
                "1 criterion with points in [fit] (30 possible points)".into()
            )
        );
        let bands = spec("[[fit.criteria]]\nname = \"Size\"\nbands = [ { when = \"employees >= 1000\", points = 20 }, { when = \"employees >= 200\", points = 12 } ]\n");
        assert_eq!(outcome("fit_defined", &bands, &facts), Met);
        let zero = spec(
            "[[fit.criteria]]\nname = \"Software\"\npoints = 0\nwhen = 'industry == \"Software\"'\n",
        );
        assert_eq!(
            run("fit_defined", &zero, &facts),
            (NotMet, "[fit] has no criterion with points".into())
        );
        assert_eq!(outcome("fit_defined", &spec(""), &facts), NotMet);
    }

    #[test]
    fn joint_pins() {
        let with_file = spec("[overrides]\npath = \"overrides.csv\"\n");
        let pins = |active, with_owner| Facts {
            active_pins: active,
            pins_with_owner: with_owner,
            ..Facts::default()
        };
        assert_eq!(
            run("joint_pins", &with_file, &pins(2, 1)),
            (Met, "1 active override with an owner (of 2 active)".into())
        );
        assert_eq!(
            run("joint_pins", &with_file, &pins(2, 0)),
            (Na, "2 active overrides, none with an owner".into())
        );
        assert_eq!(outcome("joint_pins", &with_file, &pins(0, 0)), Na);
        assert_eq!(outcome("joint_pins", &spec(""), &pins(0, 0)), Na);
    }

    #[test]
    fn intent_selects() {
        let rows = |used| Facts {
            inputs: vec![input(Account, 10, 10), input(Intent, 2000, used)],
            ..Facts::default()
        };
        let used = spec(&format!("{INTENT_INPUT}{TIER_ON_INTENT}"));
        assert_eq!(
            run("intent_selects", &used, &rows(1420)),
            (
                Met,
                "intent used in Tier 1's rule; 1,420 intent rows in window".into()
            )
        );
        // No row in window: neither.
        assert_eq!(
            run("intent_selects", &used, &rows(0)),
            (
                Na,
                "intent used in Tier 1's rule, but no intent row in window".into()
            )
        );
        // Rows but no rule that uses them: neither.
        let unused = spec(INTENT_INPUT);
        assert_eq!(outcome("intent_selects", &unused, &rows(5)), Na);
        // A stage or a segment counts; an exclude or a fit criterion does not.
        for rule in [
            "[[stages]]\nname = \"Surge\"\nwhen = \"intent_topic_count >= 2\"\n",
            "[[segments]]\nname = \"Hot\"\nwhen = 'intent_topics has \"CDP\"'\n",
        ] {
            let s = spec(&format!("{INTENT_INPUT}{rule}"));
            assert_eq!(outcome("intent_selects", &s, &rows(5)), Met, "{rule}");
        }
        let exclude = spec(&format!(
            "{INTENT_INPUT}[[exclude]]\nname = \"x\"\nwhen = \"intent_score > 90\"\n"
        ));
        assert_eq!(outcome("intent_selects", &exclude, &rows(5)), Na);
        // Neither an intent input nor a rule that uses intent: not met.
        let no_intent = Facts {
            inputs: vec![input(Account, 10, 10)],
            ..Facts::default()
        };
        assert_eq!(
            run("intent_selects", &spec(""), &no_intent),
            (
                NotMet,
                "no intent input, and no tier, stage or segment rule uses intent".into()
            )
        );
        // A rule on intent without an intent input: neither.
        assert_eq!(
            outcome("intent_selects", &spec(TIER_ON_INTENT), &no_intent),
            Na
        );
    }

    /// Two account inputs of 1,000 rows each, 100 accounts.
    fn hygiene_facts(inputs: usize, rejected: u64, merged: u64, industry: u64) -> Facts {
        let mut accounts = vec![input(Account, 1000, 0); inputs];
        accounts[0].rows.rejected = rejected;
        accounts[0].rows.merged = merged;
        Facts {
            inputs: accounts,
            accounts: 100,
            filled: [
                ("industry".to_string(), industry),
                ("employees".to_string(), 100),
            ]
            .into_iter()
            .collect(),
            ..Facts::default()
        }
    }

    #[test]
    fn hygiene() {
        let s = spec(
            "[[fit.criteria]]\nname = \"Software\"\npoints = 30\nwhen = 'industry == \"Software\" and intent_score > 0'\n",
        );
        // At the bars: 1% rejected, 2% merged, 90% complete.
        assert_eq!(
            run("hygiene", &s, &hygiene_facts(2, 20, 40, 90)),
            (
                Met,
                "2 account inputs; of 2,000 rows read, 20 rejected (1.0%) and 40 merged (2.0%); [fit] fields filled over 100 accounts: industry 90.0%".into()
            )
        );
        // One account input: not enriched, so not met, but not failed either.
        assert_eq!(outcome("hygiene", &s, &hygiene_facts(1, 0, 0, 100)), Na);
        // Between the bars: neither.
        assert_eq!(outcome("hygiene", &s, &hygiene_facts(2, 21, 0, 100)), Na);
        assert_eq!(outcome("hygiene", &s, &hygiene_facts(2, 0, 41, 100)), Na);
        assert_eq!(outcome("hygiene", &s, &hygiene_facts(2, 0, 0, 89)), Na);
        assert_eq!(outcome("hygiene", &s, &hygiene_facts(2, 100, 200, 70)), Na);
        // Past the lower bars: not met.
        assert_eq!(
            outcome("hygiene", &s, &hygiene_facts(2, 101, 0, 100)),
            NotMet
        );
        assert_eq!(
            outcome("hygiene", &s, &hygiene_facts(2, 0, 201, 100)),
            NotMet
        );
        assert_eq!(outcome("hygiene", &s, &hygiene_facts(2, 0, 0, 69)), NotMet);
        // Only fields named in [fit] count (employees is not).
        let mut facts = hygiene_facts(2, 0, 0, 100);
        facts.filled.insert("employees".into(), 0);
        assert_eq!(outcome("hygiene", &s, &facts), Met);
    }

    fn history(days_before: &[i64]) -> Facts {
        Facts {
            history: Some(History {
                folder: "build/history".into(),
                dates: days_before
                    .iter()
                    .map(|d| as_of() - chrono::Duration::days(*d))
                    .collect(),
            }),
            ..Facts::default()
        }
    }

    #[test]
    fn weekly_refresh() {
        let s = spec("[[tiers]]\nname = \"Tier 1\"\nwhen = \"engaged\"\n");
        assert_eq!(outcome("weekly_refresh", &s, &Facts::default()), Na);
        assert_eq!(
            run("weekly_refresh", &s, &history(&[21, 14, 7, 0])),
            (
                Met,
                "4 builds in build/history up to as-of, the last 4 on 2026-10-30, 2026-11-06, 2026-11-13, 2026-11-20; engaged or intent used in Tier 1's rule".into()
            )
        );
        // 8 days apart, the latest 8 days old: still weekly.
        assert_eq!(
            outcome("weekly_refresh", &s, &history(&[40, 32, 24, 16, 8])),
            Met
        );
        // Dates after as-of do not count.
        assert_eq!(
            outcome("weekly_refresh", &s, &history(&[21, 14, 7, -7])),
            Na
        );
        assert_eq!(outcome("weekly_refresh", &s, &history(&[25, 16, 7, 0])), Na);
        assert_eq!(
            outcome("weekly_refresh", &s, &history(&[30, 23, 16, 9])),
            Na
        );
        // Weekly, but no tier follows engagement or intent.
        let static_tiers = spec("[[tiers]]\nname = \"Tier 1\"\nwhen = \"employees > 5\"\n");
        assert_eq!(
            outcome("weekly_refresh", &static_tiers, &history(&[21, 14, 7, 0])),
            Na
        );
        // No build, or none in the last 35 days: not met.
        assert_eq!(
            run("weekly_refresh", &s, &history(&[])),
            (NotMet, "no build in build/history up to as-of".into())
        );
        assert_eq!(outcome("weekly_refresh", &s, &history(&[-1])), NotMet);
        assert_eq!(
            outcome("weekly_refresh", &s, &history(&[50, 43, 36])),
            NotMet
        );
        assert_eq!(outcome("weekly_refresh", &s, &history(&[35])), Na);
    }

    #[test]
    fn personas_known() {
        let personas = |names: &[&str]| Facts {
            personas: names.iter().map(|n| n.to_string()).collect(),
            ..Facts::default()
        };
        let weights = spec("[engagement]\npersona_weights = { executive = 2.0 }\n");
        assert_eq!(
            run("personas_known", &weights, &personas(&[])),
            (Met, "[engagement].persona_weights names 1 persona".into())
        );
        let plain = spec(ENGAGEMENT_INPUT);
        assert_eq!(
            run("personas_known", &plain, &personas(&["CMO", "Ops"])),
            (
                Met,
                "2 personas in the activity rows in window: CMO, Ops".into()
            )
        );
        assert_eq!(outcome("personas_known", &plain, &personas(&["CMO"])), Na);
    }

    #[test]
    fn segment_offers() {
        let segment = |extra: &str| {
            spec(&format!(
                "[[segments]]\nname = \"Rivals\"\nwhen = 'industry == \"x\"'\nobjective = \"Open 10 opportunities\"\n{extra}"
            ))
        };
        let facts = Facts::default();
        assert_eq!(
            run(
                "segment_offers",
                &segment("offer = \"Audit\"\nchannels = { linkedin_ads = 100 }\n"),
                &facts
            ),
            (
                Met,
                "segment Rivals has an objective, an offer and 1 channel".into()
            )
        );
        assert_eq!(
            outcome("segment_offers", &segment("offer = \"Audit\"\n"), &facts),
            Na
        );
        assert_eq!(
            outcome(
                "segment_offers",
                &segment("offer = \" \"\nchannels = { x = 1 }\n"),
                &facts
            ),
            Na
        );
    }

    #[test]
    fn stage_content() {
        let stages = "[[stages]]\nname = \"Decision\"\nwhen = 'opportunity_stage == \"Proposal\"'\n[[stages]]\nname = \"Aware\"\nwhen = \"intent\"\n";
        let on_stage = "[[segments]]\nname = \"Late\"\nwhen = 'stage == \"Decision\"'\n";
        let facts = Facts::default();
        assert_eq!(
            run(
                "stage_content",
                &spec(&format!("{stages}{on_stage}")),
                &facts
            ),
            (Met, "2 stages; stage used in segment Late".into())
        );
        assert_eq!(outcome("stage_content", &spec(stages), &facts), Na);
        let one = "[[stages]]\nname = \"Decision\"\nwhen = 'opportunity_stage == \"Proposal\"'\n";
        assert_eq!(
            outcome("stage_content", &spec(&format!("{one}{on_stage}")), &facts),
            Na
        );
    }
}
