//! `tal diff OLD NEW`: tier movements between two TAL files.

use anyhow::Result;

use crate::changes::render::DiffFormat;
use crate::changes::{self, list, render};
use crate::cli::DiffArgs;
use crate::{ExitStatus, EXIT_OK};

pub fn run(args: &DiffArgs) -> Result<ExitStatus> {
    let old = list::read_file(&args.old)?;
    let new = list::read_file(&args.new)?;
    for (path, list) in [(&args.old, &old), (&args.new, &new)] {
        if list.skipped > 0 {
            eprintln!(
                "warning: {}: {} rows without a domain, or repeating one, were left out",
                path.display(),
                list.skipped
            );
        }
    }
    let changes = changes::compare(&old, &new, &[], "not in the new list");
    let mut out = super::open_output(&args.output)?;
    if matches!(args.format, DiffFormat::Table | DiffFormat::Markdown) {
        out = out.for_people();
    }
    render::write(&mut out, &changes, args.format)?;
    out.finish()?;
    Ok(EXIT_OK)
}
