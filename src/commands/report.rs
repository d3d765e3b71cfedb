//! `tal report`: the entitlement budget report.

use anyhow::Result;

use crate::cli::ReportArgs;
use crate::report::ReportFormat;
use crate::{pipeline, report, ExitStatus, EXIT_OK};

pub fn run(args: &ReportArgs) -> Result<ExitStatus> {
    super::progress("reading the exports");
    let project = pipeline::score(&args.spec)?;
    super::progress_done();
    let report = report::build(&project.spec, &project.scored);
    let mut out = super::open_output(&args.output)?;
    if matches!(args.format, ReportFormat::Table | ReportFormat::Markdown) {
        out = out.for_people();
    }
    report::write(&mut out, args.format, &report)?;
    out.finish()?;
    // The plan's own warnings are in the report; the data's go to stderr.
    for warning in project.warnings() {
        super::warn(&warning);
    }
    Ok(EXIT_OK)
}
