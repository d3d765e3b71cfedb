//! The harness: run the built binary in a temporary folder with inputs
//! written inline or copied from `fixtures/`, and compare exactly.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The repository root (fixtures/ and examples/ live there).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(path: &str) -> PathBuf {
    root().join("fixtures").join(path)
}

/// `tal` with a clean environment: no backtraces, no TAL_SPEC, no colour.
pub fn tal() -> Command {
    let mut cmd = Command::cargo_bin("tal").expect("the tal binary is built");
    cmd.env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        .env_remove("TAL_SPEC")
        .env("NO_COLOR", "1");
    cmd
}

/// A temporary project folder.
pub struct Workdir {
    pub dir: tempfile::TempDir,
}

impl Workdir {
    pub fn new() -> Self {
        Workdir {
            dir: tempfile::tempdir().expect("a temporary folder"),
        }
    }

    /// A copy of a fixture folder (or the demo: "../examples/demo").
    pub fn from_fixture(name: &str) -> Self {
        let work = Workdir::new();
        copy_dir(&fixture(name), work.path());
        work
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> &Self {
        let path = self.path().join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create folder");
        }
        fs::write(path, contents).expect("write file");
        self
    }

    pub fn read(&self, name: &str) -> String {
        fs::read_to_string(self.path().join(name)).expect("read file")
    }

    /// `tal` run inside this folder.
    pub fn tal(&self) -> Command {
        let mut cmd = tal();
        cmd.current_dir(self.path());
        cmd
    }

    /// `tal ARGS --as-of 2026-11-20` inside this folder (spec: ./tal.toml).
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = self.tal();
        cmd.args(args).args(["--as-of", AS_OF]);
        cmd
    }

    /// `tal check --format json` (exit 0) as JSON.
    pub fn check_json(&self) -> serde_json::Value {
        json(&stdout_of(&mut self.cmd(&["check", "--format", "json"]), 0))
    }

    /// `tal score ARGS` (exit 0, summary silenced) as CSV rows, header first.
    pub fn score(&self, args: &[&str]) -> Vec<Vec<String>> {
        let mut cmd = self.cmd(&["score", "-q"]);
        cmd.args(args);
        csv_rows(&stdout_of(&mut cmd, 0))
    }

    /// `tal score --all` as one map per account, keyed by domain.
    pub fn accounts(&self) -> std::collections::BTreeMap<String, Account> {
        let rows = self.score(&["--all"]);
        let header = rows[0].clone();
        rows[1..]
            .iter()
            .map(|row| {
                let account = Account(header.iter().cloned().zip(row.iter().cloned()).collect());
                (account["domain"].to_string(), account)
            })
            .collect()
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create folder");
    for entry in fs::read_dir(from).expect("read fixture folder") {
        let entry = entry.expect("fixture entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).expect("copy fixture file");
        }
    }
}

/// Parses CSV output into rows of cells (header first).
pub fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    rdr.records()
        .map(|r| r.expect("valid csv").iter().map(str::to_string).collect())
        .collect()
}

/// The values of one column of CSV output, by header name.
pub fn csv_column(text: &str, column: &str) -> Vec<String> {
    let rows = csv_rows(text);
    let i = rows[0]
        .iter()
        .position(|h| h == column)
        .unwrap_or_else(|| panic!("no column {column}"));
    rows[1..].iter().map(|r| r[i].clone()).collect()
}

/// What one run of `tal` gave.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `cmd` and asserts that it exited with `code` and did not panic; the
/// command and both streams are printed on failure.
pub fn run(cmd: &mut Command, code: i32) -> Run {
    let output = cmd.output().expect("tal runs");
    let run = Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).to_string(),
        stderr: String::from_utf8_lossy(&output.stderr).to_string(),
    };
    let shown = format!("{cmd:?}\nstdout:\n{}\nstderr:\n{}", run.stdout, run.stderr);
    assert!(!run.stderr.contains("panicked"), "tal panicked: {shown}");
    assert_eq!(run.code, Some(code), "{shown}");
    run
}

/// Runs and returns stdout, asserting the exit code.
pub fn stdout_of(cmd: &mut Command, code: i32) -> String {
    run(cmd, code).stdout
}

/// Runs and returns stderr, asserting the exit code.
pub fn stderr_of(cmd: &mut Command, code: i32) -> String {
    run(cmd, code).stderr
}

/// Parses JSON output.
pub fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|err| panic!("not JSON ({err}):\n{text}"))
}

/// The as-of date every fixture is designed for.
pub const AS_OF: &str = "2026-11-20";

/// One row of `tal score` output: column -> cell.
#[derive(Debug, Clone)]
pub struct Account(pub std::collections::BTreeMap<String, String>);

impl std::ops::Index<&str> for Account {
    type Output = str;
    fn index(&self, column: &str) -> &str {
        self.0
            .get(column)
            .unwrap_or_else(|| panic!("no column {column}"))
    }
}

/// `(domain, column value)` pairs of the CSV rows, in output order.
pub fn pairs(rows: &[Vec<String>], column: &str) -> Vec<(String, String)> {
    let d = rows[0]
        .iter()
        .position(|h| h == "domain")
        .expect("domain column");
    let c = rows[0]
        .iter()
        .position(|h| h == column)
        .unwrap_or_else(|| panic!("no column {column}"));
    rows[1..]
        .iter()
        .map(|r| (r[d].clone(), r[c].clone()))
        .collect()
}

/// The values of one column, by header name, from parsed rows.
pub fn column(rows: &[Vec<String>], column: &str) -> Vec<String> {
    let i = rows[0]
        .iter()
        .position(|h| h == column)
        .unwrap_or_else(|| panic!("no column {column}"));
    rows[1..].iter().map(|r| r[i].clone()).collect()
}

/// Some columns of CSV rows, one `a|b|c` string per data row, for compact
/// exact comparisons: `view(&rows, "domain fit tier")`.
pub fn view(rows: &[Vec<String>], columns: &str) -> Vec<String> {
    let indexes: Vec<usize> = columns
        .split_whitespace()
        .map(|c| {
            rows[0]
                .iter()
                .position(|h| h == c)
                .unwrap_or_else(|| panic!("no column {c}"))
        })
        .collect();
    rows[1..]
        .iter()
        .map(|row| {
            indexes
                .iter()
                .map(|&i| row[i].as_str())
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect()
}

/// Whether `program` is on PATH.
pub fn which(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

/// Whether a tool a test needs is here. Under CI (`CI` set) its absence
/// fails the test, as `.ci/run` installs every such tool: a check that
/// silently did not run must not pass there.
pub fn tool_present(found: bool, tool: &str, install: &str) -> bool {
    assert!(
        found || std::env::var_os("CI").is_none(),
        "{tool} is missing and CI is set: install it ({install})"
    );
    if !found {
        eprintln!("note: {tool} is missing here, so this check did not run ({install})");
    }
    found
}

/// Whether headless Chromium can open pages (see scripts/html-screenshot.sh).
pub fn have_chromium() -> bool {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .any(|b| which(b));
    tool_present(found, "chromium", "apt-get install -y chromium")
}

/// A project folder from inline files (`tal.toml` among them).
pub fn project(files: &[(&str, &str)]) -> Workdir {
    let work = Workdir::new();
    for (name, contents) in files {
        work.write(name, contents);
    }
    work
}
