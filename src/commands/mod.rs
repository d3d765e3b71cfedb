//! One module per subcommand: resolve the arguments, call the engine, hand
//! the result to a renderer.

pub mod build;
pub mod check;
pub mod completions;
pub mod diff;
pub mod explain;
pub mod export;
pub mod icp;
pub mod init;
pub mod man;
pub mod maturity;
pub mod orders;
pub mod report;
pub mod score;
pub mod sql;

use std::io::{self, BufWriter, Write};

use anyhow::{bail, Result};

use crate::cli::OutputArgs;
use crate::file::AtomicFile;
use crate::format::terminal::Escaper;

/// Where a command writes its result: the `-o` file (replaced whole when
/// the command ends well, see [`crate::file`]), or stdout; for the
/// outputs people read, with control characters from data escaped
/// ([`Output::for_people`]).
pub struct Output {
    sink: Sink,
    escaper: Option<(Escaper, Vec<u8>)>,
}

enum Sink {
    Stdout(BufWriter<io::StdoutLock<'static>>),
    File(AtomicFile),
}

impl Output {
    /// Escapes control characters from here on (tables and text, not the
    /// CSV, JSON or workbook bytes a program reads).
    pub fn for_people(mut self) -> Self {
        self.escaper = Some((Escaper::default(), Vec::new()));
        self
    }

    /// Flushes, and puts the `-o` file in place. A command that fails
    /// before this leaves the file as it was.
    pub fn finish(mut self) -> Result<()> {
        if let Some((escaper, scratch)) = &mut self.escaper {
            scratch.clear();
            escaper.finish(scratch);
            let held = std::mem::take(scratch);
            self.sink.write_all(&held)?;
        }
        match self.sink {
            Sink::Stdout(mut out) => Ok(out.flush()?),
            Sink::File(file) => file.commit(),
        }
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Stdout(out) => out.write(buf),
            Sink::File(file) => file.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Sink::Stdout(out) => out.write_all(buf),
            Sink::File(file) => file.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Stdout(out) => out.flush(),
            Sink::File(file) => file.flush(),
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match &mut self.escaper {
            Some((escaper, scratch)) => {
                scratch.clear();
                escaper.escape(buf, scratch);
                self.sink.write_all(scratch)
            }
            None => self.sink.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.sink.flush()
    }
}

/// The destination of `args`: the `-o` file, or stdout.
pub fn open_output(args: &OutputArgs) -> Result<Output> {
    let sink = match &args.output {
        Some(path) if path.as_os_str() != "-" => Sink::File(AtomicFile::create(path)?),
        _ => Sink::Stdout(BufWriter::new(io::stdout().lock())),
    };
    Ok(Output {
        sink,
        escaper: None,
    })
}

/// Prints a warning on stderr, control characters from data escaped.
pub fn warn(warning: &str) {
    eprintln!("warning: {}", crate::format::terminal::printable(warning));
}

/// Refuses stdout for a binary format: it needs `-o FILE`.
pub fn require_file(args: &OutputArgs, format: &str) -> Result<()> {
    match &args.output {
        Some(path) if path.as_os_str() != "-" => Ok(()),
        _ => {
            bail!("--format {format} writes a binary workbook: name the file with -o FILE.{format}")
        }
    }
}

/// The progress bar of a long run (see `crate::progress`): its first stage.
pub fn progress(stage: &str) {
    crate::progress::begin(stage);
}

/// Clears the progress bar before the summary is printed.
pub fn progress_done() {
    crate::progress::finish();
}
