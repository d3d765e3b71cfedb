//! `tal maturity`: the template, data-only, all-no and all-yes runs on
//! small inline projects (cells, flags and stages as the contract combines
//! them), the build history, bad answers files, a missing spec, the
//! formats (the html page in a real browser), and the demo.

use serde_json::Value;

use crate::util::*;

/// Four accounts, three of them owned; two surge, two engage.
const CRM: &str = "\
domain,name,industry,employees,owner
a1.com,Alpha,Software,1200,Ann
a2.com,Beta,Software,300,Bob
a3.com,Gamma,Retail,50,
a4.com,Delta,Software,800,Ann
";

const INTENT: &str = "\
domain,topic,score,week
a1.com,ABM,80,2026-11-16
a2.com,ABM,70,2026-11-09
";

const ACTIVITY: &str = "\
email,type,date,persona
x@a1.com,meeting,2026-11-18,CMO
y@a2.com,web_visit,2026-11-10,Ops
";

/// Tiers on fit and intent, with entitlements 4× apart.
const SPEC: &str = r#"
[inputs.crm]
path = "crm.csv"
key = "domain"
fields = { name = "name", industry = "industry", employees = "employees", owner = "owner" }

[inputs.intent]
path = "intent.csv"
key = "domain"
fields = { topic = "topic", score = "score", date = "week" }

[inputs.engagement]
path = "activity.csv"
key = "email"
fields = { type = "type", date = "date", persona = "persona" }

[fit]
high = 50

[[fit.criteria]]
name = "Software"
points = 60
when = 'industry == "Software"'

[[fit.criteria]]
name = "Size"
bands = [ { when = "employees >= 1000", points = 40 }, { when = "employees >= 200", points = 20 } ]

[engagement]
points = { meeting = 25, web_visit = 1 }

[[tiers]]
name = "Tier 1"
when = "high_fit and intent"
per_account = 4000

[[tiers]]
name = "Tier 2"
when = "high_fit"
per_account = 1000
"#;

/// Only a CRM, no fit criterion, tiers on nothing the data shows.
const BARE_SPEC: &str = r#"
[inputs.crm]
path = "crm.csv"
key = "domain"
fields = { name = "name", industry = "industry", owner = "owner" }

[[tiers]]
name = "Tier 1"
when = 'industry == "Software"'
"#;

const BARE_CRM: &str = "\
domain,name,industry,owner
a1.com,Alpha,Software,
a2.com,Beta,Software,
a3.com,Gamma,Software,Ann
";

fn rich() -> Workdir {
    project(&[
        ("tal.toml", SPEC),
        ("crm.csv", CRM),
        ("intent.csv", INTENT),
        ("activity.csv", ACTIVITY),
    ])
}

fn bare() -> Workdir {
    project(&[("tal.toml", BARE_SPEC), ("crm.csv", BARE_CRM)])
}

/// Every practice answered with `word`.
fn all(word: &str) -> String {
    let ids: Vec<String> = ["da", "mc", "pg", "mt", "tm"]
        .iter()
        .flat_map(|d| (1..=5).map(move |s| format!("{d}{s} = \"{word}\"")))
        .collect();
    format!("[answers]\n{}\n", ids.join("\n"))
}

/// `tal maturity ARGS --format json` in `work` (exit 0).
fn assess(work: &Workdir, args: &[&str]) -> Value {
    let mut cmd = work.cmd(&["maturity", "--format", "json"]);
    cmd.args(args);
    json(&stdout_of(&mut cmd, 0))
}

/// The cells that are not unanswered, as "id value flag".
fn cells(report: &Value) -> Vec<String> {
    report["cells"]
        .as_array()
        .expect("cells")
        .iter()
        .filter(|c| c["value"] != "unanswered")
        .map(|c| {
            let flag = c["flag"].as_str().unwrap_or("-");
            format!(
                "{} {} {flag}",
                c["id"].as_str().unwrap(),
                c["value"].as_str().unwrap()
            )
        })
        .collect()
}

