//! One build at a time per folder.
//!
//! `DIR/.tal-build.lock` is held with an advisory file lock (`flock` on
//! Unix) for the whole run, and names its holder: pid and start time. The
//! kernel drops the lock when its holder dies, even by `kill -9`, so a
//! lock is stale exactly when the file still names a holder but nobody
//! holds it: it is taken over with a warning. The file itself is never
//! removed (removing it would let two runs lock two different files); a
//! clean exit empties it.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use anyhow::{bail, Context, Result};

/// The lock file's name inside the build folder.
pub const LOCK_FILE: &str = ".tal-build.lock";

/// A held lock; released (and emptied) on drop.
#[derive(Debug)]
pub struct Lock {
    file: File,
}

/// Takes the folder's lock, or fails naming the run that holds it. The
/// second value is a warning when a stale lock was taken over.
pub fn acquire(dir: &Path) -> Result<(Lock, Option<String>)> {
    let path = dir.join(LOCK_FILE);
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .with_context(|| format!("cannot open the lock file {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            let holder = holder_text(&mut file);
            bail!(
                "another tal build is running in {}: {holder} (lock file {}). This run changed nothing; run it again once that one has finished",
                dir.display(),
                path.display()
            );
        }
        Err(TryLockError::Error(err)) => {
            return Err(err).with_context(|| format!("cannot lock {}", path.display()))
        }
    }
    let stale = read_holder(&mut file).map(|holder| {
        format!(
            "took over a stale lock in {}: {holder} did not finish (killed or crashed?) and no longer holds it",
            dir.display()
        )
    });
    write_holder(&mut file, &path)?;
    Ok((Lock { file }, stale))
}

fn read_holder(file: &mut File) -> Option<String> {
    let mut text = String::new();
    file.seek(SeekFrom::Start(0)).ok()?;
    file.read_to_string(&mut text).ok()?;
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

fn holder_text(file: &mut File) -> String {
    read_holder(file).unwrap_or_else(|| "a run that has not written its pid yet".to_string())
}

fn write_holder(file: &mut File, path: &Path) -> Result<()> {
    let started = chrono::Local::now().format("%Y-%m-%d %H:%M:%S %:z");
    let text = format!("pid {} started {started}\n", std::process::id());
    file.set_len(0)
        .and_then(|_| file.seek(SeekFrom::Start(0)))
        .and_then(|_| file.write_all(text.as_bytes()))
        .and_then(|_| file.sync_all())
        .with_context(|| format!("cannot write the lock file {}", path.display()))
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Empty first, then unlock: an empty file is a free lock.
        let _ = self.file.set_len(0);
        let _ = self.file.sync_all();
        let _ = self.file.unlock();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_fails_naming_the_holder() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (lock, stale) = acquire(dir.path()).expect("first lock");
        assert!(stale.is_none());
        let err = acquire(dir.path()).expect_err("second lock");
        let message = err.to_string();
        assert!(
            message.contains(&format!("pid {}", std::process::id())),
            "{message}"
        );
        drop(lock);
        let (_lock, stale) = acquire(dir.path()).expect("free again");
        assert!(stale.is_none());
    }

    #[test]
    fn a_lock_left_by_a_dead_run_is_taken_over_with_a_warning() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(
            dir.path().join(LOCK_FILE),
            "pid 999999 started 2026-11-20 06:00:00 +00:00\n",
        )
        .expect("write lock");
        let (_lock, stale) = acquire(dir.path()).expect("taken over");
        let warning = stale.expect("a warning");
        assert!(warning.contains("pid 999999"), "{warning}");
    }
}
