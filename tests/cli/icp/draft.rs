//! The draft `[fit]`: values with equal points merged, the draft spliced
//! into a spec in place of its `[fit]` and scored, cross-validated on a
//! project with a clear pattern; the demo's draft and the guide's example.

use serde_json::json;

use super::{discover, model, model_names};
use crate::util::*;

/// 200 accounts, every fifth best (renewals 2): the best are mostly in
/// Software or Fintech, at 201–1,000 employees, partners, on Marketo.
fn strong_crm() -> String {
    let mut out = String::from("Website,Industry,Employees,Country,Tech,Renewals,Partner,City\n");
    let (mut best, mut other) = (0usize, 0usize);
    for k in 0..200usize {
        let row = if k % 5 == 0 {
            let i = best;
            best += 1;
            let industry =
                ["Software", "Fintech", "Retail"][(i >= 15) as usize + (i >= 30) as usize];
            let e = (i * 7) % 40;
            let employees = if e < 15 {
                300
            } else if e < 30 {
                700
            } else {
                30
            };
            let tech = if (i * 11) % 40 < 20 {
                "Marketo;HubSpot"
            } else {
                "HubSpot"
            };
            let partner = if (i * 13) % 40 < 30 { "yes" } else { "no" };
            (industry, employees, tech, 2, partner)
        } else {
            let j = other;
            other += 1;
            let industry = match j {
                0..=9 => "Software",
                10..=19 => "Fintech",
                20..=79 => "Retail",
                _ => "Education",
            };
            let e = (j * 7) % 160;
            let employees = if e < 5 {
                300
            } else if e < 10 {
                700
            } else {
                30
            };
            let t = (j * 11) % 160;
            let tech = if t < 20 {
                "Marketo;HubSpot"
            } else if t >= 150 {
                ""
            } else {
                "HubSpot"
            };
            let partner = if (j * 13) % 160 < 40 { "yes" } else { "no" };
            (industry, employees, tech, 0, partner)
        };
        let (industry, employees, tech, renewals, partner) = row;
        out.push_str(&format!(
            "c{:03}.com,{industry},{employees},US,{tech},{renewals},{partner},City {k}\n",
            k + 1
        ));
    }
    out
}

const STRONG_SPEC: &str = r#"[inputs.crm]
path = "crm.csv"
key = "Website"
[inputs.crm.fields]
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

[[tiers]]
name = "Tier 1"
when = "high_fit"
"#;

/// The spec with its `[fit]` (up to the next table that is not a fit
/// criterion) replaced by `draft`.
fn splice(spec: &str, draft: &str) -> String {
    let start = spec.find("[fit]").expect("a [fit] section");
    let rest = &spec[start..];
    let end = (rest.match_indices("\n["))
        .map(|(i, _)| i + 1)
        .find(|&i| !rest[i..].starts_with("[[fit.criteria]]"))
        .unwrap_or(rest.len());
    format!("{}{draft}\n{}", &spec[..start], &rest[end..])
}

