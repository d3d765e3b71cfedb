//! `tal explain ACCOUNT`: why one account got its tier.

use std::io::Write;

use anyhow::{bail, Result};

use crate::cli::{ExplainArgs, ExplainFormat};
use crate::engine::explain::{explain, find_account, to_text};
use crate::{pipeline, ExitStatus, EXIT_OK};

pub fn run(args: &ExplainArgs) -> Result<ExitStatus> {
    let project = pipeline::score(&args.spec)?;
    let accounts = &project.loaded.accounts;
    let Some(i) = find_account(accounts, &args.account) else {
        bail!("'{}' is no account: give a domain (acme.com, a URL or an e-mail work too) or an account id from the inputs", args.account);
    };
    let explanation = explain(&project.spec, &project.scored, accounts, i)?;
    let mut out = super::open_output(&args.output)?;
    if matches!(args.format, ExplainFormat::Text) {
        out = out.for_people();
    }
    match args.format {
        ExplainFormat::Text => out.write_all(to_text(&explanation).as_bytes())?,
        ExplainFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &explanation)?;
            out.write_all(b"\n")?;
        }
    }
    out.finish()?;
    Ok(EXIT_OK)
}
