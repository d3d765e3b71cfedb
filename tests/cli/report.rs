//! `tal report`: the entitlement budget report's figures on small inline
//! projects (each capacity limit binding, the budget under and over, a tier
//! ratio outside 2–5×), snapshots of what people read, the html page in a
//! real browser, and the demo's numbers.

use serde_json::{json, Value};

use crate::util::*;

/// Ten accounts in grades A, B, C plus one unassigned (X) and one excluded
/// (Z), ranked by ACV.
pub const CRM: &str = "\
domain,name,grade,acv
a1.com,Alpha One,A,200000
a2.com,Alpha Two,A,150000
a3.com,Alpha Three,A,100000
b1.com,Beta One,B,50000
b2.com,Beta Two,B,40000
b3.com,Beta Three,B,30000
b4.com,Beta Four,B,20000
c1.com,Gamma One,C,10000
c2.com,Gamma Two,C,8000
x1.com,Xeno,X,5000
z1.com,Zed Customer,Z,90000
";

/// A spec over [`CRM`] with the given `[budget]`, tiers and anything else.
pub fn spec(rest: &str) -> String {
    format!(
        r#"[inputs.crm]
path = "crm.csv"
key = "domain"
fields = {{ name = "name", grade = "grade", acv = "acv" }}

[acv]
from = "acv"
large = 100000
medium = 30000
default = 1000

[ranking]
by = ["acv desc"]

[[exclude]]
name = "Existing customer"
when = 'grade == "Z"'

{rest}
"#
    )
}

/// Three tiers where each capacity limit binds once and the budget is
/// under: Tier 1 by max_accounts, Tier 2 by sellers, Tier 3 by budget.
pub const BOUND: &str = r#"
[budget]
period = "2027-Q1"
currency = "USD"
total = 32500
sellers = 2
revenue_goal = 100000
enforce = true

[[tiers]]
name = "Tier 1"
label = "Just right"
style = "1:1"
when = 'grade == "A"'
per_account = 10000
max_accounts = 2
accounts_per_seller = 5
win_rate = 0.3
research = "Deep account plan"
exec_sponsor = true
personalization = "Bespoke"
programs = ["exec_dinner", "ads"]

[[tiers]]
name = "Tier 2"
label = "Too big"
style = "1:few"
when = 'grade == "B"'
per_account = 4000
accounts_per_seller = 1
win_rate = 0.2
programs = ["ads", "direct_mail"]

[[tiers]]
name = "Tier 3"
label = "Too small"
style = "1:many"
when = 'grade == "C"'
per_account = 1000
win_rate = 0.1
programs = ["ads"]

[programs]
exec_dinner = { label = "Executive dinner", cost = 2500 }
direct_mail = { label = "Direct mail", cost = 80 }
ads = { label = "LinkedIn ads", cost = 600 }
"#;

/// No capacity limits, a budget the plan overshoots (not enforced), tier
/// ratios of 1.25× and 8×, and two kinds of segment.
pub const OVER: &str = r#"
[budget]
currency = "EUR"
total = 10000
revenue_goal = 1000000

[[tiers]]
name = "Tier 1"
when = 'grade == "A"'
per_account = 10000
win_rate = 0.5

[[tiers]]
name = "Tier 2"
when = 'grade == "B"'
per_account = 8000
win_rate = 0.25

[[tiers]]
name = "Tier 3"
when = 'grade == "C"'
per_account = 1000
win_rate = 0.05

[[segments]]
name = "Big deals"
when = "acv >= 100000"
objective = "Three new logos"
offer = "ROI workshop"
channels = { ads = 5000, events = 1000 }

[[segments]]
name = "Grade"
group_by = "grade"
tiers = ["Tier 2", "Tier 3"]
"#;

pub fn project(rest: &str) -> Workdir {
    let work = Workdir::new();
    work.write("crm.csv", CRM).write("tal.toml", spec(rest));
    work
}

