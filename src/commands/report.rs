//! `tal report`: the entitlement budget report.

use std::io::Write;

use anyhow::Result;

use crate::cli::ReportArgs;
use crate::{pipeline, report, ExitStatus, EXIT_OK};

pub fn run(args: &ReportArgs) -> Result<ExitStatus> {
    super::progress("reading the exports");
    let project = pipeline::score(&args.spec)?;
    super::progress_done();
    let report = report::build(&project.spec, &project.scored);
    let mut out = super::open_output(&args.output)?;
    report::write(&mut out, args.format, &report)?;
    out.flush()?;
    // The plan's own warnings are in the report; the data's go to stderr.
    for warning in project.warnings() {
        eprintln!("warning: {warning}");
    }
    Ok(EXIT_OK)
}
