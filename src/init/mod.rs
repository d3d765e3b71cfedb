//! `tal init`: a starter spec from the exports a marketer already has.
//!
//! Each file is sniffed (`sniff`: encoding, delimiter, decimal mark, date
//! format), its headers recognised (`headers` against `profiles`), and the
//! data summarised into a starter ICP (`icp`) and intent and engagement
//! sections (`activity`). `write` turns the [`Draft`] into a commented
//! `tal.toml` in SPEC.md's format; `report` says on stderr what was
//! recognised and what was not.

mod activity;
mod headers;
mod icp;
pub mod profiles;
mod report;
mod sniff;
mod tally;
mod write;

use std::path::{Component, Path, PathBuf};

use anyhow::{bail, Result};

pub use profiles::Role;
pub use report::summary;
pub use write::spec_text;

use activity::{EngagementDraft, IntentDraft};
use headers::Mapping;
use icp::{AccountFile, Icp};
use sniff::Sample;

/// The files to read, by role, and the folder the spec will live in.
pub struct Plan {
    pub files: Vec<(Role, PathBuf)>,
    pub spec_dir: PathBuf,
}

/// One export, read and recognised.
pub struct DraftInput {
    /// The input's name in the spec (`crm`, `intent`, `engagement_2`...).
    pub name: String,
    pub role: Role,
    /// Relative to the spec's folder, with `/`.
    pub path: String,
    pub sample: Sample,
    pub mapping: Mapping,
    pub vendor: Option<&'static profiles::Vendor>,
}

/// A file left out of the spec, and why.
pub struct Skipped {
    pub path: String,
    pub why: String,
}

/// Everything the spec is written from.
pub struct Draft {
    pub inputs: Vec<DraftInput>,
    pub skipped: Vec<Skipped>,
    pub icp: Icp,
    pub intent: Option<IntentDraft>,
    pub engagement: Option<EngagementDraft>,
}

impl Draft {
    /// Is `field` mapped in any account input?
    pub fn has_field(&self, field: &str) -> bool {
        self.inputs
            .iter()
            .any(|i| i.role.is_account() && i.mapping.column(field).is_some())
    }
}

/// Reads and recognises every file of the plan.
pub fn draft(plan: &Plan) -> Result<Draft> {
    let (inputs, skipped) = read_all(plan)?;
    let accounts: Vec<AccountFile> = inputs
        .iter()
        .filter(|i| i.role.is_account())
        .map(|i| AccountFile {
            sample: &i.sample,
            mapping: &i.mapping,
        })
        .collect();
    let icp = icp::draft(&accounts);
    let intent = summarise(&inputs, Role::Intent, activity::intent);
    let engagement = summarise(&inputs, Role::Engagement, activity::engagement);
    Ok(Draft {
        inputs,
        skipped,
        icp,
        intent,
        engagement,
    })
}

/// The files in spec order, and the ones left out with the reason. An
/// account file that cannot be mapped stops the run: without its key, the
/// spec would be no use.
fn read_all(plan: &Plan) -> Result<(Vec<DraftInput>, Vec<Skipped>)> {
    let mut inputs: Vec<DraftInput> = Vec::new();
    let mut skipped = Vec::new();
    // Account inputs first: in a spec, the first input with a value wins.
    let order = [
        Role::Crm,
        Role::Firmographics,
        Role::Intent,
        Role::Engagement,
    ];
    for role in order {
        for (_, path) in plan.files.iter().filter(|(r, _)| *r == role) {
            let input = read_input(role, path, &plan.spec_dir, &inputs)?;
            match missing(&input) {
                None => inputs.push(input),
                Some(why) if role.is_account() => bail!("{}: {why}", path.display()),
                Some(why) => skipped.push(Skipped {
                    path: path.display().to_string(),
                    why,
                }),
            }
        }
    }
    Ok((inputs, skipped))
}

