//! `tal icp discover`: the lift tables, the draft [fit] and the backtest,
//! figure by figure against values worked out by hand (and checked with an
//! independent script) on small projects; the draft spliced into a spec and
//! run; bad arguments and empty sets.

mod draft;

use serde_json::{json, Value};

use crate::util::*;

/// 24 accounts, 8 of them best (renewals >= 2). Industry is spelt three
/// ways, a list repeats an item, one headcount does not parse, and city
/// is an identifier (22 distinct of 24). The [fit] gives 50 points for
/// Software and 50 for the US, so fits tie at 0, 50 and 100.
const SMALL_CRM: &str = "\
Website,Account Name,Industry,Employees,Country,Tech,Renewals,Partner,City
https://www.A01.com/,Alpha One,Software,120,US,Marketo;HubSpot,3,yes,Austin
a02.com,Alpha Two,software,40,US,marketo,2,no,Boston
a03.com,Alpha Three,Software,800,DE,HubSpot,2,yes,Berlin
a04.com,Alpha Four,Retail,250,US,,2,no,Chicago
a05.com,Alpha Five,SOFTWARE,2000,US,Marketo;marketo,4,yes,Denver
a06.com,Alpha Six,Healthcare,300,UK,Pardot,2,,Leeds
a07.com,Alpha Seven,Software,150,,Marketo,5,yes,Paris
a08.com,Alpha Eight,Retail,n/a,US,HubSpot;Pardot,2,no,Madrid
b01.com,Beta One,Retail,30,US,HubSpot,0,no,Austin
b02.com,Beta Two,Retail,15,DE,,1,no,Bonn
b03.com,Beta Three,Healthcare,60,UK,Pardot,0,no,York
b04.com,Beta Four,Healthcare,500,US,Marketo,1,yes,Miami
b05.com,Beta Five,Manufacturing,5000,DE,SAP,,no,Munich
b06.com,Beta Six,Manufacturing,1200,US,SAP;HubSpot,0,no,Detroit
b07.com,Beta Seven,Software,90,UK,,1,no,London
b08.com,Beta Eight,Retail,8,,,0,no,Rome
b09.com,Beta Nine,Education,220,US,HubSpot,0,,Seattle
b10.com,Beta Ten,Education,45,CA,,0,no,Toronto
b11.com,Beta Eleven,Manufacturing,700,CA,SAP,1,no,Ottawa
b12.com,Beta Twelve,Software,12000,US,Marketo;SAP,0,yes,Dallas
b13.com,Beta Thirteen,Healthcare,350,US,Pardot;Marketo,0,no,Tampa
b14.com,Beta Fourteen,Construction,75,DE,,0,no,Hamburg
b15.com,Beta Fifteen,Software,33,UK,HubSpot,1,no,Leeds
b16.com,Beta Sixteen,Retail,640,US,,0,no,Omaha
";

const SMALL_SPEC: &str = r#"[inputs.crm]
path = "crm.csv"
key = "Website"
[inputs.crm.fields]
name = "Account Name"
industry = "Industry"
employees = "Employees"
country = "Country"
technologies = "Tech"
renewals = "Renewals"
partner = { column = "Partner", type = "bool" }
city = "City"

[fit]
high = 50

[[fit.criteria]]
name = "Software"
points = 50
when = 'industry in ["Software"]'

[[fit.criteria]]
name = "US"
points = 50
when = 'country == "US"'

[[tiers]]
name = "Tier 1"
when = "high_fit"
"#;

fn small() -> Workdir {
    project(&[("crm.csv", SMALL_CRM), ("tal.toml", SMALL_SPEC)])
}

/// `tal icp discover ARGS --format json` (exit 0).
fn discover(work: &Workdir, args: &[&str]) -> Value {
    let mut cmd = work.cmd(&["icp", "discover", "--format", "json"]);
    cmd.args(args);
    json(&stdout_of(&mut cmd, 0))
}

fn attribute<'a>(out: &'a Value, field: &str) -> &'a Value {
    (out["attributes"].as_array().expect("attributes").iter())
        .find(|a| a["field"] == field)
        .unwrap_or_else(|| panic!("no attribute {field}"))
}

fn row<'a>(out: &'a Value, field: &str, value: &str) -> &'a Value {
    (attribute(out, field)["rows"]
        .as_array()
        .expect("rows")
        .iter())
    .find(|r| r["value"] == value)
    .unwrap_or_else(|| panic!("no row {value} of {field}"))
}

