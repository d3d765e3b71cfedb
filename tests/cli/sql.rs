//! `tal sql` executed on real engines: each project's inputs written by
//! `tal export --parquet`, loaded as tables by `tests/sql/engines.py`, the
//! query `tal sql --all` writes run there, and the result compared value by
//! value with `tal score --all` (numbers as numbers, an empty cell as
//! NULL). DuckDB and PostgreSQL (in a C and an ICU-collated database) on
//! every project; Spark on the demo and two fixtures; BigQuery's GoogleSQL
//! (ZetaSQL's reference evaluator) and Snowflake (fakesnow) on the demo and
//! the edge cases. Each engine starts once for all its queries.

use std::path::{Path, PathBuf};

use crate::util::*;

/// The projects every engine with a full run is checked on.
const PROJECTS: &[&str] = &[
    "../examples/demo",
    "us_salesforce",
    "brazil",
    "china_gbk",
    "hubspot_utf16",
    "spec_example",
    "sql_edges",
];

/// A project ready for one dialect: its tables, its query and the TAL
/// `tal score --all` gives.
struct Job {
    name: String,
    tables: PathBuf,
    sql: PathBuf,
    expected: String,
    out: PathBuf,
}

fn spec_of(project: &str) -> PathBuf {
    fixture(project).join("tal.toml")
}

/// Exports the project's inputs, writes its query for `dialect`, and
/// scores it, in `work`.
fn prepare(work: &Workdir, project: &str, dialect: &str, engine: &str, all: bool) -> Job {
    let name = Path::new(project)
        .file_name()
        .expect("a folder")
        .to_string_lossy()
        .to_string();
    let dir = work.path().join(format!("{name}-{engine}"));
    let tables = dir.join("tables");
    let spec = spec_of(project);
    run(
        tal()
            .args(["export", "--as-of", AS_OF, "--parquet"])
            .arg(&tables)
            .arg("--spec")
            .arg(&spec),
        0,
    );
    let mut sql = tal();
    sql.args(["sql", "--as-of", AS_OF, "--dialect", dialect])
        .arg("--spec")
        .arg(&spec);
    let mut score = tal();
    score
        .args(["score", "--as-of", AS_OF, "--raw", "-q"])
        .arg("--spec")
        .arg(&spec);
    if all {
        sql.arg("--all");
        score.arg("--all");
    }
    let query = stdout_of(&mut sql, 0);
    let sql_path = dir.join("query.sql");
    std::fs::write(&sql_path, query).expect("write the query");
    Job {
        name,
        tables,
        sql: sql_path,
        expected: stdout_of(&mut score, 0),
        out: dir.join("result.csv"),
    }
}

/// Runs every job on `engine` (one engine start) and compares each result
/// with `tal score`.
fn check_on(engine: &str, jobs: &[Job]) {
    let work = Workdir::new();
    let batch: Vec<serde_json::Value> = jobs
        .iter()
        .map(|job| serde_json::json!({"tables": job.tables, "sql": job.sql, "out": job.out}))
        .collect();
    let batch_path = work.path().join("jobs.json");
    std::fs::write(&batch_path, serde_json::to_string(&batch).expect("json")).expect("write jobs");
    let output = std::process::Command::new("python3")
        .arg(root().join("tests/sql/engines.py"))
        .arg(engine)
        .arg("--batch")
        .arg(&batch_path)
        .output()
        .expect("python3 runs tests/sql/engines.py (.ci/run installs what it needs)");
    assert!(
        output.status.success(),
        "{engine} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for job in jobs {
        let result = std::fs::read_to_string(&job.out)
            .unwrap_or_else(|_| panic!("{engine} wrote no result for {}", job.name));
        assert_same(&format!("{engine} on {}", job.name), &job.expected, &result);
    }
}

