//! The progress bar of a long run on stderr: the stage, and while the
//! exports are read, the bytes read of the total. Drawn only when stderr is
//! a terminal, so cron mail, pipes and redirected logs never see it; it is
//! cleared before anything else is printed.
//!
//! One bar per process, set up by [`begin`]; every other call is a no-op
//! until then (and always when stderr is not a terminal), so the layers that
//! report progress (input reading, the pipeline, the commands) need no
//! handle passed down to them.
//!
//! The same stage marks time the run: with `TAL_TIMINGS=1` in the
//! environment, each stage's wall, user and system time, and its minor page
//! faults (pages the process touched for the first time, each cleared by
//! the kernel), are printed on stderr when the command ends (the stage
//! profile of `bench/README.md`).
//! [`step`] marks a timed step inside a stage without changing the bar.

use std::io::IsTerminal;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

static BAR: OnceLock<ProgressBar> = OnceLock::new();

/// Starts the bar at `stage`, when a person is watching stderr.
pub fn begin(stage: &str) {
    step(stage);
    if !std::io::stderr().is_terminal() {
        return;
    }
    let bar = BAR.get_or_init(|| {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        spinner(&bar, stage);
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    });
    spinner(bar, stage);
    bar.force_draw();
}

fn spinner(bar: &ProgressBar, stage: &str) {
    let style = ProgressStyle::with_template("{spinner} {msg} {elapsed}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    bar.set_style(style);
    bar.set_length(0);
    bar.set_message(stage.to_string());
}

/// The exports are being read: `total` bytes in all.
pub fn reading(total: u64) {
    if let Some(bar) = BAR.get() {
        let style = ProgressStyle::with_template(
            "{spinner} reading the exports {bar:30} {bytes}/{total_bytes} {elapsed}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar.set_position(0);
        bar.set_length(total);
        bar.force_draw();
    }
}

/// `bytes` more of the exports were read.
pub fn read(bytes: u64) {
    if let Some(bar) = BAR.get() {
        bar.inc(bytes);
    }
}

/// A new stage: "scoring", "writing the build folder"...
pub fn stage(name: &str) {
    step(name);
    if let Some(bar) = BAR.get().filter(|bar| !bar.is_finished()) {
        // Every stage is shown, however short: the bar's own redraws are
        // limited to 20 a second.
        spinner(bar, name);
        bar.force_draw();
    }
}

/// Clears the bar, before the run prints its summary.
pub fn finish() {
    if let Some(bar) = BAR.get() {
        bar.finish_and_clear();
    }
}

/// The stages timed so far, when `TAL_TIMINGS` is set.
static TIMINGS: OnceLock<Option<Mutex<Timings>>> = OnceLock::new();

#[derive(Default)]
struct Timings {
    /// The stage under way: its name, and the clocks when it began.
    current: Option<(String, Clocks)>,
    done: Vec<(String, Clocks)>,
}

/// Wall time since the first stage, the process's CPU time and its minor
/// page faults.
#[derive(Clone, Copy, Default)]
struct Clocks {
    wall: Duration,
    user: Duration,
    system: Duration,
    faults: u64,
}

impl Clocks {
    fn now() -> Clocks {
        static START: OnceLock<Instant> = OnceLock::new();
        let Usage {
            user,
            system,
            faults,
        } = usage();
        Clocks {
            wall: START.get_or_init(Instant::now).elapsed(),
            user,
            system,
            faults,
        }
    }

    fn since(self, start: Clocks) -> Clocks {
        Clocks {
            wall: self.wall.saturating_sub(start.wall),
            user: self.user.saturating_sub(start.user),
            system: self.system.saturating_sub(start.system),
            faults: self.faults.saturating_sub(start.faults),
        }
    }
}

/// What `getrusage` says of the process so far.
#[derive(Default)]
struct Usage {
    user: Duration,
    system: Duration,
    faults: u64,
}

/// User and system CPU time and minor page faults of the process so far.
#[cfg(unix)]
#[allow(unsafe_code)]
fn usage() -> Usage {
    let of = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec.max(0) as u64) + Duration::from_micros(t.tv_usec.max(0) as u64)
    };
    // SAFETY: getrusage fills the struct it is given; a zeroed rusage is a
    // valid value of it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return Usage::default();
    }
    Usage {
        user: of(usage.ru_utime),
        system: of(usage.ru_stime),
        faults: usage.ru_minflt.max(0) as u64,
    }
}

#[cfg(not(unix))]
fn usage() -> Usage {
    Usage::default()
}

fn timings() -> Option<&'static Mutex<Timings>> {
    TIMINGS
        .get_or_init(|| {
            std::env::var_os("TAL_TIMINGS")
                .filter(|v| !v.is_empty() && v != "0")
                .map(|_| Mutex::new(Timings::default()))
        })
        .as_ref()
}

/// A timed step of the run (shown only in the `TAL_TIMINGS` profile).
pub fn step(name: &str) {
    if let Some(timings) = timings() {
        let now = Clocks::now();
        let mut timings = timings.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((previous, began)) = timings.current.take() {
            timings.done.push((previous, now.since(began)));
        }
        timings.current = Some((name.to_string(), now));
    }
}

/// Prints the stage profile on stderr, when `TAL_TIMINGS` is set: one line
/// per stage, then the total (tab-separated, the figures in the order of the
/// header).
pub fn print_timings() {
    let Some(timings) = timings() else {
        return;
    };
    step("");
    let timings = timings.lock().unwrap_or_else(|e| e.into_inner());
    let seconds = |d: Duration| format!("{:.3}", d.as_secs_f64());
    eprintln!("stage\twall_s\tuser_s\tsys_s\tpage_faults");
    let line = |name: &str, spent: &Clocks| {
        eprintln!(
            "{name}\t{}\t{}\t{}\t{}",
            seconds(spent.wall),
            seconds(spent.user),
            seconds(spent.system),
            spent.faults
        );
    };
    let mut total = Clocks::default();
    for (name, spent) in &timings.done {
        line(name, spent);
        total.wall += spent.wall;
        total.user += spent.user;
        total.system += spent.system;
        total.faults += spent.faults;
    }
    line("total", &total);
}
