//! The command line: commands in the order a user needs them, and the flags
//! every command shares (`--spec`, `--as-of`, `--format`, `-o`), described
//! in the same words everywhere. Every command's help ends with examples.

use std::path::PathBuf;

use clap::{ArgGroup, Args, Parser, Subcommand};

use crate::changes::render::DiffFormat;
use crate::icp::{BandMode, IcpFormat};
use crate::output::TalFormat;
use crate::report::ReportFormat;

#[derive(Debug, Parser)]
#[command(
    name = "tal",
    version = env!("TAL_VERSION"),
    about = "Build a tiered Target Account List for account-based marketing from CRM, firmographic, intent and engagement exports.",
    after_help = "Getting started:
  tal init --crm accounts.csv --intent surge.csv --engagement activity.csv
  tal check
  tal score --format table
  tal report
  tal build --out-dir /srv/tal

Exit status: 0 success; 1 a run that failed (bad spec, unreadable input); 2 a usage error;
3 with --strict, rows were rejected or another data-quality warning was raised, or
tal orders check found orders that break the rules;
4 tal build held the new list back in DIR/pending (--max-churn).",
    max_term_width = 100
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// In the order a user needs them: set up (init, check), the list (score,
/// explain), what to do with it (report, build, diff, orders...), and last
/// the tool's own setup (completions, man).
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a starter tal.toml from your exports: columns mapped, ICP drafted from the data.
    #[command(
        after_help = "Recognises Salesforce (labels and API names), HubSpot (labels and internal names),
Bombora Company Surge, Demandbase and 6sense exports and marketing-automation activity
exports (Marketo's activity log and bulk extract, with activity type ids named; RD Station
conversions; Eloqua, Pardot), with English, Portuguese, Spanish and Chinese headers; sniffs
encoding, delimiter, decimal comma, date format and a unit named in a header (Revenue ($M)). Repeat an option for more files of one kind; give at least
one account file (--crm or --firmographics).

Examples:
  tal init --crm accounts.csv
  tal init --crm crm.csv --firmographics 6sense.csv --intent bombora.csv --engagement marketo.csv
  tal init --crm hubspot-companies.csv -o abm/tal.toml --force
  tal init --crm crm.csv -o -"
    )]
    Init(InitArgs),
    /// Validate the spec and the exports; print a data-quality report.
    #[command(after_help = "Examples:
  tal check
  tal check --spec examples/demo/tal.toml --as-of 2026-11-20
  tal check --format json --strict")]
    Check(CheckArgs),
    /// Learn the ICP from your best customers: lift tables, a draft [fit], a backtest.
    #[command(subcommand)]
    Icp(IcpCommand),
    /// Score and tier every account; write the Target Account List.
    #[command(after_help = "Examples:
  tal score
  tal score --format table --tier \"Tier 1\"
  tal score --all -o tal.csv
  tal score --spec examples/demo/tal.toml --as-of 2026-11-20 --format jsonl")]
    Score(ScoreArgs),
    /// Show why one account (domain or account id) got its tier.
    #[command(after_help = "Examples:
  tal explain acme.com
  tal explain https://www.acme.com/pricing
  tal explain 0015g00000AbCdE --format json")]
    Explain(ExplainArgs),
    /// The entitlement budget report: tiers, spend, pipeline, expected revenue.
    #[command(
        after_help = "Examples:\n  tal report\n  tal report --format markdown -o report.md\n  tal report --format html -o report.html\n  tal report --spec examples/demo/tal.toml --as-of 2026-11-20 --format json"
    )]
    Report(ReportArgs),
    /// The program menu: a sheet sales ticks, and the ticks checked.
    #[command(subcommand)]
    Orders(OrdersCommand),
    /// The spec as one SQL query that gives the same TAL inside a warehouse.
    #[command(
        after_help = "Runs in DuckDB, PostgreSQL, Spark, BigQuery and Snowflake: the inputs are tables named
after them (as tal export --parquet writes them), or the tables `table = \"...\"` names in
the spec. See docs/warehouse.md.

Examples:
  tal sql --dialect duckdb > tal.sql
  tal sql --dialect postgres --all -o tal_all.sql
  tal sql --dialect bigquery --as-of 2026-11-20 --spec abm/tal.toml"
    )]
    Sql(SqlArgs),
    /// Write the parsed, typed rows of every input as Parquet, to load into a warehouse.
    #[command(
        after_help = "One file per input (DIR/<input>.parquet, and overrides.parquet), with _row (the data
