//! `tal check`: the row buckets, rejects, encodings and delimiters of every
//! fixture and the demo (the numbers come from each folder's README, worked
//! out by hand from SPEC.md), and a clear error with exit 1 for every broken
//! spec or file.

use serde_json::Value;

use crate::util::*;

/// The buckets in SPEC.md's order.
const BUCKETS: [&str; 6] = [
    "used",
    "merged",
    "rejected",
    "unmatched",
    "out_of_scope",
    "free_mail",
];

/// What one input of `tal check --format json` must say.
struct Expected<'a> {
    encoding: &'a str,
    delimiter: &'a str,
    /// read, then used, merged, rejected, unmatched, out_of_scope, free_mail.
    rows: [u64; 7],
    rejects: &'a [(u64, &'a str)],
    /// Fields with unparseable values; every other field must have none.
    unparseable: &'a [(&'a str, u64)],
}

fn assert_input(report: &Value, name: &str, want: &Expected) {
    let input = &report["inputs"][name];
    assert!(input.is_object(), "no input {name} in {report:#}");
    assert_eq!(input["encoding"], want.encoding, "{name} encoding");
    assert_eq!(input["delimiter"], want.delimiter, "{name} delimiter");
    let rows = &input["rows"];
    let got: Vec<u64> = std::iter::once("read")
        .chain(BUCKETS)
        .map(|bucket| {
            rows[bucket]
                .as_u64()
                .unwrap_or_else(|| panic!("{name}: no bucket {bucket}"))
        })
        .collect();
    assert_eq!(got, want.rows, "{name} rows (read, {})", BUCKETS.join(", "));
    assert_eq!(
        got[1..].iter().sum::<u64>(),
        got[0],
        "{name}: the buckets add up to the rows read"
    );
    let rejects: Vec<(u64, String)> = input["rejects"]
        .as_array()
        .expect("rejects")
        .iter()
        .map(|r| {
            (
                r["line"].as_u64().expect("line"),
                r["reason"].as_str().expect("reason").to_string(),
            )
        })
        .collect();
    let want_rejects: Vec<(u64, String)> = want
        .rejects
        .iter()
        .map(|(l, r)| (*l, r.to_string()))
        .collect();
    assert_eq!(rejects, want_rejects, "{name} rejects");
    for (field, count) in input["unparseable"].as_object().expect("unparseable") {
        let expected = want
            .unparseable
            .iter()
            .find(|(f, _)| f == field)
            .map_or(0, |(_, n)| *n);
        assert_eq!(
            count.as_u64(),
            Some(expected),
            "{name}: unparseable {field}"
        );
    }
    for (field, _) in want.unparseable {
        assert!(
            input["unparseable"].get(field).is_some(),
            "{name}: no field {field}"
        );
    }
}

#[test]
fn us_salesforce_buckets_rejects_and_bom() {
    let work = Workdir::from_fixture("us_salesforce");
    let report = work.check_json();
    assert_input(
        &report,
        "crm",
        &Expected {
            encoding: "utf-8",
            delimiter: ",",
            rows: [14, 12, 1, 1, 0, 0, 0],
            // CRLF line ends and a quoted line break on lines 5-6: line 12 is physical.
            rejects: &[(12, "bad key: 'n/a' is not a domain")],
            unparseable: &[("employees", 1)],
        },
    );
    assert_input(
        &report,
        "intent",
        &Expected {
            encoding: "utf-8",
            delimiter: ",",
            // Window edges: as-of (used), as-of - 27 (used), as-of - 28 (out); a
            // topic not listed (out); an old week (out); unknownco.com (unmatched).
            rows: [12, 7, 0, 1, 1, 3, 0],
            rejects: &[(8, "bad score: 'n/a'")],
            unparseable: &[("score", 1)],
        },
    );
    assert_input(
        &report,
        "engagement",
        &Expected {
            encoding: "utf-8",
            delimiter: ",",
            // gmail.com is free_mail; a future and a 111-day-old row are out of scope.
            rows: [12, 7, 0, 1, 1, 2, 1],
            rejects: &[(13, "bad date: '2026-13-01T10:00:00Z'")],
            unparseable: &[("date", 1)],
        },
    );
    assert_eq!(report["accounts"], 12);
    // Completeness is over the 13 parsed crm rows (14 read, 1 rejected); the
    // `n/a` employees of line 2 is the only employees cell without a value.
    assert_eq!(report["inputs"]["crm"]["completeness"]["account_id"], 1.0);
    assert_eq!(report["inputs"]["crm"]["completeness"]["employees"], 0.9231);
}

