//! Puts the git revision into `tal --version` (`0.1.0 (3b68d24)`) when tal is
//! built from its own git checkout. Anywhere else (a crates.io or tarball
//! install, no git on the PATH) the version is the package version alone,
//! and the build never fails over it.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let full = match revision(&dir) {
        Some(rev) => format!("{version} ({rev})"),
        None => version,
    };
    println!("cargo:rustc-env=TAL_VERSION={full}");
    println!("cargo:rerun-if-changed=build.rs");
}

/// The short revision of HEAD, when `dir` is the top of a git work tree;
/// also asks cargo to rerun when HEAD moves.
fn revision(dir: &Path) -> Option<String> {
    let top = git(dir, &["rev-parse", "--show-toplevel"])?;
    // An enclosing repository (a tarball unpacked inside one) is not ours.
    if std::fs::canonicalize(top).ok()? != std::fs::canonicalize(dir).ok()? {
        return None;
    }
    let mut watched = vec![git(dir, &["rev-parse", "--git-path", "HEAD"])];
    if let Some(branch) = git(dir, &["symbolic-ref", "-q", "HEAD"]) {
        watched.push(git(dir, &["rev-parse", "--git-path", &branch]));
    }
    watched.push(git(dir, &["rev-parse", "--git-path", "packed-refs"]));
    for path in watched.into_iter().flatten() {
        // A missing file would make cargo rerun this script on every build.
        if dir.join(&path).exists() {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    git(dir, &["rev-parse", "--short", "HEAD"])
}

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?.trim().to_string();
    (!text.is_empty()).then_some(text)
}
