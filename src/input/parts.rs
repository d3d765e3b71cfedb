//! Reading one export as several parts on several cores.
//!
//! A large export is cut into parts of about equal size at line ends, and
//! each part is parsed on its own thread. A line end is a record boundary
//! only when it is not inside a quoted field, which cannot be known without
//! parsing from the top; so each part checks the start of the next one as it
//! reaches it. When a part's parser finds that the next start fell inside a
//! record, it reads on through that part (whose own result is dropped) to
//! the start after it. The records read, and their lines, are therefore
//! always those of one parse from the top; parts only make it faster.

use rayon::prelude::*;

use super::records::{Records, Start, BOM};

/// Parts are at least this large: below it, a thread costs more than it saves.
pub const MIN_PART_BYTES: usize = 1 << 21;

/// Where parts may start: offset 0, then positions just after a `\n`, about
/// `part_bytes` apart, at most `max_parts` in all.
pub fn starts(text: &str, part_bytes: usize, max_parts: usize) -> Vec<usize> {
    let bytes = text.as_bytes();
    let parts = (bytes.len() / part_bytes.max(1)).clamp(1, max_parts.max(1));
    let step = bytes.len() / parts;
    let mut starts = vec![0];
    'parts: for k in 1..parts {
        let mut from = (k * step).max(starts[starts.len() - 1] + 1);
        loop {
            match bytes
                .get(from..)
                .and_then(|rest| memchr::memchr(b'\n', rest))
            {
                // The csv reader drops a byte-order mark at the start of
                // what it reads, which one read from the top keeps there
                // (a cell): no part starts on one.
                Some(at) if bytes[from + at + 1..].starts_with(BOM) => from += at + 1,
                Some(at) if from + at + 1 < bytes.len() => {
                    starts.push(from + at + 1);
                    break;
                }
                _ => break 'parts,
            }
        }
    }
    starts.dedup();
    starts
}

/// The 1-based physical line each start is on. The line ends before each
/// start are counted part by part on every core (a whole export's, on one
/// core, held up every other core for as long).
pub fn first_lines(text: &str, starts: &[usize]) -> Vec<u64> {
    let bytes = text.as_bytes();
    let ends: Vec<u64> = (0..starts.len())
        .into_par_iter()
        .map(|k| {
            let from = if k == 0 { 0 } else { starts[k - 1] };
            memchr::memchr_iter(b'\n', &bytes[from..starts[k]]).count() as u64
        })
        .collect();
    let mut line = 1;
    (ends.iter())
        .map(|&ends| {
            line += ends;
            line
        })
        .collect()
}

/// About how many lines part `part` holds, from the first lines of the
/// parts (see [`first_lines`]): the lines up to the next part's start; for
/// the last part, as many as the one before it (parts are cut about the
/// same size); 0 when there is only one part.
pub fn lines_of(first_lines: &[u64], part: usize) -> usize {
    let between = |k: usize| Some(first_lines.get(k + 1)? - first_lines.get(k)?);
    let lines = between(part).or_else(|| between(part.checked_sub(1)?));
    lines.unwrap_or(0) as usize
}

fn only_line_ends(bytes: &[u8]) -> bool {
    bytes.iter().all(|&b| b == b'\n' || b == b'\r')
}

/// Reads the records of part `part` (the header too, in part 0), handing
/// each to `on_record` with its physical line, until the start of a later
/// part that is a record boundary. Returns the index of that part, or
/// `starts.len()` at the end of the text.
pub fn read_part(
    text: &str,
    delimiter: u8,
    starts: &[usize],
    first_line: u64,
    part: usize,
    mut on_record: impl FnMut(u64, &csv::StringRecord),
) -> usize {
    let base = starts[part];
    let bytes = text.as_bytes();
    let mut records = Records::new(&text[base..], delimiter, first_line);
    let mut record = csv::StringRecord::new();
    let mut next = part + 1;
    while let Some(Start { at, line }) = records.read(&mut record) {
        let at = base + at;
        // A record that starts at (or just before, on the line ends that
        // precede) the next start proves that start is a boundary: the
        // next part read from there. A record that starts past it without
        // that proof means the start fell inside a record.
        while let Some(&start) = starts.get(next) {
            if at < start && !only_line_ends(&bytes[at..start]) {
                break;
            }
            if only_line_ends(&bytes[at.min(start)..at.max(start)]) {
                return next;
            }
            next += 1;
        }
        on_record(line, &record);
    }
    starts.len()
}

