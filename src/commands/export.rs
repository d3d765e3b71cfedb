//! `tal export --parquet DIR`: every input's rows as `tal` parsed them, one
//! Parquet file per input (see `crate::export`).

use anyhow::Result;

use crate::cli::ExportArgs;
use crate::{export, pipeline, ExitStatus, EXIT_OK};

pub fn run(args: &ExportArgs) -> Result<ExitStatus> {
    super::progress("reading the exports");
    let spec = pipeline::load_spec(&args.spec)?;
    let as_of = pipeline::as_of(&args.spec);
    let written = export::parquet(&spec, as_of, &args.parquet);
    super::progress_done();
    let written = written?;
    if !args.quiet {
        for file in written {
            eprintln!("wrote {} ({} rows)", file.path.display(), file.rows);
        }
    }
    Ok(EXIT_OK)
}
