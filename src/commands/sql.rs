//! `tal sql --dialect D`: the spec as one SQL query (see `crate::sql`).

use std::io::Write;

use anyhow::Result;

use crate::cli::SqlArgs;
use crate::sql::{self, Options};
use crate::{pipeline, ExitStatus, EXIT_OK};

pub fn run(args: &SqlArgs) -> Result<ExitStatus> {
    let spec = pipeline::load_spec(&args.spec)?;
    let options = Options {
        dialect: args.dialect,
        all: args.all,
        as_of: pipeline::as_of(&args.spec),
    };
    let text = sql::query(&spec, &options)?;
    let mut out = super::open_output(&args.output)?;
    out.write_all(text.as_bytes())?;
    out.finish()?;
    Ok(EXIT_OK)
}
