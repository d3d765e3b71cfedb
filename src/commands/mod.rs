//! One module per subcommand: resolve the arguments, call the engine, hand
//! the result to a renderer.

pub mod build;
pub mod check;
pub mod completions;
pub mod diff;
pub mod explain;
pub mod export;
pub mod icp;
pub mod init;
pub mod man;
pub mod maturity;
pub mod orders;
pub mod report;
pub mod score;
pub mod sql;

use std::fs::File;
use std::io::{self, BufWriter, Write};

use anyhow::{bail, Context, Result};

use crate::cli::OutputArgs;

/// A buffered destination: the `-o` file, or stdout.
pub fn open_output(args: &OutputArgs) -> Result<Box<dyn Write>> {
    match &args.output {
        Some(path) if path.as_os_str() != "-" => {
            let file =
                File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
            Ok(Box::new(BufWriter::new(file)))
        }
        _ => Ok(Box::new(BufWriter::new(io::stdout().lock()))),
    }
}

/// Refuses stdout for a binary format: it needs `-o FILE`.
pub fn require_file(args: &OutputArgs, format: &str) -> Result<()> {
    match &args.output {
        Some(path) if path.as_os_str() != "-" => Ok(()),
        _ => {
            bail!("--format {format} writes a binary workbook: name the file with -o FILE.{format}")
        }
    }
}

/// The progress bar of a long run (see `crate::progress`): its first stage.
pub fn progress(stage: &str) {
    crate::progress::begin(stage);
}

/// Clears the progress bar before the summary is printed.
pub fn progress_done() {
    crate::progress::finish();
}
