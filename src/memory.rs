//! How the process takes memory from the kernel: freed memory is kept for
//! the run, and pages are the kernel's small ones, not transparent huge
//! pages. Both were measured on million-account runs (bench/README.md).

/// mimalloc's `purge_delay` (the C enum's value; the bindings do not name it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// The environment variable with which mimalloc's users choose huge pages
/// (`1`: allowed, as mimalloc does by default; `0`: not).
const ALLOW_THP: &str = "MIMALLOC_ALLOW_THP";

/// Sets both, first thing in `main`.
pub fn tune() {
    keep_freed_memory();
    small_pages();
}

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

/// mimalloc asks for transparent huge pages on its arenas. A run touches
/// most of its memory once, and the kernel clears a whole 2 MiB page at the
/// first touch of any byte in it: at a million accounts that was 1.5–3 s
/// of system time (a third of the CPU time) against 0.6 s with small
/// pages, and more memory. So huge pages are off for this process, unless
/// the user set `MIMALLOC_ALLOW_THP` (then mimalloc decides, as it would).
fn small_pages() {
    if std::env::var_os(ALLOW_THP).is_none() {
        no_transparent_huge_pages();
    }
}

/// Sets the process's flag (inherited by children; Linux only).
#[allow(unsafe_code)]
fn no_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: sets a flag of the calling process; no pointers are involved.
    // It fails only on kernels without it (before 3.15): nothing to undo.
    unsafe {
        let (on, unused): (libc::c_ulong, libc::c_ulong) = (1, 0);
        libc::prctl(libc::PR_SET_THP_DISABLE, on, unused, unused, unused);
    }
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

    #[cfg(target_os = "linux")]
    #[test]
    #[allow(unsafe_code)]
    fn huge_pages_are_off_for_the_process() {
        super::no_transparent_huge_pages();
        // SAFETY: reads a flag of the calling process.
        let disabled = unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) };
        assert_eq!(disabled, 1);
    }
}
