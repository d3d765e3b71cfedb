//! `tal build --out-dir DIR`: the cron folder. The work is in `build`; this
//! turns its report into stderr lines and an exit status.

use anyhow::Result;

use crate::build::{self, BuildReport, Options, Outcome};
use crate::changes::Movement;
use crate::cli::BuildArgs;
use crate::format;
use crate::{ExitStatus, EXIT_OK, EXIT_PENDING, EXIT_WARNINGS};

/// How many moves a held-back build lists on stderr.
const SHOWN_MOVES: usize = 10;

pub fn run(args: &BuildArgs) -> Result<ExitStatus> {
    let options = Options {
        spec: args.spec.clone(),
        out_dir: args.out_dir.clone(),
        max_churn: args.max_churn,
        previous: args.previous.clone(),
        accept_pending: args.accept_pending,
    };
    super::progress("reading the exports");
    let report = build::run(&options);
    super::progress_done();
    let report = report?;
    // A stale lock or a discarded pending build matters even to --quiet.
    for notice in &report.notices {
        super::warn(notice);
    }
    if report.outcome == Outcome::Pending {
        eprint!("{}", held_back(&report));
        return Ok(EXIT_PENDING);
    }
    if !args.quiet {
        eprintln!("{}", summary(&report));
        for warning in &report.warnings {
            super::warn(warning);
        }
    }
    Ok(if args.strict && !report.warnings.is_empty() {
        EXIT_WARNINGS
    } else {
        EXIT_OK
    })
}

fn tiers_text(report: &BuildReport) -> String {
    report
        .tiers
        .iter()
        .map(|(tier, n)| format!("{tier} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The one line a successful run prints.
pub fn summary(report: &BuildReport) -> String {
    let dir = report.dir.display();
    if report.outcome == Outcome::Accepted {
        return format!(
            "tal build: accepted the pending build of {}: live in {dir} ({} accounts in the TAL: {})",
            report.as_of,
            report.tal,
            tiers_text(report)
        );
    }
    let changes = if report.has_previous {
        report.changes.counts_text()
    } else {
        "first build".to_string()
    };
    let warnings = match report.warnings.len() {
        0 => String::new(),
        n => format!("; {n} warnings (also in manifest.json)"),
    };
    format!(
        "tal build: {} live in {dir}: {} accounts in the TAL ({}); {changes}{warnings}",
        report.as_of,
        report.tal,
        tiers_text(report)
    )
}

/// What moved, where the held-back build is, and how to accept it.
fn held_back(report: &BuildReport) -> String {
    let changes = &report.changes;
    let dir = report.dir.display();
    let mut text = format!(
        "tal build: held back: {} of {} accounts in the live TAL ({}%) changed tier or left it, more than --max-churn {}%.\n",
        changes.churned(),
        changes.old_tal,
        format::fixed(changes.churn_pct(), 1),
        format::number(report.max_churn.unwrap_or_default()),
    );
    text.push_str(&format!("  {}\n", changes.counts_text()));
    let moves: Vec<_> = [Movement::Dropped, Movement::Demoted, Movement::Promoted]
        .iter()
        .flat_map(|&m| changes.changes.iter().filter(move |c| c.movement == m))
        .collect();
    for change in moves.iter().take(SHOWN_MOVES) {
        let to = if change.new_tier.is_empty() {
            "(gone)"
        } else {
            &change.new_tier
        };
        text.push_str(&format!(
            "  {} {}: {} -> {to}\n",
            change.movement.name(),
            change.domain,
            change.old_tier
        ));
    }
    if moves.len() > SHOWN_MOVES {
        text.push_str(&format!("  ... and {} more\n", moves.len() - SHOWN_MOVES));
    }
    text.push_str(&format!(
        "The build of {} is in {dir}/pending (its changes.csv lists every move); {dir} still holds the live build.\nTo accept it: tal build --out-dir {dir} --accept-pending\n",
        report.as_of
    ));
    text
}
