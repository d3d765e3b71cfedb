//! The progress bar of a long run on stderr: the stage, and while the
//! exports are read, the bytes read of the total. Drawn only when stderr is
//! a terminal, so cron mail, pipes and redirected logs never see it; it is
//! cleared before anything else is printed.
//!
//! One bar per process, set up by [`begin`]; every other call is a no-op
//! until then (and always when stderr is not a terminal), so the layers that
//! report progress (input reading, the pipeline, the commands) need no
//! handle passed down to them.

use std::io::IsTerminal;
use std::sync::OnceLock;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

static BAR: OnceLock<ProgressBar> = OnceLock::new();

/// Starts the bar at `stage`, when a person is watching stderr.
pub fn begin(stage: &str) {
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
    if let Some(bar) = BAR.get() {
        spinner(bar, name);
    }
}

/// Clears the bar, before the run prints its summary.
pub fn finish() {
    if let Some(bar) = BAR.get() {
        bar.finish_and_clear();
    }
}
