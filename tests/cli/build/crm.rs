//! `crm_update.csv`: the `[export.crm]` mapping, changed rows only, and
//! accounts without an id.

use std::collections::BTreeMap;

use super::*;

#[test]
fn the_demo_crm_update_holds_the_changed_accounts_with_an_id() {
    let work = Workdir::new();
    let out = work.path().join("out");
    run(&mut build(&demo_spec(), WEEK1, &out), 0);
    let (_, stderr) = run(&mut build(&demo_spec(), WEEK2, &out), 0);
    let crm = csv_rows(&work.read("out/crm_update.csv"));
    assert_eq!(crm[0], ["Account ID", "ABM Tier", "Target Account"]);
    let changes = csv_rows(&work.read("out/changes.csv"));
    let accounts = csv_rows(&work.read("out/accounts.csv"));
    let id_of: BTreeMap<&str, &str> = accounts[1..]
        .iter()
        .map(|r| (r[6].as_str(), r[4].as_str()))
        .collect();
    let mut expected = Vec::new();
    let mut missing = 0;
    for change in &changes[1..] {
        let id = id_of[change[0].as_str()];
        if id.is_empty() {
            missing += 1;
            continue;
        }
        let in_tal = ["Tier 1", "Tier 2", "Tier 3"].contains(&change[3].as_str());
        let code = change[3]
            .strip_prefix("Tier ")
            .map(|n| format!("tier_{n}"))
            .unwrap_or_default();
        expected.push(vec![id.to_string(), code, in_tal.to_string()]);
    }
    assert_eq!(crm[1..], expected[..]);
    assert!(crm[1..].iter().all(|r| !r[0].is_empty()));
    assert!(
        stderr.contains(&format!(
            "crm_update.csv: {missing} changed accounts have no account id"
        )),
        "{stderr}"
    );
    let manifest = manifest(&out);
    assert_eq!(
        manifest["crm_update"]["without_account_id"]
            .as_array()
            .expect("list")
            .len(),
        missing
    );
}

const CRM_SPEC: &str = r#"
[inputs.crm]
path = "crm.csv"
key = "Website"
fields = { account_id = "Record ID", name = "Company", employees = "Employees" }

[fit]
high = 50

[[fit.criteria]]
name = "Big"
points = 10
when = "employees >= 1000"

[[tiers]]
name = "Tier 1"
when = "high_fit"

[[tiers]]
name = "Tier 2"
when = "employees >= 5"

[export.crm]
changed_only = CHANGED_ONLY
columns = { "Record ID" = "account_id", "hs_ideal_customer_profile" = "tier_code", "hs_is_target_account" = "in_tal", "Employees" = "employees" }
"#;

#[test]
fn crm_update_writes_every_account_with_an_id_and_warns_about_the_rest() {
    let work = Workdir::new();
    work.write("tal.toml", CRM_SPEC.replace("CHANGED_ONLY", "false"));
    work.write("crm.csv", "Record ID,Company,Website,Employees\n101,Alpha,alpha.com,5000\n,Beta,beta.com,5000\n103,Gamma,gamma.com,10\n104,Delta,delta.com,1\n");
    let (_, stderr) = run(
        work.tal()
            .args(["build", "--as-of", WEEK2, "--out-dir", "out"]),
        0,
    );
    assert_eq!(
        work.read("out/crm_update.csv"),
        "Record ID,hs_ideal_customer_profile,hs_is_target_account,Employees\n101,tier_1,true,5000\n103,tier_2,true,10\n104,,false,1\n"
    );
    assert!(stderr.contains("crm_update.csv: 1 accounts have no account id (not in the CRM yet?) and were left out: beta.com"), "{stderr}");
}

#[test]
fn crm_update_with_changed_only_untags_accounts_that_left_the_exports() {
    let work = Workdir::new();
    work.write("tal.toml", CRM_SPEC.replace("CHANGED_ONLY", "true"));
    work.write("crm.csv", "Record ID,Company,Website,Employees\n101,Alpha,alpha.com,5000\n103,Gamma,gamma.com,10\n104,Delta,delta.com,10\n");
    run(
        work.tal()
            .args(["build", "--as-of", WEEK1, "--out-dir", "out"]),
        0,
    );
    // Alpha leaves the CRM export, Gamma grows into Tier 1, Delta stays.
    work.write(
        "crm.csv",
        "Record ID,Company,Website,Employees\n103,Gamma,gamma.com,2000\n104,Delta,delta.com,10\n",
    );
    run(
        work.tal()
            .args(["build", "--as-of", WEEK2, "--out-dir", "out"]),
        0,
    );
    assert_eq!(
        work.read("out/changes.csv"),
        "domain,name,old_tier,new_tier,movement,reason\nalpha.com,Alpha,Tier 1,,dropped,no longer in the exports\ngamma.com,Gamma,Tier 2,Tier 1,promoted,fit 100.0 (Big +10); ACV 0 small (default); no intent; no engagement\n"
    );
    assert_eq!(
        work.read("out/crm_update.csv"),
        "Record ID,hs_ideal_customer_profile,hs_is_target_account,Employees\n101,,false,\n103,tier_1,true,2000\n"
    );
}
