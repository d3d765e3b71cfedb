//! The properties the fuzz targets assert, one function per target, each
//! taking the raw input bytes and panicking when a property fails (AFL
//! counts a panic as a crash). They live here rather than in the binaries
//! so that a reproducing input can be replayed without AFL: each binary
//! reads one input from stdin when it is not run by `afl-fuzz`.

pub mod expr;
pub mod read_csv;
pub mod spec;
pub mod values;

/// The bytes as text: a lossy decode, so that every input is exercised
/// (the parsers take `&str`; invalid bytes become U+FFFD).
pub fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}
