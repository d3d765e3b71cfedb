//! AFL target: the expression parser and type checker. Asserts no panic,
//! parse → print → parse gives the same tree (and the same text again),
//! and the printed tree type-checks as the original does. Details in
//! `tal_fuzz::expr` (src/expr.rs).
//!
//! Replay one input without AFL: `expr < INPUT` (exits non-zero on a
//! failed property).

fn main() {
    afl::fuzz!(|data: &[u8]| {
        tal_fuzz::expr::run(data);
    });
}
