//! The records of an export read from a given byte on: each with the byte
//! its parse began at and its physical line, exactly as the csv crate's
//! reader reads them (`read::reader`: no headers, flexible, `\r`, `\n` or
//! `\r\n` ending a record, `"` quoting with `""` inside).
//!
//! Most lines of an export hold no quote and no carriage return: such a
//! line is one record whose cells lie between the delimiters, so it is cut
//! with byte searches and never goes through the csv state machine. Any
//! other line (and the first line of the text, where the csv reader drops a
//! byte-order mark) is read by `csv_core`, the csv crate's own parser: on
//! from where it stopped when no plain line came between (an export that
//! quotes every cell is parsed as the csv reader parses it), else started
//! afresh where the line begins, a record boundary, where the csv reader is
//! in the state it starts in. A property test pairs this with the csv
//! reader reading from the top.

use csv::StringRecord;
use csv_core::ReadRecordResult;

/// Where a record was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Start {
    /// The byte the record's parse began at: its first byte, or a line end
    /// before it (blank lines are not records).
    pub at: usize,
    /// The physical line (1-based, counting `\n`) of its first byte.
    pub line: u64,
}

/// Reads the records of a text one after the other.
pub struct Records<'t> {
    text: &'t str,
    delimiter: u8,
    /// Whether lines may be cut at the delimiter without the csv parser.
    plain_lines: bool,
    /// Where the next record's parse begins (a record boundary).
    pos: usize,
    /// The physical line `pos` is on.
    line: u64,
    core: csv_core::Reader,
    /// Where the csv parser stopped, when it may go on from there: no
    /// record was cut from a plain line since.
    parsed_to: Option<usize>,
    /// The csv parser's output: the cells' bytes, and where each ends.
    out: Vec<u8>,
    ends: Vec<usize>,
}

/// A UTF-8 byte-order mark.
pub(super) const BOM: &[u8] = "\u{feff}".as_bytes();

impl<'t> Records<'t> {
    /// The records of `text`, whose first byte is on line `first_line`.
    pub fn new(text: &'t str, delimiter: u8, first_line: u64) -> Self {
        Records {
            text,
            delimiter,
            plain_lines: delimiter.is_ascii() && !matches!(delimiter, b'"' | b'\r' | b'\n'),
            pos: 0,
            line: first_line,
            core: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            parsed_to: None,
            out: vec![0; 1024],
            ends: vec![0; 64],
        }
    }

    /// Reads the next record into `record`; None at the end of the text.
    pub fn read(&mut self, record: &mut StringRecord) -> Option<Start> {
        let bytes = self.text.as_bytes();
        loop {
            let rest = &bytes[self.pos..];
            if rest.is_empty() {
                return None;
            }
            let len = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
            let line = &rest[..len];
            if !self.plain_lines || (self.pos == 0 && line.starts_with(BOM)) {
                return self.parse(record);
            }
            let from = self.pos;
            // Cut at the delimiters, in the same search that looks for a
            // quote or a `\r`: either sends the line to the parser.
            record.clear();
            let mut cell = from;
            for cut in memchr::memchr3_iter(self.delimiter, b'"', b'\r', line) {
                if line[cut] != self.delimiter {
                    return self.parse(record);
                }
                record.push_field(&self.text[cell..from + cut]);
                cell = from + cut + 1;
            }
            let start = Start {
                at: self.pos,
                line: self.line,
            };
            // Past the line and its `\n` (absent on the last line).
            self.pos += (len + 1).min(rest.len());
            self.line += 1;
            if line.is_empty() {
                // A blank line is no record, whatever the parser's state
                // (it would skip the `\n` as well): it may go on after it.
                if self.parsed_to == Some(from) {
                    self.parsed_to = Some(self.pos);
                }
                continue;
            }
            record.push_field(&self.text[cell..from + len]);
            return Some(start);
        }
    }

