//! `tal build --out-dir DIR`: everything a weekly cron run hands to sales
//! and to the CRM, in one folder that is never seen half-written.
//!
//! One run: take the folder's lock (`lock`), clear what a killed run left,
//! read and score, write every file into a staging folder with fsync
//! (`files`, `crm`, `manifest`), compare with the live build (`changes`),
//! then either swap the new build in (`folder`) or, when `--max-churn` trips,
//! park it under `DIR/pending` for review. `--accept-pending` swaps a parked
//! build in.

pub mod crm;
pub mod files;
pub mod folder;
pub mod lock;
pub mod manifest;

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use indexmap::IndexMap;

use crate::changes::{self, list, render, Changes, TalList};
use crate::cli::SpecArgs;
use crate::digest;
use crate::pipeline::{self, Project};
use folder::{Folder, Staging, CURRENT, PENDING};
use manifest::{Durations, Manifest, Previous};

/// What the command line asked for.
pub struct Options {
    pub spec: SpecArgs,
    pub out_dir: PathBuf,
    /// Hold the build back when more than this % of the live TAL moved.
    pub max_churn: Option<f64>,
    /// Compare with this TAL file instead of the live build's.
    pub previous: Option<PathBuf>,
    pub accept_pending: bool,
}

/// Where the run left its build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Swapped in: it is the live build.
    Live,
    /// Held back by the churn breaker: in `DIR/pending`.
    Pending,
    /// A pending build was swapped in.
    Accepted,
}

/// What happened, for the command to report.
pub struct BuildReport {
    pub outcome: Outcome,
    pub dir: PathBuf,
    pub as_of: String,
    pub tal: usize,
    pub tiers: IndexMap<String, usize>,
    pub changes: Changes,
    /// There was a list to compare with.
    pub has_previous: bool,
    pub max_churn: Option<f64>,
    /// Data-quality warnings (what `--strict` turns into exit 3).
    pub warnings: Vec<String>,
    /// Things the operator should know about the folder (a stale lock...).
    pub notices: Vec<String>,
}

/// Runs one build (or accepts the pending one).
pub fn run(options: &Options) -> Result<BuildReport> {
    let folder = Folder::open(&options.out_dir)?;
    let (_lock, stale) = lock::acquire(&folder.dir)?;
    let mut notices: Vec<String> = stale.into_iter().collect();
    let current = folder.build_at(CURRENT)?;
    folder.remove_leftovers()?;
    pause_at("locked");
    if options.accept_pending {
        if let Some(pending) = folder.build_at(PENDING)? {
            return accept(&folder, &pending, current.as_deref(), notices);
        }
        notices.push("nothing was pending: built afresh, without the churn breaker".to_string());
        return build(&folder, options, current.as_deref(), notices).with_context(|| {
            format!(
                "nothing is pending in {} to accept, and building afresh failed",
                folder.dir.display()
            )
        });
    }
    build(&folder, options, current.as_deref(), notices)
}

/// Test hook: `TAL_TEST_PAUSE_AT=<stage>[:<seconds>]` makes a build stop
/// at `stage` (locked, writing, staged, published, swapped) for 60 seconds
/// (or the seconds given), after saying so on stderr, so that a test can
/// kill it exactly there. Unset, it costs one environment lookup.
pub(crate) fn pause_at(stage: &str) {
    let Ok(wanted) = std::env::var("TAL_TEST_PAUSE_AT") else {
        return;
    };
    let (name, seconds) = match wanted.split_once(':') {
        Some((name, seconds)) => (name, seconds.parse().unwrap_or(60)),
        None => (wanted.as_str(), 60),
    };
    if name == stage {
        eprintln!("tal build: paused at {stage} (TAL_TEST_PAUSE_AT)");
        std::thread::sleep(std::time::Duration::from_secs(seconds));
    }
}

fn millis(since: Instant) -> u64 {
    since.elapsed().as_millis() as u64
}

fn build(
    folder: &Folder,
    options: &Options,
    current: Option<&Path>,
    mut notices: Vec<String>,
) -> Result<BuildReport> {
    let started = Instant::now();
    let (project, mut durations) = read_and_score(&options.spec)?;
    let (previous, replaces) = previous_lists(options.previous.as_deref(), current)?;
    let mut staging = folder.stage(&build_id(&project))?;
    let writing = Instant::now();
    let written = write_build(&mut staging, &project, previous, current)?;
    notices.extend(skipped_notice(&staging.skipped));
    let held_back = options
        .max_churn
        .is_some_and(|max| written.has_previous && written.changes.churn_pct() > max);
    durations.write_ms = millis(writing);
    durations.total_ms = millis(started);
    crate::progress::step("manifest");
    let manifest = written.manifest(&project, replaces, options.max_churn, held_back, durations)?;
    staging.write_bytes("manifest.json", &manifest::to_json(&manifest)?)?;
    crate::progress::step("fsync, swap in");
    staging.sync()?;
    pause_at("staged");
    let mut report = BuildReport {
        outcome: if held_back {
            Outcome::Pending
        } else {
            Outcome::Live
        },
        dir: folder.dir.clone(),
        as_of: project.as_of.to_string(),
        tal: project.scored.tal.len(),
        tiers: manifest.tiers,
        changes: written.changes,
        has_previous: written.has_previous,
        max_churn: options.max_churn,
        warnings: manifest.warnings,
        notices,
    };
    land(folder, staging, &mut report)?;
    Ok(report)
}