row, in file order), domain (the normalised key), one column per field in its type, and
_bucket and _reason (where tal put the row). Loaded as tables named after the files,
they are what tal sql reads.

Examples:
  tal export --parquet warehouse/
  tal export --parquet /tmp/tal --spec abm/tal.toml --as-of 2026-11-20"
    )]
    Export(ExportArgs),
    /// Write the whole build folder for cron: TAL, accounts, changes, CRM update, manifest, history.
    #[command(
        after_help = "Examples:\n  tal build --out-dir /srv/tal\n  tal build --out-dir /srv/tal --max-churn 20 --quiet\n  tal build --out-dir /srv/tal --accept-pending\n\nExit status: 0 built (or accepted), 1 failed (nothing changed in DIR), 3 built but --strict and data-quality warnings, 4 held back in DIR/pending by --max-churn.\nSee docs/cron.md."
    )]
    Build(BuildArgs),
    /// Tier movements between two TAL files: new, dropped, promoted, demoted.
    #[command(
        after_help = "Examples:\n  tal diff last-week/tal.csv tal.csv\n  tal diff old.csv new.csv --format markdown -o changes.md"
    )]
    Diff(DiffArgs),
    /// The ABM maturity assessment: 5 stages × 5 dimensions, answers checked against the data.
    #[command(
        after_help = "Answers are yes, partly or no (or sim, parcial, não); \"\" leaves a practice to the data.
Without --answers the data alone fills the grid; without a spec, the answers alone.
Marks: ✓ met, ½ partly, ✗ not met, · unanswered; d from data, ! contradicted, ~ understated.

