//! AFL target: reading an export as `tal check` does — decoding, delimiter
//! sniffing, header mapping, typed fields, intent and engagement rows.
//! Asserts no panic; every row read lands in exactly one bucket (counts,
//! rejects and the row log agree); reading in parts equals one read.
//! Details in `tal_fuzz::read_csv` (src/read_csv.rs).
//!
//! Replay one input without AFL: `read_csv < INPUT` (exits non-zero on a
//! failed property).

fn main() {
    afl::fuzz!(|data: &[u8]| {
        tal_fuzz::read_csv::run(data);
    });
}
