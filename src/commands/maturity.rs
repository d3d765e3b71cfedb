//! `tal maturity`: the ABM maturity assessment, the answers checked
//! against the spec, the exports and the build history.
//!
//! `--template` writes the answers file and reads nothing. Otherwise: the
//! answers (if any), then the spec — an explicit `--spec` must load; a
//! missing default (no ./tal.toml, no readable $TAL_SPEC) leaves the
//! answers alone, with a warning; neither answers nor spec is an error.
//! The project is read and scored once; the assessment's own warnings are
//! in its output, the data's go to stderr (as `tal report` does).

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

use crate::cli::{MaturityArgs, SpecArgs};
use crate::maturity::answers::{self, Answers};
use crate::maturity::render::Format;
use crate::maturity::rules::{self, Context};
use crate::maturity::{self, facts, render, template, Observed};
use crate::{pipeline, ExitStatus, EXIT_OK};

pub fn run(args: &MaturityArgs) -> Result<ExitStatus> {
    if args.template {
        return write_template(args);
    }
    let as_of = pipeline::as_of(&args.spec);
    let answers = match &args.answers {
        Some(path) => answers::read(path)?,
        None => Answers::default(),
    };
    let observed = match spec_to_read(&args.spec) {
        Some(path) => observe(&path, args, as_of)?,
        None if args.answers.is_none() => bail!(
            "nothing to assess: no spec (there is no ./tal.toml; pass --spec PATH or set TAL_SPEC) and no --answers FILE (write one with `tal maturity --template -o maturity.toml`)"
        ),
        None => {
            let mut observed = Observed::nothing("no spec: nothing to check the answers against");
            let mut warnings = vec!["no spec found (no ./tal.toml, and $TAL_SPEC unset or missing): the answers alone, unchecked against any data; pass --spec PATH".to_string()];
            if args.build_dir.is_some() {
                warnings.push("--build-dir is read only with a spec".to_string());
            }
            for warning in warnings {
                super::warn(&warning);
                observed.warnings.push(warning);
            }
            observed
        }
    };
    let assessment = maturity::assess(&answers, observed, as_of, args.lang);
    let mut out = super::open_output(&args.output)?;
    if matches!(args.format, Format::Table | Format::Markdown) {
        out = out.for_people();
    }
    render::write(&mut out, args.format, &assessment)?;
    out.finish()?;
    Ok(EXIT_OK)
}

/// `--spec` as given; else the default when it exists (None: missing).
fn spec_to_read(args: &SpecArgs) -> Option<PathBuf> {
    match &args.spec {
        Some(path) => Some(path.clone()),
        None => pipeline::spec_path(args).ok().filter(|path| path.exists()),
    }
}

/// One load, one score, then the facts and the rules.
fn observe(spec: &Path, args: &MaturityArgs, as_of: chrono::NaiveDate) -> Result<Observed> {
    let spec_args = SpecArgs {
        spec: Some(spec.to_path_buf()),
        as_of: Some(as_of),
    };
    super::progress("scoring…");
    let project = pipeline::score(&spec_args)?;
    super::progress_done();
    let facts = facts::gather(&project, args.build_dir.as_deref())?;
    let mut warnings = Vec::new();
    let cx = Context {
        spec: &project.spec,
        facts: &facts,
        as_of,
    };
    let findings = rules::evaluate(&cx, &mut warnings);
    for warning in project.warnings() {
        super::warn(&warning);
    }
    Ok(Observed {
        spec_file: Some(spec.display().to_string()),
        findings,
        warnings,
    })
}

/// The answers file: TOML, or CSV when `-o` ends in `.csv`.
fn write_template(args: &MaturityArgs) -> Result<ExitStatus> {
    let csv = (args.output.output.as_ref())
        .is_some_and(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")));
    let mut out = super::open_output(&args.output)?;
    if csv {
        template::write_csv(&mut out, args.lang)?;
    } else {
        template::write_toml(&mut out, args.lang)?;
    }
    out.finish()?;
    Ok(EXIT_OK)
}