/// What the history held that is no regular file or folder (links, a
/// FIFO): left out, not followed, and said once.
fn skipped_notice(skipped: &[PathBuf]) -> Option<String> {
    let first = skipped.first()?;
    let more = match skipped.len() {
        1 => String::new(),
        n => format!(" and {} more", n - 1),
    };
    Some(format!(
        "{}{more}: not a regular file or folder, left out of the history (tal build does not follow links there)",
        first.display()
    ))
}

/// Reads the exports and scores them, timing both.
fn read_and_score(args: &SpecArgs) -> Result<(Project, Durations)> {
    let started = Instant::now();
    let spec = pipeline::load_spec(args)?;
    let as_of = pipeline::as_of(args);
    let keep = crate::input::Keep {
        rows: false,
        digests: true,
    };
    let (loaded, overrides) = pipeline::read_inputs(&spec, as_of, keep)?;
    let read_ms = millis(started);
    let scoring = Instant::now();
    let project = pipeline::score_loaded(spec, loaded, &overrides, as_of)?;
    let durations = Durations {
        read_ms,
        score_ms: millis(scoring),
        ..Durations::default()
    };
    Ok((project, durations))
}

/// A TAL read back, and where it came from.
type PreviousList = (TalList, Previous);

/// The list to compare with (`--previous`, else the live build's), and
/// the live build's.
fn previous_lists(
    file: Option<&Path>,
    current: Option<&Path>,
) -> Result<(Option<PreviousList>, Option<Previous>)> {
    let live = current.map(read_live).transpose()?;
    let replaces = live.as_ref().map(|(_, previous)| previous.clone());
    let previous = match file {
        Some(file) => Some(read_previous(file, file.display().to_string(), None)?),
        None => live,
    };
    Ok((previous, replaces))
}

/// Moves the staged build under `.builds/` and makes it live, or pending.
/// If that fails, the new build is removed again and the old one stays.
fn land(folder: &Folder, staging: Staging, report: &mut BuildReport) -> Result<()> {
    let landed = publish(folder, staging, report);
    if landed.is_err() {
        let _ = folder.remove_leftovers();
    }
    landed?;
    tidy(folder, &mut report.notices);
    Ok(())
}

fn publish(folder: &Folder, staging: Staging, report: &mut BuildReport) -> Result<()> {
    let build = folder.publish(staging)?;
    pause_at("published");
    match report.outcome {
        Outcome::Pending => folder.make_pending(&build),
        _ => go_live(folder, &build, &mut report.notices),
    }
}

/// Swaps `build` in and drops a pending build it supersedes.
fn go_live(folder: &Folder, build: &Path, notices: &mut Vec<String>) -> Result<()> {
    folder.make_current(build)?;
    pause_at("swapped");
    if let Some(pending) = folder.build_at(PENDING).ok().flatten() {
        folder.drop_pending()?;
        let when = manifest::read_head(&pending).map_or_else(|_| "?".to_string(), |h| h.as_of);
        notices.push(format!(
            "discarded the pending build of {when}: this build replaces it"
        ));
    }
    Ok(())
}

/// Removes builds no longer linked. The new build is already in place, so
/// a failure here is only worth a notice.
fn tidy(folder: &Folder, notices: &mut Vec<String>) {
    if let Err(err) = folder.remove_leftovers() {
        notices.push(format!("could not remove old builds: {err:#}"));
    }
}

/// `<as-of>-<unix seconds>-<pid>`: unique per run, sorted by date.
fn build_id(project: &Project) -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    format!("{}-{seconds}-{}", project.as_of, std::process::id())
}

fn as_of_of(build: &Path) -> Option<String> {
    manifest::read_head(build).ok().map(|h| h.as_of)
}

/// The live build's TAL, named `tal.csv` (DIR's, when the build ran).
fn read_live(build: &Path) -> Result<PreviousList> {
    read_previous(
        &build.join("tal.csv"),
        "tal.csv".to_string(),
        as_of_of(build),
    )
}

