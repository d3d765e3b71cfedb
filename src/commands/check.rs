//! `tal check`: validate the spec and the exports, report data quality.

use anyhow::Result;

use crate::cli::{CheckArgs, CheckFormat};
use crate::input::{self, overrides};
use crate::{engine, pipeline, quality, ExitStatus, EXIT_OK, EXIT_WARNINGS};

pub fn run(args: &CheckArgs) -> Result<ExitStatus> {
    let spec = pipeline::load_spec(&args.spec)?;
    let as_of = pipeline::as_of(&args.spec);
    super::progress("reading the exports");
    let loaded = input::load(&spec, as_of)?;
    let mut warnings = spec.warnings.clone();
    warnings.extend(pipeline::quality_warnings(&loaded));
    if let Some(path) = &spec.overrides {
        let rows = overrides::read_overrides(path)?;
        warnings.extend(engine::overrides::active_pins(&spec, &rows, &loaded.accounts, as_of).1);
    }
    super::progress_done();
    let report = quality::report(&loaded, warnings);
    let mut out = super::open_output(&args.output)?;
    if matches!(args.format, CheckFormat::Table) {
        out = out.for_people();
    }
    match args.format {
        CheckFormat::Json => quality::write_json(&mut out, &report)?,
        CheckFormat::Table => quality::write_text(&mut out, &report, &loaded)?,
    }
    out.finish()?;
    Ok(if args.strict && !report.warnings.is_empty() {
        EXIT_WARNINGS
    } else {
        EXIT_OK
    })
}