#[test]
fn us_salesforce_bom_is_not_part_of_the_first_header() {
    // The BOM must not glue itself to "Account ID": the first column maps.
    let work = Workdir::from_fixture("us_salesforce");
    let rows = work.score(&["--all"]);
    assert_eq!(
        pairs(&rows, "account_id")[0],
        ("acme.com".to_string(), "0015g00000US001AAQ".to_string())
    );
}

#[test]
fn brazil_windows_1252_semicolon_detected_and_declared() {
    let work = Workdir::from_fixture("brazil");
    let report = work.check_json();
    assert_input(
        &report,
        "crm",
        &Expected {
            encoding: "windows-1252",
            delimiter: ";",
            // line 9 (`;;;;;;;`) is all-empty: skipped, not read.
            rows: [15, 12, 1, 2, 0, 0, 0],
            rejects: &[
                (8, "ragged row: 4 fields, expected 8"),
                (10, "bad key: empty"),
            ],
            // `R$ 1.234.567,89` without decimal = "," and `sob consulta`.
            unparseable: &[("revenue", 2)],
        },
    );
    assert_input(
        &report,
        "firmografia",
        &Expected {
            encoding: "windows-1252",
            delimiter: ";",
            rows: [6, 6, 0, 0, 0, 0, 0],
            rejects: &[],
            unparseable: &[],
        },
    );
    assert_eq!(report["accounts"], 14);
}

#[test]
fn china_gbk_tab_delimited() {
    let work = Workdir::from_fixture("china_gbk");
    let report = work.check_json();
    assert_input(
        &report,
        "crm",
        &Expected {
            encoding: "gbk",
            delimiter: "\t",
            rows: [10, 10, 0, 0, 0, 0, 0],
            rejects: &[],
            unparseable: &[],
        },
    );
    assert_eq!(report["accounts"], 10);
    assert_eq!(report["warnings"], serde_json::json!([]));
}

#[test]
fn hubspot_utf16le_with_bom() {
    let work = Workdir::from_fixture("hubspot_utf16");
    let report = work.check_json();
    assert_input(
        &report,
        "hubspot",
        &Expected {
            encoding: "utf-16le",
            delimiter: ",",
            rows: [11, 9, 1, 1, 0, 0, 0],
            rejects: &[(11, "bad key: empty")],
            unparseable: &[],
        },
    );
    assert_eq!(report["accounts"], 9);
}