fn read_previous(path: &Path, shown: String, as_of: Option<String>) -> Result<PreviousList> {
    let bytes = std::fs::read(path)
        .with_context(|| format!("cannot read the previous TAL {}", path.display()))?;
    let sha256 = digest::of_bytes(&bytes).sha256;
    let list = list::parse(bytes).with_context(|| format!("{}", path.display()))?;
    let previous = Previous {
        path: shown,
        as_of,
        sha256,
        accounts: list.tal_len(),
    };
    Ok((list, previous))
}

/// What `write_build` learnt on the way.
struct Written {
    changes: Changes,
    has_previous: bool,
    previous: Option<Previous>,
    crm: Option<crm::CrmSummary>,
    history: Vec<String>,
    files: IndexMap<String, folder::FileDigest>,
}

/// Writes every file but the manifest into `staging`.
fn write_build(
    staging: &mut Staging,
    project: &Project,
    previous: Option<PreviousList>,
    current: Option<&Path>,
) -> Result<Written> {
    crate::progress::stage("writing the build folder");
    let tal = files::write_lists(staging, project)?;
    staging.write("segments.csv", |out| files::segments_csv(out, project))?;
    staging.write("rejects.csv", |out| files::rejects_csv(out, project))?;
    files::write_reports(staging, project)?;

    crate::progress::step("changes, CRM update, history");
    let (old, previous) = match previous {
        Some((list, previous)) => (list, Some(previous)),
        None => (TalList::default(), None),
    };
    let tiers: Vec<String> = project.spec.tiers.iter().map(|t| t.name.clone()).collect();
    let new = files::new_list(project, &tal, &old)?;
    let changes = changes::compare(&old, &new, &tiers, "no longer in the exports");
    staging.write("changes.csv", |out| render::write_csv(out, &changes))?;

    let mut crm = None;
    if let Some(export) = &project.spec.crm_export {
        staging.write("crm_update.csv", |out| {
            crm = Some(crm::write(out, project, export, &changes)?);
            Ok(())
        })?;
    }
    let week = project.as_of.to_string();
    let mut history = staging.carry_history(current, &week)?;
    staging.link("tal.csv", &format!("{}/{week}/tal.csv", folder::HISTORY))?;
    history.push(week);
    history.sort();
    Ok(Written {
        changes,
        has_previous: previous.is_some(),
        previous,
        crm,
        history,
        files: staging.files.clone(),
    })
}

impl Written {
    fn manifest(
        &self,
        project: &Project,
        replaces: Option<Previous>,
        max_churn: Option<f64>,
        held_back: bool,
        durations: Durations,
    ) -> Result<Manifest> {
        let (spec, overrides, inputs) = manifest::sources(project)?;
        let (tiers, outside_tal) = manifest::tier_counts(project);
        let mut warnings = project.warnings();
        warnings.extend(self.crm.as_ref().and_then(|c| c.warning()));
        Ok(Manifest {
            tal_version: env!("CARGO_PKG_VERSION"),
            as_of: project.as_of.to_string(),
            built_at: chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
            spec,
            overrides,
            inputs,
            accounts: project.loaded.accounts.len(),
            tal: project.scored.tal.len(),
            tiers,
            outside_tal,
            previous: self.previous.clone(),
            replaces,
            changes: manifest::churn(&self.changes, max_churn, held_back),
            crm_update: self.crm.clone(),
            warnings,
            history: self.history.clone(),
            files: self.files.clone(),
            durations,
        })
    }
}

/// `--accept-pending`: swaps the pending build in, if the live build is
/// still the one it was compared with.
fn accept(
    folder: &Folder,
    pending: &Path,
    current: Option<&Path>,
    mut notices: Vec<String>,
) -> Result<BuildReport> {
    let head = manifest::read_head(pending)?;
    let live = match current {
        Some(live) => Some(digest::of_file(&live.join("tal.csv"))?.sha256),
        None => None,
    };
    if head.replaces.as_ref().map(|p| &p.sha256) != live.as_ref() {
        bail!(
            "the pending build ({}) was compared with a build that is no longer live in {}; run tal build again to compare with the live one",
            head.as_of,
            folder.dir.display()
        );
    }
    folder.make_current(pending)?;
    folder.drop_pending()?;
    tidy(folder, &mut notices);
    Ok(BuildReport {
        outcome: Outcome::Accepted,
        dir: folder.dir.clone(),
        as_of: head.as_of,
        tal: head.tal,
        tiers: head.tiers,
        changes: Changes::default(),
        has_previous: head.replaces.is_some(),
        max_churn: None,
        warnings: Vec::new(),
        notices,
    })
}
