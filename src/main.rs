use std::process::ExitCode;

use clap::Parser;
use tal::format::terminal::printable;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `purge_delay` (the C enum's value; the bindings do not name it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// mimalloc hands memory back to the OS a second after it is freed, and the
/// next allocation faults it in again, zeroed by the kernel: that was ~15%
/// of a million-account run. A run is short and ends by exiting, so freed
/// memory is kept for the next allocation instead.
#[allow(unsafe_code)]
fn keep_freed_memory() {
    // SAFETY: sets an integer option of the allocator; no pointers are
    // involved, and mimalloc reads the option each time it would purge.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

fn main() -> ExitCode {
    keep_freed_memory();
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

#[cfg(test)]
mod tests {
    /// Guards the enum value above: only `purge_delay` defaults to 1000 ms.
    #[test]
    #[allow(unsafe_code)]
    fn option_15_is_the_purge_delay() {
        // SAFETY: reads an integer option of the allocator.
        let delay = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        assert_eq!(delay, 1000);
    }
}