Examples:
  tal maturity --template -o maturity.toml
  tal maturity --template --lang pt -o maturidade.toml
  tal maturity --answers maturity.toml
  tal maturity --answers maturity.toml --build-dir /srv/tal --format html -o maturity.html
  tal maturity --spec examples/demo/tal.toml --as-of 2026-11-20 --format json"
    )]
    Maturity(MaturityArgs),
    /// Print shell completions for bash, zsh, fish, PowerShell or elvish.
    #[command(after_help = "Examples:
  tal completions bash > ~/.local/share/bash-completion/completions/tal
  tal completions zsh > ~/.zfunc/_tal
  tal completions fish > ~/.config/fish/completions/tal.fish
  tal completions powershell >> $PROFILE")]
    Completions(CompletionsArgs),
    /// Print the man page (roff), for tal or one of its commands.
    #[command(after_help = "Examples:
  tal man | man -l -
  tal man -o ~/.local/share/man/man1/tal.1
  tal man --out-dir ~/.local/share/man/man1")]
    Man(ManArgs),
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("accounts").args(["crm", "firmographics"]).required(true).multiple(true)))]
pub struct InitArgs {
    /// A CRM account export (Salesforce, HubSpot...).
    #[arg(long, value_name = "FILE")]
    pub crm: Vec<PathBuf>,
    /// A vendor's account file (firmographics, Demandbase, 6sense...).
    #[arg(long, value_name = "FILE")]
    pub firmographics: Vec<PathBuf>,
    /// An intent export: topic, score, date rows (Bombora Company Surge...).
    #[arg(long, value_name = "FILE")]
    pub intent: Vec<PathBuf>,
    /// An activity export: e-mail, activity type and date rows (Marketo...).
    #[arg(long, value_name = "FILE")]
    pub engagement: Vec<PathBuf>,
    /// Write the spec to FILE ("-" is stdout).
    #[arg(
        short = 'o',
        long = "output",
        value_name = "FILE",
        default_value = "tal.toml"
    )]
    pub output: PathBuf,
    /// Overwrite FILE when it exists.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// One command's page (e.g. score) instead of tal's.
    #[arg(value_name = "COMMAND", conflicts_with = "out_dir")]
    pub command: Option<String>,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Write tal.1 and a tal-COMMAND.1 page per command into DIR.
    #[arg(long, value_name = "DIR", conflicts_with = "output")]
    pub out_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SqlArgs {
    #[command(flatten)]
    pub spec: SpecArgs,
    /// The engine to write for.
    #[arg(long, value_enum)]
    pub dialect: crate::sql::DialectName,
    /// Every account, as tal score --all (else the TAL).
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub spec: SpecArgs,
    /// Write one Parquet file per input into DIR (created if missing).
    #[arg(long, value_name = "DIR")]
    pub parquet: PathBuf,
    /// No list of the files written on stderr.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Where the spec is and which day the run scores for.
#[derive(Debug, Args, Clone)]
pub struct SpecArgs {
    /// The spec file [default: ./tal.toml, else $TAL_SPEC].
    #[arg(long, value_name = "PATH")]
    pub spec: Option<PathBuf>,
    /// Score as of this day [default: today].
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    pub as_of: Option<chrono::NaiveDate>,
}

/// Where results go.
#[derive(Debug, Args, Clone)]
pub struct OutputArgs {
    /// Write to FILE instead of stdout ("-" is stdout).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub spec: SpecArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: CheckFormat,
    /// Exit 3 when rows were rejected or any data-quality warning was raised.
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    #[command(flatten)]
    pub spec: SpecArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: TalFormat,
    /// Also list Excluded, Unassigned and Waitlist accounts, with their reasons.
    #[arg(long)]
    pub all: bool,
    /// Only this tier (or Excluded, Unassigned, Waitlist); repeatable.
    #[arg(long = "tier", value_name = "NAME")]
    pub tiers: Vec<String>,
    /// Write text cells as they are, without the spreadsheet formula guard.
    #[arg(long)]
    pub raw: bool,
    /// Exit 3 when rows were rejected or any data-quality warning was raised.
    #[arg(long)]
    pub strict: bool,
    /// No summary on stderr.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub spec: SpecArgs,
    /// The build folder (created when missing).
    #[arg(long, value_name = "DIR")]
    pub out_dir: PathBuf,
    /// Hold the build back in DIR/pending (exit 4) when more than PCT % of
    /// the live TAL changed tier or left it.
    #[arg(long, value_name = "PCT", value_parser = parse_pct)]
    pub max_churn: Option<f64>,
    /// Compare with this TAL file instead of the live build's tal.csv.
    #[arg(long, value_name = "FILE")]
    pub previous: Option<PathBuf>,
    /// Swap in the build that --max-churn held back in DIR/pending.
    #[arg(long)]
    pub accept_pending: bool,
    /// Exit 3 when rows were rejected or any data-quality warning was raised.
    #[arg(long)]
    pub strict: bool,
    /// No summary and no warnings on stderr (errors, a held-back build and
    /// a stale lock are still reported).
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The older TAL file (csv or tsv, as `tal score` writes it).
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The newer TAL file.
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: DiffFormat,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub spec: SpecArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Report format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ReportFormat,
}

#[derive(Debug, Subcommand)]
pub enum OrdersCommand {
    /// Write the order sheet: one row per TAL account, a column per program.
    #[command(
        after_help = "Programs the account's tier is not entitled to are marked n/a.\n\nExamples:\n  tal orders template -o orders.csv\n  tal orders template --format xlsx -o orders.xlsx"
    )]
    Template(OrdersTemplateArgs),
    /// Check a ticked order sheet against the entitlements and the budget.
    #[command(
        after_help = "Exits 3 and lists the orders when one breaks the rules: a program not on the\ntier's menu, an account not in the TAL, an unknown program, or orders that cost\nmore than the tier's per-account entitlement or the budget.\n\nExamples:\n  tal orders check orders.csv\n  tal orders check orders.xlsx --format json"
    )]
    Check(OrdersCheckArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OrdersFormat {
    Csv,
    Xlsx,
}

#[derive(Debug, Args)]
pub struct OrdersTemplateArgs {
    #[command(flatten)]
    pub spec: SpecArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Sheet format (xlsx needs -o FILE).
    #[arg(long, value_enum, default_value = "csv")]
    pub format: OrdersFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OrdersCheckFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct OrdersCheckArgs {
    /// The ticked sheet (.csv, or .xlsx).
    #[arg(value_name = "ORDERS")]
    pub orders: PathBuf,
    #[command(flatten)]
    pub spec: SpecArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Result format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: OrdersCheckFormat,
}

#[derive(Debug, Subcommand)]
pub enum IcpCommand {
    /// What your best customers have in common: lift tables, a draft [fit] and its backtest.
    #[command(
        after_help = "Compares the accounts --best picks (e.g. customers who renewed twice) with the base
(every account, or --vs) field by field, drafts a [fit] from the values that stand out, and
backtests it with cross-validation against the spec's current [fit]. EXPR reads fields only.
See docs/icp.md.

Examples:
  tal icp discover --best 'renewals >= 2'
  tal icp discover --best 'renewals >= 2' --vs 'is_customer and customer_since <= \"2024-11-30\"'
  tal icp discover --best is_customer --fields industry,country --format markdown -o icp.md
  tal icp discover --best 'renewals >= 2' --fit-out fit.toml --format json"
    )]
    Discover(IcpDiscoverArgs),
}

