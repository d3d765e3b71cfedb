//! AFL target: the lenient cell parsers (numbers, dates, bools, domain
//! keys, lists, text). Asserts no panic, and that what `tal` writes for a
//! parsed number, amount of money, date or bool parses back to the same
//! value. Details in `tal_fuzz::values` (src/values.rs).
//!
//! Replay one input without AFL: `values < INPUT` (exits non-zero on a
//! failed property).

fn main() {
    afl::fuzz!(|data: &[u8]| {
        tal_fuzz::values::run(data);
    });
}
