//! `tal`: a Target Account List builder for account-based marketing.
//!
//! The pipeline: `spec` (tal.toml, compiled) → `input` (exports read, every
//! row accounted for) → `engine` (signals, tiers, sizing, segments) →
//! `output` / `report`. `commands` holds one thin module per subcommand.

pub mod build;
pub mod changes;
pub mod cli;
pub mod commands;
pub mod digest;
pub mod engine;
pub mod export;
pub mod expr;
pub mod file;
pub mod format;
pub mod icp;
pub mod init;
pub mod input;
pub mod maturity;
pub mod memory;
pub mod orders;
pub mod output;
pub mod pipeline;
pub mod progress;
pub mod quality;
pub mod report;
pub mod spec;
pub mod sql;
pub mod suggest;
pub mod value;

use cli::{Cli, Command};

/// Exit status of a run that completed.
pub type ExitStatus = u8;
pub const EXIT_OK: ExitStatus = 0;
/// A usage error found after the arguments were parsed (clap exits 2 on
/// its own).
pub const EXIT_USAGE: ExitStatus = 2;
/// The run completed and found what it was asked to catch: data-quality
/// warnings under `--strict`, or orders that break the entitlements
/// (`tal orders check`). A failed run is 1.
pub const EXIT_WARNINGS: ExitStatus = 3;
/// `tal build --max-churn`: the build was held back in `DIR/pending`.
pub const EXIT_PENDING: ExitStatus = 4;

/// Runs one command.
pub fn run(cli: Cli) -> anyhow::Result<ExitStatus> {
    let status = match cli.command {
        Command::Init(args) => commands::init::run(&args),
        Command::Check(args) => commands::check::run(&args),
        Command::Icp(command) => commands::icp::run(&command),
        Command::Score(args) => commands::score::run(&args),
        Command::Report(args) => commands::report::run(&args),
        Command::Orders(command) => commands::orders::run(&command),
        Command::Explain(args) => commands::explain::run(&args),
        Command::Sql(args) => commands::sql::run(&args),
        Command::Export(args) => commands::export::run(&args),
        Command::Build(args) => commands::build::run(&args),
        Command::Diff(args) => commands::diff::run(&args),
        Command::Maturity(args) => commands::maturity::run(&args),
        Command::Completions(args) => commands::completions::run(&args),
        Command::Man(args) => commands::man::run(&args),
    };
    progress::print_timings();
    status
}