#[test]
fn demo_project_buckets() {
    let work = Workdir::from_fixture("../examples/demo");
    let report = work.check_json();
    assert_input(
        &report,
        "crm",
        &Expected {
            encoding: "utf-8",
            delimiter: ",",
            rows: [1213, 1194, 13, 6, 0, 0, 0],
            rejects: &[
                (376, "bad key: empty"),
                (447, "bad key: 'none' is not a domain"),
                (883, "bad key: empty"),
                (921, "bad key: empty"),
                (963, "bad key: 'n/a' is not a domain"),
                (1122, "bad key: 'N/A' is not a domain"),
            ],
            // Every `n/a` cell of the export (none of them on a rejected row).
            unparseable: &[("employees", 40), ("revenue", 37)],
        },
    );
    assert_input(
        &report,
        "firmographics",
        &Expected {
            encoding: "utf-8",
            delimiter: ",",
            rows: [2521, 2521, 0, 0, 0, 0, 0],
            rejects: &[],
            unparseable: &[],
        },
    );
    assert_input(
        &report,
        "intent",
        &Expected {
            encoding: "utf-8",
            delimiter: ",",
            rows: [4399, 1991, 0, 5, 40, 2363, 0],
            rejects: &[
                (1573, "bad score: 'high'"),
                (3477, "bad score: 'n/a'"),
                (3703, "bad score: empty"),
                (4399, "bad date: '2026-02-30'"),
                (4400, "bad date: '11/09/2026'"),
            ],
            unparseable: &[("score", 2), ("date", 2)],
        },
    );
    assert_input(
        &report,
        "engagement",
        &Expected {
            encoding: "utf-8",
            delimiter: ",",
            rows: [3083, 2852, 0, 0, 25, 136, 70],
            rejects: &[],
            unparseable: &[],
        },
    );
    assert_eq!(report["accounts"], 2604);
    let warnings: Vec<&str> = report["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("wingtiptoys.com expired on 2026-09-30")),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("'initech.com' is not an account")),
        "{warnings:?}"
    );
}

#[test]
fn demo_project_runs_from_another_folder() {
    // Paths in the spec are relative to the spec file, not to the working folder.
    let work = Workdir::new();
    let out = stdout_of(
        work.cmd(&["check", "--format", "json"])
            .arg("--spec")
            .arg(root().join("examples/demo/tal.toml")),
        0,
    );
    assert_eq!(json(&out)["accounts"], 2604);
}

#[test]
fn spec_from_tal_spec_variable() {
    let work = Workdir::new();
    let mut cmd = work.cmd(&["check", "--format", "json"]);
    cmd.env("TAL_SPEC", fixture("china_gbk/tal.toml"));
    assert_eq!(json(&stdout_of(&mut cmd, 0))["accounts"], 10);
}

#[test]
fn text_report_snapshot() {
    let work = Workdir::from_fixture("us_salesforce");
    let out = stdout_of(&mut work.cmd(&["check"]), 0);
    insta::assert_snapshot!("check_us_salesforce_text", out);
}

#[test]
fn strict_exits_3_when_rows_were_rejected() {
    let work = Workdir::from_fixture("us_salesforce");
    let out = stdout_of(&mut work.cmd(&["check", "--strict", "--format", "json"]), 3);
    // The report is still written in full.
    assert_eq!(json(&out)["inputs"]["crm"]["rows"]["read"], 14);
}

#[test]
fn strict_exits_0_on_clean_exports() {
    let work = Workdir::from_fixture("china_gbk");
    stdout_of(&mut work.cmd(&["check", "--strict"]), 0);
}

#[test]
fn strict_ignores_free_mail_and_out_of_scope_rows() {
    // SPEC: free-mail and out-of-scope rows are normal and never make --strict fail.
    let work = Workdir::new();
    work.write("crm.csv", "domain,name\nacme.com,Acme\n")
        .write("engagement.csv", "email,type,date\njane@gmail.com,meeting,2026-11-19\nbob@acme.com,meeting,2025-01-01\nann@acme.com,meeting,2026-11-19\n")
        .write("intent.csv", "domain,topic,score,date\nacme.com,Other,80,2026-11-19\nacme.com,ABM,80,2020-01-01\n")
        .write(
            "tal.toml",
            r#"
[inputs.crm]
path = "crm.csv"
key = "domain"
fields = { name = "name" }
[inputs.intent]
path = "intent.csv"
key = "domain"
fields = { topic = "topic", score = "score", date = "date" }
[inputs.engagement]
path = "engagement.csv"
key = "email"
fields = { type = "type", date = "date" }
[intent]
topics = ["ABM"]
"#,
        );
    let report = json(&stdout_of(
        &mut work.cmd(&["check", "--strict", "--format", "json"]),
        0,
    ));
    assert_eq!(report["inputs"]["engagement"]["rows"]["free_mail"], 1);
    assert_eq!(report["inputs"]["engagement"]["rows"]["out_of_scope"], 1);
    assert_eq!(report["inputs"]["intent"]["rows"]["out_of_scope"], 2);
}