#[test]
fn the_draft_merges_equal_points_and_drops_into_the_spec() {
    let crm = strong_crm();
    let work = project(&[("crm.csv", &crm), ("tal.toml", STRONG_SPEC)]);
    let out = discover(&work, &["--best", "renewals >= 2", "--fit-out", "fit.toml"]);
    let criteria: Vec<(String, Vec<(String, i64)>)> =
        (out["draft"]["criteria"].as_array().unwrap().iter())
            .map(|c| {
                let bands = (c["bands"].as_array().unwrap().iter())
                    .map(|b| {
                        (
                            b["when"].as_str().unwrap().to_string(),
                            b["points"].as_i64().unwrap(),
                        )
                    })
                    .collect();
                (c["name"].as_str().unwrap().to_string(), bands)
            })
            .collect();
    // Smoothed lifts 2.96 (both industries: 15 of 40 best, 25 of 200),
    // 3.69 (both headcount bands), 2.12, 2.48: 10·ln gives 11, 13, 8, 9.
    let expected = [
        ("industry", r#"industry in ["Fintech", "Software"]"#, 11),
        ("employees", "employees >= 201 and employees < 1001", 13),
        ("partner", "partner == true", 8),
        ("technologies", r#"technologies has_any ["Marketo"]"#, 9),
    ];
    assert_eq!(
        criteria,
        expected
            .iter()
            .map(|(name, when, points)| (name.to_string(), vec![(when.to_string(), *points)]))
            .collect::<Vec<_>>()
    );
    // 20th percentile of the best's fit: 51.2, floored.
    assert_eq!(out["draft"]["high"], json!(51));
    assert_eq!(out["draft"]["toml"], json!(work.read("fit.toml")));
    // Cross-validated over 5 folds, and in sample; the current [fit] gives
    // 100 to the 25 Software accounts (15 best): top 20% is m = 40, 15 + 15·25/175.
    assert_eq!(out["backtest"]["folds"], json!(5));
    assert_eq!(
        *model(&out, "draft_cv"),
        json!({"name": "draft_cv", "auc": 0.972, "capture_10": 0.45, "capture_20": 0.825,
               "lift_10": 4.5, "high_fit_recall": 0.825, "high_fit_base_share": 0.0375})
    );
    assert_eq!(
        *model(&out, "draft_in_sample"),
        json!({"name": "draft_in_sample", "auc": 0.973, "capture_10": 0.45, "capture_20": 0.8607,
               "lift_10": 4.5, "high_fit_recall": 0.85, "high_fit_base_share": 0.025})
    );
    assert_eq!(
        *model(&out, "current"),
        json!({"name": "current", "auc": 0.656, "capture_10": 0.3, "capture_20": 0.4286,
               "lift_10": 3, "high_fit_recall": 0.375, "high_fit_base_share": 0.0625})
    );
    // Spliced in place of [fit], the draft checks and scores: c001.com
    // meets all four criteria, c027.com (Retail, 30 employees, not a
    // partner, no Marketo) none.
    work.write("tal.toml", splice(STRONG_SPEC, &work.read("fit.toml")));
    stdout_of(&mut work.cmd(&["check"]), 0);
    let accounts = work.accounts();
    assert_eq!(&accounts["c001.com"]["fit"], "100.0");
    assert_eq!(&accounts["c027.com"]["fit"], "0.0");
}

#[test]
fn the_demo_draft_drops_into_the_demo_spec() {
    let work = Workdir::from_fixture("../examples/demo");
    let out = discover(&work, &["--best", "renewals >= 2", "--fit-out", "fit.toml"]);
    assert_eq!(out["best"]["accounts"], json!(84));
    assert_eq!(out["base"]["accounts"], json!(2604));
    assert_eq!(model(&out, "current")["auc"], json!(0.625));
    assert!(model_names(&out).eq(["draft_cv", "draft_in_sample", "current", "random"]));
    let spec = work.read("tal.toml");
    work.write("tal.toml", splice(&spec, &work.read("fit.toml")));
    stdout_of(&mut work.cmd(&["check"]), 0);
    let rows = work.score(&["--all"]);
    assert_eq!(rows.len(), 2605);
}

/// docs/icp.md shows the demo's output as the command prints it today.
#[test]
fn the_guide_shows_the_demos_real_output() {
    let work = Workdir::from_fixture("../examples/demo");
    let out = stdout_of(
        &mut work.cmd(&["icp", "discover", "--best", "renewals >= 2"]),
        0,
    );
    let guide = std::fs::read_to_string(root().join("docs/icp.md")).expect("docs/icp.md");
    assert!(
        guide.contains(&format!("```text\n{out}```")),
        "docs/icp.md no longer shows the output of `tal icp discover --best 'renewals >= 2'` on the demo:\n{out}"
    );
}
