//! The build folder on disk, and how a build is swapped in without ever
//! leaving a half-written one in sight.
//!
//! ```text
//! DIR/
//!   .tal-build.lock        who is building (see `lock`)
//!   .builds/<id>/          complete builds: every file, and history/
//!   .staging-<id>/         the run in progress (removed if it fails)
//!   current -> .builds/<id>             the live build
//!   pending -> .builds/<id>             a build held back by --max-churn
//!   tal.csv -> current/tal.csv          one stable link per file, so
//!   history -> current/history          DIR/tal.csv is always there
//! ```
//!
//! A run writes everything into `.staging-<id>`, fsyncs each file (all
//! at the end, side by side, so the disk writes back the large files while
//! the small ones are written) and folder, renames the folder to `.builds/<id>`, and then swaps the
//! `current` link with one `rename`: a reader, a crash, a `kill -9` or a full
//! disk sees the old build whole or the new build whole, never a mix. Each
//! build carries the whole history (older weeks hard-linked from the build
//! before, so they cost no space), which keeps history in the same swap.
//! Builds no link points to are removed after the swap, and leftovers of a
//! killed run at the start of the next one (under the lock, so no other run
//! can own them).

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use indexmap::IndexMap;
use serde::Serialize;

use crate::digest::{Digest, Digesting};

const BUILDS: &str = ".builds";
const STAGING_PREFIX: &str = ".staging-";
const LINK_PREFIX: &str = ".link-";
pub const CURRENT: &str = "current";
pub const PENDING: &str = "pending";
pub const HISTORY: &str = "history";

/// Names a build may contain: DIR entries with these names must be links
/// made by `tal build`, never someone else's files.
const BUILD_NAMES: &[&str] = &[
    "tal.csv",
    "accounts.csv",
    "segments.csv",
    "rejects.csv",
    "changes.csv",
    "crm_update.csv",
    "manifest.json",
    "report.md",
    "report.json",
    "report.html",
    HISTORY,
    CURRENT,
    PENDING,
];

/// A build folder whose lock this run holds.
pub struct Folder {
    pub dir: PathBuf,
}

impl Folder {
    /// Creates DIR when needed, and refuses a folder whose build names are
    /// taken by files `tal build` did not make.
    pub fn open(dir: &Path) -> Result<Folder> {
        fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the build folder {}", dir.display()))?;
        for name in BUILD_NAMES {
            check_is_link(&dir.join(name))?;
        }
        // `.builds` is where old builds are removed from: a link there
        // would turn the cleanup loose on another folder.
        let builds = dir.join(BUILDS);
        if let Ok(meta) = fs::symlink_metadata(&builds) {
            if !meta.is_dir() {
                bail!(
                    "{} is not a folder made by tal build (it is a link or a file): tal build removes old builds from it, so it refuses to follow it. Remove it, or use an empty folder for --out-dir",
                    builds.display()
                );
            }
        }
        Ok(Folder {
            dir: dir.to_path_buf(),
        })
    }

    /// The build a link (`current`, `pending`) points to, if any.
    pub fn build_at(&self, link: &str) -> Result<Option<PathBuf>> {
        let path = self.dir.join(link);
        let Ok(target) = fs::read_link(&path) else {
            return Ok(None);
        };
        if !is_build_target(&target) {
            bail!(
                "{} points to {}, not to a build of this folder (.builds/<id>): tal build made no such link. Remove it, or use an empty folder for --out-dir",
                path.display(),
                target.display()
            );
        }
        let build = self.dir.join(target);
        if !build.is_dir() {
            bail!(
                "{} points to {}, which is gone: remove the link (the next build starts afresh) or restore the folder",
                path.display(),
                build.display()
            );
        }
        Ok(Some(build))
    }

