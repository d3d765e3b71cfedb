//! AFL target: the spec loader — `tal.toml` text parsed, compiled, planned
//! and written as SQL in one of the dialects. Asserts no panic (a bad spec is an
//! `Err`), and that every compiled `when` is its source's tree. Details in
//! `tal_fuzz::spec` (src/spec.rs).
//!
//! Replay one input without AFL: `spec < INPUT` (exits non-zero on a
//! failed property).

fn main() {
    afl::fuzz!(|data: &[u8]| {
        tal_fuzz::spec::run(data);
    });
}
