use std::process::ExitCode;

use clap::Parser;
use tal::format::terminal::printable;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    tal::memory::tune();
    let cli = tal::cli::Cli::parse();
    match tal::run(cli) {
        Ok(status) => ExitCode::from(status),
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {}", printable(&err.to_string()));
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {}", printable(&cause.to_string()));
            }
            ExitCode::from(1)
        }
    }
}

/// `tal score | head` closes the pipe early: that is success, not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            || cause.downcast_ref::<csv::Error>().is_some_and(|e| matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe))
            || cause.downcast_ref::<serde_json::Error>().is_some_and(|e| e.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe))
    })
}