// ------------------------------------------------------------------ broken files

/// A project whose one account input is `fixtures/broken/FILE` with
/// `key = "domain"` and its other columns mapped.
fn broken(file: &str, fields: &str) -> Workdir {
    let work = Workdir::new();
    std::fs::copy(fixture("broken").join(file), work.path().join(file)).expect("copy");
    work.write(
        "tal.toml",
        format!("[inputs.crm]\npath = \"{file}\"\nkey = \"domain\"\nfields = {{ {fields} }}\n"),
    );
    work
}

#[test]
fn ragged_rows_are_rejected_with_their_field_count() {
    let work = broken(
        "ragged.csv",
        r#"name = "name", employees = "employees", country = "country""#,
    );
    let report = work.check_json();
    assert_input(
        &report,
        "crm",
        &Expected {
            encoding: "utf-8",
            delimiter: ",",
            // the blank line 5 and `,,,` on line 7 are skipped, not read.
            rows: [6, 3, 0, 3, 0, 0, 0],
            rejects: &[
                (3, "ragged row: 3 fields, expected 4"),
                (4, "ragged row: 5 fields, expected 4"),
                (8, "ragged row: 1 field, expected 4"),
            ],
            unparseable: &[],
        },
    );
    assert_eq!(report["accounts"], 3);
    stdout_of(&mut work.cmd(&["check", "--strict"]), 3);
}

