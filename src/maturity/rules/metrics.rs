//! The rules of the Metrics and Team dimensions: activity_tracked,
//! engaged_in_rules, meetings_opps, revenue_kpis, owners, entitlements,
//! crm_loop.

use super::{mentioning, met, na, not_met, plural, share, Context, Found, Owner, W};
use crate::format::{count, ratio};
use crate::spec::InputKind;

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
        Some(t) => format!("threshold {}", crate::format::number(t)),
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
        Some(goal) => format!("revenue goal {}", crate::format::amount(goal)),
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

/// tm2: two or more tiers with `per_account`, each 2–5× the next tier
/// down that has one (the bounds inside; a lower amount of 0 is outside).
/// A ratio outside 2–5× is a warning and makes it n/a.
pub fn entitlements(cx: &Context, warnings: &mut Vec<String>) -> Found {
    let tiers: Vec<(&str, f64)> = (cx.spec.tiers.iter())
        .filter_map(|t| t.per_account.map(|p| (t.name.as_str(), p)))
        .collect();
    let with = plural(tiers.len() as u64, "tier");
    if tiers.len() < 2 {
        return na(format!("{with} with per_account"));
    }
    let mut ratios = Vec::new();
    let mut outside = Vec::new();
    for pair in tiers.windows(2) {
        let ((upper_name, upper), (lower_name, lower)) = (pair[0], pair[1]);
        let times = if lower > 0.0 {
            ratio(upper / lower)
        } else {
            "∞×".to_string()
        };
        let text = format!("{upper_name} {times} {lower_name}");
        if lower > 0.0 && upper >= 2.0 * lower && upper <= 5.0 * lower {
            ratios.push(text);
        } else {
            warnings.push(format!(
                "entitlements: {upper_name} gets {times} the per-account entitlement of {lower_name}, outside 2–5×; the entitlements rule (tm2) is n/a"
            ));
            outside.push(text);
        }
    }
    if outside.is_empty() {
        met(format!("{with} with per_account: {}", ratios.join(", ")))
    } else {
        na(format!(
            "{with} with per_account; outside 2–5×: {}",
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

#[cfg(test)]
mod tests {
    use super::super::testing::{input, outcome, run, spec, ENGAGEMENT_INPUT};
    use super::super::{
        evaluate, Context,
        Outcome::{Met, NotApplicable as Na, NotMet},
    };
    use crate::maturity::facts::Facts;
    use crate::spec::InputKind::{Account, Engagement};

    fn activity(used: u64) -> Facts {
        Facts {
            inputs: vec![input(Account, 10, 10), input(Engagement, 100, used)],
            ..Facts::default()
        }
    }

    const TWO_STAGES: &str = "[[stages]]\nname = \"Decision\"\nwhen = 'opportunity_stage == \"Proposal\"'\n[[stages]]\nname = \"Hot\"\nwhen = \"engaged\"\n";

    #[test]
    fn activity_tracked() {
        let s = spec(&format!("{ENGAGEMENT_INPUT}{TWO_STAGES}"));
        assert_eq!(
            run("activity_tracked", &s, &activity(42)),
            (Met, "42 activity rows in window; 2 stages".into())
        );
        assert_eq!(outcome("activity_tracked", &s, &activity(0)), Na);
        let one_stage = spec(&format!(
            "{ENGAGEMENT_INPUT}[[stages]]\nname = \"Hot\"\nwhen = \"engaged\"\n"
        ));
        assert_eq!(outcome("activity_tracked", &one_stage, &activity(42)), Na);
        let nothing = Facts {
            inputs: vec![input(Account, 10, 10)],
            ..Facts::default()
        };
        assert_eq!(
            run("activity_tracked", &spec(""), &nothing),
            (NotMet, "no engagement input and no [[stages]]".into())
        );
        assert_eq!(outcome("activity_tracked", &spec(TWO_STAGES), &nothing), Na);
    }

    #[test]
    fn engaged_in_rules() {
        let rules =
            "[engagement]\nthreshold = 10\n[[tiers]]\nname = \"Tier 1\"\nwhen = \"engaged\"\n";
        let s = spec(&format!("{ENGAGEMENT_INPUT}{rules}"));
        assert_eq!(
            run("engaged_in_rules", &s, &activity(5)),
            (Met, "threshold 10; engagement used in Tier 1's rule".into())
        );
        let score = spec(&format!(
            "{ENGAGEMENT_INPUT}[engagement]\nthreshold = 10\n[[segments]]\nname = \"Warm\"\nwhen = \"engagement_score > 3\"\n"
        ));
        assert_eq!(outcome("engaged_in_rules", &score, &activity(5)), Met);
        let no_threshold = spec(&format!(
            "{ENGAGEMENT_INPUT}[[tiers]]\nname = \"Tier 1\"\nwhen = \"engaged\"\n"
        ));
        assert_eq!(outcome("engaged_in_rules", &no_threshold, &activity(5)), Na);
        let unused = spec(&format!("{ENGAGEMENT_INPUT}[engagement]\nthreshold = 10\n"));
        assert_eq!(outcome("engaged_in_rules", &unused, &activity(5)), Na);
        let nothing = Facts {
            inputs: vec![input(Account, 10, 10)],
            ..Facts::default()
        };
        assert_eq!(
            run("engaged_in_rules", &spec(""), &nothing),
            (NotMet, "no engagement input".into())
        );
        // Met is checked first: a threshold and a rule, without the input.
        assert_eq!(outcome("engaged_in_rules", &spec(rules), &nothing), Met);
    }

    #[test]
    fn meetings_opps() {
        let points = "[engagement]\npoints = { Meeting_Held = 25, web_visit = 1 }\n";
        let s = spec(&format!("{ENGAGEMENT_INPUT}{points}"));
        let rows = |meetings| Facts {
            rows_with_persona: [
                ("meeting_held".to_string(), meetings),
                ("web_visit".to_string(), 9),
            ]
            .into_iter()
            .collect(),
            ..activity(10)
        };
        assert_eq!(
            run("meetings_opps", &s, &rows(3)),
            (Met, "3 meeting rows with a persona in window".into())
        );
        assert_eq!(outcome("meetings_opps", &s, &rows(0)), Na);
        let stage =
            spec("[[stages]]\nname = \"Decision\"\nwhen = 'opportunity_stage in [\"Proposal\"]'\n");
        assert_eq!(
            run("meetings_opps", &stage, &Facts::default()),
            (Met, "the opportunity used in stage Decision".into())
        );
        assert_eq!(outcome("meetings_opps", &spec(""), &Facts::default()), Na);
    }

    const RENEWALS: &str = "[inputs.firmo]\npath = \"f.csv\"\nkey = \"domain\"\nfields = { renewals = \"renewals\" }\n";

    #[test]
    fn revenue_kpis() {
        let tiers = |rate2: &str| {
            format!("[[tiers]]\nname = \"Tier 1\"\nwhen = \"employees > 5\"\nwin_rate = 0.3\n[[tiers]]\nname = \"Tier 2\"\nwhen = \"employees > 1\"\n{rate2}")
        };
        let goal = "[budget]\nrevenue_goal = 5000000\n";
        let facts = Facts::default();
        let all = spec(&format!("{RENEWALS}{goal}{}", tiers("win_rate = 0\n")));
        assert_eq!(
            run("revenue_kpis", &all, &facts),
            (
                Met,
                "revenue goal 5,000,000; win_rate on 2 tiers; renewals mapped".into()
            )
        );
        let no_rate = spec(&format!("{RENEWALS}{goal}{}", tiers("")));
        assert_eq!(
            run("revenue_kpis", &no_rate, &facts),
            (
                Na,
                "revenue goal 5,000,000; no win_rate on Tier 2; renewals mapped".into()
            )
        );
        let no_goal = spec(&format!("{RENEWALS}{}", tiers("win_rate = 0.1\n")));
        assert_eq!(outcome("revenue_kpis", &no_goal, &facts), Na);
        let no_history = spec(&format!("{goal}{}", tiers("win_rate = 0.1\n")));
        assert_eq!(outcome("revenue_kpis", &no_history, &facts), Na);
    }

    #[test]
    fn owners() {
        let s = spec("");
        let tal = |tal, owned| Facts {
            tal,
            tal_owned: owned,
            ..Facts::default()
        };
        assert_eq!(
            run("owners", &s, &tal(10, Some(9))),
            (Met, "owner set on 9 of 10 TAL accounts (90.0%)".into())
        );
        assert_eq!(outcome("owners", &s, &tal(10, Some(5))), Na);
        assert_eq!(outcome("owners", &s, &tal(10, Some(8))), Na);
        assert_eq!(outcome("owners", &s, &tal(100, Some(49))), NotMet);
        assert_eq!(
            run("owners", &s, &tal(10, None)),
            (Na, "owner is not mapped".into())
        );
        assert_eq!(outcome("owners", &s, &tal(0, Some(0))), Na);
    }

    fn per_account(amounts: &[&str]) -> String {
        amounts
            .iter()
            .enumerate()
            .map(|(i, amount)| {
                let per = if amount.is_empty() {
                    String::new()
                } else {
                    format!("per_account = {amount}\n")
                };
                format!(
                    "[[tiers]]\nname = \"Tier {}\"\nwhen = \"employees > 5\"\n{per}",
                    i + 1
                )
            })
            .collect()
    }

    #[test]
    fn entitlements() {
        let facts = Facts::default();
        let ratios = |amounts: &[&str]| {
            let s = spec(&per_account(amounts));
            let mut warnings = Vec::new();
            let cx = Context {
                spec: &s,
                facts: &facts,
                as_of: super::super::testing::as_of(),
            };
            let finding = evaluate(&cx, &mut warnings).remove(17);
            assert_eq!(finding.rule().id, "entitlements");
            (finding.outcome, finding.detail, warnings)
        };
        assert_eq!(
            ratios(&["15000", "4000", "1000"]),
            (
                Met,
                "3 tiers with per_account: Tier 1 3.75× Tier 2, Tier 2 4× Tier 3".into(),
                vec![]
            )
        );
        // 2× and 5× are inside.
        assert_eq!(ratios(&["10000", "2000", "1000"]).0, Met);
        let (result, detail, warnings) = ratios(&["15000", "1000"]);
        assert_eq!(
            (result, detail.as_str()),
            (
                Na,
                "2 tiers with per_account; outside 2–5×: Tier 1 15× Tier 2"
            )
        );
        assert_eq!(
            warnings,
            ["entitlements: Tier 1 gets 15× the per-account entitlement of Tier 2, outside 2–5×; the entitlements rule (tm2) is n/a"]
        );
        assert_eq!(ratios(&["1500", "1000"]).0, Na);
        assert_eq!(ratios(&["15000", ""]).0, Na);
        // A tier without per_account is skipped: Tier 1 against Tier 3.
        assert_eq!(ratios(&["15000", "", "1000"]).0, Na);
        assert_eq!(ratios(&["4000", "", "1000"]).0, Met);
        assert_eq!(ratios(&["4000", "0"]).0, Na);
    }

    #[test]
    fn crm_loop() {
        let facts = Facts::default();
        let export = "[export.crm]\ncolumns = { \"ABM Tier\" = \"tier_code\" }\n";
        let tier =
            "[[tiers]]\nname = \"Tier 1\"\nwhen = \"employees > 5\"\naccounts_per_seller = 3\n";
        assert_eq!(
            run("crm_loop", &spec(&format!("{export}{tier}")), &facts),
            (
                Met,
                "[export.crm] writes 1 column; Tier 1 has 3 accounts per seller".into()
            )
        );
        assert_eq!(outcome("crm_loop", &spec(tier), &facts), Na);
        let no_sellers = "[[tiers]]\nname = \"Tier 1\"\nwhen = \"employees > 5\"\n[[tiers]]\nname = \"Tier 2\"\nwhen = \"employees > 1\"\naccounts_per_seller = 3\n";
        assert_eq!(
            outcome("crm_loop", &spec(&format!("{export}{no_sellers}")), &facts),
            Na
        );
    }
}