#[derive(Debug, Args)]
pub struct IcpDiscoverArgs {
    /// The best accounts: a condition on fields, e.g. 'renewals >= 2'.
    #[arg(long, value_name = "EXPR")]
    pub best: String,
    /// Compare with the accounts where EXPR holds (the best left out) instead of every account.
    #[arg(long, visible_alias = "baseline", value_name = "EXPR")]
    pub vs: Option<String>,
    /// Weigh only these fields (comma-separated) [default: every mapped trait].
    #[arg(long, value_name = "FIELD,...", value_delimiter = ',')]
    pub fields: Vec<String>,
    /// Fewest best accounts a value needs to qualify.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub min_support: u64,
    /// Lowest smoothed lift a value needs to qualify.
    #[arg(long, value_name = "X", default_value_t = 1.5, value_parser = parse_lift)]
    pub min_lift: f64,
    /// Most criteria in the draft.
    #[arg(long, value_name = "N", default_value_t = 8)]
    pub max_criteria: usize,
    /// Cross-validation folds.
    #[arg(long, value_name = "K", default_value_t = 5)]
    pub folds: usize,
    /// How number fields are banded.
    #[arg(long, value_enum, default_value = "standard")]
    pub bands: BandMode,
    /// Values shown per attribute; the rest make one "(other)" row.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub top: usize,
    /// Also write the draft [fit] alone to FILE.
    #[arg(long, value_name = "FILE")]
    pub fit_out: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: IcpFormat,
    #[command(flatten)]
    pub spec: SpecArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Exit 3 when rows were rejected or any data-quality warning was raised.
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExplainFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The account: a domain (any form: URL, e-mail) or an account id.
    pub account: String,
    #[command(flatten)]
    pub spec: SpecArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ExplainFormat,
}

#[derive(Debug, Args)]
pub struct MaturityArgs {
    /// The self-assessment: a TOML answers file (--template writes one), or CSV by extension.
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// Write the empty answers file (all 25 practices) and stop.
    #[arg(long, conflicts_with_all = ["answers", "build_dir", "format"])]
    pub template: bool,
    /// Language of names, practices and headings.
    #[arg(long, value_enum, default_value = "en")]
    pub lang: crate::maturity::model::Lang,
    /// A `tal build` folder: its history/ shows whether the list is refreshed weekly.
    #[arg(long, value_name = "DIR")]
    pub build_dir: Option<PathBuf>,
    #[command(flatten)]
    pub spec: SpecArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: crate::maturity::render::Format,
}

/// A day of `--as-of`: a date between 1900 and 2199 (windows and decay
/// count days back from it; far-off years are typing mistakes).
fn parse_day(text: &str) -> Result<chrono::NaiveDate, String> {
    use chrono::Datelike;
    let day = chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("'{text}' is not a date: write YYYY-MM-DD, e.g. 2026-11-20"))?;
    if !(1900..2200).contains(&day.year()) {
        return Err(format!(
            "'{text}' is out of range: --as-of takes a day from 1900-01-01 to 2199-12-31"
        ));
    }
    Ok(day)
}

fn parse_lift(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(lift) if lift.is_finite() && lift >= 0.0 => Ok(lift),
        _ => Err(format!(
            "'{text}' is not a lift: write a number such as 1.5"
        )),
    }
}

fn parse_pct(text: &str) -> Result<f64, String> {
    let number = text.trim().trim_end_matches('%').trim();
    match number.parse::<f64>() {
        Ok(pct) if (0.0..=100.0).contains(&pct) => Ok(pct),
        _ => Err(format!(
            "'{text}' is not a percentage: write a number from 0 to 100, e.g. 20"
        )),
    }
}