    /// Removes what a killed run left: staging folders, half-made links,
    /// builds no link points to, links to files the live build lacks.
    /// Fails, removing no build, when `current` cannot be resolved.
    pub fn remove_leftovers(&self) -> Result<()> {
        let mut keep = Vec::new();
        keep.extend(self.build_at(CURRENT)?);
        keep.extend(self.build_at(PENDING).ok().flatten());
        let keep: Vec<_> = keep.iter().filter_map(|b| b.file_name()).collect();
        for entry in read_dir(&self.dir)? {
            let name = entry.file_name().to_string_lossy().to_string();
            let path = entry.path();
            let real_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            if name.starts_with(STAGING_PREFIX) && real_dir {
                fs::remove_dir_all(&path)
                    .with_context(|| format!("cannot remove {}", path.display()))?;
            } else if name.starts_with(LINK_PREFIX) || is_dangling_link(&path) {
                fs::remove_file(&path)
                    .with_context(|| format!("cannot remove {}", path.display()))?;
            }
        }
        let builds = self.dir.join(BUILDS);
        if builds.is_dir() {
            for entry in read_dir(&builds)? {
                // Only builds: real folders named as tal names them.
                let name = entry.file_name().to_string_lossy().to_string();
                let ours = is_build_id(&name) && entry.file_type().is_ok_and(|t| t.is_dir());
                if ours && !keep.contains(&entry.file_name().as_os_str()) {
                    fs::remove_dir_all(entry.path())
                        .with_context(|| format!("cannot remove {}", entry.path().display()))?;
                }
            }
        }
        Ok(())
    }

    /// A new, empty staging folder.
    pub fn stage(&self, id: &str) -> Result<Staging> {
        let dir = self.dir.join(format!("{STAGING_PREFIX}{id}"));
        fs::create_dir(&dir)
            .with_context(|| format!("cannot create the staging folder {}", dir.display()))?;
        Ok(Staging {
            dir,
            id: id.to_string(),
            files: IndexMap::new(),
            unsynced: Vec::new(),
            skipped: Vec::new(),
            done: false,
        })
    }

    /// Moves a finished staging folder to `.builds/<id>`.
    pub fn publish(&self, staging: Staging) -> Result<PathBuf> {
        let builds = self.dir.join(BUILDS);
        fs::create_dir_all(&builds)
            .with_context(|| format!("cannot create {}", builds.display()))?;
        let target = builds.join(&staging.id);
        fs::rename(&staging.dir, &target).with_context(|| {
            format!(
                "cannot move {} to {}",
                staging.dir.display(),
                target.display()
            )
        })?;
        let mut staging = staging;
        staging.done = true;
        sync_dir(&builds)?;
        sync_dir(&self.dir)?;
        Ok(target)
    }

    /// Makes `build` the live build: first a stable link per file, then
    /// the one atomic switch of `current`.
    pub fn make_current(&self, build: &Path) -> Result<()> {
        for entry in read_dir(build)? {
            let name = entry.file_name().to_string_lossy().to_string();
            let link = self.dir.join(&name);
            check_is_link(&link)?;
            if fs::symlink_metadata(&link).is_err() {
                self.replace_link(&name, &Path::new(CURRENT).join(&name))?;
            }
        }
        self.point(CURRENT, build)
    }

    /// Points `pending` at `build`.
    pub fn make_pending(&self, build: &Path) -> Result<()> {
        self.point(PENDING, build)
    }

    /// Removes the `pending` link (its build goes with the next cleanup).
    pub fn drop_pending(&self) -> Result<()> {
        let link = self.dir.join(PENDING);
        if fs::symlink_metadata(&link).is_ok() {
            fs::remove_file(&link).with_context(|| format!("cannot remove {}", link.display()))?;
            sync_dir(&self.dir)?;
        }
        Ok(())
    }

    fn point(&self, link: &str, build: &Path) -> Result<()> {
        let name = build
            .file_name()
            .context("a build folder has a name")?
            .to_os_string();
        self.replace_link(link, &Path::new(BUILDS).join(name))
    }