/// Two TALs agree cell by cell: numbers as numbers, text as text, an empty
/// cell and NULL alike.
fn assert_same(what: &str, expected: &str, got: &str) {
    let (want, have) = (csv_rows(expected), csv_rows(got));
    assert_eq!(want[0], have[0], "{what}: the columns");
    assert_eq!(want.len(), have.len(), "{what}: the rows");
    let same = |a: &str, b: &str| {
        a == b || matches!((a.parse::<f64>(), b.parse::<f64>()), (Ok(x), Ok(y)) if x == y)
    };
    for (row, (w, h)) in want.iter().zip(&have).enumerate().skip(1) {
        for (column, (a, b)) in w.iter().zip(h).enumerate() {
            assert!(
                same(a, b),
                "{what}: row {row} ({}), column {}: tal score has {a:?}, the query {b:?}",
                w[6],
                want[0][column]
            );
        }
    }
}

fn jobs(work: &Workdir, projects: &[&str], dialect: &str, engine: &str) -> Vec<Job> {
    projects
        .iter()
        .map(|p| prepare(work, p, dialect, engine, true))
        .collect()
}

#[test]
fn duckdb_gives_the_tal_of_every_project() {
    let work = Workdir::new();
    let mut all = jobs(&work, PROJECTS, "duckdb", "duckdb");
    // Without --all: the TAL alone, in rank order.
    let mut tal_only = prepare(&work, "../examples/demo", "duckdb", "duckdb-tal", false);
    tal_only.name.push_str(" (the TAL only)");
    all.push(tal_only);
    check_on("duckdb", &all);
}

#[test]
fn postgres_gives_the_tal_of_every_project_in_c_and_icu_collations() {
    let work = Workdir::new();
    check_on("postgres", &jobs(&work, PROJECTS, "postgres", "postgres"));
    // An ICU database sorts text linguistically unless told byte order.
    check_on("postgres-icu", &jobs(&work, PROJECTS, "postgres", "icu"));
}

#[test]
fn spark_bigquery_and_snowflake_give_the_tal() {
    let work = Workdir::new();
    check_on(
        "spark",
        &jobs(
            &work,
            &["../examples/demo", "us_salesforce", "sql_edges"],
            "spark",
            "spark",
        ),
    );
    check_on(
        "bigquery",
        &jobs(
            &work,
            &["../examples/demo", "brazil", "sql_edges"],
            "bigquery",
            "bigquery",
        ),
    );
    check_on(
        "snowflake",
        &jobs(&work, PROJECTS, "snowflake", "snowflake"),
    );
}

/// The statement is one `WITH ... SELECT` whose names are the user's as
/// written or quoted, and the query's own under `tal_`.
#[test]
fn the_query_is_one_statement_of_the_spec() {
    let out = stdout_of(
        tal()
            .args(["sql", "--dialect", "postgres", "--as-of", AS_OF, "--spec"])
            .arg(spec_of("../examples/demo")),
        0,
    );
    assert!(
        out.starts_with("-- tal sql --dialect postgres --as-of 2026-11-20"),
        "{out}"
    );
    assert!(out.contains("\nWITH tal_in_0 AS ("), "{out}");
    assert!(
        !out.trim_end().ends_with(';'),
        "one statement, no terminator"
    );
    assert!(out.contains("COLLATE \"C\""), "byte order on Postgres");
    assert!(out.contains("DATE '2026-11-20'"), "--as-of baked in");
}

