//! `tal score`: the Target Account List.

use std::io::Write;

use anyhow::Result;

use crate::cli::ScoreArgs;
use crate::engine::Status;
use crate::output::tal::{row_iter, write_delimited_parallel, Selection};
use crate::output::{write_tal, xlsx, TalFormat};
use crate::pipeline::{self, Project};
use crate::report;
use crate::spec::Spec;
use crate::{ExitStatus, EXIT_OK, EXIT_WARNINGS};

pub fn run(args: &ScoreArgs) -> Result<ExitStatus> {
    if args.format == TalFormat::Xlsx {
        super::require_file(&args.output, "xlsx")?;
    }
    super::progress("reading the exports");
    let project = pipeline::score(&args.spec)?;
    match &args.output.output {
        // The bar and a list on the same terminal would mix.
        None => super::progress_done(),
        Some(path) if path.as_os_str() == "-" => super::progress_done(),
        Some(_) => {}
    }
    crate::progress::stage("writing the list");
    for tier in &args.tiers {
        check_tier_name(&project.spec, tier)?;
    }
    let selection = Selection {
        all: args.all,
        tiers: args.tiers.clone(),
    };
    let rows = || {
        row_iter(
            &project.spec,
            &project.scored,
            &project.loaded.accounts,
            &selection,
        )
    };
    let mut out = super::open_output(&args.output)?;
    if args.format == TalFormat::Table {
        out = out.for_people();
    }
    if args.format == TalFormat::Xlsx {
        let rows: Vec<_> = rows().collect();
        let report = report::build(&project.spec, &project.scored);
        let bytes = xlsx::tal_workbook(&project.spec, &selection, &rows, &report)?;
        out.write_all(&bytes)?;
    } else if let Some(delimiter) = match args.format {
        TalFormat::Csv => Some(b','),
        TalFormat::Tsv => Some(b'\t'),
        _ => None,
    } {
        let (spec, scored) = (&project.spec, &project.scored);
        let accounts = &project.loaded.accounts;
        write_delimited_parallel(
            &mut out, spec, scored, accounts, &selection, delimiter, args.raw,
        )?;
    } else {
        write_tal(&mut out, args.format, rows(), args.raw)?;
    }
    out.finish()?;
    super::progress_done();
    let warnings = project.warnings();
    if !args.quiet {
        eprintln!("{}", summary(&project));
        for warning in &warnings {
            super::warn(warning);
        }
    }
    // Freeing millions of small values one by one takes longer than the
    // rest of the exit: the process ends right after, and that frees them.
    std::mem::forget(project);
    Ok(if args.strict && !warnings.is_empty() {
        EXIT_WARNINGS
    } else {
        EXIT_OK
    })
}

fn check_tier_name(spec: &Spec, name: &str) -> Result<()> {
    let known = spec.tier_index(name).is_some()
        || ["excluded", "unassigned", "waitlist"].contains(&name.trim().to_lowercase().as_str());
    if !known {
        let names: Vec<&str> = spec.tiers.iter().map(|t| t.name.as_str()).collect();
        anyhow::bail!(
            "--tier '{name}': no such tier (tiers: {}; or Excluded, Unassigned, Waitlist)",
            names.join(", ")
        );
    }
    Ok(())
}

/// One paragraph for stderr: accounts per tier and where the rest went.
pub fn summary(project: &Project) -> String {
    let Project {
        spec,
        scored,
        loaded,
        ..
    } = project;
    let count = |status: Status| scored.status.iter().filter(|s| **s == status).count();
    let tiers: Vec<String> = spec
        .tiers
        .iter()
        .enumerate()
        .map(|(t, tier)| format!("{} {}", tier.name, count(Status::Tier(t))))
        .collect();
    let pushed = scored.demoted_from.iter().filter(Option::is_some).count();
    let rejected: u64 = loaded.reports.iter().map(|r| r.rows.rejected).sum();
    format!(
        "tal: {} accounts in the TAL ({}); {} pushed down, {} waitlisted, {} excluded, {} unassigned; {} input rows rejected",
        scored.tal.len(),
        tiers.join(", "),
        pushed,
        count(Status::Waitlist),
        count(Status::Excluded),
        count(Status::Unassigned),
        rejected
    )
}