#[test]
fn quoted_newlines_keep_physical_line_numbers() {
    let work = broken("quoted_newline.csv", r#"name = "name", notes = "notes""#);
    let report = work.check_json();
    assert_input(
        &report,
        "crm",
        &Expected {
            encoding: "utf-8",
            delimiter: ",",
            rows: [8, 6, 0, 2, 0, 0, 0],
            rejects: &[
                (10, "bad key: 'n/a' is not a domain"),
                (13, "ragged row: 2 fields, expected 3"),
            ],
            unparseable: &[],
        },
    );
    // gamma.com's name keeps its inner CRLF: text is trimmed only at the ends.
    let accounts = work.accounts();
    assert_eq!(
        accounts.keys().map(String::as_str).collect::<Vec<_>>(),
        [
            "alpha.com",
            "beta.com",
            "delta.com",
            "epsilon.com",
            "eta.com",
            "gamma.com"
        ]
    );
    assert_eq!(&accounts["gamma.com"]["name"], "Gamma\r\nGroup");
    assert_eq!(&accounts["alpha.com"]["name"], "Alpha, Inc.");
}

#[test]
fn header_only_file_is_empty_not_an_error() {
    let work = broken(
        "header_only.csv",
        r#"name = "name", employees = "employees""#,
    );
    let report = work.check_json();
    assert_input(
        &report,
        "crm",
        &Expected {
            encoding: "utf-8",
            delimiter: ",",
            rows: [0; 7],
            rejects: &[],
            unparseable: &[],
        },
    );
    assert_eq!(report["accounts"], 0);
    // An empty TAL is still a TAL: the header line alone.
    let out = stdout_of(&mut work.cmd(&["score", "-q"]), 0);
    assert_eq!(out.lines().count(), 1, "{out}");
}

/// Runs `tal check` expecting exit 1 and returns stderr.
fn check_fails(work: &Workdir) -> String {
    let run = run(&mut work.cmd(&["check"]), 1);
    assert_eq!(run.stdout, "", "nothing on stdout when the run fails");
    assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
    run.stderr
}

#[test]
fn empty_file_fails_naming_it() {
    let work = broken("empty.csv", r#"name = "name""#);
    insta::assert_snapshot!("check_empty_file", check_fails(&work));
}

#[test]
fn binary_file_fails_naming_it() {
    let work = broken("binary.csv", r#"name = "name""#);
    insta::assert_snapshot!("check_binary_file", check_fails(&work));
}

#[test]
fn missing_file_fails_naming_it_and_the_spec_key() {
    let work = Workdir::new();
    work.write(
        "tal.toml",
        "[inputs.crm]\npath = \"exports/crm.csv\"\nkey = \"domain\"\n",
    );
    insta::assert_snapshot!("check_missing_file", check_fails(&work));
}

#[test]
fn missing_spec_fails() {
    let work = Workdir::new();
    let stderr = check_fails(&work);
    assert!(stderr.contains("no ./tal.toml"), "{stderr}");
    let stderr = stderr_of(&mut work.cmd(&["check", "--spec", "nowhere.toml"]), 1);
    insta::assert_snapshot!("check_spec_not_found", stderr);
}

#[test]
fn missing_mapped_column_lists_the_headers() {
    let work = Workdir::new();
    work.write("crm.csv", "Website,Account Name,Employees\nacme.com,Acme,5\n").write(
        "tal.toml",
        "[inputs.crm]\npath = \"crm.csv\"\nkey = \"Website\"\nfields = { name = \"Account Name\", employees = \"Employee Count\" }\n",
    );
    insta::assert_snapshot!("check_missing_column", check_fails(&work));
}

#[test]
fn missing_key_column_lists_the_headers() {
    let work = Workdir::new();
    work.write("crm.csv", "Domain;Name\nacme.com;Acme\n").write(
        "tal.toml",
        "[inputs.crm]\npath = \"crm.csv\"\nkey = \"Website\"\n",
    );
    insta::assert_snapshot!("check_missing_key_column", check_fails(&work));
}

#[test]
fn header_matches_case_insensitively_when_unique() {
    let work = Workdir::new();
    work.write("crm.csv", " DOMAIN ,Name\nacme.com,Acme\n")
        .write(
            "tal.toml",
            "[inputs.crm]\npath = \"crm.csv\"\nkey = \"domain\"\nfields = { name = \"name\" }\n",
        );
    assert_eq!(work.check_json()["accounts"], 1);
}

/// A spec that fails to load: exit 1 and the message, for the snapshot.
fn spec_error(spec: &str) -> String {
    let work = Workdir::new();
    work.write("crm.csv", "domain,name\nacme.com,Acme\n")
        .write("tal.toml", spec);
    check_fails(&work)
}

const INPUTS: &str =
    "[inputs.crm]\npath = \"crm.csv\"\nkey = \"domain\"\nfields = { name = \"name\" }\n";

#[test]
fn spec_errors() {
    let cases: &[(&str, String)] = &[
        ("wrong type", format!("{INPUTS}\n[budget]\ntotal = \"lots\"\n")),
        ("wrong type in a list", format!("{INPUTS}\n[[fit.criteria]]\nname = \"Size\"\npoints = \"ten\"\nwhen = \"fit > 1\"\n")),
        ("negative count", format!("{INPUTS}\n[budget]\nsellers = -2\n")),
        ("table where a list belongs", format!("tiers = 5\n{INPUTS}")),
        ("unknown top-level key", format!("{INPUTS}\n[intnet]\nthreshold = 60\n")),
        ("unknown key in a tier", format!("{INPUTS}\n[[tiers]]\nname = \"Tier 1\"\nwhen = \"fit > 1\"\nper_acount = 5\n")),
        ("unknown key in an input", format!("{INPUTS}delimeter = \";\"\n")),
        ("missing key", "[inputs.crm]\npath = \"crm.csv\"\n".to_string()),
        ("tier without when", format!("{INPUTS}\n[[tiers]]\nname = \"Tier 1\"\n")),
        ("toml syntax", format!("{INPUTS}\n[[tiers]\nname = \"Tier 1\"\n")),
        ("expression: unknown field", format!("{INPUTS}\n[[tiers]]\nname = \"Tier 1\"\nwhen = 'high_fit and acv_bnd == \"large\"'\n")),
        ("expression: second tier, second line", format!("{INPUTS}\n[[tiers]]\nname = \"Tier 1\"\nwhen = \"high_fit\"\n\n[[tiers]]\nname = \"Tier 2\"\nwhen = '''\nhigh_fit and\n  nmae == \"x\"'''\n")),
        ("expression: syntax", format!("{INPUTS}\n[[exclude]]\nname = \"Customers\"\nwhen = \"is_customer = true\"\n")),
        ("expression: signal not yet computed", format!("{INPUTS}\n[[fit.criteria]]\nname = \"Circular\"\npoints = 10\nwhen = \"fit > 50\"\n")),
        ("unknown field type", "[inputs.crm]\npath = \"crm.csv\"\nkey = \"domain\"\nfields = { code = { column = \"name\", type = \"integer\" } }\n".to_string()),
        ("no account input", "[inputs.intent]\npath = \"crm.csv\"\nkey = \"domain\"\nfields = { topic = \"name\", score = \"name\", date = \"name\" }\n".to_string()),
        ("unknown encoding", format!("{INPUTS}encoding = \"latin-9000\"\n")),
        ("unknown ranking signal", format!("{INPUTS}\n[ranking]\nby = [\"fit desc\", \"acv_bnd asc\"]\n")),
        ("segment names an unknown tier", format!("{INPUTS}\n[[tiers]]\nname = \"Tier 1\"\nwhen = \"high_fit\"\n\n[[segments]]\nname = \"Big\"\nwhen = \"fit > 90\"\ntiers = [\"Tier 11\"]\n")),
        ("scale on a text field", "[inputs.crm]\npath = \"crm.csv\"\nkey = \"domain\"\nfields = { name = { column = \"name\", scale = 1000 } }\n".to_string()),
        ("scale that is no unit", "[inputs.crm]\npath = \"crm.csv\"\nkey = \"domain\"\nfields = { revenue = { column = \"name\", type = \"number\", scale = 0 } }\n".to_string()),
    ];
    let mut out = String::new();
    for (what, spec) in cases {
        out.push_str(&format!("--- {what}\n{}", spec_error(spec)));
    }
    insta::assert_snapshot!("check_spec_errors", out);
}

#[test]
fn expression_error_names_key_line_column_and_suggestion() {
    // The example SPEC.md gives, word for word.
    let stderr = spec_error(&format!(
        "{INPUTS}\n[[tiers]]\nname = \"Tier 1\"\nwhen = 'high_fit and acv_bnd == \"large\"'\n"
    ));
    assert_eq!(stderr, "error: tal.toml line 8: tiers[1].when: 1:14: unknown field 'acv_bnd' (did you mean 'acv_band'?)\n");
}

#[test]
fn unknown_key_names_line_and_suggestion() {
    let stderr = spec_error(&format!(
        "{INPUTS}\n[[tiers]]\nname = \"Tier 1\"\nwhn = \"high_fit\"\n"
    ));
    assert_eq!(
        stderr,
        "error: tal.toml line 8: tiers[1].whn: unknown key 'whn' (did you mean 'when'?)\n"
    );
}

#[test]
fn bad_as_of_is_a_usage_error() {
    let work = Workdir::from_fixture("china_gbk");
    let stderr = stderr_of(work.tal().args(["check", "--as-of", "2026-13-01"]), 2);
    assert!(
        stderr.contains("'2026-13-01' is not a date: write YYYY-MM-DD"),
        "{stderr}"
    );
}

/// `--as-of` left at today on last month's exports: every dated row of a
/// feed is outside its window, and the warning says so with the newest date.
#[test]
fn a_feed_entirely_outside_its_window_is_named() {
    let work = project(&[
        ("crm.csv", "domain\nacme.com\n"),
        (
            "intent.csv",
            "domain,topic,score,date\nacme.com,ABM,80,2025-11-03\nacme.com,ABM,70,2025-10-27\nacme.com,ABM,bad,2025-11-03\n",
        ),
        (
            "engagement.csv",
            "email,type,date\nann@acme.com,meeting,2026-11-19\nbob@acme.com,meeting,2024-01-01\n",
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
[inputs.engagement]
path = "engagement.csv"
key = "email"
fields = { type = "type", date = "date" }
"#,
        ),
    ]);
    let warnings = work.check_json()["warnings"].clone();
    let warnings: Vec<&str> = (warnings.as_array().expect("warnings").iter())
        .filter_map(|w| w.as_str())
        .collect();
    assert!(
        warnings.contains(&"intent.csv: all 3 rows are outside the 28-day window ending 2026-11-20 (newest row 2025-11-03); is --as-of right?"),
        "{warnings:?}"
    );
    // One engagement row is inside its window: no such warning for it.
    assert!(
        !warnings
            .iter()
            .any(|w| w.starts_with("engagement.csv: all")),
        "{warnings:?}"
    );
}

/// Real account lists key companies by an investor-relations or product
/// site (`stock.walmart.com`): intent rows for `walmart.com` stay
/// unmatched, and `tal check` and the score summary say why.
#[test]
fn unmatched_rows_for_the_parent_of_a_subdomain_key_are_named() {
    let work = project(&[
        (
            "crm.csv",
            "Website,name\nhttps://www.stock.walmart.com,Walmart\nhttps://investor.fb.com,Facebook\nhttps://www.amazon.com,Amazon\n",
        ),
        (
            "intent.csv",
            "domain,topic,score,date\nwalmart.com,ABM,70,2026-11-19\nwalmart.com,CRM,80,2026-11-18\nfb.com,ABM,70,2026-11-19\namazon.com,ABM,90,2026-11-19\nnobody.org,ABM,70,2026-11-19\n",
        ),
        (
            "tal.toml",
            r#"[inputs.crm]
path = "crm.csv"
key = "Website"
fields = { name = "name" }
[inputs.intent]
path = "intent.csv"
key = "domain"
fields = { topic = "topic", score = "score", date = "date" }
"#,
        ),
    ]);
    let report = work.check_json();
    assert_eq!(report["inputs"]["intent"]["rows"]["unmatched"], 4);
    let want = "intent.csv: 3 unmatched rows name the main domain of 2 accounts keyed by a subdomain (e.g. walmart.com for stock.walmart.com, fb.com for investor.fb.com); key those accounts by the company's main website (fix it in the account export, or map another column as `key`) so these rows count";
    assert!(
        report["warnings"]
            .as_array()
            .expect("warnings")
            .iter()
            .any(|w| w == want),
        "{report}"
    );
    let stderr = stderr_of(&mut work.cmd(&["score"]), 0);
    assert!(stderr.contains(want), "{stderr}");
}

/// `Revenue ($M)`: a number field's `scale` multiplies every value, so the
/// rules read dollars.
#[test]
fn a_number_field_scale_gives_its_unit() {
    let work = project(&[
        (
            "crm.csv",
            "domain,Revenue ($M)\na.com,523964\nb.com,36.9\nc.com,n/a\n",
        ),
        (
            "tal.toml",
            r#"[inputs.crm]
path = "crm.csv"
key = "domain"
fields = { revenue = { column = "Revenue ($M)", type = "number", scale = 1000000 } }

[[fit.criteria]]
name = "Over $50M"
points = 10
when = "revenue >= 50000000"

[[tiers]]
name = "Tier 1"
when = "fit >= 0"
"#,
        ),
    ]);
    let check = work.check_json();
    assert_eq!(check["inputs"]["crm"]["unparseable"]["revenue"], 1);
    let mut got = view(&work.score(&["--all"]), "domain fit");
    got.sort();
    assert_eq!(got, ["a.com|100.0", "b.com|0.0", "c.com|0.0"]);
    let out = stdout_of(&mut work.cmd(&["explain", "a.com"]), 0);
    assert!(out.contains("(revenue = 523964000000)"), "{out}");
}
