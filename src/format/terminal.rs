//! Text for a terminal: control characters that came from data (an account
//! name holding ESC sequences can retitle the terminal or clear the screen)
//! are shown escaped, `\x1b` for C0 and DEL, `\u{9b}` for C1, never
//! written raw. Line feeds and tabs stay: the outputs are made of them.
//!
//! [`printable`] escapes one string (a warning); [`Escaper`] escapes a
//! byte stream as it is written, for whole rendered outputs.

use std::borrow::Cow;

/// Whether `c` is shown escaped.
fn is_control(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

fn push_escaped(out: &mut String, c: char) {
    let code = c as u32;
    if code < 0x80 {
        out.push_str(&format!("\\x{code:02x}"));
    } else {
        out.push_str(&format!("\\u{{{code:x}}}"));
    }
}

/// `text` with its control characters escaped.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_control(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Escapes control characters in UTF-8 written in pieces: a C1 character
/// (two bytes, `0xC2 0x80..=0x9F`) may be cut between two writes.
#[derive(Debug, Default)]
pub struct Escaper {
    /// A `0xC2` that ended the last piece.
    pending: bool,
}

impl Escaper {
    /// Appends `piece`, escaped, to `out`.
    pub fn escape(&mut self, piece: &[u8], out: &mut Vec<u8>) {
        let mut text = String::new();
        for &b in piece {
            if std::mem::take(&mut self.pending) {
                if (0x80..=0x9f).contains(&b) {
                    text.clear();
                    push_escaped(&mut text, char::from_u32(u32::from(b)).unwrap_or('?'));
                    out.extend_from_slice(text.as_bytes());
                    continue;
                }
                out.push(0xc2);
            }
            match b {
                0xc2 => self.pending = true,
                b'\n' | b'\t' => out.push(b),
                0..=0x1f | 0x7f => {
                    text.clear();
                    push_escaped(&mut text, char::from(b));
                    out.extend_from_slice(text.as_bytes());
                }
                _ => out.push(b),
            }
        }
    }

    /// What is still held back, at the end of the output.
    pub fn finish(&mut self, out: &mut Vec<u8>) {
        if std::mem::take(&mut self.pending) {
            out.push(0xc2);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn controls_are_shown_not_sent() {
        assert_eq!(
            printable("Acme\u{1b}]0;owned\u{7}"),
            "Acme\\x1b]0;owned\\x07"
        );
        assert_eq!(printable("a\u{9b}2J\r"), "a\\u{9b}2J\\x0d");
        assert_eq!(
            printable("two\nlines\tand tabs, São"),
            "two\nlines\tand tabs, São"
        );
    }

    proptest! {
        /// The stream escaper, however the bytes are cut, writes what
        /// escaping the whole text at once gives.
        #[test]
        fn pieces_escape_as_the_whole(
            text in "[a\u{1b}\u{7}\u{9b}\u{85}\u{a0}é\n\t\r\u{7f}Â]{0,30}",
            cuts in proptest::collection::vec(0usize..40, 0..5),
        ) {
            let bytes = text.as_bytes();
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(bytes.len())).collect();
            cuts.sort_unstable();
            let mut escaper = Escaper::default();
            let mut out = Vec::new();
            let mut from = 0;
            for cut in cuts.into_iter().chain([bytes.len()]) {
                escaper.escape(&bytes[from..cut], &mut out);
                from = cut;
            }
            escaper.finish(&mut out);
            prop_assert_eq!(String::from_utf8(out).unwrap(), printable(&text).into_owned());
        }
    }
}
