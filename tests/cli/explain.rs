//! `tal explain ACCOUNT`: the text a person reads (snapshot) and the JSON
//! fields a program reads, on the us_salesforce fixture (as-of 2026-11-20).

use crate::util::*;

fn explain(work: &Workdir, account: &str, format: &str) -> String {
    stdout_of(&mut work.cmd(&["explain", account, "--format", format]), 0)
}

#[test]
fn text_of_a_waitlisted_account() {
    let work = Workdir::from_fixture("us_salesforce");
    insta::assert_snapshot!(
        "explain_cyberdyne_text",
        explain(&work, "cyberdyne.io", "text")
    );
}

#[test]
fn text_of_a_merged_tier_1_account() {
    let work = Workdir::from_fixture("us_salesforce");
    insta::assert_snapshot!("explain_acme_text", explain(&work, "acme.com", "text"));
}

#[test]
fn json_fields() {
    let work = Workdir::from_fixture("us_salesforce");
    let e = json(&explain(&work, "hooli.com", "json"));
    assert_eq!(e["domain"], "hooli.com");
    assert_eq!(e["account_id"], "0015g00000US005AAQ");
    assert_eq!(e["tier"], "Tier 2");
    assert_eq!(e["rank"], 2);
    // 12,500 employees: both size bands hold, the first gives its 30 points.
    assert_eq!(e["fit"], 100.0);
    assert_eq!(e["fit_possible"], 100.0);
    assert_eq!(e["fit_grade"], "A");
    assert_eq!(e["high_fit"], true);
    let criteria: Vec<String> = e["criteria"]
        .as_array()
        .expect("criteria")
        .iter()
        .map(|c| {
            format!(
                "{}|{}|{}|{}",
                c["key"].as_str().unwrap(),
                c["held"],
                c["points"],
                c["values"]
            )
        })
        .collect();
    assert_eq!(
        criteria,
        [
            r#"fit.criteria[1].when|true|40.0|{"industry":"Software"}"#,
            r#"fit.criteria[2].bands[1].when|true|30.0|{"employees":"12500"}"#,
            r#"fit.criteria[2].bands[2].when|true|0.0|{"employees":"12500"}"#,
            r#"fit.criteria[3].when|true|30.0|{"country":"United States"}"#,
        ]
    );
    // Intent: 81 on Customer Data Platform (in window); 58 is below 60; the
    // 90 of 2026-10-12 is outside the window.
    assert_eq!(e["intent_score"], 81.0);
    assert_eq!(e["intent"], true);
    assert_eq!(
        e["intent_topics"],
        serde_json::json!(["Customer Data Platform"])
    );
    // Engagement: form_fill at age 28 = 10 × 0.25 = 2.5, plus a chat (0): not engaged.
    assert_eq!(e["engagement_score"], 2.5);
    assert_eq!(e["engaged"], false);
    assert_eq!(e["last_engaged"], "2026-11-19");
    assert_eq!(e["personas_engaged"], serde_json::json!(["Demand Gen"]));
    assert_eq!(e["acv"], 1200000.0);
    assert_eq!(e["acv_band"], "large");
    assert_eq!(e["acv_source"], "the field 'acv'");
    assert_eq!(e["stage"], "Decision");
    let held = |list: &str| -> Vec<String> {
        e[list]
            .as_array()
            .expect(list)
            .iter()
            .map(|r| format!("{}={}", r["name"].as_str().unwrap(), r["held"]))
            .collect()
    };
    assert_eq!(
        held("tier_rules"),
        ["Tier 1=false", "Tier 2=true", "Tier 3=true"]
    );
    assert_eq!(held("excludes"), ["Existing customer=false"]);
    assert_eq!(
        held("stages"),
        ["Decision=true", "Consideration=false", "Awareness=true"]
    );
    assert_eq!(e["rules_chose"], "Tier 2");
    assert_eq!(
        e["capacity"],
        "Tier 2 holds 2 accounts (bound by max_accounts); 2 kept"
    );
    assert_eq!(e["demoted_from"], serde_json::Value::Null);
    assert_eq!(e["override_pin"], serde_json::Value::Null);
    assert_eq!(e["segments"], serde_json::json!([]));
    assert_eq!(
        e["reasons"],
        "fit 100.0 (Target industry +40, Company size +30, North America +30); ACV 1200000 large (from acv); intent 81 (Customer Data Platform); engagement 2.50 (not engaged)"
    );
}

#[test]
fn json_of_a_demoted_account() {
    let work = Workdir::from_fixture("us_salesforce");
    let e = json(&explain(&work, "cyberdyne.io", "json"));
    assert_eq!(e["tier"], "Waitlist");
    assert_eq!(e["rank"], serde_json::Value::Null);
    assert_eq!(e["rules_chose"], "Tier 2");
    assert_eq!(e["demoted_from"], "Tier 2");
    assert_eq!(e["capacity"], serde_json::Value::Null);
}

#[test]
fn by_domain_in_any_form_or_by_account_id() {
    let work = Workdir::from_fixture("us_salesforce");
    for (account, domain) in [
        ("0015g00000US009AAQ", "cyberdyne.io"),
        ("0015g00000us009aaq", "cyberdyne.io"),
        // the non-winning id of a merged duplicate
        ("0015g00000US011AAQ", "acme.com"),
        ("https://www.ACME.com/pricing", "acme.com"),
        ("jane.doe@acme.com", "acme.com"),
    ] {
        assert_eq!(
            json(&explain(&work, account, "json"))["domain"],
            domain,
            "{account}"
        );
    }
    let e = json(&explain(&work, "acme.com", "json"));
    assert_eq!(e["merged_ids"], serde_json::json!(["0015g00000US011AAQ"]));
}

#[test]
fn unknown_account_exits_1() {
    let work = Workdir::from_fixture("us_salesforce");
    let run = run(&mut work.cmd(&["explain", "nope.com"]), 1);
    assert_eq!(run.stdout, "");
    insta::assert_snapshot!("explain_unknown_account", run.stderr);
}

#[test]
fn pinned_account_names_the_owner() {
    let work = Workdir::from_fixture("../examples/demo");
    let e = json(&explain(&work, "tailspintoys.com", "json"));
    assert_eq!(e["tier"], "Excluded");
    assert_eq!(
        e["override_pin"],
        "pinned to Excluded by Marcus Oyelaran (Legal hold: open contract dispute)"
    );
    assert_eq!(e["rules_chose"], "Tier 1");
}