fn model<'a>(out: &'a Value, name: &str) -> &'a Value {
    (out["backtest"]["models"].as_array().expect("models").iter())
        .find(|m| m["name"] == name)
        .unwrap_or_else(|| panic!("no model {name}"))
}

#[test]
fn lift_tables_match_hand_computed_figures() {
    let out = discover(&small(), &["--best", "renewals >= 2"]);
    assert_eq!(out["best"], json!({"expr": "renewals >= 2", "accounts": 8}));
    assert_eq!(
        out["base"],
        json!({"kind": "all", "expr": null, "accounts": 24})
    );
    assert_eq!(
        out["params"],
        json!({"min_support": 5, "min_lift": 1.5, "folds": 5, "z": 1.96, "prior": 0.5,
               "bands": "standard", "max_criteria": 8, "top": 10})
    );
    // Information value, descending; city is an identifier, name never a trait.
    let ranked: Vec<(&str, f64)> = (out["attributes"].as_array().unwrap().iter())
        .map(|a| (a["field"].as_str().unwrap(), a["score"].as_f64().unwrap()))
        .collect();
    assert_eq!(
        ranked,
        [
            ("technologies", 0.314),
            ("partner", 0.3),
            ("industry", 0.266),
            ("employees", 0.052),
            ("country", 0.05)
        ]
    );
    assert_eq!(
        out["left_out"],
        json!([{"field": "city", "reason": "91.7% of its values are distinct: an identifier, not a trait"}])
    );
    // Software: 5 of 8 best, 8 of 24 in all, spelt as a01.com spells it.
    // lift (5/8)/(8/24) = 1.875; smoothed (5.5/9)/(8.5/25) = 1.7974;
    // Wilson L(5,8) = 0.2892, U(8,24) = 0.5513, U(5,8) = 0.8709,
    // L(8,24) = 0.1797: range 0.5737–4.8028.
    assert_eq!(
        *row(&out, "industry", "Software"),
        json!({"value": "Software", "band": null, "best": 5, "best_share": 0.625, "base": 8,
               "base_share": 0.3333, "lift": 1.88, "lift_smoothed": 1.8, "lift_low": 0.57,
               "lift_high": 4.8, "qualifies": false, "small": false})
    );
    // No best account is in manufacturing: lift 0, smoothed
    // (0.5/9)/(3.5/25) = 0.3968, range 0 to U(0,8)/L(3,24) = 7.4677.
    assert_eq!(
        *row(&out, "industry", "Manufacturing"),
        json!({"value": "Manufacturing", "band": null, "best": 0, "best_share": 0, "base": 3,
               "base_share": 0.125, "lift": 0, "lift_smoothed": 0.4, "lift_low": 0,
               "lift_high": 7.47, "qualifies": false, "small": true})
    );
    // Rows by smoothed lift, then best count (Healthcare and Construction
    // both 0.93), then value.
    let values: Vec<&str> = (attribute(&out, "industry")["rows"]
        .as_array()
        .unwrap()
        .iter())
    .map(|r| r["value"].as_str().unwrap())
    .collect();
    assert_eq!(
        values,
        [
            "Software",
            "Retail",
            "Healthcare",
            "Construction",
            "Education",
            "Manufacturing"
        ]
    );
    // a05.com lists Marketo twice: it counts once.
    let marketo = row(&out, "technologies", "Marketo");
    assert_eq!(
        (marketo["best"].clone(), marketo["base"].clone()),
        (json!(4), json!(7))
    );
    assert_eq!(marketo["lift_smoothed"], json!(1.67));
    // One best and seven others list nothing.
    let missing = row(&out, "technologies", "(missing)");
    assert_eq!(
        (missing["best"].clone(), missing["base"].clone()),
        (json!(1), json!(7))
    );
    assert_eq!(
        attribute(&out, "technologies")["completeness"],
        json!({"best": 0.875, "base": 0.7083})
    );
    // Bools by value; a08.com's "n/a" headcount is missing.
    assert_eq!(row(&out, "partner", "true")["lift"], json!(2));
    let band = row(&out, "employees", "201–500");
    assert_eq!(band["band"], json!({"lo": 201, "hi": 501}));
    assert_eq!(
        (band["best"].clone(), band["base"].clone()),
        (json!(2), json!(5))
    );
    assert_eq!(
        row(&out, "employees", "10,001+")["band"],
        json!({"lo": 10001, "hi": null})
    );
    assert_eq!(row(&out, "employees", "(missing)")["best"], json!(1));
}

