//! `tal icp discover`: the ICP learnt from the best customers.

use anyhow::Result;

use crate::cli::{IcpCommand, IcpDiscoverArgs};
use crate::icp::IcpFormat;
use crate::icp::{self, Params, UsageError};
use crate::{input, pipeline, ExitStatus, EXIT_OK, EXIT_USAGE, EXIT_WARNINGS};

pub fn run(command: &IcpCommand) -> Result<ExitStatus> {
    match command {
        IcpCommand::Discover(args) => discover(args),
    }
}

fn discover(args: &IcpDiscoverArgs) -> Result<ExitStatus> {
    let spec = pipeline::load_spec(&args.spec)?;
    let as_of = pipeline::as_of(&args.spec);
    let params = Params {
        best: args.best.clone(),
        vs: args.vs.clone(),
        fields: args.fields.clone(),
        min_support: args.min_support,
        min_lift: args.min_lift,
        max_criteria: args.max_criteria,
        folds: args.folds,
        bands: args.bands,
        top: args.top,
    };
    let plan = match icp::plan(&spec, &params) {
        Ok(plan) => plan,
        Err(UsageError(message)) => {
            eprintln!("error: {message}");
            return Ok(EXIT_USAGE);
        }
    };
    super::progress("reading the exports…");
    let loaded = input::load(&spec, as_of)?;
    super::progress("learning from the best accounts…");
    let discovery = icp::discover(&plan, &loaded, as_of)?;
    super::progress_done();
    if let Some(path) = &args.fit_out {
        crate::file::write(path, discovery.toml.as_bytes())?;
    }
    let mut out = super::open_output(&args.output)?;
    if matches!(args.format, IcpFormat::Table | IcpFormat::Markdown) {
        out = out.for_people();
    }
    icp::write(&mut out, args.format, &discovery)?;
    out.finish()?;
    let mut quality = spec.warnings.clone();
    quality.extend(pipeline::quality_warnings(&loaded));
    for warning in discovery.warnings.iter().chain(&quality) {
        super::warn(warning);
    }
    Ok(if args.strict && !quality.is_empty() {
        EXIT_WARNINGS
    } else {
        EXIT_OK
    })
}
