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

/// Runs and returns stdout, asserting the exit code.
pub fn stdout_of(cmd: &mut Command, code: i32) -> String {
    let output = cmd.output().expect("tal runs");
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert_eq!(
        output.status.code(),
        Some(code),
        "{cmd:?}\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    stdout
}
