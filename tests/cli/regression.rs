//! Regression tests, each named after what it fixes, with a one-line note on
//! the case.

use crate::util::*;

/// With CRLF line ends every reject was reported one line early (the csv
/// reader counts the LF of a CRLF only when it reads the next record).
#[test]
fn crlf_rejects_name_the_physical_line() {
    let work = Workdir::new();
    work.write(
        "crm.csv",
        "domain,name\r\nacme.com,\"Acme\r\nInc\"\r\n\r\nn/a,Bad\r\nbeta.com,Beta,extra\r\n",
    )
    .write(
        "tal.toml",
        "[inputs.crm]\npath = \"crm.csv\"\nkey = \"domain\"\nfields = { name = \"name\" }\n",
    );
    let report = work.check_json();
    // Line 2-3 is Acme, line 4 is blank, line 5 the bad key, line 6 ragged.
    assert_eq!(
        report["inputs"]["crm"]["rejects"],
        serde_json::json!([
            {"line": 5, "reason": "bad key: 'n/a' is not a domain"},
            {"line": 6, "reason": "ragged row: 3 fields, expected 2"}
        ])
    );
}

/// Override warnings name the physical line of a CRLF overrides file too.
#[test]
fn crlf_override_warnings_name_the_physical_line() {
    let work = Workdir::new();
    work.write("crm.csv", "domain\nacme.com\n")
        .write("overrides.csv", "domain,tier\r\nacme.com,Tier 1\r\nghost.com,Tier 1\r\n")
        .write(
            "tal.toml",
            "[inputs.crm]\npath = \"crm.csv\"\nkey = \"domain\"\n[[tiers]]\nname = \"Tier 1\"\nwhen = \"fit >= 0\"\n[overrides]\npath = \"overrides.csv\"\n",
        );
    let stderr = stderr_of(&mut work.cmd(&["score"]), 0);
    assert!(
        stderr.contains("overrides.csv line 3: 'ghost.com' is not an account in the inputs"),
        "{stderr}"
    );
}

/// `tal check --format json` wrote a tab delimiter as the two characters
/// `\t`; it is the tab itself, as `delimiter = "\t"` means in the spec.
#[test]
fn check_json_delimiter_is_the_tab_character() {
    let work = Workdir::new();
    work.write("crm.csv", "domain\tname\nacme.com\tAcme\n")
        .write(
            "tal.toml",
            "[inputs.crm]\npath = \"crm.csv\"\nkey = \"domain\"\nfields = { name = \"name\" }\n",
        );
    assert_eq!(work.check_json()["inputs"]["crm"]["delimiter"], "\t");
    // The text report shows it readably.
    let text = stdout_of(&mut work.cmd(&["check"]), 0);
    assert!(text.contains("│ \\t "), "{text}");
}

/// JSON wrote every number as a float (`"rank": 1.0`, `"acv": 150000.0`);
/// SPEC.md writes acv and intent_score without decimals when whole, in json too.
#[test]
fn json_whole_numbers_have_no_decimals() {
    let work = Workdir::from_fixture("us_salesforce");
    let out = stdout_of(work.cmd(&["score", "-q"]).args(["--format", "jsonl"]), 0);
    let first = out.lines().next().expect("a row");
    for part in [
        "\"rank\":1,",
        "\"fit\":100.0,",
        "\"acv\":150000,",
        "\"intent_score\":72,",
        "\"intent_topic_count\":2,",
        "\"engagement_score\":54.0,",
    ] {
        assert!(first.contains(part), "{part} in {first}");
    }
}

/// SPEC.md's own example spec lists programs (`custom_content`,
/// `account_ads`, `direct_mail`) that its `[programs]` table does not price:
/// that is a warning, not a failed run.
#[test]
fn spec_example_with_unpriced_programs_scores() {
    let work = Workdir::from_fixture("spec_example");
    let run = run(&mut work.cmd(&["score", "--all"]), 0);
    let rows = csv_rows(&run.stdout);
    let tiers: Vec<(&str, &str)> = rows[1..]
        .iter()
        .map(|r| (r[6].as_str(), r[1].as_str()))
        .collect();
    assert_eq!(
        tiers,
        [
            ("umbrella.com", "Tier 1"),
            ("acme.com", "Tier 1"),
            ("globex.com", "Tier 3"),
            ("initech.com", "Excluded")
        ]
    );
    assert!(run
        .stderr
        .contains("warning: tiers[1].programs: 'custom_content' is not in [programs]"));
}