/// Each dimension as "id stage/answers-only score".
fn stages(report: &Value) -> Vec<String> {
    report["dimensions"]
        .as_array()
        .expect("dimensions")
        .iter()
        .map(|d| {
            format!(
                "{} {}/{} {}",
                d["id"].as_str().unwrap(),
                d["stage"],
                d["stage_answers_only"],
                d["score"]
            )
        })
        .collect()
}

fn evidence(report: &Value) -> Vec<String> {
    report["evidence"]
        .as_array()
        .expect("evidence")
        .iter()
        .map(|e| {
            format!(
                "{} {}",
                e["rule"].as_str().unwrap(),
                e["result"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn data_only_fills_the_grid_from_the_data() {
    let report = assess(&rich(), &[]);
    assert_eq!(
        evidence(&report),
        [
            "fit_defined met",
            "joint_pins n/a",
            "intent_selects met",
            "hygiene n/a",
            "weekly_refresh n/a",
            "personas_known met",
            "segment_offers n/a",
            "stage_content n/a",
            "channels_named n/a",
            "digital_programs n/a",
            "persona_programs n/a",
            "channel_mix n/a",
            "activity_tracked n/a",
            "engaged_in_rules n/a",
            "meetings_opps met",
            "revenue_kpis n/a",
            "owners met",
            "entitlements met",
            "crm_loop n/a",
        ]
    );
    assert_eq!(
        cells(&report),
        [
            "da1 met from_data",
            "da3 met from_data",
            "mc1 met from_data",
            "mt3 met from_data",
            "tm1 met from_data",
            "tm2 met from_data",
        ]
    );
    assert_eq!(
        stages(&report),
        [
            "da 1/0 40",
            "mc 1/0 20",
            "pg 0/0 0",
            "mt 0/0 20",
            "tm 2/0 40"
        ]
    );
    assert_eq!(
        report["overall"],
        serde_json::json!({"stage": 0, "name": "Not started", "rule": "min"})
    );
    assert_eq!(
        report["median"],
        serde_json::json!({"stage": 1, "name": "Aware"})
    );
    let da3 = &report["evidence"][2];
    assert_eq!(
        da3["detail"],
        "intent used in Tier 1's rule; 2 intent rows in window"
    );
    assert_eq!(da3["criterion"], "technology");
    assert_eq!(
        report["evidence"][16]["detail"],
        "owner set on 3 of 3 TAL accounts (100.0%)"
    );
    let da = &report["dimensions"][0];
    assert_eq!(da["ahead"], serde_json::json!(["da3"]));
    assert_eq!(
        da["next"],
        serde_json::json!([{"id": "da2", "stage": 2, "practice": "marketing + sales (+CS) select accounts jointly", "rule": "joint_pins"}])
    );
    assert_eq!(
        report["criteria"],
        serde_json::json!([
            {"id": "account_definition", "observed": 2, "met": 2},
            {"id": "processes", "observed": 1, "met": 1},
            {"id": "structure_and_leadership", "observed": 1, "met": 1},
            {"id": "technology", "observed": 1, "met": 1},
            {"id": "measurement", "observed": 1, "met": 1},
        ])
    );
    assert_eq!(report["warnings"], serde_json::json!([]));
}

/// "no" where the data shows the practice is understated, and stays no.
#[test]
fn all_no_is_understated_where_the_data_shows_otherwise() {
    let work = rich();
    work.write("answers.toml", all("no"));
    let report = assess(&work, &["--answers", "answers.toml"]);
    let understated: Vec<String> = cells(&report)
        .into_iter()
        .filter(|c| c.ends_with("understated"))
        .collect();
    assert_eq!(
        understated,
        [
            "da1 not_met understated",
            "da3 not_met understated",
            "mc1 not_met understated",
            "mt3 not_met understated",
            "tm1 not_met understated",
            "tm2 not_met understated",
        ]
    );
    assert_eq!(cells(&report).len(), 25);
    assert_eq!(
        stages(&report),
        ["da 0/0 0", "mc 0/0 0", "pg 0/0 0", "mt 0/0 0", "tm 0/0 0"]
    );
    let da3 = &report["cells"][2];
    assert_eq!(
        (
            da3["answer"].clone(),
            da3["evidence"].clone(),
            da3["rules"].clone()
        ),
        (
            "no".into(),
            "met".into(),
            serde_json::json!(["intent_selects"])
        )
    );
}

/// "yes" where the data shows the practice missing is contradicted and
/// counts as partly, unless it runs outside tal.
#[test]
fn all_yes_is_contradicted_where_the_data_shows_otherwise() {
    let work = bare();
    work.write("answers.toml", all("yes"));
    let report = assess(&work, &["--answers", "answers.toml"]);
    assert_eq!(
        evidence(&report)
            .into_iter()
            .filter(|e| e.ends_with("not_met"))
            .collect::<Vec<_>>(),
        [
            "fit_defined not_met",
            "intent_selects not_met",
            "activity_tracked not_met",
            "engaged_in_rules not_met",
            "owners not_met",
        ]
    );
    let flagged: Vec<String> = cells(&report)
        .into_iter()
        .filter(|c| !c.ends_with('-'))
        .collect();
    assert_eq!(
        flagged,
        [
            "da1 partly contradicted",
            "da3 partly contradicted",
            "mt1 partly contradicted",
            "mt2 partly contradicted",
            "tm1 partly contradicted",
        ]
    );
    assert_eq!(
        stages(&report),
        [
            "da 0/5 80",
            "mc 5/5 100",
            "pg 5/5 100",
            "mt 0/5 80",
            "tm 0/5 90"
        ]
    );
    assert_eq!(report["overall"]["stage"], 0);
    assert_eq!(report["median"]["stage"], 0);

    // Outside tal, the claim stands.
    let outside = all("yes").replace(
        "da3 = \"yes\"",
        "da3 = { answer = \"yes\", outside_tal = true, note = \"6sense intent, not in tal\" }",
    );
    work.write("answers.toml", outside);
    let report = assess(&work, &["--answers", "answers.toml"]);
    let da3 = &report["cells"][2];
    assert_eq!(
        (
            da3["value"].clone(),
            da3["flag"].clone(),
            da3["outside_tal"].clone(),
            da3["note"].clone()
        ),
        (
            "met".into(),
            "outside_tal".into(),
            true.into(),
            "6sense intent, not in tal".into()
        )
    );
}

#[test]
fn weekly_refresh_reads_the_build_history() {
    let work = rich();
    for day in [
        "2026-10-30",
        "2026-11-06",
        "2026-11-13",
        "2026-11-20",
        "2026-11-27",
    ] {
        work.write(&format!("build/history/{day}/tal.csv"), "rank\n");
    }
    // Tiers follow intent: weekly builds meet da5.
    let report = assess(&work, &["--build-dir", "build"]);
    assert_eq!(report["evidence"][4]["result"], "met");
    assert_eq!(
        report["evidence"][4]["detail"],
        "4 builds in build/history up to as-of, the last 4 on 2026-10-30, 2026-11-06, 2026-11-13, 2026-11-20; engaged or intent used in Tier 1's rule"
    );
    // A folder without history: no build, not met.
    std::fs::create_dir_all(work.path().join("empty")).unwrap();
    let report = assess(&work, &["--build-dir", "empty"]);
    assert_eq!(report["evidence"][4]["result"], "not_met");
    let stderr = stderr_of(&mut work.cmd(&["maturity", "--build-dir", "nowhere"]), 1);
    assert!(
        stderr.contains("--build-dir nowhere: no such folder"),
        "{stderr}"
    );
}

#[test]
fn template_lists_every_practice() {
    let work = Workdir::new();
    let out = stdout_of(work.tal().args(["maturity", "--template"]), 0);
    let ids: Vec<&str> = out
        .lines()
        .filter_map(|l| l.strip_suffix(" = \"\""))
        .filter(|id| id.len() == 3)
        .collect();
    assert_eq!(ids.len(), 25);
    assert_eq!((ids[0], ids[24]), ("da1", "tm5"));
    assert!(out.contains(
        "# da1 · stage 1 Aware / Consciente\n#   Account types and key traits identified\n"
    ));
    let pt = stdout_of(
        work.tal().args(["maturity", "--template", "--lang", "pt"]),
        0,
    );
    assert!(pt.contains("# ── Dados & Contas / Data & Accounts"), "{pt}");
    assert!(pt.contains("#   Identificação de canais e programas ótimos\n"));
    // The template answers back as unanswered; without a spec, a warning.
    stdout_of(
        work.tal().args(["maturity", "--template", "-o", "m.toml"]),
        0,
    );
    let run = run(
        &mut work.cmd(&["maturity", "--answers", "m.toml", "--format", "json"]),
        0,
    );
    let report = json(&run.stdout);
    assert!(cells(&report).is_empty());
    assert!(run.stderr.contains("warning: no spec"), "{}", run.stderr);
    assert!(report["warnings"][0]
        .as_str()
        .unwrap()
        .starts_with("no spec"));
    assert_eq!(report["evidence"][0]["result"], "n/a");
    // CSV by extension, and back.
    stdout_of(
        work.tal().args(["maturity", "--template", "-o", "m.csv"]),
        0,
    );
    assert!(work.read("m.csv").starts_with(
        "id,dimension,stage,practice,answer,outside_tal,note\nda1,Data & Accounts,1 Aware,"
    ));
    stdout_of(&mut work.cmd(&["maturity", "--answers", "m.csv"]), 0);
}

#[test]
fn answers_only_without_a_spec_and_errors_with_one() {
    let work = Workdir::new();
    work.write("a.toml", "[answers]\nda1 = \"sim\"\nda2 = \"parcial\"\n");
    let report = assess(&work, &["--answers", "a.toml"]);
    assert_eq!(cells(&report), ["da1 met -", "da2 partly -"]);
    assert_eq!(stages(&report)[0], "da 1/1 30");
    // An explicit spec that is missing fails.
    let stderr = stderr_of(
        &mut work.cmd(&["maturity", "--answers", "a.toml", "--spec", "nope.toml"]),
        1,
    );
    assert!(stderr.contains("nope.toml"), "{stderr}");
    // Neither answers nor spec: nothing to assess.
    let stderr = stderr_of(&mut work.cmd(&["maturity"]), 1);
    assert!(stderr.starts_with("error: nothing to assess"), "{stderr}");
}

#[test]
fn bad_answers_name_the_line_and_the_nearest_name() {
    let work = rich();
    let error = |file: &str, text: &str| {
        work.write(file, text);
        stderr_of(&mut work.cmd(&["maturity", "--answers", file]), 1)
    };
    assert_eq!(
        error("a.toml", "[answers]\nda1 = \"yes\"\nad2 = \"yes\"\n"),
        "error: a.toml line 3: answers.ad2: unknown question id 'ad2' (did you mean 'da2'?)\n"
    );
    assert_eq!(
        error("a.toml", "[answers]\nda1 = \"yse\"\n"),
        "error: a.toml line 2: answers.da1: unknown answer 'yse': write yes, partly or no (or sim, parcial, não), or \"\" to leave it unanswered (did you mean 'yes'?)\n"
    );
    assert_eq!(
        error("a.toml", "[answers]\nda1 = { answer = \"yes\", outside = true }\n"),
        "error: a.toml line 2: answers.da1.outside: unknown key 'outside' (did you mean 'outside_tal'?)\n"
    );
    assert_eq!(
        error("a.csv", "id,answer\nda1,yes\nmc2,partly\nda1,no\n"),
        "error: a.csv line 4: id: 'da1' is answered twice: on line 2 and on line 4\n"
    );
    assert_eq!(
        error("a.csv", "id,answer\nmc1,partially\n"),
        "error: a.csv line 2: answer: unknown answer 'partially': write yes, partly or no (or sim, parcial, não), or \"\" to leave it unanswered (did you mean 'partly'?)\n"
    );
    let stderr = stderr_of(&mut work.cmd(&["maturity", "--answers", "missing.toml"]), 1);
    assert!(
        stderr.starts_with("error: cannot read the answers file missing.toml\n"),
        "{stderr}"
    );
}

#[test]
fn portuguese_names_and_texts_same_ids() {
    let work = rich();
    let report = assess(&work, &["--lang", "pt"]);
    assert_eq!(report["lang"], "pt");
    assert_eq!(report["dimensions"][0]["name"], "Dados & Contas");
    assert_eq!(report["overall"]["name"], "Não iniciado");
    assert_eq!(report["cells"][10]["id"], "pg1");
    assert_eq!(
        report["cells"][10]["practice"],
        "Identificação de canais e programas ótimos"
    );
    let table = stdout_of(&mut work.cmd(&["maturity", "--lang", "pt"]), 0);
    assert!(
        table.contains("│ Dados & Contas     │      ✓d      │"),
        "{table}"
    );
    assert!(table.contains("PRÓXIMAS AÇÕES"));
}

#[test]
fn table_and_markdown_of_the_demo() {
    let run_format = |format: &str| {
        stdout_of(
            tal().current_dir(root().join("examples/demo")).args([
                "maturity",
                "--answers",
                "maturity.toml",
                "--as-of",
                "2026-11-20",
                "--format",
                format,
            ]),
            0,
        )
    };
    insta::assert_snapshot!("maturity_demo_table", run_format("table"));
    insta::assert_snapshot!("maturity_demo_markdown", run_format("markdown"));
    let report: Value = json(&run_format("json"));
    assert_eq!(
        stages(&report),
        [
            "da 3/3 90",
            "mc 2/2 70",
            "pg 3/3 60",
            "mt 2/2 70",
            "tm 3/3 70"
        ]
    );
    assert_eq!(report["overall"]["stage"], 2);
    assert_eq!(report["median"]["stage"], 3);
}

/// A stale build folder contradicts the demo's weekly-refresh claim.
#[test]
fn demo_with_a_stale_build_is_contradicted() {
    let work = Workdir::from_fixture("../examples/demo");
    stdout_of(
        work.tal().args([
            "build",
            "--out-dir",
            "build",
            "--as-of",
            "2026-10-01",
            "--quiet",
        ]),
        0,
    );
    let report = assess(
        &work,
        &["--answers", "maturity.toml", "--build-dir", "build"],
    );
    let da5 = &report["cells"][4];
    assert_eq!(
        (da5["value"].clone(), da5["flag"].clone()),
        ("partly".into(), "contradicted".into())
    );
    assert_eq!(
        report["evidence"][4]["detail"],
        "1 build in build/history up to as-of, on 2026-10-01; the latest is 50 days old"
    );
}

/// The page must open offline: no script, no link, no remote resource.
#[test]
fn html_is_self_contained_and_opens_in_chromium() {
    let work = bare();
    work.write("answers.toml", all("yes"));
    stdout_of(
        &mut work.cmd(&[
            "maturity",
            "--answers",
            "answers.toml",
            "--format",
            "html",
            "-o",
            "maturity.html",
        ]),
        0,
    );
    let html = work.read("maturity.html");
    for banned in [
        "<script", "src=", "href=", "url(", "@import", "http:", "https:",
    ] {
        assert!(!html.contains(banned), "the html page contains {banned}");
    }
    assert!(html.contains("<svg") && html.contains("stroke-dasharray=\"7 5\""));
    assert!(html.contains("<td class=\"partly\" title=\"da1 · partly\">"));
    if !have_chromium() {
        return;
    }
    let shot = work.path().join("maturity.png");
    let output = std::process::Command::new(root().join("scripts/html-screenshot.sh"))
        .arg(work.path().join("maturity.html"))
        .arg(&shot)
        .output()
        .expect("the screenshot script runs");
    assert!(
        output.status.success(),
        "chromium: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let png = std::fs::read(&shot).expect("a screenshot");
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 10_000,
        "a real screenshot, not a blank"
    );
}
