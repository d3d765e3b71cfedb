//! `tal init`: write a starter spec from the user's exports.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::cli::InitArgs;
use crate::init::{self, Plan, Role};
use crate::{spec, ExitStatus, EXIT_OK};

pub fn run(args: &InitArgs) -> Result<ExitStatus> {
    let to_stdout = args.output.as_os_str() == "-";
    // `-o abm/` names the folder: the spec is abm/tal.toml.
    let output = if args.output.is_dir() {
        args.output.join("tal.toml")
    } else {
        args.output.clone()
    };
    if !to_stdout && output.exists() && !args.force {
        bail!(
            "{} already exists: pass --force to overwrite it, or -o to write the spec elsewhere",
            output.display()
        );
    }
    let spec_dir = spec_folder(&output, to_stdout)?;
    super::progress("reading the exports");
    let draft = init::draft(&plan(args, spec_dir))?;
    super::progress_done();
    let text = init::spec_text(&draft, chrono::Local::now().date_naive());
    verify(&text, &output)?;
    if to_stdout {
        let mut out = std::io::stdout().lock();
        out.write_all(text.as_bytes())?;
        out.flush()?;
    } else {
        crate::file::write(&output, text.as_bytes())?;
    }
    let shown = output.display().to_string();
    eprint!(
        "{}",
        init::summary(&draft, (!to_stdout).then_some(shown.as_str()))
    );
    Ok(EXIT_OK)
}

fn plan(args: &InitArgs, spec_dir: PathBuf) -> Plan {
    let roles = [
        (Role::Crm, &args.crm),
        (Role::Firmographics, &args.firmographics),
        (Role::Intent, &args.intent),
        (Role::Engagement, &args.engagement),
    ];
    let files = roles
        .into_iter()
        .flat_map(|(role, paths)| paths.iter().map(move |p| (role, p.clone())))
        .collect();
    Plan { files, spec_dir }
}

/// The folder the spec will live in (paths in it are relative to it),
/// created when missing.
fn spec_folder(output: &Path, to_stdout: bool) -> Result<PathBuf> {
    let dir = match output.parent() {
        Some(dir) if !to_stdout && !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(dir)
}

/// The drafted spec must load as `tal check` will load it.
fn verify(text: &str, output: &Path) -> Result<()> {
    let file = output.display().to_string();
    spec::load::parse_spec(text, &file)
        .and_then(|raw| spec::compile(raw, text, output))
        .map(drop)
        .map_err(|err| {
            anyhow::anyhow!("the drafted spec does not load ({err}); please report this")
        })
}