#[test]
fn backtest_shares_ties_at_the_cut_off() {
    let out = discover(&small(), &["--best", "renewals >= 2"]);
    assert_eq!(out["backtest"]["folds"], Value::Null);
    assert_eq!(out["backtest"]["positives"], json!(8));
    assert_eq!(out["backtest"]["negatives"], json!(16));
    // Fits: best 100,100,100,50,50,50,50,0; others one 100, eight 50,
    // seven 0. AUC = (3·(15 + ½) + 4·(7 + 8·½) + 1·(7·½)) / (8·16) = 94/128.
    // Top 10%: m = ⌈2.4⌉ = 3 of the four 100s, three of them best:
    // tp = 3·3/4 = 2.25, capture 2.25/8, lift (2.25/3)/(8/24) = 2.25.
    // Top 20%: m = 5: the four 100s (3 best) and one of the twelve 50s
    // (4 best): tp = 3 + 1·4/12, capture 3.3333/8.
    assert_eq!(
        *model(&out, "current"),
        json!({"name": "current", "auc": 0.734, "capture_10": 0.2813, "capture_20": 0.4167,
               "lift_10": 2.25, "high_fit_recall": 0.875, "high_fit_base_share": 0.5625})
    );
    assert_eq!(
        *model(&out, "random"),
        json!({"name": "random", "auc": 0.5, "capture_10": 0.125, "capture_20": 0.2083,
               "lift_10": 1, "high_fit_recall": null, "high_fit_base_share": null})
    );
    // Nothing qualifies: the draft scores every account 0.
    assert_eq!(model(&out, "draft_in_sample")["auc"], json!(0.5));
    assert!(model_names(&out).eq(["draft_in_sample", "current", "random"]));
    let warnings = out["warnings"].to_string();
    assert!(
        warnings.contains("only 8 best accounts: vendors ask for 50 to 200"),
        "{warnings}"
    );
    assert!(
        warnings.contains("8 best accounts are too few to cross-validate"),
        "{warnings}"
    );
}

fn model_names(out: &Value) -> impl Iterator<Item = &str> {
    (out["backtest"]["models"].as_array().unwrap().iter()).map(|m| m["name"].as_str().unwrap())
}

#[test]
fn values_past_top_fold_into_one_row() {
    let out = discover(&small(), &["--best", "renewals >= 2", "--top", "2"]);
    let rows = attribute(&out, "industry")["rows"].as_array().unwrap();
    let values: Vec<&str> = rows.iter().map(|r| r["value"].as_str().unwrap()).collect();
    assert_eq!(values, ["Software", "Retail", "(other: 4 values)"]);
    // Healthcare (1 best, 4) + Construction (1) + Education (2) + Manufacturing (3).
    assert_eq!(
        (rows[2]["best"].clone(), rows[2]["base"].clone()),
        (json!(1), json!(10))
    );
    assert_eq!(rows[2]["base_share"], json!(0.4167));
    assert_eq!(rows[2]["qualifies"], json!(false));
}

#[test]
fn a_vs_base_leaves_the_best_out() {
    let work = small();
    let out = discover(
        &work,
        &["--best", "renewals >= 2", "--vs", "renewals is not null"],
    );
    // 23 accounts have renewals (b05.com has none), 8 of them best.
    assert_eq!(
        out["base"],
        json!({"kind": "vs", "expr": "renewals is not null", "accounts": 15})
    );
    let software = row(&out, "industry", "Software");
    assert_eq!(
        (software["best"].clone(), software["base"].clone()),
        (json!(5), json!(3))
    );
    assert_eq!(out["backtest"]["negatives"], json!(15));
    let same = discover(
        &work,
        &[
            "--best",
            "renewals >= 2",
            "--baseline",
            "renewals is not null",
        ],
    );
    assert_eq!(same["base"], out["base"]);
}

