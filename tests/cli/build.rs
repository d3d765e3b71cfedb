//! `tal build`: the folder, history and changes over two weeks, the churn
//! breaker, the manifest; `crm` has the CRM write-back, `interrupted` what
//! survives a kill, a full disk and a second run at the same time.

mod crm;
mod interrupted;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use sha2::{Digest, Sha256};

use crate::util::*;

const WEEK1: &str = "2026-11-13";
const WEEK2: &str = "2026-11-20";

fn demo_spec() -> PathBuf {
    root().join("examples/demo/tal.toml")
}

fn us_spec() -> PathBuf {
    fixture("us_salesforce/tal.toml")
}

fn build(spec: &Path, as_of: &str, out: &Path) -> Command {
    let mut cmd = tal();
    cmd.arg("build")
        .arg("--spec")
        .arg(spec)
        .args(["--as-of", as_of])
        .arg("--out-dir")
        .arg(out);
    cmd
}

/// Runs and returns (stdout, stderr), asserting the exit code.
fn run(cmd: &mut Command, code: i32) -> (String, String) {
    let output = cmd.output().expect("tal runs");
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert_eq!(
        output.status.code(),
        Some(code),
        "{cmd:?}\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    (stdout, stderr)
}

/// `tal score` of the same project: what tal.csv must hold.
fn score(spec: &Path, as_of: &str, all: bool) -> String {
    let mut cmd = tal();
    cmd.arg("score")
        .arg("--spec")
        .arg(spec)
        .args(["--as-of", as_of]);
    if all {
        cmd.arg("--all");
    }
    stdout_of(&mut cmd, 0)
}

/// What a user sees in a build folder: every file under its visible names
/// (links followed), by path. `current` and `pending` are the same files
/// again, and dot-entries are the machinery.
fn visible(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in fs::read_dir(dir).expect("read build folder") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .to_string();
        if name.starts_with('.') || name == "current" || name == "pending" {
            continue;
        }
        collect(&dir.join(&name), &name, &mut files);
    }
    files
}

fn collect(path: &Path, name: &str, files: &mut BTreeMap<String, Vec<u8>>) {
    if path.is_dir() {
        for entry in fs::read_dir(path).expect("read folder") {
            let entry = entry.expect("entry");
            let child = format!("{name}/{}", entry.file_name().to_string_lossy());
            collect(&entry.path(), &child, files);
        }
    } else {
        files.insert(name.to_string(), fs::read(path).expect("read file"));
    }
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(dir.join("manifest.json")).expect("manifest.json"))
        .expect("manifest is json")
}

/// The folder holds one whole build: every file its manifest lists, with
/// that size and sha256, and nothing left over from an interrupted run.
fn assert_whole(dir: &Path) -> serde_json::Value {
    let manifest = manifest(dir);
    // Every file SPEC.md's build folder names is there.
    for name in [
        "tal.csv",
        "accounts.csv",
        "segments.csv",
        "report.md",
        "report.json",
        "report.html",
        "rejects.csv",
        "changes.csv",
        "manifest.json",
    ] {
        assert!(dir.join(name).is_file(), "{name} missing from the build");
    }
    for (name, digest) in manifest["files"].as_object().expect("files") {
        let bytes = fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            bytes.len() as u64,
            digest["size"].as_u64().expect("size"),
            "{name}"
        );
        assert_eq!(
            sha256(&bytes),
            digest["sha256"].as_str().expect("sha"),
            "{name}"
        );
    }
    for entry in fs::read_dir(dir).expect("read folder") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .to_string();
        assert!(
            !name.starts_with(".staging-") && !name.starts_with(".link-"),
            "leftover {name}"
        );
    }
    manifest
}

fn count_builds(dir: &Path) -> usize {
    fs::read_dir(dir.join(".builds")).map_or(0, |d| d.count())
}

