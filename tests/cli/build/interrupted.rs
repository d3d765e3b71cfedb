//! `tal build` interrupted: killed at each stage, out of disk space, and
//! racing another run. The previous build must stay whole and the next
//! run must succeed.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};

use super::*;

// ---------------------------------------------------------------- interruptions

/// `tal build` as a child process, paused at `stage` by the test hook; it
/// returns once the build says it has paused there.
fn spawn_paused(spec: &Path, as_of: &str, out: &Path, stage: &str) -> Child {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tal"))
        .arg("build")
        .arg("--spec")
        .arg(spec)
        .args(["--as-of", as_of])
        .arg("--out-dir")
        .arg(out)
        .env("TAL_TEST_PAUSE_AT", stage)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("tal starts");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    loop {
        match lines.next() {
            Some(Ok(line)) if line.contains("paused at") => break,
            Some(_) => continue,
            None => panic!("tal ended before pausing at {stage}: {:?}", child.wait()),
        }
    }
    child
}

#[test]
fn a_build_killed_at_any_stage_leaves_the_previous_build_whole() {
    let week2 = score(&us_spec(), WEEK2, false);
    for stage in ["locked", "writing", "staged", "published", "swapped"] {
        let work = Workdir::new();
        let out = work.path().join("out");
        run(&mut build(&us_spec(), WEEK1, &out), 0);
        let before = visible(&out);
        let mut child = spawn_paused(&us_spec(), WEEK2, &out, stage);
        child.kill().expect("kill -9");
        child.wait().expect("reaped");
        if stage == "swapped" {
            // Killed after the switch: the new build is live, and whole.
            assert_eq!(assert_whole(&out)["as_of"], WEEK2);
            assert_eq!(work.read("out/tal.csv"), week2);
        } else {
            assert_eq!(visible(&out), before, "killed at {stage}");
            assert_eq!(assert_whole_ignoring_leftovers(&out)["as_of"], WEEK1);
        }
        let (_, stderr) = run(&mut build(&us_spec(), WEEK2, &out), 0);
        assert!(
            stderr.contains("took over a stale lock"),
            "{stage}: {stderr}"
        );
        assert_eq!(work.read("out/tal.csv"), week2, "{stage}");
        assert_eq!(
            assert_whole(&out)["history"],
            serde_json::json!([WEEK1, WEEK2]),
            "{stage}"
        );
        assert_eq!(
            count_builds(&out),
            1,
            "{stage}: old and half-made builds are removed"
        );
    }
}

/// `assert_whole` for a folder a killed run may have left a staging
/// folder in (the next run removes it).
fn assert_whole_ignoring_leftovers(dir: &Path) -> serde_json::Value {
    let manifest = manifest(dir);
    for (name, digest) in manifest["files"].as_object().expect("files") {
        let bytes = fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            sha256(&bytes),
            digest["sha256"].as_str().expect("sha"),
            "{name}"
        );
    }
    manifest
}

#[test]
fn a_second_build_fails_clearly_while_one_runs() {
    let work = Workdir::new();
    let out = work.path().join("out");
    run(&mut build(&us_spec(), WEEK1, &out), 0);
    let before = visible(&out);
    let mut first = spawn_paused(&us_spec(), WEEK2, &out, "writing");
    let (_, stderr) = run(&mut build(&us_spec(), WEEK2, &out), 1);
    assert!(
        stderr.contains("another tal build is running in"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("pid {} started", first.id())),
        "{stderr}"
    );
    assert_eq!(visible(&out), before);
    first.kill().expect("kill");
    first.wait().expect("reaped");
    run(&mut build(&us_spec(), WEEK2, &out), 0);
    assert_whole(&out);
}

#[test]
fn two_builds_started_together_leave_one_consistent_folder() {
    let work = Workdir::new();
    let out = work.path().join("out");
    run(&mut build(&us_spec(), WEEK1, &out), 0);
    let start = |as_of: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_tal"))
            .arg("build")
            .arg("--spec")
            .arg(us_spec())
            .args(["--as-of", as_of])
            .arg("--out-dir")
            .arg(&out)
            .stderr(Stdio::piped())
            .spawn()
            .expect("tal starts")
    };
    let (a, b) = (start(WEEK2), start("2026-11-21"));
    let outputs = [
        a.wait_with_output().expect("a"),
        b.wait_with_output().expect("b"),
    ];
    for output in &outputs {
        let stderr = String::from_utf8_lossy(&output.stderr);
        match output.status.code() {
            Some(0) => {}
            Some(1) => assert!(stderr.contains("another tal build is running"), "{stderr}"),
            other => panic!("exit {other:?}: {stderr}"),
        }
    }
    assert!(outputs.iter().any(|o| o.status.success()));
    let manifest = assert_whole(&out);
    let as_of = manifest["as_of"].as_str().expect("as_of");
    assert_eq!(work.read("out/tal.csv"), score(&us_spec(), as_of, false));
    assert_eq!(count_builds(&out), 1);
}