    /// Reads the record at `pos` with the csv parser.
    fn parse(&mut self, record: &mut StringRecord) -> Option<Start> {
        let bytes = &self.text.as_bytes()[self.pos..];
        let afresh = self.parsed_to != Some(self.pos);
        if afresh {
            self.core.reset();
        }
        // A parser started afresh drops a byte-order mark at the start of
        // its input, as at the start of a file. Past the start of the text
        // there is none to drop: the first byte goes in alone.
        let mut input_end = if afresh && self.pos > 0 {
            1
        } else {
            bytes.len()
        };
        let (mut read, mut written, mut cells) = (0, 0, 0);
        loop {
            let (result, nin, nout, nend) = self.core.read_record(
                &bytes[read..input_end],
                &mut self.out[written..],
                &mut self.ends[cells..],
            );
            read += nin;
            written += nout;
            cells += nend;
            match result {
                ReadRecordResult::InputEmpty => input_end = bytes.len(),
                ReadRecordResult::OutputFull => self.out.resize(self.out.len() * 2, 0),
                ReadRecordResult::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                ReadRecordResult::Record => break,
                ReadRecordResult::End => {
                    self.pos = self.text.len();
                    return None;
                }
            }
        }
        let ends_before = bytes[..read]
            .iter()
            .take_while(|&&b| matches!(b, b'\r' | b'\n'));
        let start = Start {
            at: self.pos,
            line: self.line + ends_before.filter(|&&b| b == b'\n').count() as u64,
        };
        self.pos += read;
        self.parsed_to = Some(self.pos);
        self.line += memchr::memchr_iter(b'\n', &bytes[..read]).count() as u64;
        record.clear();
        let mut from = 0;
        // The cells are valid UTF-8 text cut at ASCII bytes: valid, and
        // their ends are character boundaries. Checked once per record.
        let text = std::str::from_utf8(&self.out[..written]).ok();
        for &end in &self.ends[..cells] {
            match text.and_then(|text| text.get(from..end)) {
                Some(cell) => record.push_field(cell),
                None => record.push_field(&String::from_utf8_lossy(&self.out[from..end])),
            }
            from = end;
        }
        Some(start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every record with its start, read by the csv crate's reader from
    /// the top (as `read::record_line` numbers lines).
    fn plain(text: &str, delimiter: u8) -> Vec<(Start, Vec<String>)> {
        let mut rdr = crate::input::read::reader(text, delimiter);
        let mut record = StringRecord::new();
        let mut out = Vec::new();
        while rdr.read_record(&mut record).unwrap() {
            let at = record.position().unwrap().byte() as usize;
            let line = crate::input::read::record_line(text, &record);
            let cells = record.iter().map(str::to_string).collect();
            out.push((Start { at, line }, cells));
        }
        out
    }

    fn fast(text: &str, delimiter: u8) -> Vec<(Start, Vec<String>)> {
        let mut records = Records::new(text, delimiter, 1);
        let mut record = StringRecord::new();
        let mut out = Vec::new();
        while let Some(start) = records.read(&mut record) {
            out.push((start, record.iter().map(str::to_string).collect()));
        }
        out
    }

    /// Equal cells and lines; starts equal up to the line ends before a
    /// record (the csv reader begins a record's parse on the blank lines
    /// before it, this reader after them).
    fn same(text: &str, delimiter: u8) -> Result<(), TestCaseError> {
        let (want, got) = (plain(text, delimiter), fast(text, delimiter));
        prop_assert_eq!(want.len(), got.len(), "{:?}", text);
        for ((w, wc), (g, gc)) in want.iter().zip(&got) {
            prop_assert_eq!(wc, gc, "{:?}", text);
            prop_assert_eq!(w.line, g.line, "{:?}", text);
            prop_assert!(w.at <= g.at, "{:?}", text);
            let between = &text.as_bytes()[w.at..g.at];
            prop_assert!(
                between.iter().all(|b| matches!(b, b'\r' | b'\n')),
                "{:?}",
                text
            );
        }
        Ok(())
    }

    #[test]
    fn reads_what_the_csv_reader_reads() {
        for text in [
            "",
            "a,b\n1,2\n",
            "a,b\r\n1,\"x\r\ny\"\r\n\r\n3,4",
            "\u{feff}a,b\n\u{feff}1,2\n",
            "a\rb\r\n\n\rc,\"d\"\"e\",f\n",
            "x,\"unclosed\ny,z\n",
            "é,ü\n,\n,,\n",
            "\"a\",\"b\"\r\n\"1\",\"2\"\r\n\r\n\"3\",\"x\ny\"\r\n4,5\r\n\"6\",7",
            "\"a\"\r\r\n\n\"\u{feff}b\"\n\u{feff}c\n",
        ] {
            same(text, b',').unwrap();
        }
        same("a;b\n\"1;2\";3\n", b';').unwrap();
        same("a\tb\n1\t\"2\"\n", b'\t').unwrap();
    }

    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            "[ab ]{0,3}",
            Just(",".to_string()),
            Just(";".to_string()),
            Just("\"".to_string()),
            Just("\"\"".to_string()),
            Just("\n".to_string()),
            Just("\r".to_string()),
            Just("\r\n".to_string()),
            Just("\u{feff}".to_string()),
            Just("é".to_string()),
        ]
    }

    proptest! {
        /// Any text, quotes and line ends anywhere: the records, cells and
        /// lines of the csv crate's reader.
        #[test]
        fn reads_any_text_as_the_csv_reader_does(
            pieces in prop::collection::vec(piece(), 0..40),
            semicolon in any::<bool>(),
        ) {
            let delimiter = if semicolon { b';' } else { b',' };
            same(&pieces.concat(), delimiter)?;
        }
    }
}
