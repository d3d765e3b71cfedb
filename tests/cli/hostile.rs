//! Hostile and careless input: long lists and many tiers, stray bytes,
//! impossible spec numbers, outputs cut short, planted links, markup and
//! control characters from data, formula cells, files that are not files,
//! duplicate headers and floods of warnings. Each test reproduces a way a
//! run once went wrong.

use std::fs;
use std::time::Duration;

use crate::util::*;

/// The demo with `replace` applied to its spec.
fn demo_with(replace: &[(&str, &str)], append: &str) -> Workdir {
    let work = Workdir::from_fixture("../examples/demo");
    let mut spec = work.read("tal.toml");
    for (from, to) in replace {
        assert!(spec.contains(from), "the demo spec has {from}");
        spec = spec.replacen(from, to, 1);
    }
    spec.push_str(append);
    work.write("tal.toml", spec);
    work
}

fn quoted(items: impl Iterator<Item = String>) -> String {
    items
        .map(|i| format!("\"{i}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `domain in [...]` and `has_any [...]` with 10,000 items, and 1,000
/// tiers, give the list of the same rule written short, in seconds (they
/// were quadratic: 10,000 items ran out of memory).
#[test]
fn long_lists_and_many_tiers_give_the_short_rules_list() {
    let named = ["starbank.com", "falconpoint.co", "terrasoft.com"];
    let short = demo_with(
        &[
            (
                "when = \"high_fit\"",
                &format!(
                    "when = 'high_fit or domain in [{}]'",
                    quoted(named.iter().map(|d| d.to_string()))
                ),
            ),
            (
                "when = 'technologies has_any [\"RivalMetrics\"]'",
                "when = 'technologies has_any [\"RivalMetrics\", \"Marketo\"]'",
            ),
        ],
        "",
    );
    let domains = (0..10_000 - named.len())
        .map(|i| format!("named{i}.example"))
        .chain(named.iter().map(|d| d.to_string()));
    let techs = (0..9_998)
        .map(|i| format!("Tech {i}"))
        .chain(["RivalMetrics".to_string(), "Marketo".to_string()]);
    let tiers: String = (0..1_000)
        .map(|i| {
            format!(
                "\n[[tiers]]\nname = \"Never {i}\"\nwhen = \"fit > {}\"\n",
                1000 + i
            )
        })
        .collect();
    let long = demo_with(
        &[
            (
                "when = \"high_fit\"",
                &format!("when = 'high_fit or domain in [{}]'", quoted(domains)),
            ),
            (
                "when = 'technologies has_any [\"RivalMetrics\"]'",
                &format!("when = 'technologies has_any [{}]'", quoted(techs)),
            ),
            // First, so that no account is pushed down into them.
            (
                "[[tiers]]\nname = \"Tier 1\"",
                &format!("{tiers}\n[[tiers]]\nname = \"Tier 1\""),
            ),
        ],
        "",
    );
    let all = |work: &Workdir| {
        let mut cmd = work.cmd(&["score", "-q", "--all"]);
        cmd.timeout(Duration::from_secs(120));
        stdout_of(&mut cmd, 0)
    };
    let (short_all, long_all) = (all(&short), all(&long));
    let differs = (short_all.lines().zip(long_all.lines())).find(|(a, b)| a != b);
    assert_eq!(differs, None);
    assert_eq!(long_all.len(), short_all.len());
    assert!(short_all.contains("starbank.com"));
}

/// One stray byte in a UTF-8 export no longer turns the file into
/// Windows-1252: "Reunião" still matches its points key, and the byte is
/// reported with its line.
#[test]
fn a_stray_byte_keeps_a_utf8_file_utf8() {
    let spec = "[inputs.crm]\npath = \"crm.csv\"\nkey = \"domain\"\n\
        [inputs.engagement]\npath = \"activity.csv\"\nkey = \"email\"\n\
        fields = { type = \"type\", date = \"date\" }\n\
        [engagement]\nwindow_days = 90\npoints = { \"reunião\" = 10 }\n\
        [[tiers]]\nname = \"Tier 1\"\nwhen = \"engaged\"\n";
    let clean = "email,type,date,note\nana@acme.com,Reunião,2026-11-10,ok\nbo@beta.com,Reunião,2026-11-12,\n";
    let mut dirty = clean.as_bytes().to_vec();
    dirty.insert(clean.find("ok").unwrap() + 2, 0xff);
    let scores = |activity: &[u8]| {
        let work = project(&[
            ("tal.toml", spec),
            ("crm.csv", "domain\nacme.com\nbeta.com\n"),
        ]);
        work.write("activity.csv", activity);
        let run = run(&mut work.cmd(&["score", "--all"]), 0);
        (
            view(&csv_rows(&run.stdout), "domain engagement_score tier"),
            run.stderr,
        )
    };
    let (clean_scores, quiet) = scores(clean.as_bytes());
    let (dirty_scores, warned) = scores(&dirty);
    assert_eq!(dirty_scores, clean_scores);
    assert!(
        clean_scores.iter().any(|r| r.contains("10")),
        "{clean_scores:?}"
    );
    assert!(!quiet.contains("not UTF-8"), "{quiet}");
    assert!(
        warned.contains("activity.csv: 1 byte sequence that is not UTF-8")
            && warned.contains("line 2"),
        "{warned}"
    );
}

/// Spec numbers that mean nothing are refused, naming the key and line.
#[test]
fn impossible_spec_numbers_name_their_key_and_line() {
    let cases = [
        ("threshold = 60", "threshold = nan", "intent.threshold"),
        ("total = 1360000", "total = -1360000", "budget.total"),
        ("window_days = 28", "window_days = 0", "intent.window_days"),
        (
            "half_life_days = 14",
            "half_life_days = nan",
            "engagement.half_life_days",
        ),
        (
            "per_account = 15000",
            "per_account = -15000",
            "tiers[1].per_account",
        ),
        (
            "linkedin_ads = 15000",
            "linkedin_ads = -15000",
            "segments[1].channels.linkedin_ads",
        ),
        (
            "meeting = 25",
            "meeting = 1e308",
            "engagement.points.meeting",
        ),
        ("A = 80, B = 60", "A = 60, B = 80", "fit.grades.B"),
    ];
    for (from, to, key) in cases {
        let work = Workdir::from_fixture("../examples/demo");
        let spec = work.read("tal.toml");
        if !spec.contains(from) {
            // grades: the demo may leave them to their defaults.
            let spec = spec.replacen("[fit]\n", &format!("[fit]\ngrades = {{ {to} }}\n"), 1);
            work.write("tal.toml", spec);
        } else {
            work.write("tal.toml", spec.replacen(from, to, 1));
        }
        let stderr = stderr_of(&mut work.cmd(&["check"]), 1);
        let line = line_of(&work.read("tal.toml"), to);
        assert!(
            stderr.contains(&format!("tal.toml line {line}: {key}: ")),
            "{to}: {stderr}"
        );
    }
}

fn line_of(text: &str, needle: &str) -> usize {
    text[..text.find(needle).expect("the edit is in the spec")]
        .matches('\n')
        .count()
        + 1
}

/// `-o FILE` replaces the file whole: nothing of a temporary file is left,
/// and a write that fails names the destination.
#[test]
fn outputs_are_replaced_whole_and_errors_name_them() {
    let work = Workdir::from_fixture("../examples/demo");
    work.write("tal.csv", "last week's list\n");
    run(&mut work.cmd(&["score", "-q", "-o", "tal.csv"]), 0);
    assert!(work.read("tal.csv").starts_with("rank,"));
    let names: Vec<String> = fs::read_dir(work.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
    let stderr = stderr_of(&mut work.cmd(&["score", "-q", "-o", "/dev/full"]), 1);
    assert!(stderr.contains("/dev/full"), "{stderr}");
}

/// A `.builds` link or a `current` link out of the folder is refused
/// before anything is removed; links in the history are not followed.
#[test]
fn planted_links_in_the_build_folder_are_refused() {
    let work = Workdir::from_fixture("../examples/demo");
    let victim = work.path().join("victim");
    fs::create_dir_all(victim.join("keep-me")).unwrap();
    fs::create_dir_all(work.path().join("out")).unwrap();
    std::os::unix::fs::symlink(&victim, work.path().join("out/.builds")).unwrap();
    let stderr = stderr_of(&mut work.cmd(&["build", "--out-dir", "out", "-q"]), 1);
    assert!(stderr.contains(".builds"), "{stderr}");
    assert!(
        victim.join("keep-me").is_dir(),
        "nothing outside --out-dir is removed"
    );

    fs::remove_file(work.path().join("out/.builds")).unwrap();
    std::os::unix::fs::symlink("../victim", work.path().join("out/current")).unwrap();
    let stderr = stderr_of(&mut work.cmd(&["build", "--out-dir", "out", "-q"]), 1);
    assert!(stderr.contains("not to a build of this folder"), "{stderr}");
    assert!(victim.join("keep-me").is_dir());

    fs::remove_file(work.path().join("out/current")).unwrap();
    run(&mut work.cmd(&["build", "--out-dir", "out", "-q"]), 0);
    let week = work.path().join("out/history").join(AS_OF);
    let week = fs::canonicalize(week).unwrap();
    std::os::unix::fs::symlink("..", week.join("loop")).unwrap();
    std::os::unix::fs::symlink(&victim, week.join("elsewhere")).unwrap();
    let mut next = work.tal();
    next.args(["build", "--out-dir", "out", "-q", "--as-of", "2026-11-27"]);
    let stderr = stderr_of(&mut next, 0);
    assert!(stderr.contains("left out of the history"), "{stderr}");
    let carried = work.path().join("out/history").join(AS_OF);
    assert!(carried.join("tal.csv").is_file());
    assert!(fs::symlink_metadata(carried.join("loop")).is_err());
    assert!(fs::symlink_metadata(carried.join("elsewhere")).is_err());
}

/// Markup and control characters from data: escaped in Markdown, shown
/// (never sent) on a terminal.
#[test]
fn markup_and_control_characters_from_data_are_escaped() {
    let spec = "[inputs.crm]\npath = \"crm.csv\"\nkey = \"domain\"\nfields = { name = \"name\" }\n\
        [budget]\nperiod = \"<img src=x onerror=alert(1)>\"\ntotal = 1000\n\
        [[tiers]]\nname = \"Tier 1\"\nwhen = \"fit >= 0\"\nper_account = 100\n";
    let name = "\u{1b}]0;owned\u{7}\u{1b}[2J Evil <script>alert(1)</script> Inc";
    let work = project(&[
        ("tal.toml", spec),
        (
            "crm.csv",
            &format!("domain,name\nevil.com,\"{name}\"\nok.com,Fine\n"),
        ),
    ]);
    let table = stdout_of(&mut work.cmd(&["score", "--format", "table", "-q"]), 0);
    assert!(
        !table.contains('\u{1b}') && !table.contains('\u{7}'),
        "{table:?}"
    );
    assert!(table.contains("\\x1b"), "{table}");
    let explain = stdout_of(&mut work.cmd(&["explain", "evil.com"]), 0);
    assert!(
        !explain.contains('\u{1b}') && explain.contains("\\x1b"),
        "{explain:?}"
    );
    let markdown = stdout_of(&mut work.cmd(&["report", "--format", "markdown"]), 0);
    assert!(
        !markdown.contains("<img") && markdown.contains("&lt;img"),
        "{markdown}"
    );

    work.write(
        "old.csv",
        "rank,tier,name,domain\n1,Tier 1,\"<b>Old</b>\",gone.com\n",
    );
    work.write(
        "new.csv",
        format!("rank,tier,name,domain\n1,Tier 1,\"{name}\",evil.com\n"),
    );
    let diff = stdout_of(
        work.tal()
            .args(["diff", "old.csv", "new.csv", "--format", "markdown"]),
        0,
    );
    assert!(
        !diff.contains("<script>") && !diff.contains("<b>"),
        "{diff}"
    );
    assert!(
        diff.contains("&lt;script&gt;") && !diff.contains('\u{1b}'),
        "{diff}"
    );
}

/// Cells a spreadsheet would run as formulas carry the guard everywhere,
/// and `tal diff` reads `'=x` as `=x`.
#[test]
fn the_formula_guard_is_on_everywhere_a_spreadsheet_opens() {
    let spec = "[inputs.crm]\npath = \"crm.csv\"\nkey = \"domain\"\nfields = { name = \"name\", account_id = \"id\" }\n\
        [[tiers]]\nname = \"Tier 1\"\nwhen = \"fit >= 0\"\n\
        [export.crm]\ncolumns = { \"=HYPERLINK(1)\" = \"tier\", \"Id\" = \"account_id\" }\n";
    let work = project(&[
        ("tal.toml", spec),
        (
            "crm.csv",
            "domain,name,id\n-acme.com,Acme,=1\nbeta.com,Beta,2\n",
        ),
    ]);
    let template = stdout_of(&mut work.cmd(&["orders", "template"]), 0);
    assert!(template.contains(",'-acme.com,"), "{template}");
    run(&mut work.cmd(&["build", "--out-dir", "out", "-q"]), 0);
    let crm = work.read("out/crm_update.csv");
    assert!(
        crm.starts_with("'=HYPERLINK(1)") || crm.contains(",'=HYPERLINK(1)"),
        "{crm}"
    );
    let check = stdout_of(&mut work.cmd(&["check"]), 0);
    assert!(
        check.contains("begin like a spreadsheet formula"),
        "{check}"
    );

    work.write("a.csv", "rank,tier,name,domain\n1,Tier 1,X,'-x.com\n");
    work.write("b.csv", "rank,tier,name,domain\n1,Tier 1,X,-x.com\n");
    let diff = stdout_of(
        work.tal()
            .args(["diff", "a.csv", "b.csv", "--format", "json"]),
        0,
    );
    assert_eq!(json(&diff)["changes"], serde_json::json!([]), "{diff}");
}

/// A FIFO or a device as input or spec is refused by name at once (a FIFO
/// blocked forever; /dev/zero was read until memory ran out).
#[test]
fn inputs_that_are_not_files_are_refused() {
    let work = project(&[(
        "tal.toml",
        "[inputs.crm]\npath = \"crm.csv\"\nkey = \"domain\"\n[[tiers]]\nname = \"T\"\nwhen = \"fit >= 0\"\n",
    )]);
    // `tal ARGS` fails at once, naming the file and what it is instead.
    let refused = |args: &[&str], file: &str, what: &str| {
        let mut cmd = work.cmd(args);
        cmd.timeout(Duration::from_secs(30));
        let stderr = stderr_of(&mut cmd, 1);
        assert!(stderr.contains(file) && stderr.contains(what), "{stderr}");
    };
    let mkfifo = |path: &std::path::Path| {
        let made = std::process::Command::new("mkfifo").arg(path).status();
        assert!(made.unwrap().success());
    };
    let fifo = work.path().join("crm.csv");
    mkfifo(&fifo);
    refused(&["check"], "crm.csv", "FIFO");

    fs::remove_file(&fifo).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &fifo).unwrap();
    refused(&["check"], "crm.csv", "a device");

    mkfifo(&work.path().join("spec.toml"));
    refused(&["check", "--spec", "spec.toml"], "spec.toml", "FIFO");
}

/// Two columns named alike are reported with both positions.
#[test]
fn duplicate_headers_are_named_with_both_positions() {
    let work = project(&[
        ("tal.toml", "[inputs.crm]\npath = \"crm.csv\"\nkey = \"domain\"\nfields = { employees = { column = \"Employees\", type = \"number\" } }\n[[tiers]]\nname = \"T\"\nwhen = \"employees > 10\"\n"),
        ("crm.csv", "domain,Employees,name,Employees\na.com,,A,500\n"),
    ]);
    let stdout = stdout_of(&mut work.cmd(&["check"]), 0);
    assert!(
        stdout.contains("columns 2 and 4 are both named 'Employees'"),
        "{stdout}"
    );
}

/// 1,000 ignored overrides are a few lines, not a thousand.
#[test]
fn override_warnings_are_counted_after_a_few() {
    let mut overrides = String::from("domain,tier\n");
    for i in 0..1000 {
        overrides.push_str(&format!("ghost{i}.com,T\n"));
    }
    let work = project(&[
        ("tal.toml", "[inputs.crm]\npath = \"crm.csv\"\nkey = \"domain\"\n[[tiers]]\nname = \"T\"\nwhen = \"fit >= 0\"\n[overrides]\npath = \"overrides.csv\"\n"),
        ("crm.csv", "domain\na.com\n"),
        ("overrides.csv", &overrides),
    ]);
    let stderr = stderr_of(&mut work.cmd(&["score"]), 0);
    assert_eq!(
        stderr.matches("the override is ignored").count(),
        5,
        "{stderr}"
    );
    assert!(
        stderr.contains("995 more overrides are ignored (995 not an account in the inputs)"),
        "{stderr}"
    );
}

/// Spec errors speak of keys, never of the parser's internals; `--as-of`
/// errors name `--as-of`.
#[test]
fn errors_speak_the_users_words() {
    let work = project(&[(
        "tal.toml",
        "[inputs.crm]\npath = \"crm.csv\"\nkey = \"domain\"\n[[tiers]]\nname = \"T\"\nwhen = 5\n",
    )]);
    let stderr = stderr_of(work.tal().arg("check"), 1);
    assert!(!stderr.contains("serde"), "{stderr}");
    assert!(stderr.contains("tiers[1].when"), "{stderr}");
    for day in ["20261120", "0001-01-01", "9999-12-31"] {
        let mut cmd = work.tal();
        cmd.args(["check", "--as-of", day]);
        let stderr = run(&mut cmd, 2).stderr;
        assert!(stderr.contains("--as-of"), "{stderr}");
    }
}
