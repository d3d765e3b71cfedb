//! `tal completions SHELL`: shell completion scripts on stdout.

use std::io::Write;

use anyhow::Result;
use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::{ExitStatus, EXIT_OK};

pub fn run(args: &CompletionsArgs) -> Result<ExitStatus> {
    let mut command = Cli::command();
    // clap_complete panics on a failed write; a buffer cannot fail, and
    // stdout's errors (a closed pipe) then reach main as errors.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "tal", &mut script);
    let mut out = std::io::stdout().lock();
    out.write_all(&script)?;
    out.flush()?;
    Ok(EXIT_OK)
}
