//! `manifest.json`: what a build was made from and what it holds, so a
//! reader can tell which exports and spec gave this list and check that
//! every input row is accounted for.

use std::path::Path;

use anyhow::Result;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use super::crm::CrmSummary;
use super::folder::FileDigest;
use crate::changes::{Changes, Movement};
use crate::digest;
use crate::engine::Status;
use crate::format;
use crate::pipeline::Project;
use crate::quality::{self, InputQuality};

/// One input: SPEC.md's shape (path, encoding, delimiter, rows, rejects,
/// unparseable, completeness) plus the file's size and sha256.
#[derive(Debug, Serialize)]
pub struct InputEntry {
    #[serde(flatten)]
    pub quality: InputQuality,
    pub size: u64,
    pub sha256: String,
}

/// A file the build read (the spec, the overrides).
#[derive(Debug, Serialize)]
pub struct SourceFile {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

/// The list this build's changes were computed against.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Previous {
    /// The previous build's tal.csv, or the `--previous` file.
    pub path: String,
    pub as_of: Option<String>,
    pub sha256: String,
    pub accounts: usize,
}

#[derive(Debug, Serialize)]
pub struct ChurnEntry {
    pub counts: IndexMap<&'static str, usize>,
    /// Accounts of the previous TAL that changed tier or left it.
    pub churned: usize,
    pub churn_pct: f64,
    pub max_churn_pct: Option<f64>,
    /// The build went to pending/ instead of going live.
    pub held_back: bool,
}

/// Milliseconds per stage.
#[derive(Debug, Default, Serialize)]
pub struct Durations {
    pub read_ms: u64,
    pub score_ms: u64,
    pub write_ms: u64,
    pub total_ms: u64,
}

#[derive(Debug, Serialize)]
pub struct Manifest {
    pub tal_version: &'static str,
    pub as_of: String,
    pub built_at: String,
    pub spec: SourceFile,
    pub overrides: Option<SourceFile>,
    pub inputs: IndexMap<String, InputEntry>,
    pub accounts: usize,
    pub tal: usize,
    /// Accounts per tier (they add up to `tal`).
    pub tiers: IndexMap<String, usize>,
    /// Accounts outside the TAL: Waitlist, Excluded, Unassigned.
    pub outside_tal: IndexMap<String, usize>,
    pub previous: Option<Previous>,
    /// The live build when this one was made (what `--accept-pending`
    /// checks is still live).
    pub replaces: Option<Previous>,
    pub changes: ChurnEntry,
    pub crm_update: Option<CrmSummary>,
    pub warnings: Vec<String>,
    pub history: Vec<String>,
    pub files: IndexMap<String, FileDigest>,
    pub durations: Durations,
}

/// The parts of a manifest read back (`--accept-pending`).
#[derive(Debug, Deserialize)]
pub struct ManifestHead {
    pub as_of: String,
    pub replaces: Option<Previous>,
    pub tal: usize,
    #[serde(default)]
    pub tiers: IndexMap<String, usize>,
}

fn source_file(path: &Path, as_written: String) -> Result<SourceFile> {
    let d = digest::of_file(path)?;
    Ok(SourceFile {
        path: as_written,
        size: d.size,
        sha256: d.sha256,
    })
}

/// The spec and the overrides, hashed as they are on disk, and every
/// input as it was read.
pub fn sources(
    project: &Project,
) -> Result<(SourceFile, Option<SourceFile>, IndexMap<String, InputEntry>)> {
    let spec = &project.spec;
    let spec_file = source_file(&spec.path, spec.path.display().to_string())?;
    let overrides = match &spec.overrides {
        Some(path) => Some(source_file(path, path.display().to_string())?),
        None => None,
    };
    let mut inputs = IndexMap::new();
    for (name, quality) in quality::inputs(&project.loaded) {
        let report = project.loaded.reports.iter().find(|r| r.name == name);
        let d = match report.and_then(|r| r.digest.clone()) {
            Some(digest) => digest,
            None => digest::of_bytes(b""),
        };
        inputs.insert(
            name,
            InputEntry {
                quality,
                size: d.size,
                sha256: d.sha256,
            },
        );
    }
    Ok((spec_file, overrides, inputs))
}

/// Accounts per tier, and per status outside the TAL.
pub fn tier_counts(project: &Project) -> (IndexMap<String, usize>, IndexMap<String, usize>) {
    let status = &project.scored.status;
    let count = |s: Status| status.iter().filter(|x| **x == s).count();
    let tiers = project
        .spec
        .tiers
        .iter()
        .enumerate()
        .map(|(t, tier)| (tier.name.clone(), count(Status::Tier(t))))
        .collect();
    let outside = [Status::Waitlist, Status::Excluded, Status::Unassigned]
        .into_iter()
        .map(|s| (s.name(&project.spec).to_string(), count(s)))
        .collect();
    (tiers, outside)
}

pub fn churn(changes: &Changes, max: Option<f64>, held_back: bool) -> ChurnEntry {
    ChurnEntry {
        counts: Movement::ALL
            .iter()
            .map(|&m| (m.name(), changes.count(m)))
            .collect(),
        churned: changes.churned(),
        churn_pct: format::round(changes.churn_pct(), 2),
        max_churn_pct: max,
        held_back,
    }
}

/// The manifest as JSON text.
pub fn to_json(manifest: &Manifest) -> Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(manifest)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Reads the parts of a build's manifest that `--accept-pending` needs.
pub fn read_head(build: &Path) -> Result<ManifestHead> {
    let path = build.join("manifest.json");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}