    /// Creates `DIR/name -> target` by renaming a fresh link over it.
    fn replace_link(&self, name: &str, target: &Path) -> Result<()> {
        let temp = self
            .dir
            .join(format!("{LINK_PREFIX}{name}-{}", std::process::id()));
        let _ = fs::remove_file(&temp);
        symlink(target, &temp)
            .with_context(|| format!("cannot create the link {}", temp.display()))?;
        let path = self.dir.join(name);
        fs::rename(&temp, &path).with_context(|| format!("cannot replace {}", path.display()))?;
        sync_dir(&self.dir)
    }
}

/// Size and sha256 of a written file.
#[derive(Debug, Clone, Serialize)]
pub struct FileDigest {
    pub size: u64,
    pub sha256: String,
}

impl From<Digest> for FileDigest {
    fn from(d: Digest) -> Self {
        FileDigest {
            size: d.size,
            sha256: d.sha256,
        }
    }
}

/// A build being written. Dropped before `publish`, it removes itself, so
/// a failed run (a full disk...) leaves nothing behind.
pub struct Staging {
    pub dir: PathBuf,
    id: String,
    /// Every file written, by path inside the build.
    pub files: IndexMap<String, FileDigest>,
    /// The files written and not yet fsynced (see [`Staging::sync`]).
    unsynced: Vec<(PathBuf, File)>,
    /// What [`Staging::carry_history`] found in the history that is no
    /// regular file or folder, and left out.
    pub skipped: Vec<PathBuf>,
    done: bool,
}

impl Staging {
    /// Writes `name` (a path inside the build) through `fill`, digesting
    /// it; [`Staging::sync`] fsyncs it.
    pub fn write(
        &mut self,
        name: &str,
        fill: impl FnOnce(&mut dyn Write) -> Result<()>,
    ) -> Result<()> {
        let path = self.dir.join(name);
        let (digest, file) =
            write_file(&path, fill).with_context(|| format!("cannot write {}", path.display()))?;
        self.files.insert(name.to_string(), digest.into());
        self.unsynced.push((path, file));
        Ok(())
    }

    pub fn write_bytes(&mut self, name: &str, bytes: &[u8]) -> Result<()> {
        self.write(name, |out| Ok(out.write_all(bytes)?))
    }

    /// `to`, the same file as `from` (a hard link; a copy where links fail).
    pub fn link(&mut self, from: &str, to: &str) -> Result<()> {
        let (source, target) = (self.dir.join(from), self.dir.join(to));
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        link_or_copy(&source, &target)?;
        let digest = self
            .files
            .get(from)
            .cloned()
            .with_context(|| format!("{from} is not a file of this build"))?;
        self.files.insert(to.to_string(), digest);
        Ok(())
    }

    /// The history of `previous` (hard links; copies where links fail),
    /// without the week `skip` that this build rewrites.
    pub fn carry_history(&mut self, previous: Option<&Path>, skip: &str) -> Result<Vec<String>> {
        self.skipped.clear();
        let target = self.dir.join(HISTORY);
        fs::create_dir_all(&target)
            .with_context(|| format!("cannot create {}", target.display()))?;
        let Some(source) = previous.map(|p| p.join(HISTORY)).filter(|p| p.is_dir()) else {
            return Ok(Vec::new());
        };
        let mut weeks = Vec::new();
        for entry in read_dir(&source)? {
            let week = entry.file_name().to_string_lossy().to_string();
            if week == skip {
                continue;
            }
            if !entry.file_type().is_ok_and(|t| t.is_dir()) {
                self.skipped.push(entry.path());
                continue;
            }
            link_tree(&entry.path(), &target.join(&week), &mut self.skipped)?;
            weeks.push(week);
        }
        weeks.sort();
        Ok(weeks)
    }

    /// Fsyncs every file written, side by side, then every folder of the
    /// build, deepest first.
    pub fn sync(&mut self) -> Result<()> {
        let files = std::mem::take(&mut self.unsynced);
        std::thread::scope(|scope| {
            let syncs: Vec<_> = (files.iter())
                .map(|(path, file)| {
                    scope.spawn(move || {
                        file.sync_all()
                            .with_context(|| format!("cannot sync {}", path.display()))
                    })
                })
                .collect();
            syncs.into_iter().try_for_each(|sync| {
                sync.join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("a file sync failed")))
            })
        })?;
        sync_tree(&self.dir)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Writes a new file through `fill`: its digest, and the file to fsync.
