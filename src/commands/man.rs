//! `tal man`: the man pages (roff), rendered from the same definitions as
//! `--help`, so they cannot drift.

use std::io::Write;

use anyhow::{bail, Context, Result};
use clap::CommandFactory;

use crate::cli::{Cli, ManArgs};
use crate::file::AtomicFile;
use crate::{ExitStatus, EXIT_OK};

pub fn run(args: &ManArgs) -> Result<ExitStatus> {
    let tal = Cli::command();
    if let Some(dir) = &args.out_dir {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        for (name, page) in pages(&tal) {
            let path = dir.join(format!("{name}.1"));
            let mut file = AtomicFile::create(&path)?;
            render(page, &mut file)?;
            file.commit()?;
        }
        return Ok(EXIT_OK);
    }
    let page = match &args.command {
        None => tal,
        Some(name) => {
            let Some(command) = tal.find_subcommand(name) else {
                let names: Vec<&str> = tal.get_subcommands().map(|c| c.get_name()).collect();
                bail!(
                    "'{name}' is no tal command (commands: {})",
                    names.join(", ")
                );
            };
            page_of(command)
        }
    };
    let mut out = super::open_output(&args.output)?;
    render(page, &mut out)?;
    out.finish()?;
    Ok(EXIT_OK)
}

/// tal's own page and one `tal-COMMAND` page per command.
fn pages(tal: &clap::Command) -> Vec<(String, clap::Command)> {
    let mut pages = vec![("tal".to_string(), tal.clone())];
    for command in tal.get_subcommands().filter(|c| c.get_name() != "help") {
        let page = page_of(command);
        pages.push((page.get_name().to_string(), page));
    }
    pages
}

/// A command's page is named `tal-COMMAND`, as git names its pages.
fn page_of(command: &clap::Command) -> clap::Command {
    command.clone().name(format!("tal-{}", command.get_name()))
}

fn render(page: clap::Command, out: &mut dyn Write) -> Result<()> {
    // Every page's footer names the tal it documents.
    clap_mangen::Man::new(page)
        .source(format!("tal {}", env!("TAL_VERSION")))
        .render(out)
        .context("cannot write the man page")
}
