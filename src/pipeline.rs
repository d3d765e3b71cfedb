//! The steps most commands share: resolve the spec, read the exports, score.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use chrono::NaiveDate;

use crate::cli::SpecArgs;
use crate::engine::{self, Scored};
use crate::format::count;
use crate::input::overrides::{self, OverrideRow};
use crate::input::{self, Loaded, ParentKeys, Window};
use crate::spec::{self, Spec};

/// `--spec`, else `./tal.toml`, else `$TAL_SPEC`.
pub fn spec_path(args: &SpecArgs) -> Result<PathBuf> {
    if let Some(path) = &args.spec {
        return Ok(path.clone());
    }
    let local = PathBuf::from("tal.toml");
    if local.exists() {
        return Ok(local);
    }
    match std::env::var_os("TAL_SPEC") {
        Some(path) if !path.is_empty() => Ok(PathBuf::from(path)),
        _ => bail!("no spec: there is no ./tal.toml; pass --spec PATH or set TAL_SPEC (tal init writes a starter spec)"),
    }
}

/// `--as-of`, else today.
pub fn as_of(args: &SpecArgs) -> NaiveDate {
    args.as_of
        .unwrap_or_else(|| chrono::Local::now().date_naive())
}

pub fn load_spec(args: &SpecArgs) -> Result<Spec> {
    let path = spec_path(args)?;
    Ok(spec::load(&path)?)
}

/// A scored project: the spec, what was read, and what scoring found.
pub struct Project {
    pub spec: Spec,
    pub loaded: Loaded,
    pub scored: Scored,
    pub as_of: NaiveDate,
}

impl Project {
    /// Every data-quality warning: rejected rows, unparseable values,
    /// override problems.
    pub fn warnings(&self) -> Vec<String> {
        let mut warnings = self.spec.warnings.clone();
        warnings.extend(quality_warnings(&self.loaded));
        warnings.extend(self.scored.warnings.iter().cloned());
        warnings
    }
}

/// Warnings about the inputs themselves.
/// The warning for invalid UTF-8 replaced in a file read as UTF-8.
fn invalid_utf8(path: &str, invalid: &crate::input::read::Invalid) -> String {
    let (n, line) = (invalid.sequences, invalid.first_line);
    let what = if n == 1 {
        "1 byte sequence that is not UTF-8 was".to_string()
    } else {
        format!(
            "{} byte sequences that are not UTF-8 were",
            crate::format::group(n)
        )
    };
    format!("{path}: {what} read as \u{FFFD} (first on line {line}); the rest of the file is UTF-8. Fix the bytes, or set encoding = \"...\" on the input if the file is in another encoding")
}

pub fn quality_warnings(loaded: &Loaded) -> Vec<String> {
    let mut warnings = Vec::new();
    for report in &loaded.reports {
        if report.rows.rejected > 0 {
            let first = report
                .rejects
                .first()
                .map(|r| format!(" (first: line {}, {})", r.line, r.reason))
                .unwrap_or_default();
            warnings.push(format!(
                "{}: {} rows rejected{first}",
                report.path, report.rows.rejected
            ));
        }
        for twice in &report.duplicate_headers {
            let (name, read, unread) = (&twice.name, twice.read, twice.unread);
            warnings.push(format!(
                "{}: columns {read} and {unread} are both named '{name}'; tal reads column {read} and ignores column {unread}: rename one in the export (or map the one you mean by a header of its own)",
                report.path
            ));
        }
        if let Some((line, key)) = &report.formula_keys.first {
            warnings.push(format!(
                "{}: {} keys begin like a spreadsheet formula (= + - @; first: line {line}, '{key}'); tal writes them with a leading ' so that a spreadsheet shows them as text, but check where the export got them",
                report.path,
                crate::format::group(report.formula_keys.rows)
            ));
        }
        if let Some(invalid) = &report.invalid {
            warnings.push(invalid_utf8(&report.path, invalid));
        }
        if let Some(window) = report
            .window
            .as_ref()
            .filter(|w| w.dated > 0 && w.inside == 0)
        {
            warnings.push(empty_window(&report.path, window));
        }
        if report.parent_keys.rows > 0 {
            warnings.push(parent_keys(&report.path, &report.parent_keys));
        }
        for (field, quality) in &report.fields {
            if quality.unparseable > 0 {
                warnings.push(format!(
                    "{}: {} values of '{field}' did not parse (e.g. {})",
                    report.path,
                    quality.unparseable,
                    quality
                        .examples
                        .iter()
                        .map(|e| format!("'{e}'"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
    }
    warnings
}

/// Every dated row of an intent or activity input is outside its window:
/// most often an `--as-of` left at today on last month's exports.
fn empty_window(path: &str, window: &Window) -> String {
    let rows = match window.dated {
        1 => "the 1 dated row is".to_string(),
        n => format!("all {} rows are", count(n as usize)),
    };
    let newest = window
        .newest
        .map(|d| format!(" (newest row {d})"))
        .unwrap_or_default();
    format!(
        "{path}: {rows} outside the {}-day window ending {}{newest}; is --as-of right?",
        window.days, window.as_of
    )
}

/// Unmatched rows name the parent domain of account keys that are
/// subdomains (`stock.walmart.com`).
fn parent_keys(path: &str, found: &ParentKeys) -> String {
    let examples = (found.examples.iter())
        .map(|(parent, key)| format!("{parent} for {key}"))
        .collect::<Vec<_>>()
        .join(", ");
    let accounts = match found.accounts.len() {
        1 => "1 account".to_string(),
        n => format!("{} accounts", count(n)),
    };
    let rows = match found.rows {
        1 => "1 unmatched row names".to_string(),
        n => format!("{} unmatched rows name", count(n as usize)),
    };
    format!(
        "{path}: {rows} the main domain of {accounts} keyed by a subdomain (e.g. {examples}); key those accounts by the company's main website (fix it in the account export, or map another column as `key`) so these rows count"
    )
}

/// Reads everything and scores it.
pub fn score(args: &SpecArgs) -> Result<Project> {
    let spec = load_spec(args)?;
    let as_of = as_of(args);
    let (loaded, overrides) = read_inputs(&spec, as_of, input::Keep::default())?;
    score_loaded(spec, loaded, &overrides, as_of)
}

/// Reads the exports (keeping what `keep` asks for) and the overrides file
/// a spec names.
pub fn read_inputs(
    spec: &Spec,
    as_of: NaiveDate,
    keep: input::Keep,
) -> Result<(Loaded, Vec<OverrideRow>)> {
    let loaded = input::load_keeping(spec, as_of, keep)?;
    let overrides = match &spec.overrides {
        Some(path) => overrides::read_overrides(path)?,
        None => Vec::new(),
    };
    Ok((loaded, overrides))
}

/// Scores what [`read_inputs`] read.
pub fn score_loaded(
    spec: Spec,
    loaded: Loaded,
    overrides: &[OverrideRow],
    as_of: NaiveDate,
) -> Result<Project> {
    crate::progress::stage("scoring");
    let scored = engine::score(&spec, &loaded, overrides, as_of).context("scoring")?;
    Ok(Project {
        spec,
        loaded,
        scored,
        as_of,
    })
}
