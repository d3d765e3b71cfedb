//! `tal diff OLD NEW`: movements between any two TAL files, keyed by domain.

use crate::util::*;

const OLD: &str = "rank,tier,tier_label,name,domain,reasons\n\
1,Tier 1,Just right,Acme,acme.com,fit 90\n\
2,Tier 2,Too big,Beta,beta.com,fit 80\n\
3,Tier 2,Too big,Gamma,gamma.com,fit 75\n\
4,Tier 3,Too small,Delta,delta.com,fit 70\n\
5,Tier 3,Too small,=Evil,evil.com,fit 60\n";

const NEW: &str = "rank,tier,tier_label,name,domain,reasons\n\
1,Tier 1,Just right,Beta,BETA.com,fit 95\n\
2,Tier 2,Too big,\"Acme, Inc.\",https://www.acme.com/,fit 85\n\
3,Tier 2,Too big,Gamma,gamma.com,fit 75\n\
4,Tier 3,Too small,Zeta,zeta.com,fit 65\n\
,Waitlist,,Delta,delta.com,pushed down from Tier 3 to Waitlist\n";

fn project() -> Workdir {
    let work = Workdir::new();
    work.write("old.csv", OLD).write("new.csv", NEW);
    work
}

#[test]
fn csv_lists_every_movement_by_movement_then_domain() {
    let work = project();
    let out = stdout_of(
        work.tal()
            .args(["diff", "old.csv", "new.csv", "--format", "csv"]),
        0,
    );
    assert_eq!(
        out,
        "domain,name,old_tier,new_tier,movement,reason\n\
zeta.com,Zeta,,Tier 3,new,fit 65\n\
delta.com,Delta,Tier 3,Waitlist,dropped,pushed down from Tier 3 to Waitlist\n\
evil.com,'=Evil,Tier 3,,dropped,not in the new list\n\
beta.com,Beta,Tier 2,Tier 1,promoted,fit 95\n\
acme.com,\"Acme, Inc.\",Tier 1,Tier 2,demoted,fit 85\n"
    );
}

#[test]
fn json_counts_movements_and_churn() {
    let work = project();
    let out = stdout_of(
        work.tal()
            .args(["diff", "old.csv", "new.csv", "--format", "json"]),
        0,
    );
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(json["old_tal"], 5);
    assert_eq!(json["new_tal"], 4);
    assert_eq!(
        json["counts"],
        serde_json::json!({"new": 1, "dropped": 2, "promoted": 1, "demoted": 1})
    );
    assert_eq!(json["churned"], 4);
    assert_eq!(json["churn_pct"], 80.0);
    assert_eq!(json["changes"][4]["movement"], "demoted");
    assert_eq!(json["changes"][4]["old_tier"], "Tier 1");
}

#[test]
fn table_and_markdown_end_with_the_counts() {
    let work = project();
    let table = stdout_of(work.tal().args(["diff", "old.csv", "new.csv"]), 0);
    assert!(table.contains("│ promoted │ beta.com"), "{table}");
    assert!(table.ends_with("1 new, 2 dropped, 1 promoted, 1 demoted; 4 of 5 accounts in the old TAL changed tier or left (80.0%)\n"), "{table}");
    let markdown = stdout_of(
        work.tal().args([
            "diff",
            "old.csv",
            "new.csv",
            "--format",
            "markdown",
            "-o",
            "changes.md",
        ]),
        0,
    );
    assert_eq!(markdown, "");
    let markdown = work.read("changes.md");
    assert!(markdown.starts_with("1 new, 2 dropped"), "{markdown}");
    assert!(
        markdown.contains("| demoted | acme.com | Acme, Inc. | Tier 1 | Tier 2 | fit 85 |"),
        "{markdown}"
    );
}

#[test]
fn the_same_list_twice_has_no_changes() {
    let work = project();
    let out = stdout_of(
        work.tal()
            .args(["diff", "new.csv", "new.csv", "--format", "csv"]),
        0,
    );
    assert_eq!(out, "domain,name,old_tier,new_tier,movement,reason\n");
}

#[test]
fn a_file_that_is_no_tal_fails_clearly() {
    let work = project();
    work.write("other.csv", "id,company\n1,Acme\n");
    let output = work
        .tal()
        .args(["diff", "old.csv", "other.csv"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("other.csv") && stderr.contains("no 'domain' column"),
        "{stderr}"
    );
}

#[test]
fn diff_of_two_demo_weeks_matches_the_build() {
    let work = Workdir::new();
    let spec = root().join("examples/demo/tal.toml");
    for (as_of, file) in [("2026-11-13", "week1.csv"), ("2026-11-20", "week2.csv")] {
        let all = stdout_of(
            tal()
                .args(["score", "--all", "--as-of", as_of, "--spec"])
                .arg(&spec),
            0,
        );
        work.write(file, all);
    }
    stdout_of(
        tal()
            .args(["build", "--as-of", "2026-11-13", "--out-dir"])
            .arg(work.path().join("out"))
            .arg("--spec")
            .arg(&spec),
        0,
    );
    stdout_of(
        tal()
            .args(["build", "--as-of", "2026-11-20", "--out-dir"])
            .arg(work.path().join("out"))
            .arg("--spec")
            .arg(&spec),
        0,
    );
    let diff = stdout_of(
        work.tal().args([
            "diff",
            "out/history/2026-11-13/tal.csv",
            "week2.csv",
            "--format",
            "csv",
        ]),
        0,
    );
    assert_eq!(diff, work.read("out/changes.csv"));
    // An --all file as OLD: only its ranked rows are the old TAL.
    let diff = stdout_of(
        work.tal()
            .args(["diff", "week1.csv", "week2.csv", "--format", "csv"]),
        0,
    );
    assert_eq!(diff, work.read("out/changes.csv"));
}
