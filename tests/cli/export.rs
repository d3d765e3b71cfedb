//! `tal export --parquet`: every input's rows as tal read them. The files
//! hold every row with the bucket `tal check` counts it in, and read back
//! as Parquet inputs they give the same TAL.

use crate::util::*;

/// The demo's inputs as Parquet files in `work/wh`.
fn export_demo(work: &Workdir) -> std::path::PathBuf {
    let wh = work.path().join("wh");
    let stderr = stderr_of(
        tal()
            .args(["export", "--as-of", AS_OF, "--parquet"])
            .arg(&wh)
            .arg("--spec")
            .arg(root().join("examples/demo/tal.toml")),
        0,
    );
    assert!(stderr.contains("crm.parquet (1213 rows)"), "{stderr}");
    assert!(stderr.contains("overrides.parquet (4 rows)"), "{stderr}");
    wh
}

/// Per input, the rows of each `_bucket`, read by DuckDB (an independent
/// Parquet reader).
fn buckets(dir: &std::path::Path, input: &str) -> serde_json::Value {
    let script = format!(
        "import duckdb, json; rows = duckdb.sql(\"SELECT _bucket, count(*) FROM '{}' GROUP BY 1\").fetchall(); print(json.dumps(dict(rows)))",
        dir.join(format!("{input}.parquet")).display()
    );
    let output = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "duckdb: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    json(&String::from_utf8_lossy(&output.stdout))
}

#[test]
fn every_row_is_in_the_bucket_tal_check_counts_it_in() {
    let work = Workdir::new();
    let wh = export_demo(&work);
    let check = json(&stdout_of(
        tal()
            .args(["check", "--format", "json", "--as-of", AS_OF, "--spec"])
            .arg(root().join("examples/demo/tal.toml")),
        0,
    ));
    for input in ["crm", "firmographics", "intent", "engagement"] {
        let rows = &check["inputs"][input]["rows"];
        let got = buckets(&wh, input);
        for bucket in [
            "used",
            "merged",
            "rejected",
            "unmatched",
            "out_of_scope",
            "free_mail",
        ] {
            let want = rows[bucket].as_u64().expect("a count");
            assert_eq!(got[bucket].as_u64().unwrap_or(0), want, "{input}: {bucket}");
        }
    }
}

/// The export's files, as inputs (`path = "....parquet"`, key `domain`,
/// each field its own column), give the TAL of the CSV exports.
#[test]
fn the_files_read_back_as_parquet_inputs_give_the_same_tal() {
    let work = Workdir::new();
    let wh = export_demo(&work);
    let demo = root().join("examples/demo");
    let spec = std::fs::read_to_string(demo.join("tal.toml")).expect("the demo spec");
    let parsed: toml::Table = toml::from_str(&spec).expect("TOML");
    // Each input: the Parquet file, keyed by domain, every field its own
    // column; the rest of the spec as it is.
    let mut inputs = String::new();
    for (name, input) in parsed["inputs"].as_table().expect("inputs") {
        inputs.push_str(&format!(
            "[inputs.{name}]\npath = \"{}\"\nkey = \"domain\"\n[inputs.{name}.fields]\n",
            wh.join(format!("{name}.parquet")).display()
        ));
        for field in input["fields"].as_table().expect("fields").keys() {
            inputs.push_str(&format!("{field} = \"{field}\"\n"));
        }
    }
    let rest = &spec[spec.find("[fit]").expect("the rules")..];
    let overrides = format!("path = \"{}\"", demo.join("overrides.csv").display());
    let rest = rest.replace("path = \"overrides.csv\"", &overrides);
    work.write("tal.toml", format!("{inputs}\n{rest}"));
    let from_parquet = stdout_of(&mut work.cmd(&["score", "--all", "-q"]), 0);
    let from_csv = stdout_of(
        tal()
            .args(["score", "--all", "-q", "--as-of", AS_OF, "--spec"])
            .arg(demo.join("tal.toml")),
        0,
    );
    assert_eq!(from_parquet, from_csv);
}

/// A table input has no file to export.
#[test]
fn a_table_input_is_not_exported() {
    let work = project(&[(
        "tal.toml",
        "[inputs.crm]\ntable = \"sales.accounts\"\nkey = \"Website\"\n",
    )]);
    let stderr = stderr_of(&mut work.cmd(&["export", "--parquet", "out"]), 1);
    assert!(
        stderr.contains("input 'crm' is a warehouse table"),
        "{stderr}"
    );
}

/// `--quiet` writes the files without listing them.
#[test]
fn quiet_lists_nothing() {
    let work = Workdir::new();
    let wh = work.path().join("wh");
    let stderr = stderr_of(
        tal()
            .args(["export", "--quiet", "--as-of", AS_OF, "--parquet"])
            .arg(&wh)
            .arg("--spec")
            .arg(root().join("examples/demo/tal.toml")),
        0,
    );
    assert_eq!(stderr, "");
    assert!(wh.join("crm.parquet").is_file());
}