/// A warehouse table as the user has it (`table = ...`): raw keys (URLs,
/// e-mails, upper case) normalised in SQL, typed columns read as fields,
/// text trimmed, yes/no bools, lists split on `;` `,` `|`, rows in the
/// order of `order_by`. The same rows as a CSV export give the same TAL.
#[test]
fn table_inputs_give_the_tal_of_the_same_rows_as_a_file() {
    let crm = "\
row_id,Website,Company,Industry,Employees,Customer,Tech
1,https://www.Acme.com/about,  Acme Inc ,Software,1200,no,\"Marketo, Segment\"
2,jane@BETA.io,Beta,software,300,yes,HubSpot|Marketo
3,gamma.io,Gamma,Retail,5000,no,
4,acme.com,Acme Again,Software,,no,Pardot
5,not a domain,Nobody,Software,10,no,
6,delta.io.,Delta,Software,80,no,Marketo;;Eloqua
";
    let rules = r#"
[[fit.criteria]]
name = "Software"
points = 50
when = 'industry == "software"'

[[fit.criteria]]
name = "Stack"
points = 50
when = 'technologies has_any ["marketo", "eloqua"]'

[[exclude]]
name = "Customer"
when = "is_customer"

[[tiers]]
name = "Tier 1"
when = "fit >= 50"
max_accounts = 2

[[tiers]]
name = "Tier 2"
when = "fit > 0"
"#;
    let fields = "account_id = \"row_id\"\nname = \"Company\"\nindustry = \"Industry\"\nemployees = \"Employees\"\nis_customer = \"Customer\"\ntechnologies = \"Tech\"\n";
    let work = project(&[
        ("crm.csv", crm),
        (
            "tal.toml",
            &format!("[inputs.crm]\npath = \"crm.csv\"\nkey = \"Website\"\n[inputs.crm.fields]\n{fields}{rules}"),
        ),
        (
            "warehouse.toml",
            &format!("[inputs.crm]\ntable = \"raw_accounts\"\norder_by = \"row_id\"\nkey = \"Website\"\n[inputs.crm.fields]\n{fields}{rules}"),
        ),
    ]);
    // The table, typed as a warehouse would type the export (DuckDB's CSV
    // reader: numbers as numbers, the rest as text).
    let tables = work.path().join("tables");
    std::fs::create_dir_all(&tables).expect("a folder");
    let load = format!(
        "import duckdb; duckdb.sql(\"COPY (SELECT * FROM read_csv('{}', all_varchar=false)) TO '{}' (FORMAT parquet)\")",
        work.path().join("crm.csv").display(),
        tables.join("raw_accounts.parquet").display()
    );
    let mut python = std::process::Command::new("python3");
    python.arg("-c").arg(load);
    run(&mut assert_cmd::Command::from_std(python), 0);
    let query = stdout_of(
        &mut work.cmd(&[
            "sql",
            "--dialect",
            "duckdb",
            "--all",
            "--spec",
            "warehouse.toml",
        ]),
        0,
    );
    assert!(query.contains("FROM raw_accounts"), "{query}");
    std::fs::write(work.path().join("query.sql"), query).expect("write the query");
    let expected = stdout_of(&mut work.cmd(&["score", "--all", "--raw", "-q"]), 0);
    let job = Job {
        name: "a table".to_string(),
        tables,
        sql: work.path().join("query.sql"),
        expected,
        out: work.path().join("result.csv"),
    };
    check_on("duckdb", &[job]);
}

/// A table input is the warehouse's: `tal score` says to use `tal sql`,
/// and options that only a file has are spec errors.
#[test]
fn table_inputs_are_for_tal_sql() {
    let work = project(&[(
        "tal.toml",
        "[inputs.crm]\ntable = \"sales.accounts\"\nkey = \"Website\"\n[[tiers]]\nname = \"T\"\nwhen = \"fit >= 0\"\n",
    )]);
    let stderr = stderr_of(&mut work.cmd(&["score"]), 1);
    assert!(
        stderr.contains("input 'crm' is the warehouse table sales.accounts: tal sql reads tables"),
        "{stderr}"
    );
    let query = stdout_of(&mut work.cmd(&["sql", "--dialect", "spark"]), 0);
    assert!(query.contains("FROM sales.accounts"), "{query}");
    work.write(
        "tal.toml",
        "[inputs.crm]\ntable = \"sales.accounts\"\nkey = \"Website\"\ndelimiter = \";\"\n",
    );
    let stderr = stderr_of(&mut work.cmd(&["sql", "--dialect", "duckdb"]), 1);
    assert!(
        stderr.contains("inputs.crm.delimiter: `delimiter` does not apply to a table (table = \"sales.accounts\"), whose columns are typed: remove it"),
        "{stderr}"
    );
    work.write(
        "tal.toml",
        "[inputs.crm]\npath = \"crm.csv\"\nkey = \"Website\"\norder_by = \"id\"\n",
    );
    let stderr = stderr_of(&mut work.cmd(&["sql", "--dialect", "duckdb"]), 1);
    assert!(
        stderr.contains("inputs.crm.order_by: `order_by` does not apply to a file"),
        "{stderr}"
    );
}