fn report_json(work: &Workdir) -> Value {
    let out = stdout_of(
        work.tal()
            .args(["report", "--as-of", "2026-11-20", "--format", "json"]),
        0,
    );
    serde_json::from_str(&out).expect("the report is JSON")
}

/// The given keys of every tier, in tier order.
fn tier_figures(report: &Value, keys: &[&str]) -> Vec<Value> {
    report["tiers"]
        .as_array()
        .expect("tiers")
        .iter()
        .map(|tier| {
            Value::Object(
                keys.iter()
                    .map(|k| (k.to_string(), tier[*k].clone()))
                    .collect(),
            )
        })
        .collect()
}

fn codes(report: &Value) -> Vec<String> {
    report["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .map(|w| w["code"].as_str().expect("code").to_string())
        .collect()
}

#[test]
fn each_limit_binds_a_tier_and_the_budget_is_under() {
    let report = report_json(&project(BOUND));
    let keys = [
        "name",
        "matched",
        "pushed_in",
        "kept",
        "pushed_out",
        "capacity",
        "bound_by",
        "spend",
        "budget_share",
        "sellers_needed",
        "pipeline",
        "expected_revenue",
        "ratio_to_next",
    ];
    assert_eq!(
        tier_figures(&report, &keys),
        vec![
            json!({"name": "Tier 1", "matched": 3, "pushed_in": 0, "kept": 2, "pushed_out": 1, "capacity": 2, "bound_by": "max_accounts", "spend": 20000, "budget_share": 0.6154, "sellers_needed": 1, "pipeline": 350000, "expected_revenue": 105000, "ratio_to_next": 2.5}),
            json!({"name": "Tier 2", "matched": 4, "pushed_in": 1, "kept": 2, "pushed_out": 3, "capacity": 2, "bound_by": "sellers", "spend": 8000, "budget_share": 0.2462, "sellers_needed": 2, "pipeline": 150000, "expected_revenue": 30000, "ratio_to_next": 4}),
            json!({"name": "Tier 3", "matched": 2, "pushed_in": 3, "kept": 4, "pushed_out": 1, "capacity": 4, "bound_by": "budget", "spend": 4000, "budget_share": 0.1231, "sellers_needed": null, "pipeline": 100000, "expected_revenue": 10000, "ratio_to_next": null}),
        ]
    );
    assert_eq!(
        report["totals"],
        json!({"accounts": 8, "spend": 32000, "tier_spend": 32000, "segment_spend": 0, "budget": 32500, "budget_left": 500, "sellers": 2, "pipeline": 600000, "expected_revenue": 145000, "revenue_goal": 100000, "goal_coverage": 1.45})
    );
    assert_eq!(
        (
            report["waitlist"].clone(),
            report["excluded"].clone(),
            report["unassigned"].clone()
        ),
        (json!(1), json!(1), json!(1))
    );
    assert_eq!(
        (
            report["as_of"].clone(),
            report["period"].clone(),
            report["currency"].clone()
        ),
        (json!("2026-11-20"), json!("2027-Q1"), json!("USD"))
    );
    assert_eq!(codes(&report), ["tal_too_small", "waitlist"]);
    let entitlements = &report["tiers"][0]["entitlements"];
    assert_eq!(
        entitlements["programs"][0],
        json!({"key": "exec_dinner", "label": "Executive dinner", "cost": 2500})
    );
    assert_eq!(entitlements["menu_cost"], json!(3100));
    assert_eq!(entitlements["exec_sponsor"], json!(true));
}

#[test]
fn over_budget_and_ratios_outside_two_to_five() {
    let report = report_json(&project(OVER));
    let keys = [
        "kept",
        "capacity",
        "bound_by",
        "spend",
        "pipeline",
        "expected_revenue",
        "ratio_to_next",
        "ratio_flagged",
        "budget_share",
    ];
    assert_eq!(
        tier_figures(&report, &keys),
        vec![
            json!({"kept": 3, "capacity": null, "bound_by": null, "spend": 30000, "pipeline": 450000, "expected_revenue": 225000, "ratio_to_next": 1.25, "ratio_flagged": true, "budget_share": 3}),
            json!({"kept": 4, "capacity": null, "bound_by": null, "spend": 32000, "pipeline": 140000, "expected_revenue": 35000, "ratio_to_next": 8, "ratio_flagged": true, "budget_share": 3.2}),
            json!({"kept": 2, "capacity": null, "bound_by": null, "spend": 2000, "pipeline": 18000, "expected_revenue": 900, "ratio_to_next": null, "ratio_flagged": false, "budget_share": 0.2}),
        ]
    );
    let totals = &report["totals"];
    assert_eq!(
        (
            totals["tier_spend"].clone(),
            totals["segment_spend"].clone(),
            totals["spend"].clone()
        ),
        (json!(64000), json!(6000), json!(70000))
    );
    assert_eq!(totals["budget_left"], json!(-60000));
    assert_eq!(totals["goal_coverage"], json!(0.2609));
    assert_eq!(
        codes(&report),
        [
            "over_budget",
            "tal_too_small",
            "tier_ratio",
            "tier_ratio",
            "goal_not_covered"
        ]
    );
    let messages: Vec<&str> = report["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .map(|w| w["message"].as_str().expect("message"))
        .collect();
    assert_eq!(messages[0], "Over budget by €60,000: the plan spends €70,000 (€64,000 on tiers, €6,000 on segment channels) against a budget of €10,000.");
    assert_eq!(messages[2], "Tier 1 gets €10,000 per account, only 1.25× Tier 2's €8,000: a tier usually gets 2–5× the tier below, so the tiers' programs barely differ.");
    assert_eq!(
        messages[4],
        "Expected revenue of €260,900 covers 26.1% of the €1,000,000 revenue goal: €739,100 short."
    );
}

#[test]
fn segments_count_accounts_by_tier_and_their_channel_spend() {
    let report = report_json(&project(OVER));
    assert_eq!(
        report["segments"],
        json!([
            {"name": "Big deals", "accounts": 3, "by_tier": {"Tier 1": 3, "Tier 2": 0, "Tier 3": 0}, "objective": "Three new logos", "offer": "ROI workshop", "channels": {"ads": 5000, "events": 1000}, "spend": 6000},
            {"name": "Grade: B", "accounts": 4, "by_tier": {"Tier 1": 0, "Tier 2": 4, "Tier 3": 0}, "objective": null, "offer": null, "channels": {}, "spend": 0},
            {"name": "Grade: C", "accounts": 2, "by_tier": {"Tier 1": 0, "Tier 2": 0, "Tier 3": 2}, "objective": null, "offer": null, "channels": {}, "spend": 0},
        ])
    );
}

/// Pins beyond Tier 1's seller capacity stay (SPEC.md step 0), so sellers
/// fall short; a tier nothing matches is empty.
#[test]
fn pins_beyond_seller_capacity_and_an_empty_tier_are_warned() {
    let work = project(
        r#"
[budget]
sellers = 1

[[tiers]]
name = "Tier 1"
when = 'grade == "A"'
accounts_per_seller = 2
per_account = 5000

[[tiers]]
name = "Tier 2"
when = 'grade == "Q"'
per_account = 2000

[[tiers]]
name = "Tier 3"
when = 'grade in ["B", "C"]'
per_account = 500

[overrides]
path = "overrides.csv"
"#,
    );
    work.write("overrides.csv", "domain,tier,owner,reason,expires\nb1.com,Tier 1,Ana,Board ask,\nb2.com,Tier 1,Ana,Board ask,\nc1.com,Tier 1,Ana,Board ask,\n");
    let report = report_json(&work);
    let keys = [
        "matched",
        "pinned",
        "pushed_in",
        "kept",
        "pushed_out",
        "capacity",
        "sellers_needed",
    ];
    assert_eq!(
        tier_figures(&report, &keys),
        vec![
            json!({"matched": 6, "pinned": 3, "pushed_in": 0, "kept": 3, "pushed_out": 3, "capacity": 2, "sellers_needed": 2}),
            json!({"matched": 0, "pinned": 0, "pushed_in": 3, "kept": 3, "pushed_out": 0, "capacity": null, "sellers_needed": null}),
            json!({"matched": 3, "pinned": 0, "pushed_in": 0, "kept": 3, "pushed_out": 0, "capacity": null, "sellers_needed": null}),
        ]
    );
    let warnings = &report["warnings"];
    assert_eq!(codes(&report), ["tal_too_small", "sellers_short"]);
    assert_eq!(warnings[1]["message"], "Tier 1 holds 3 accounts (3 pinned by overrides), but 1 seller at 2 accounts each can cover 2: it needs 2 sellers.");
}

#[test]
fn a_tier_nothing_reaches_is_empty() {
    let report = report_json(&project(
        r#"
[[tiers]]
name = "Tier 1"
label = "Just right"
when = 'grade == "Q"'

[[tiers]]
name = "Tier 2"
when = 'grade in ["A", "B", "C"]'
"#,
    ));
    assert_eq!(codes(&report), ["tier_empty", "tal_too_small"]);
    assert_eq!(
        report["warnings"][0]["message"],
        "Tier 1 \"Just right\" is empty: no account matched its rules or was pushed down into it."
    );
    assert_eq!(
        (
            report["totals"]["budget"].clone(),
            report["totals"]["budget_left"].clone(),
            report["tiers"][0]["budget_share"].clone()
        ),
        (Value::Null, Value::Null, Value::Null)
    );
}

#[test]
fn table_and_markdown_read_well() {
    let work = project(BOUND);
    let table = stdout_of(work.tal().args(["report", "--as-of", "2026-11-20"]), 0);
    insta::assert_snapshot!("report_table", table);
    let markdown = stdout_of(
        work.tal()
            .args(["report", "--as-of", "2026-11-20", "--format", "markdown"]),
        0,
    );
    insta::assert_snapshot!("report_markdown", markdown);
}

#[test]
fn markdown_of_an_over_budget_plan() {
    let work = project(OVER);
    let markdown = stdout_of(
        work.tal()
            .args(["report", "--as-of", "2026-11-20", "--format", "markdown"]),
        0,
    );
    insta::assert_snapshot!("report_markdown_over", markdown);
}

#[test]
fn csv_has_one_row_per_tier() {
    let work = project(BOUND);
    let out = stdout_of(
        work.tal().args([
            "report",
            "--as-of",
            "2026-11-20",
            "--format",
            "csv",
            "-o",
            "-",
        ]),
        0,
    );
    let rows = csv_rows(&out);
    assert_eq!(rows.len(), 4);
    assert_eq!(
        &rows[0][..8],
        [
            "name",
            "label",
            "style",
            "matched",
            "pinned",
            "pushed_in",
            "kept",
            "pushed_out"
        ]
    );
    assert_eq!(csv_column(&out, "kept"), ["2", "2", "4"]);
    assert_eq!(csv_column(&out, "spend"), ["20000", "8000", "4000"]);
    assert_eq!(
        csv_column(&out, "bound_by"),
        ["max_accounts", "sellers", "budget"]
    );
    assert_eq!(
        csv_column(&out, "programs"),
        ["exec_dinner; ads", "ads; direct_mail", "ads"]
    );
}

/// The page must open offline: no script, no link, no remote resource.
#[test]
fn html_is_self_contained_and_opens_in_chromium() {
    let work = project(OVER);
    stdout_of(
        work.tal().args([
            "report",
            "--as-of",
            "2026-11-20",
            "--format",
            "html",
            "-o",
            "report.html",
        ]),
        0,
    );
    let html = work.read("report.html");
    for banned in [
        "<script", "src=", "href=", "url(", "@import", "http:", "https:",
    ] {
        assert!(!html.contains(banned), "the html report contains {banned}");
    }
    assert!(
        html.contains("<svg")
            && html.contains("Tier pyramid")
            && html.contains("Budget by tier and segment")
    );
    assert!(html.contains("Over budget by €60,000"));
    if !have_chromium() {
        return;
    }
    let shot = work.path().join("report.png");
    let output = std::process::Command::new(root().join("scripts/html-screenshot.sh"))
        .arg(work.path().join("report.html"))
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

/// The demo's figures, as examples/demo/README.md lists them.
#[test]
fn demo_report_figures() {
    let spec = root().join("examples/demo/tal.toml");
    let out = stdout_of(
        tal()
            .args([
                "report",
                "--as-of",
                "2026-11-20",
                "--format",
                "json",
                "--spec",
            ])
            .arg(&spec),
        0,
    );
    let report: Value = serde_json::from_str(&out).expect("json");
    let keys = [
        "name",
        "matched",
        "pinned",
        "pushed_in",
        "kept",
        "pushed_out",
        "capacity",
        "bound_by",
        "spend",
        "expected_revenue",
    ];
    assert_eq!(
        tier_figures(&report, &keys),
        vec![
            json!({"name": "Tier 1", "matched": 34, "pinned": 1, "pushed_in": 0, "kept": 30, "pushed_out": 4, "capacity": 30, "bound_by": "sellers", "spend": 450000, "expected_revenue": 2399700}),
            json!({"name": "Tier 2", "matched": 126, "pinned": 0, "pushed_in": 4, "kept": 120, "pushed_out": 10, "capacity": 120, "bound_by": "sellers", "spend": 480000, "expected_revenue": 2350000}),
            json!({"name": "Tier 3", "matched": 456, "pinned": 0, "pushed_in": 10, "kept": 407, "pushed_out": 59, "capacity": 407, "bound_by": "budget", "spend": 407000, "expected_revenue": 1548050}),
        ]
    );
    assert_eq!(
        (
            report["waitlist"].clone(),
            report["excluded"].clone(),
            report["unassigned"].clone()
        ),
        (json!(59), json!(112), json!(1876))
    );
    assert_eq!(report["totals"]["expected_revenue"], json!(6297750));
    // The segment's $23,000 of channels is committed first: the tiers get
    // the rest, and the plan spends the budget exactly.
    assert_eq!(report["totals"]["tier_spend"], json!(1337000));
    assert_eq!(report["totals"]["segment_spend"], json!(23000));
    assert_eq!(report["totals"]["spend"], json!(1360000));
    assert_eq!(report["totals"]["budget_left"], json!(0));
    assert_eq!(
        report["segments"][0]["by_tier"],
        json!({"Tier 1": 0, "Tier 2": 8, "Tier 3": 27})
    );
}

/// Every sheet of a workbook as read by openpyxl (an independent reader):
/// per sheet, rows of `{"v": value, "t": openpyxl's data type}`. None, with
/// a note, when python3 or openpyxl is missing.
pub fn read_xlsx(path: &std::path::Path) -> Option<Value> {
    const DUMP: &str = "import json, sys, openpyxl\n\
wb = openpyxl.load_workbook(sys.argv[1])\n\
print(json.dumps({ws.title: [[{'v': c.value, 't': c.data_type} for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}, default=str))\n";
    let output = match std::process::Command::new("python3")
        .arg("-c")
        .arg(DUMP)
        .arg(path)
        .output()
    {
        Ok(output) if output.status.success() => output,
        Ok(output)
            if String::from_utf8_lossy(&output.stderr).contains("No module named 'openpyxl'") =>
        {
            tool_present(false, "openpyxl", "pip install openpyxl");
            return None;
        }
        Ok(output) => panic!(
            "openpyxl could not read {}: {}",
            path.display(),
            String::from_utf8_lossy(&output.stderr)
        ),
        Err(_) => {
            tool_present(false, "python3", "apt-get install -y python3");
            return None;
        }
    };
    Some(serde_json::from_slice(&output.stdout).expect("the dump is JSON"))
}

/// A sheet's values, without the types.
pub fn sheet_values(book: &Value, sheet: &str) -> Vec<Vec<Value>> {
    book[sheet]
        .as_array()
        .unwrap_or_else(|| panic!("no sheet {sheet}"))
        .iter()
        .map(|row| {
            row.as_array()
                .expect("row")
                .iter()
                .map(|c| c["v"].clone())
                .collect()
        })
        .collect()
}

/// The workbook holds the same TAL as the csv, one sheet per tier and the
/// report; text that looks like a formula stays text.
#[test]
fn xlsx_workbook_reads_back_with_values_intact() {
    let work = project(BOUND);
    let crm = format!("{CRM}e1.com,\"=HYPERLINK(\"\"http://x.example\"\",\"\"click\"\")\",X,1000\ne2.com,+1 call me,X,1000\n");
    work.write("crm.csv", crm);
    let csv = stdout_of(
        work.tal()
            .args(["score", "--as-of", "2026-11-20", "--all", "--raw", "-q"]),
        0,
    );
    stdout_of(
        work.tal().args([
            "score",
            "--as-of",
            "2026-11-20",
            "--all",
            "--format",
            "xlsx",
            "-o",
            "tal.xlsx",
            "-q",
        ]),
        0,
    );
    let Some(book) = read_xlsx(&work.path().join("tal.xlsx")) else {
        return;
    };
    let names: Vec<&String> = book.as_object().expect("sheets").keys().collect();
    assert_eq!(names, ["TAL", "Tier 1", "Tier 2", "Tier 3", "Report"]);
    let sheet = sheet_values(&book, "TAL");
    let rows = csv_rows(&csv);
    assert_eq!(sheet.len(), rows.len());
    for (r, (xlsx_row, csv_row)) in sheet.iter().zip(&rows).enumerate() {
        for (c, (cell, text)) in xlsx_row.iter().zip(csv_row).enumerate() {
            let same = match cell {
                Value::Null => text.is_empty(),
                Value::Number(n) => text.parse::<f64>().ok() == n.as_f64(),
                Value::String(s) => s == text,
                other => panic!("unexpected cell {other} at row {r} column {c}"),
            };
            assert!(
                same,
                "row {r} column {} ({}): xlsx {cell} vs csv '{text}'",
                c + 1,
                rows[0][c]
            );
        }
    }
    let name = rows[0]
        .iter()
        .position(|h| h == "name")
        .expect("name column");
    let formula = book["TAL"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| &row[name])
        .find(|c| c["v"].as_str().is_some_and(|v| v.starts_with('=')))
        .expect("the =HYPERLINK name");
    assert_eq!(
        formula["t"], "s",
        "a name starting with = is a text cell, not a formula"
    );
    assert_eq!(sheet_values(&book, "Tier 1").len(), 3);
    assert_eq!(sheet_values(&book, "Tier 3").len(), 5);
    let report = sheet_values(&book, "Report");
    assert_eq!(
        report[3][..7],
        [
            json!("tier"),
            json!("label"),
            json!("style"),
            json!("matched"),
            json!("pinned"),
            json!("pushed in"),
            json!("kept")
        ]
    );
    let kept: Vec<&Value> = report[4..7].iter().map(|row| &row[6]).collect();
    assert_eq!(kept, [&json!(2), &json!(2), &json!(4)]);
    let spend: Vec<&Value> = report[4..7].iter().map(|row| &row[12]).collect();
    assert_eq!(spend, [&json!(20000), &json!(8000), &json!(4000)]);
}

#[test]
fn xlsx_needs_a_file() {
    let work = project(BOUND);
    let output = work
        .tal()
        .args(["score", "--as-of", "2026-11-20", "--format", "xlsx"])
        .output()
        .expect("tal runs");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: --format xlsx writes a binary workbook: name the file with -o FILE.xlsx\n"
    );
    assert!(output.stdout.is_empty());
}