/// Runs `read` on every part in parallel and hands `keep`, in file order,
/// the results of the parts whose start proved to be a record boundary.
/// `read(part)` returns its result and the part where reading continues.
///
/// `keep` runs on the calling thread as soon as the next part in file
/// order is read, while later parts are still being read on the pool:
/// merging parts (on one core) overlaps reading them (on every core). Its
/// second argument says whether every part has been read: the pool is then
/// idle, and what is left to merge may use it.
pub fn in_parallel<T: Send>(
    count: usize,
    read: impl Fn(usize) -> anyhow::Result<(T, usize)> + Sync,
    mut keep: impl FnMut(T, bool) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let (done, arrived) = std::sync::mpsc::channel();
    std::thread::scope(|scope| {
        let read = &read;
        // Parts are taken from the front (`par_bridge`), so they are read
        // about in file order and `keep` seldom waits long.
        scope.spawn(move || {
            (0..count).par_bridge().for_each_with(done, |done, part| {
                let _ = done.send((part, read(part)));
            });
        });
        let mut pending: Vec<Option<anyhow::Result<(T, usize)>>> =
            (0..count).map(|_| None).collect();
        let (mut part, mut read_parts) = (0, 0);
        for (at, result) in arrived {
            pending[at] = Some(result);
            read_parts += 1;
            while let Some(result) = pending.get_mut(part).and_then(Option::take) {
                let (value, next) = result?;
                keep(value, read_parts == count)?;
                part = next;
            }
        }
        if part < count {
            return unreachable_part(part);
        }
        Ok(())
    })
}

fn unreachable_part<T>(part: usize) -> anyhow::Result<T> {
    Err(anyhow::anyhow!("part {part} of an export was never read"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every record with its line: once from the top, once in parts.
    fn whole(text: &str) -> Vec<(u64, Vec<String>)> {
        let mut out = Vec::new();
        read_part(text, b',', &[0], 1, 0, |line, r| {
            out.push((line, r.iter().map(str::to_string).collect()))
        });
        out
    }

    fn in_parts(text: &str, part_bytes: usize) -> Vec<(u64, Vec<String>)> {
        let starts = starts(text, part_bytes, 64);
        let lines = first_lines(text, &starts);
        let mut records = Vec::new();
        in_parallel(
            starts.len(),
            |i| {
                let mut out = Vec::new();
                let next = read_part(text, b',', &starts, lines[i], i, |line, r| {
                    out.push((line, r.iter().map(str::to_string).collect::<Vec<_>>()))
                });
                Ok((out, next))
            },
            |part, _| {
                records.extend(part);
                Ok(())
            },
        )
        .unwrap();
        records
    }

    #[test]
    fn a_start_inside_a_quoted_field_is_read_through() {
        let text = "h,note\na,\"one\ntwo\nthree\nfour\"\nb,x\r\n\r\nc,\"y\n\"\nd,z\n";
        for part_bytes in 1..text.len() {
            assert_eq!(in_parts(text, part_bytes), whole(text), "{part_bytes}");
        }
        assert_eq!(whole(text)[2], (6, vec!["b".to_string(), "x".to_string()]));
    }

    /// Regression (found by fuzz/, the read_csv target): a part starting
    /// on a line that begins with a byte-order mark lost it (the csv reader
    /// drops one at the start of what it reads), so a row that one read
    /// counts was skipped as blank, or a row became the header again.
    #[test]
    fn a_byte_order_mark_inside_the_text_reads_the_same_in_parts() {
        let text = "h,note\na,1\n\u{feff}\n\u{feff}h,note\nb,2\n\u{feff}";
        for part_bytes in 1..text.len() {
            assert_eq!(in_parts(text, part_bytes), whole(text), "{part_bytes}");
        }
        assert!(starts(text, 1, 64)
            .iter()
            .all(|&s| !text[s..].starts_with('\u{feff}')));
    }

    #[test]
    fn starts_follow_line_ends() {
        let text = "a,b\n1,2\n3,4\n5,6\n";
        assert_eq!(starts(text, 4, 8), vec![0, 8, 12]);
        assert_eq!(first_lines(text, &[0, 8, 12]), vec![1, 3, 4]);
        assert_eq!(starts(text, 100, 8), vec![0]);
        assert_eq!(starts("", 1, 8), vec![0]);
    }

    /// Each part's lines up to the next start; the last part as many as
    /// the one before; nothing known of a single part.
    #[test]
    fn lines_of_a_part() {
        let first = [1, 3, 4];
        let lines: Vec<usize> = (0..3).map(|part| lines_of(&first, part)).collect();
        assert_eq!(lines, vec![2, 1, 1]);
        assert_eq!(lines_of(&[1], 0), 0);
    }

    fn cell() -> impl Strategy<Value = String> {
        prop_oneof!["[a-c ]{0,3}", "\"[a-c,\n\r]{0,4}\"", "\"x\"\"y\"", "a\"b",]
    }

    fn row() -> impl Strategy<Value = String> {
        (
            prop::collection::vec(cell(), 1..4),
            prop_oneof!["\n", "\r\n", "\n\n"],
        )
            .prop_map(|(cells, end)| cells.join(",") + &end)
    }

    proptest! {
        /// Whatever the cut, parts read exactly the records and lines of
        /// one read from the top.
        #[test]
        fn parts_read_what_one_read_does(
            rows in prop::collection::vec(row(), 0..30),
            part_bytes in 1usize..40,
        ) {
            let text = rows.concat();
            prop_assert_eq!(in_parts(&text, part_bytes), whole(&text));
        }
    }
}
