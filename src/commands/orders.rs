//! `tal orders template` and `tal orders check`: the program menu as a
//! sheet sales ticks, and the ticks checked against the entitlements.

use std::io::Write;

use anyhow::Result;

use crate::cli::{
    OrdersCheckArgs, OrdersCheckFormat, OrdersCommand, OrdersFormat, OrdersTemplateArgs,
};
use crate::orders::{self, Context};
use crate::{pipeline, ExitStatus, EXIT_OK, EXIT_WARNINGS};

pub fn run(command: &OrdersCommand) -> Result<ExitStatus> {
    match command {
        OrdersCommand::Template(args) => template(args),
        OrdersCommand::Check(args) => check(args),
    }
}

fn template(args: &OrdersTemplateArgs) -> Result<ExitStatus> {
    if args.format == OrdersFormat::Xlsx {
        super::require_file(&args.output, "xlsx")?;
    }
    super::progress("reading the exports");
    let project = pipeline::score(&args.spec)?;
    super::progress_done();
    let (spec, scored, accounts) = (&project.spec, &project.scored, &project.loaded.accounts);
    let mut out = super::open_output(&args.output)?;
    match args.format {
        OrdersFormat::Csv => orders::write_csv(&mut out, spec, scored, accounts)?,
        OrdersFormat::Xlsx => out.write_all(&orders::write_xlsx(spec, scored, accounts)?)?,
    }
    out.finish()?;
    Ok(EXIT_OK)
}

fn check(args: &OrdersCheckArgs) -> Result<ExitStatus> {
    super::progress("reading the exports");
    let project = pipeline::score(&args.spec)?;
    super::progress_done();
    let cx = Context {
        spec: &project.spec,
        scored: &project.scored,
        accounts: &project.loaded.accounts,
    };
    let result = orders::check(&cx, &args.orders)?;
    let mut out = super::open_output(&args.output)?;
    if matches!(args.format, OrdersCheckFormat::Table) {
        out = out.for_people();
    }
    match args.format {
        OrdersCheckFormat::Table => orders::write_text(&mut out, &result)?,
        OrdersCheckFormat::Json => orders::write_json(&mut out, &result)?,
    }
    out.finish()?;
    if result.problems.is_empty() {
        return Ok(EXIT_OK);
    }
    let n = result.problems.len();
    eprintln!(
        "tal: {n} order problem{} in {}",
        if n == 1 { "" } else { "s" },
        result.file
    );
    Ok(EXIT_WARNINGS)
}