#[test]
fn the_tables_read_by_a_marketer() {
    let out = stdout_of(
        small()
            .cmd(&["icp", "discover", "--best", "renewals >= 2"])
            .env("COLUMNS", "100"),
        0,
    );
    insta::assert_snapshot!("icp_table", out);
    let markdown = stdout_of(
        &mut small().cmd(&[
            "icp",
            "discover",
            "--best",
            "renewals >= 2",
            "--format",
            "markdown",
        ]),
        0,
    );
    assert!(
        markdown.starts_with("# ICP discovery, as of 2026-11-20\n"),
        "{markdown}"
    );
    assert!(markdown.contains("\n## Draft \\[fit\\]\n"), "{markdown}");
    assert!(
        markdown.contains("\n```toml\n# Draft [fit] from: tal icp discover"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| Software | 5 | 62.5% | 8 | 33.3% | 1.88 | 1.80 | 0.57–4.80 |  |"),
        "{markdown}"
    );
}

#[test]
fn bad_expressions_are_usage_errors_with_the_column() {
    let work = small();
    let cases = [
        (
            "renewal >= 2",
            "error: --best: 1:1: unknown field 'renewal' (did you mean 'renewals'?)\n  renewal >= 2\n  ^\n",
        ),
        (
            "renewals >=",
            "error: --best: 1:12: expected a value after '>='\n  renewals >=\n             ^\n",
        ),
        (
            "renewals >= 2 and engaged",
            "error: --best: 1:19: 'engaged' is a signal; --best reads fields only (who your best customers are does not change with the as-of date)\n  renewals >= 2 and engaged\n                    ^\n",
        ),
    ];
    for (expr, message) in cases {
        let stderr = stderr_of(&mut work.cmd(&["icp", "discover", "--best", expr]), 2);
        assert_eq!(stderr, message);
    }
    let stderr = stderr_of(
        &mut work.cmd(&[
            "icp",
            "discover",
            "--best",
            "is_customer",
            "--vs",
            "industri == 'x'",
        ]),
        2,
    );
    assert!(
        stderr.starts_with("error: --best: 1:1: unknown field 'is_customer'"),
        "{stderr}"
    );
    let stderr = stderr_of(
        &mut work.cmd(&[
            "icp",
            "discover",
            "--best",
            "renewals > 1",
            "--vs",
            "industri == 'x'",
        ]),
        2,
    );
    assert!(
        stderr.starts_with("error: --vs: 1:1: unknown field 'industri' (did you mean 'industry'?)"),
        "{stderr}"
    );
}

#[test]
fn fields_that_leak_or_do_not_exist_are_usage_errors() {
    let work = small();
    let run = |fields: &str| {
        stderr_of(
            &mut work.cmd(&[
                "icp",
                "discover",
                "--best",
                "renewals >= 2",
                "--fields",
                fields,
            ]),
            2,
        )
    };
    assert!(run("industry,renewals").contains("'renewals' is read by --best"));
    assert!(run("industri").contains("unknown field 'industri' (did you mean 'industry'?)"));
    // Named, an identifier-like field is weighed.
    let out = discover(
        &work,
        &["--best", "renewals >= 2", "--fields", "city,industry"],
    );
    let fields: Vec<&str> = (out["attributes"].as_array().unwrap().iter())
        .map(|a| a["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["city", "industry"]);
    // A default field --best reads is left out, with a warning.
    let out = discover(&work, &["--best", "renewals >= 2 and partner"]);
    assert!(out["warnings"]
        .to_string()
        .contains("'partner' is left out: --best reads it"));
    assert!(attribute_names(&out).all(|f| f != "partner"));
}

fn attribute_names(out: &Value) -> impl Iterator<Item = &str> {
    (out["attributes"].as_array().unwrap().iter()).map(|a| a["field"].as_str().unwrap())
}

#[test]
fn empty_sets_fail_and_say_how_many_each_has() {
    let work = small();
    let stderr = stderr_of(
        &mut work.cmd(&["icp", "discover", "--best", "renewals >= 99"]),
        1,
    );
    assert_eq!(
        stderr,
        "error: the best set is empty: --best 'renewals >= 99' holds for none of the 24 accounts (best: 0 accounts; base: 24 accounts)\n"
    );
    let stderr = stderr_of(
        &mut work.cmd(&[
            "icp",
            "discover",
            "--best",
            "renewals >= 2",
            "--vs",
            "renewals >= 3",
        ]),
        1,
    );
    assert_eq!(
        stderr,
        "error: the base is empty: --vs 'renewals >= 3' holds for no account outside the best set (best: 8 accounts; base: 0 accounts)\n"
    );
    let stderr = stderr_of(
        &mut work.cmd(&["icp", "discover", "--best", "domain has '.'"]),
        1,
    );
    assert_eq!(
        stderr,
        "error: nothing to compare the best with: --best \"domain has '.'\" holds for every one of the 24 accounts (best: 24 accounts; base without the best: 0 accounts)\n"
    );
}

#[test]
fn strict_fails_on_data_quality_warnings() {
    let work = small();
    let run = work
        .cmd(&["icp", "discover", "--best", "renewals >= 2", "--strict"])
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("warning: crm.csv: 1 values of 'employees' did not parse"),
        "{stderr}"
    );
    stdout_of(
        &mut work.cmd(&["icp", "discover", "--best", "renewals >= 2"]),
        0,
    );
}