fn write_file(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<(Digest, File)> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    let file = File::create_new(path)?;
    let mut out = Digesting::new(BufWriter::new(file));
    fill(&mut out)?;
    let (writer, digest) = out.finish();
    let file = writer.into_inner().map_err(|e| e.into_error())?;
    Ok((digest, file))
}

/// Hard-links (or copies) the regular files and real folders under
/// `from`; links and anything else are not followed but listed in
/// `skipped`.
fn link_tree(from: &Path, to: &Path, skipped: &mut Vec<PathBuf>) -> Result<()> {
    fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    for entry in read_dir(from)? {
        let (source, target) = (entry.path(), to.join(entry.file_name()));
        let kind = entry
            .file_type()
            .with_context(|| format!("cannot read {}", source.display()))?;
        if kind.is_dir() {
            link_tree(&source, &target, skipped)?;
        } else if kind.is_file() {
            link_or_copy(&source, &target)?;
        } else {
            skipped.push(source);
        }
    }
    Ok(())
}

/// A link target of ours: `.builds/<id>`, nothing more.
fn is_build_target(target: &Path) -> bool {
    use std::path::Component;
    let parts: Vec<Component> = target.components().collect();
    matches!(
        parts.as_slice(),
        [Component::Normal(builds), Component::Normal(id)]
            if *builds == BUILDS && is_build_id(&id.to_string_lossy())
    )
}

/// A build's name as [`Folder::stage`]'s callers make it:
/// `<as-of>-<seconds>-<pid>`, digits and dashes.
fn is_build_id(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name.bytes().all(|b| b.is_ascii_digit() || b == b'-')
        && name.bytes().next().is_some_and(|b| b.is_ascii_digit())
}

fn link_or_copy(source: &Path, target: &Path) -> Result<()> {
    if fs::hard_link(source, target).is_err() {
        fs::copy(source, target)
            .with_context(|| format!("cannot copy {} to {}", source.display(), target.display()))?;
    }
    Ok(())
}

fn read_dir(dir: &Path) -> Result<Vec<fs::DirEntry>> {
    let entries = fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
    entries
        .collect::<std::io::Result<Vec<_>>>()
        .with_context(|| format!("cannot read {}", dir.display()))
}

/// Entries named like build files must be links (or absent).
fn check_is_link(path: &Path) -> Result<()> {
    match fs::symlink_metadata(path) {
        Ok(meta) if !meta.file_type().is_symlink() => bail!(
            "{} is not a link made by tal build: this folder holds other files. Use an empty folder for --out-dir, or move {} away",
            path.display(),
            path.display()
        ),
        _ => Ok(()),
    }
}

/// A link of ours (into `current/` or `.builds/`) whose target is gone.
fn is_dangling_link(path: &Path) -> bool {
    let ours = fs::read_link(path)
        .is_ok_and(|target| target.starts_with(CURRENT) || target.starts_with(BUILDS));
    ours && fs::metadata(path).is_err()
}

fn sync_tree(dir: &Path) -> Result<()> {
    for entry in read_dir(dir)? {
        if entry.file_type()?.is_dir() {
            sync_tree(&entry.path())?;
        }
    }
    sync_dir(dir)
}

/// Fsyncs a folder, so the names in it (new files, renames) survive a
/// power cut. Not possible on every platform: skipped where it is not.
pub fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    File::open(dir)
        .and_then(|f| f.sync_all())
        .with_context(|| format!("cannot sync {}", dir.display()))?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(windows)]
fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    // The links under DIR point to folders (current, pending, history) or
    // files; Windows needs to know which.
    let resolved = link
        .parent()
        .map_or(target.to_path_buf(), |p| p.join(target));
    if resolved.is_dir() {
        std::os::windows::fs::symlink_dir(target, link)
    } else {
        std::os::windows::fs::symlink_file(target, link)
    }
}