/// `revenue / employees >= 200000` held for a company with 0 employees
/// (infinity): a division by zero, like arithmetic on a missing value, is
/// missing, and a comparison with it is false.
#[test]
fn division_by_zero_earns_no_points() {
    let work = project(&[
        (
            "crm.csv",
            "domain,employees,revenue\nzero.com,0,5000000\nlean.com,10,5000000\nfat.com,100,5000000\nnone.com,,5000000\n",
        ),
        (
            "tal.toml",
            r#"[inputs.crm]
path = "crm.csv"
key = "domain"
fields = { employees = "employees", revenue = "revenue" }

[[fit.criteria]]
name = "Revenue per head"
points = 10
when = "revenue / employees >= 200000"

[[fit.criteria]]
name = "Missing per head"
points = 30
when = "not (revenue / employees >= 0)"

[[tiers]]
name = "Tier 1"
when = "fit >= 0"
"#,
        ),
    ]);
    let rows = work.score(&["--all"]);
    let mut got = view(&rows, "domain fit");
    got.sort();
    // lean.com earns the first criterion; zero.com and none.com have no
    // revenue per head, so only the negated test holds for them.
    assert_eq!(
        got,
        [
            "fat.com|0.0",
            "lean.com|25.0",
            "none.com|75.0",
            "zero.com|75.0"
        ]
    );
}

/// The Inc. 5000 writes every revenue as `36.9 Million`: number words are
/// numbers (SPEC.md "Numbers").
#[test]
fn number_words_are_numbers() {
    let work = project(&[
        (
            "crm.csv",
            "domain,revenue\na.com,36.9 Million\nb.com,2 Billion\nc.com,5 thousand\nd.com,\"1,5 milhões\"\ne.com,3 millones\nf.com,R$ 2 bilhões\n",
        ),
        (
            "tal.toml",
            r#"[inputs.crm]
path = "crm.csv"
key = "domain"
fields = { revenue = "revenue" }

[[fit.criteria]]
name = "Over 1.5M"
points = 10
when = "revenue >= 1500000"

[[tiers]]
name = "Tier 1"
when = "fit >= 0"
"#,
        ),
    ]);
    let check = work.check_json();
    assert_eq!(check["inputs"]["crm"]["unparseable"]["revenue"], 0);
    let mut got = view(&work.score(&["--all"]), "domain fit");
    got.sort();
    assert_eq!(
        got,
        [
            "a.com|100.0",
            "b.com|100.0",
            "c.com|0.0",
            "d.com|100.0",
            "e.com|100.0",
            "f.com|100.0"
        ]
    );
}

/// An intent row dated `31/01/2025` with no `date_format` is rejected as a
/// bad date, whatever its topic, score or account say.
#[test]
fn a_row_whose_date_does_not_parse_is_rejected() {
    let work = project(&[
        ("crm.csv", "domain\na.com\n"),
        (
            "intent.csv",
            "domain,topic,score,date\na.com,ABM,70,31/01/2025\na.com,Other,70,31/01/2025\nnobody.com,ABM,70,31/01/2025\na.com,ABM,70,2026-11-19\n",
        ),
        (
            "tal.toml",
            r#"[inputs.crm]
path = "crm.csv"
key = "domain"

[inputs.intent]
path = "intent.csv"
key = "domain"
fields = { topic = "topic", score = "score", date = "date" }

[intent]
topics = ["ABM"]

[[tiers]]
name = "Tier 1"
when = "intent"
"#,
        ),
    ]);
    let intent = &work.check_json()["inputs"]["intent"];
    assert_eq!(
        intent["rows"],
        serde_json::json!({"read": 4, "used": 1, "merged": 0, "rejected": 3, "unmatched": 0, "out_of_scope": 0, "free_mail": 0})
    );
    assert_eq!(intent["rejects"][1]["reason"], "bad date: '31/01/2025'");
}