#[test]
fn two_weeks_on_the_demo_give_history_and_exact_changes() {
    let work = Workdir::new();
    let out = work.path().join("out");
    let (_, first) = run(&mut build(&demo_spec(), WEEK1, &out), 0);
    assert!(first.contains("first build"), "{first}");
    let (_, second) = run(&mut build(&demo_spec(), WEEK2, &out), 0);
    assert!(
        second.contains("0 new, 42 dropped, 18 promoted, 12 demoted"),
        "{second}"
    );

    let week1 = score(&demo_spec(), WEEK1, false);
    let week2 = score(&demo_spec(), WEEK2, false);
    assert_eq!(
        work.read("out/tal.csv"),
        week2,
        "tal.csv is what tal score writes"
    );
    assert_eq!(
        work.read("out/accounts.csv"),
        score(&demo_spec(), WEEK2, true)
    );
    assert_eq!(work.read("out/history/2026-11-13/tal.csv"), week1);
    assert_eq!(work.read("out/history/2026-11-20/tal.csv"), week2);
    let weeks: Vec<String> = fs::read_dir(out.join("history"))
        .expect("history")
        .map(|e| e.expect("week").file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(weeks.len(), 2, "{weeks:?}");

    let changes = csv_rows(&work.read("out/changes.csv"));
    assert_eq!(
        changes[0],
        ["domain", "name", "old_tier", "new_tier", "movement", "reason"]
    );
    assert_eq!(
        changes[1..],
        expected_changes(&week1, &work.read("out/accounts.csv"))[..]
    );
    assert_eq!(
        changes[1][..5],
        [
            "amberforge.net",
            "Amberforge",
            "Tier 3",
            "Waitlist",
            "dropped"
        ]
    );
    let movements = csv_column(&work.read("out/changes.csv"), "movement");
    let count = |m: &str| movements.iter().filter(|x| *x == m).count();
    assert_eq!(
        (
            count("new"),
            count("dropped"),
            count("promoted"),
            count("demoted")
        ),
        (0, 42, 18, 12)
    );

    let manifest = assert_whole(&out);
    assert_eq!(manifest["as_of"], WEEK2);
    assert_eq!(manifest["previous"]["as_of"], WEEK1);
    assert_eq!(manifest["changes"]["churned"], 72);
    assert_eq!(manifest["history"], serde_json::json!([WEEK1, WEEK2]));
    assert_eq!(
        count_builds(&out),
        1,
        "the old build is removed once replaced"
    );
}

/// The changes a reader would work out by hand: old TAL vs new accounts,
/// by domain, in tier order, sorted by movement then domain.
fn expected_changes(old_tal: &str, new_all: &str) -> Vec<Vec<String>> {
    let tiers = ["Tier 1", "Tier 2", "Tier 3"];
    let rank_of = |t: &str| tiers.iter().position(|x| *x == t);
    let index = |text: &str| -> BTreeMap<String, Vec<String>> {
        let rows = csv_rows(text);
        let domain = rows[0].iter().position(|h| h == "domain").expect("domain");
        rows[1..]
            .iter()
            .map(|r| (r[domain].clone(), r.clone()))
            .collect()
    };
    let (old, new) = (index(old_tal), index(new_all));
    // rank, tier, ..., name = 5, domain = 6, reasons = 20
    let in_tal = |r: &Vec<String>| !r[0].is_empty();
    let mut out: Vec<(usize, Vec<String>)> = Vec::new();
    for (domain, row) in new.iter().filter(|(_, r)| in_tal(r)) {
        let movement = match old.get(domain) {
            None => Some((0, "new")),
            Some(o) if rank_of(&row[1]) < rank_of(&o[1]) => Some((2, "promoted")),
            Some(o) if rank_of(&row[1]) > rank_of(&o[1]) => Some((3, "demoted")),
            _ => None,
        };
        if let Some((order, movement)) = movement {
            let old_tier = old.get(domain).map(|o| o[1].clone()).unwrap_or_default();
            out.push((
                order,
                vec![
                    domain.clone(),
                    row[5].clone(),
                    old_tier,
                    row[1].clone(),
                    movement.into(),
                    row[20].clone(),
                ],
            ));
        }
    }
    for (domain, row) in &old {
        let now = new.get(domain);
        if now.is_some_and(in_tal) {
            continue;
        }
        let name = now
            .map(|n| n[5].clone())
            .filter(|n| !n.is_empty())
            .unwrap_or(row[5].clone());
        let (tier, reason) = now.map_or(
            (String::new(), "no longer in the exports".to_string()),
            |n| (n[1].clone(), n[20].clone()),
        );
        out.push((
            1,
            vec![
                domain.clone(),
                name,
                row[1].clone(),
                tier,
                "dropped".into(),
                reason,
            ],
        ));
    }
    out.sort_by(|a, b| (a.0, &a.1[0]).cmp(&(b.0, &b.1[0])));
    out.into_iter().map(|(_, r)| r).collect()
}

#[test]
fn max_churn_holds_a_build_back_and_accept_pending_swaps_it_in() {
    let work = Workdir::new();
    let out = work.path().join("out");
    run(&mut build(&demo_spec(), WEEK1, &out), 0);
    let before = visible(&out);
    // 72 of 599 accounts moved: 12.0%.
    let (_, stderr) = run(
        build(&demo_spec(), WEEK2, &out).args(["--max-churn", "10"]),
        4,
    );
    assert!(stderr.contains("held back: 72 of 599 accounts in the live TAL (12.0%) changed tier or left it, more than --max-churn 10%"), "{stderr}");
    assert!(
        stderr.contains("42 dropped, 18 promoted, 12 demoted"),
        "{stderr}"
    );
    assert!(
        stderr.contains("dropped amberforge.net: Tier 3 -> Waitlist"),
        "{stderr}"
    );
    assert!(stderr.contains("--accept-pending"), "{stderr}");
    assert_eq!(visible(&out), before, "the live build is untouched");
    let pending = out.join("pending");
    assert_eq!(
        fs::read_to_string(pending.join("tal.csv")).expect("pending tal"),
        score(&demo_spec(), WEEK2, false)
    );
    assert!(
        csv_rows(&fs::read_to_string(pending.join("changes.csv")).expect("changes")).len() == 73
    );
    assert_whole(&pending);

    let (_, stderr) = run(
        tal()
            .arg("build")
            .arg("--out-dir")
            .arg(&out)
            .arg("--accept-pending"),
        0,
    );
    assert!(
        stderr.contains("accepted the pending build of 2026-11-20"),
        "{stderr}"
    );
    assert_eq!(work.read("out/tal.csv"), score(&demo_spec(), WEEK2, false));
    assert!(!pending.exists());
    assert_eq!(
        assert_whole(&out)["history"],
        serde_json::json!([WEEK1, WEEK2])
    );
    assert_eq!(count_builds(&out), 1);
}

#[test]
fn max_churn_above_the_churn_lets_the_build_go_live() {
    let work = Workdir::new();
    let out = work.path().join("out");
    run(&mut build(&demo_spec(), WEEK1, &out), 0);
    run(
        build(&demo_spec(), WEEK2, &out).args(["--max-churn", "12.1"]),
        0,
    );
    assert_eq!(work.read("out/tal.csv"), score(&demo_spec(), WEEK2, false));
    assert!(!out.join("pending").exists());
    let manifest = assert_whole(&out);
    assert_eq!(manifest["changes"]["held_back"], false);
    assert_eq!(manifest["changes"]["churn_pct"], 12.02);
}

#[test]
fn a_build_that_goes_live_discards_an_older_pending_one() {
    let work = Workdir::new();
    let out = work.path().join("out");
    run(&mut build(&us_spec(), WEEK1, &out), 0);
    run(build(&us_spec(), WEEK2, &out).args(["--max-churn", "0"]), 4);
    assert!(out.join("pending/tal.csv").exists());
    let (_, stderr) = run(&mut build(&us_spec(), WEEK2, &out), 0);
    assert!(
        stderr.contains("discarded the pending build of 2026-11-20"),
        "{stderr}"
    );
    assert!(!out.join("pending").exists());
    assert_eq!(count_builds(&out), 1);
    // Nothing pending any more: --accept-pending builds, breaker off.
    let (_, stderr) = run(build(&us_spec(), WEEK2, &out).arg("--accept-pending"), 0);
    assert!(stderr.contains("nothing was pending"), "{stderr}");
}

#[test]
fn accept_pending_refuses_a_build_compared_with_another_live_build() {
    let work = Workdir::new();
    let out = work.path().join("out");
    run(&mut build(&us_spec(), WEEK1, &out), 0);
    run(build(&us_spec(), WEEK2, &out).args(["--max-churn", "0"]), 4);
    // Someone swaps another build in behind the pending one's back.
    let other = work.path().join("other");
    run(&mut build(&us_spec(), "2026-11-06", &other), 0);
    let live_target = fs::read_link(out.join("current")).expect("current");
    fs::write(
        out.join(&live_target).join("tal.csv"),
        fs::read(other.join("tal.csv")).expect("tal"),
    )
    .expect("write");
    let (_, stderr) = run(
        tal()
            .arg("build")
            .arg("--out-dir")
            .arg(&out)
            .arg("--accept-pending"),
        1,
    );
    assert!(stderr.contains("no longer live"), "{stderr}");
    assert!(out.join("pending/tal.csv").exists());
}

#[test]
fn previous_compares_with_any_tal_file() {
    let work = Workdir::new();
    work.write(
        "old.csv",
        "rank,tier,name,domain\n1,Tier 1,Hooli,hooli.com\n2,Tier 3,Gone,gone.com\n",
    );
    run(
        build(&us_spec(), WEEK2, &work.path().join("out"))
            .arg("--previous")
            .arg(work.path().join("old.csv")),
        0,
    );
    let changes = csv_rows(&work.read("out/changes.csv"));
    let demoted: Vec<&Vec<String>> = changes.iter().filter(|r| r[4] == "demoted").collect();
    assert_eq!(demoted.len(), 1);
    assert_eq!(demoted[0][..4], ["hooli.com", "Hooli", "Tier 1", "Tier 2"]);
    assert!(changes
        .iter()
        .any(|r| r[..5] == ["gone.com", "Gone", "Tier 3", "", "dropped"]));
    assert_eq!(
        manifest(&work.path().join("out"))["previous"]["accounts"],
        2
    );
}

#[test]
fn manifest_rows_add_up_on_every_fixture_project() {
    let projects = [
        demo_spec(),
        us_spec(),
        fixture("brazil/tal.toml"),
        fixture("china_gbk/tal.toml"),
        fixture("hubspot_utf16/tal.toml"),
    ];
    for spec in projects {
        let work = Workdir::new();
        let out = work.path().join("out");
        run(&mut build(&spec, WEEK2, &out), 0);
        let manifest = assert_whole(&out);
        let spec_dir = spec.parent().expect("spec folder");
        assert_eq!(
            manifest["spec"]["sha256"],
            sha256(&fs::read(&spec).expect("spec"))
        );
        let mut rejected = 0;
        for (name, input) in manifest["inputs"].as_object().expect("inputs") {
            let rows = &input["rows"];
            let n = |k: &str| rows[k].as_u64().unwrap_or_else(|| panic!("{name}.{k}"));
            assert_eq!(
                n("used")
                    + n("merged")
                    + n("rejected")
                    + n("unmatched")
                    + n("out_of_scope")
                    + n("free_mail"),
                n("read"),
                "{}: {name}",
                spec.display()
            );
            rejected += n("rejected");
            let bytes =
                fs::read(spec_dir.join(input["path"].as_str().expect("path"))).expect("input file");
            assert_eq!(input["size"], bytes.len() as u64, "{name}");
            assert_eq!(input["sha256"], sha256(&bytes), "{name}");
            assert_eq!(
                input["rejects"].as_array().expect("rejects").len() as u64,
                n("rejected")
            );
        }
        let tal_rows = csv_rows(&work.read("out/tal.csv")).len() - 1;
        let all_rows = csv_rows(&work.read("out/accounts.csv")).len() - 1;
        let sum = |key: &str| -> u64 {
            manifest[key]
                .as_object()
                .expect(key)
                .values()
                .map(|v| v.as_u64().expect("count"))
                .sum()
        };
        assert_eq!(sum("tiers"), tal_rows as u64);
        assert_eq!(manifest["tal"], tal_rows as u64);
        assert_eq!(sum("tiers") + sum("outside_tal"), all_rows as u64);
        assert_eq!(manifest["accounts"], all_rows as u64);
        assert_eq!(
            csv_rows(&work.read("out/rejects.csv")).len() as u64 - 1,
            rejected
        );
        assert_eq!(manifest["tal_version"], env!("CARGO_PKG_VERSION"));
        for stage in ["read_ms", "score_ms", "write_ms", "total_ms"] {
            assert!(manifest["durations"][stage].is_u64(), "{stage}");
        }
    }
}

#[test]
fn rejects_and_segments_files_hold_what_the_run_saw() {
    let work = Workdir::new();
    run(&mut build(&us_spec(), WEEK2, &work.path().join("out")), 0);
    let rejects = csv_rows(&work.read("out/rejects.csv"));
    assert_eq!(rejects[0], ["input", "line", "reason", "raw"]);
    // One row per reject, as the manifest lists them, with the row as it was.
    let manifest = manifest(&work.path().join("out"));
    let mut expected = Vec::new();
    for (name, input) in manifest["inputs"].as_object().expect("inputs") {
        for reject in input["rejects"].as_array().expect("rejects") {
            expected.push((
                name.clone(),
                reject["line"].to_string(),
                reject["reason"].as_str().expect("reason").to_string(),
            ));
        }
    }
    let got: Vec<(String, String, String)> = rejects[1..]
        .iter()
        .map(|r| (r[0].clone(), r[1].clone(), r[2].clone()))
        .collect();
    assert_eq!(got, expected);
    assert_eq!(got.len(), 3);
    let vandelay = rejects
        .iter()
        .find(|r| r[2] == "bad key: 'n/a' is not a domain")
        .expect("the crm reject");
    assert!(
        vandelay[3].starts_with("0015g00000US010AAQ,Vandelay Industries,n/a,Manufacturing,40,"),
        "{vandelay:?}"
    );
    let segments = csv_rows(&work.read("out/segments.csv"));
    assert_eq!(segments[0], ["segment", "domain", "tier"]);
    let tal = csv_rows(&work.read("out/tal.csv"));
    for row in &segments[1..] {
        let account = tal.iter().find(|t| t[6] == row[1]).expect("a TAL account");
        assert_eq!(account[1], row[2]);
        assert!(account[18].split("; ").any(|s| s == row[0]), "{row:?}");
    }
}

#[test]
fn cron_output_is_one_line_quiet_is_silent_strict_exits_3() {
    let work = Workdir::new();
    let out = work.path().join("out");
    let (stdout, stderr) = run(&mut build(&us_spec(), WEEK1, &out), 0);
    assert_eq!(stdout, "");
    assert_eq!(
        stderr
            .lines()
            .filter(|l| l.starts_with("tal build:"))
            .count(),
        1,
        "{stderr}"
    );
    assert!(
        stderr
            .lines()
            .all(|l| l.starts_with("tal build:") || l.starts_with("warning: ")),
        "{stderr}"
    );
    assert!(
        !stderr.contains('\x1b'),
        "no terminal codes when not on a terminal"
    );
    let (_, stderr) = run(build(&us_spec(), WEEK2, &out).arg("--quiet"), 0);
    assert_eq!(stderr, "");
    // The fixture has rejected rows: --strict says so, and the build is still live.
    run(build(&us_spec(), "2026-11-21", &out).arg("--strict"), 3);
    assert_eq!(manifest(&out)["as_of"], "2026-11-21");
}

#[test]
fn a_folder_holding_other_files_is_refused() {
    let work = Workdir::new();
    work.write("out/tal.csv", "my own list\n");
    let (_, stderr) = run(&mut build(&us_spec(), WEEK2, &work.path().join("out")), 1);
    assert!(
        stderr.contains("is not a link made by tal build"),
        "{stderr}"
    );
    assert_eq!(work.read("out/tal.csv"), "my own list\n");
}

#[test]
fn a_failed_run_changes_nothing() {
    let work = Workdir::new();
    let out = work.path().join("out");
    run(&mut build(&us_spec(), WEEK1, &out), 0);
    let before = visible(&out);
    work.write(
        "tal.toml",
        "[inputs.crm]\npath = \"missing.csv\"\nkey = \"domain\"\nfields = {}\n",
    );
    run(&mut build(&work.path().join("tal.toml"), WEEK2, &out), 1);
    assert_eq!(visible(&out), before);
    assert_whole(&out);
}