// ---------------------------------------------------------------- full disk

/// Builds twice on a small tmpfs (mounted in a private user and mount
/// namespace, so no privileges are needed and nothing leaks): the second
/// build fills the disk. Returns false where namespaces are not allowed.
fn full_disk_on_tmpfs(work: &Workdir) -> bool {
    let script = r#"
set -u
mkdir -p "$W/disk"
mount -t tmpfs -o size=4m tmpfs "$W/disk" || exit 90
out="$W/disk/out"
"$TAL" build --spec "$SPEC" --as-of 2026-11-13 --out-dir "$out" -q; echo "first $?" >> "$W/codes"
cp -rL "$out" "$W/before"
used=$(du -sk "$W/disk" | cut -f1)
mount -o remount,size=$((used + 8))k "$W/disk" || exit 91
"$TAL" build --spec "$SPEC" --as-of 2026-11-20 --out-dir "$out" 2> "$W/full.err"; echo "full $?" >> "$W/codes"
cp -rL "$out" "$W/after"
mount -o remount,size=4m "$W/disk"
"$TAL" build --spec "$SPEC" --as-of 2026-11-20 --out-dir "$out" -q; echo "again $?" >> "$W/codes"
cp -rL "$out" "$W/again"
"#;
    let status = std::process::Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "sh", "-c", script])
        .env("W", work.path())
        .env("TAL", env!("CARGO_BIN_EXE_tal"))
        .env("SPEC", us_spec())
        .stderr(Stdio::null())
        .status();
    status.is_ok_and(|s| s.success()) && work.path().join("codes").exists()
}

/// Where tmpfs cannot be mounted: a real write failure all the same, from
/// a file-size limit (`ulimit -f`, with SIGXFSZ ignored so writes fail
/// with EFBIG instead of killing the process).
fn full_disk_by_ulimit(work: &Workdir) {
    let out = work.path().join("disk/out");
    run(&mut build(&us_spec(), WEEK1, &out), 0);
    copy_dir_following_links(&out, &work.path().join("before"));
    let script = r#"trap '' XFSZ; ulimit -f 1; exec "$TAL" build --spec "$SPEC" --as-of 2026-11-20 --out-dir "$OUT""#;
    let output = std::process::Command::new("sh")
        .args(["-c", script])
        .env("TAL", env!("CARGO_BIN_EXE_tal"))
        .env("SPEC", us_spec())
        .env("OUT", &out)
        .output()
        .expect("sh runs");
    fs::write(work.path().join("full.err"), &output.stderr).expect("write");
    copy_dir_following_links(&out, &work.path().join("after"));
    let again = build(&us_spec(), WEEK2, &out).output().expect("tal runs");
    copy_dir_following_links(&out, &work.path().join("again"));
    let codes = format!(
        "first 0\nfull {}\nagain {}\n",
        output.status.code().unwrap_or(-1),
        again.status.code().unwrap_or(-1)
    );
    fs::write(work.path().join("codes"), codes).expect("write");
}

fn copy_dir_following_links(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create");
    for entry in fs::read_dir(from).expect("read") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir_following_links(&entry.path(), &target);
        } else if entry.path().exists() {
            fs::copy(entry.path(), target).expect("copy");
        }
    }
}

#[test]
fn a_full_disk_leaves_the_previous_build_whole() {
    let work = Workdir::new();
    if !full_disk_on_tmpfs(&work) {
        eprintln!(
            "no tmpfs in a user namespace here: filling the disk with a file-size limit instead"
        );
        full_disk_by_ulimit(&work);
    }
    assert_eq!(
        work.read("codes"),
        "first 0\nfull 1\nagain 0\n",
        "{}",
        work.read("full.err")
    );
    let full = work.read("full.err");
    assert!(
        full.contains("No space left on device") || full.contains("File too large"),
        "{full}"
    );
    assert_eq!(
        visible(&work.path().join("after")),
        visible(&work.path().join("before"))
    );
    assert_eq!(
        assert_whole_ignoring_leftovers(&work.path().join("after"))["as_of"],
        WEEK1
    );
    let again = work.path().join("again");
    assert_eq!(assert_whole(&again)["as_of"], WEEK2);
    assert_eq!(
        fs::read_to_string(again.join("tal.csv")).expect("tal"),
        score(&us_spec(), WEEK2, false)
    );
}
