//! Help that teaches: every command's `--help` snapshotted, the commands
//! listed in the order a user needs them, and the installable extras
//! (`--version`, completions, man pages).

use crate::util::*;

/// `tal ARGS` at a fixed width, so snapshots do not depend on the terminal.
fn help(args: &[&str]) -> String {
    stdout_of(tal().env("COLUMNS", "100").args(args), 0)
}

#[test]
fn top_level_help() {
    insta::assert_snapshot!("tal", help(&["--help"]));
}

#[test]
fn every_command_has_a_purpose_and_examples() {
    let commands: [&[&str]; 15] = [
        &["init"],
        &["check"],
        &["icp", "discover"],
        &["score"],
        &["explain"],
        &["report"],
        &["orders", "template"],
        &["orders", "check"],
        &["sql"],
        &["export"],
        &["build"],
        &["diff"],
        &["maturity"],
        &["completions"],
        &["man"],
    ];
    for command in commands {
        let text = help(&[command, &["--help"]].concat());
        assert!(
            text.contains("\nExamples:\n  tal "),
            "tal {command:?} --help has no examples:\n{text}"
        );
        insta::assert_snapshot!(command.join("-"), text);
    }
}

#[test]
fn commands_are_listed_in_the_order_a_user_needs_them() {
    let text = help(&["--help"]);
    let position = |command: &str| {
        text.find(&format!("\n  {command} "))
            .unwrap_or_else(|| panic!("{command} not listed"))
    };
    let order = [
        "init",
        "check",
        "icp",
        "score",
        "explain",
        "report",
        "orders",
        "sql",
        "export",
        "build",
        "diff",
        "maturity",
        "completions",
        "man",
    ];
    for pair in order.windows(2) {
        assert!(
            position(pair[0]) < position(pair[1]),
            "{} should come before {}",
            pair[0],
            pair[1]
        );
    }
}

#[test]
fn shared_flags_read_the_same_everywhere() {
    let shared = [
        (
            "--spec <PATH>",
            "The spec file [default: ./tal.toml, else $TAL_SPEC]",
        ),
        (
            "--as-of <YYYY-MM-DD>",
            "Score as of this day [default: today]",
        ),
        (
            "-o, --output <FILE>",
            "Write to FILE instead of stdout (\"-\" is stdout)",
        ),
    ];
    for command in ["check", "score", "explain", "report", "maturity"] {
        let text = help(&[command, "--help"]);
        for (flag, words) in shared {
            let line = text
                .lines()
                .find(|l| l.contains(flag))
                .unwrap_or_else(|| panic!("tal {command}: no {flag}"));
            assert!(line.ends_with(words), "tal {command} --help: {line}");
        }
    }
}

#[test]
fn version_names_the_package_version() {
    let out = help(&["--version"]);
    assert!(
        out.starts_with(&format!("tal {}", env!("CARGO_PKG_VERSION"))),
        "{out}"
    );
}

#[test]
fn completions_for_every_shell() {
    assert!(help(&["completions", "bash"]).contains("_tal()"));
    assert!(help(&["completions", "zsh"]).starts_with("#compdef tal"));
    assert!(help(&["completions", "fish"]).contains("complete -c tal"));
    assert!(help(&["completions", "powershell"]).contains("Register-ArgumentCompleter"));
}

#[test]
fn man_pages() {
    let page = help(&["man"]);
    assert!(page.contains(".TH tal 1"), "{page}");
    assert!(help(&["man", "init"]).contains(".TH tal-init 1"));
    let work = Workdir::new();
    stdout_of(work.tal().args(["man", "--out-dir", "man1"]), 0);
    for name in [
        "tal",
        "tal-init",
        "tal-check",
        "tal-score",
        "tal-explain",
        "tal-completions",
        "tal-man",
    ] {
        assert!(
            work.path().join(format!("man1/{name}.1")).exists(),
            "{name}.1"
        );
    }
    let output = tal().args(["man", "nosuch"]).output().expect("runs");
    assert_eq!(output.status.code(), Some(1));
}