/// `summary` over the files of `role`, if there are any.
fn summarise<T>(
    inputs: &[DraftInput],
    role: Role,
    summary: impl Fn(&[(&Sample, &Mapping)]) -> T,
) -> Option<T> {
    let files: Vec<(&Sample, &Mapping)> = inputs
        .iter()
        .filter(|i| i.role == role)
        .map(|i| (&i.sample, &i.mapping))
        .collect();
    (!files.is_empty()).then(|| summary(&files))
}

fn read_input(
    role: Role,
    path: &Path,
    spec_dir: &Path,
    earlier: &[DraftInput],
) -> Result<DraftInput> {
    let (sample, mapping) = recognise(path, role)?;
    let base = role.input_name();
    let taken = earlier.iter().filter(|i| i.role == role).count();
    let name = if taken == 0 {
        base.to_string()
    } else {
        format!("{base}_{}", taken + 1)
    };
    Ok(DraftInput {
        name,
        role,
        path: relative(path, spec_dir),
        vendor: headers::vendor(&sample.headers, role),
        sample,
        mapping,
    })
}

/// Samples and maps a file. A guessed legacy encoding is checked against
/// the headers: if another one makes more of them recognisable, it wins.
fn recognise(path: &Path, role: Role) -> Result<(Sample, Mapping)> {
    let sample = sniff::sample(path, None)?;
    let mapping = headers::map_headers(&sample, role);
    if !sample.detected {
        return Ok((sample, mapping));
    }
    let mut best = (recognised(&mapping), sample, mapping);
    for encoding in [
        encoding_rs::GBK,
        encoding_rs::BIG5,
        encoding_rs::SHIFT_JIS,
        encoding_rs::EUC_KR,
        encoding_rs::WINDOWS_1252,
    ] {
        if best.1.encoding == encoding.name().to_lowercase() {
            continue;
        }
        let mut other = sniff::sample(path, Some(encoding))?;
        other.detected = true;
        let other_mapping = headers::map_headers(&other, role);
        if recognised(&other_mapping) > best.0 {
            best = (recognised(&other_mapping), other, other_mapping);
        }
    }
    Ok((best.1, best.2))
}

fn recognised(mapping: &Mapping) -> usize {
    mapping.fields.len() + usize::from(mapping.key.is_some())
}

/// Why an input cannot be written into the spec, if it cannot.
fn missing(input: &DraftInput) -> Option<String> {
    let headers = || {
        input
            .sample
            .headers
            .iter()
            .map(|h| format!("'{h}'"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if input.mapping.key.is_none() {
        let what = match input.role {
            Role::Engagement => "e-mails, domains or websites",
            _ => "domains or websites",
        };
        return Some(format!(
            "found no key column (one holding {what}); the headers are {}",
            headers()
        ));
    }
    let needed: &[&str] = match input.role {
        Role::Crm | Role::Firmographics => &[],
        Role::Intent => &["topic", "score", "date"],
        Role::Engagement => &["type", "date"],
    };
    let absent: Vec<&str> = needed
        .iter()
        .copied()
        .filter(|f| input.mapping.column(f).is_none())
        .collect();
    (!absent.is_empty()).then(|| {
        format!(
            "found no {} column; the headers are {}",
            absent.join(" or "),
            headers()
        )
    })
}

/// `file` as seen from `dir`, with `/` separators; absolute when there is
/// no relative way (another drive).
fn relative(file: &Path, dir: &Path) -> String {
    let absolute = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let (file, dir) = (absolute(file), absolute(dir));
    let file_parts: Vec<Component> = file.components().collect();
    let dir_parts: Vec<Component> = dir.components().collect();
    if file_parts.first() != dir_parts.first() {
        return file.display().to_string();
    }
    let common = file_parts
        .iter()
        .zip(&dir_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<String> = vec!["..".to_string(); dir_parts.len() - common];
    parts.extend(
        file_parts[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}
