//! The evidence-gathering step: what the rules need to know about the data,
//! taken from what `tal` already computed — the row buckets `tal check`
//! reports, the account universe, the scored TAL and its active pins — plus
//! the dates in a build folder's `history/`. Nothing here reads an export
//! a second time; the rules then work on these plain numbers, so they can
//! be tested without files.

use std::path::Path;

use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use indexmap::IndexMap;

use crate::build::folder::HISTORY;
use crate::input::{Buckets, Loaded};
use crate::pipeline::Project;
use crate::spec::InputKind;

/// One input's row buckets, as `tal check` counts them.
#[derive(Debug, Clone)]
pub struct InputRows {
    pub name: String,
    pub kind: InputKind,
    pub rows: Buckets,
}

/// A build folder's history.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// The history folder (`DIR/history`), for messages.
    pub folder: String,
    /// The dates of `history/<date>/`, ascending.
    pub dates: Vec<NaiveDate>,
}

/// What the data shows, for the evidence rules.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub inputs: Vec<InputRows>,
    /// Accounts in the universe.
    pub accounts: u64,
    /// Per account field: the accounts that have a value.
    pub filled: IndexMap<String, u64>,
    /// Active overrides (pins), and those with an owner.
    pub active_pins: u64,
    pub pins_with_owner: u64,
    /// Distinct personas of the used activity rows (case-insensitively,
    /// first-seen spelling).
    pub personas: Vec<String>,
    /// Used activity rows that have a persona, per lower-cased type.
    pub rows_with_persona: IndexMap<String, u64>,
    /// Accounts in the TAL.
    pub tal: u64,
    /// TAL accounts with an owner; None when `owner` is not mapped.
    pub tal_owned: Option<u64>,
    /// `--build-dir`'s history; None without `--build-dir`.
    pub history: Option<History>,
}

impl Facts {
    /// Rows of the inputs of one kind, added up.
    pub fn rows_of(&self, kind: InputKind) -> Buckets {
        let mut total = Buckets::default();
        for input in self.inputs.iter().filter(|i| i.kind == kind) {
            let r = &input.rows;
            total.read += r.read;
            total.used += r.used;
            total.merged += r.merged;
            total.rejected += r.rejected;
            total.unmatched += r.unmatched;
            total.out_of_scope += r.out_of_scope;
            total.free_mail += r.free_mail;
        }
        total
    }

    /// How many inputs of one kind there are.
    pub fn inputs_of(&self, kind: InputKind) -> usize {
        self.inputs.iter().filter(|i| i.kind == kind).count()
    }
}

/// Gathers the facts of a scored project (and of the build folder).
pub fn gather(project: &Project, build_dir: Option<&Path>) -> Result<Facts> {
    let loaded = &project.loaded;
    let accounts = &loaded.accounts;
    let filled = accounts
        .columns
        .iter()
        .map(|(name, column)| {
            let n = (0..accounts.len()).filter(|&i| column.is_set(i)).count();
            (name.clone(), n as u64)
        })
        .collect();
    let pins = project.scored.pins.iter().flatten();
    let (active_pins, pins_with_owner) = pins.fold((0, 0), |(all, owned), pin| {
        (all + 1, owned + u64::from(!pin.owner.trim().is_empty()))
    });
    let tal = &project.scored.tal;
    let tal_owned = accounts
        .columns
        .get("owner")
        .map(|owner| tal.iter().filter(|&&a| owner.is_set(a as usize)).count() as u64);
    let (personas, rows_with_persona) = activity_personas(loaded);
    Ok(Facts {
        inputs: loaded
            .reports
            .iter()
            .map(|r| InputRows {
                name: r.name.clone(),
                kind: r.kind,
                rows: r.rows.clone(),
            })
            .collect(),
        accounts: accounts.len() as u64,
        filled,
        active_pins,
        pins_with_owner,
        personas,
        rows_with_persona,
        tal: tal.len() as u64,
        tal_owned,
        history: build_dir.map(read_history).transpose()?,
    })
}

/// The personas of the used activity rows, and the rows with a persona
/// per type. Counted from the kept rows: the interners also hold the
/// names of rows that were not used.
fn activity_personas(loaded: &Loaded) -> (Vec<String>, IndexMap<String, u64>) {
    let activity = &loaded.activity;
    let mut personas: Vec<String> = Vec::new();
    let mut seen = vec![false; activity.personas.names.len()];
    let mut by_kind = vec![0u64; activity.kinds.names.len()];
    let mut unknown_kind = 0u64;
    for (kind, persona) in activity.kind.iter().zip(&activity.persona) {
        let Some(persona) = persona else { continue };
        match kind {
            Some(kind) => by_kind[*kind as usize] += 1,
            None => unknown_kind += 1,
        }
        if !std::mem::replace(&mut seen[*persona as usize], true) {
            let name = activity.personas.name(*persona);
            if !personas
                .iter()
                .any(|p| p.to_lowercase() == name.to_lowercase())
            {
                personas.push(name.to_string());
            }
        }
    }
    let mut rows: IndexMap<String, u64> = IndexMap::new();
    for (id, count) in by_kind.into_iter().enumerate() {
        if count > 0 {
            let kind = activity.kinds.name(id as u32).to_lowercase();
            *rows.entry(kind).or_default() += count;
        }
    }
    if unknown_kind > 0 {
        rows.insert(String::new(), unknown_kind);
    }
    (personas, rows)
}

/// The dates of `DIR/history/<YYYY-MM-DD>/`, ascending. A folder without
/// history has none; a folder that does not exist is an error.
pub fn read_history(dir: &Path) -> Result<History> {
    if !dir.is_dir() {
        bail!(
            "--build-dir {}: no such folder (give the folder `tal build --out-dir` writes)",
            dir.display()
        );
    }
    // Through the components: "build/" and "build" name the same folder.
    let history = dir
        .components()
        .collect::<std::path::PathBuf>()
        .join(HISTORY);
    let mut dates = Vec::new();
    if history.is_dir() {
        let entries = std::fs::read_dir(&history)
            .with_context(|| format!("cannot read {}", history.display()))?;
        for entry in entries {
            let entry = entry.with_context(|| format!("cannot read {}", history.display()))?;
            let name = entry.file_name().to_string_lossy().to_string();
            if let Ok(date) = NaiveDate::parse_from_str(&name, "%Y-%m-%d") {
                if entry.path().is_dir() {
                    dates.push(date);
                }
            }
        }
    }
    dates.sort();
    Ok(History {
        folder: history.display().to_string(),
        dates,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_dates_are_the_dated_folders() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["2026-11-13", "2026-11-06", "notes", "2026-13-01"] {
            std::fs::create_dir_all(dir.path().join("history").join(name)).unwrap();
        }
        std::fs::write(dir.path().join("history/2026-11-20"), "a file").unwrap();
        let history = read_history(dir.path()).unwrap();
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        assert_eq!(history.dates, [day(6), day(13)]);
        let empty = tempfile::tempdir().unwrap();
        assert!(read_history(empty.path()).unwrap().dates.is_empty());
        let message = read_history(&empty.path().join("nope"))
            .unwrap_err()
            .to_string();
        assert!(message.contains("no such folder"), "{message}");
    }
}
