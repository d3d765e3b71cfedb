//! Opening an export: bytes to text (BOM, declared, UTF-8, detected), the
//! delimiter sniffed from the header line, headers mapped to the spec's
//! columns, then records with the line each starts on.

use anyhow::{bail, Context, Result};

use super::{xlsx, SheetUsed};
use crate::digest::{self, Digest};
use crate::spec::{FileFormat, Input};

/// A decoded export, ready to be read record by record.
pub struct Table {
    pub text: Text,
    pub encoding: String,
    pub delimiter: u8,
    pub headers: Vec<String>,
    /// The size of the parts it is read in on separate cores.
    pub part_bytes: usize,
    /// What a record is reported under, when not its physical line: a
    /// workbook's row, a Parquet file's `_row` (indexed by physical line).
    pub rows: Option<Vec<u64>>,
    /// A workbook's sheet: which, and where its headers were.
    pub sheet: Option<SheetUsed>,
    /// Keep every row as read (`tal export`).
    pub log_rows: bool,
    /// The file's size and sha256 as read, when asked for (`tal build`'s
    /// manifest records the bytes that were scored).
    pub digest: Option<Digest>,
    /// Invalid UTF-8 in a file read as UTF-8, replaced by U+FFFD.
    pub invalid: Option<Invalid>,
}

/// Byte sequences that are no UTF-8 in a file that is otherwise UTF-8:
/// each became U+FFFD. Reported as a warning, never silent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Invalid {
    pub sequences: u64,
    /// The physical line of the first one.
    pub first_line: u64,
}

/// A file's text as decoded: the text, the lower-case name of its
/// encoding and any invalid UTF-8 replaced.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    pub encoding: String,
    pub invalid: Option<Invalid>,
}

impl Table {
    /// The line a record starting on physical `line` of the text is
    /// reported under: the line itself, or its row (see [`Table::rows`]).
    pub fn line(&self, line: u64) -> u64 {
        (self.rows.as_ref())
            .and_then(|rows| rows.get(line as usize).copied())
            .unwrap_or(line)
    }
}

/// Records written as CSV text, each with the number it is reported under
/// (a sheet's row, a Parquet file's `_row`), kept by the physical line it
/// starts on: a cell holding a line break makes a record span lines.
#[derive(Debug, Default)]
pub struct Numbered {
    pub text: String,
    /// Indexed by physical line, from 1.
    pub rows: Vec<u64>,
}

impl Numbered {
    /// Appends a record (its cells as text) reported under `row`.
    pub fn push<S: AsRef<str>>(&mut self, row: u64, cells: &[S]) -> Result<()> {
        if self.rows.is_empty() {
            self.rows.push(0);
        }
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        writer.write_record(cells.iter().map(|c| c.as_ref()))?;
        let bytes = writer.into_inner().map_err(|err| err.into_error())?;
        let record = String::from_utf8(bytes).context("a cell is not text")?;
        self.rows.push(row);
        let breaks = memchr::memchr_iter(b'\n', record.as_bytes()).count();
        self.rows
            .extend(std::iter::repeat_n(0, breaks.saturating_sub(1)));
        self.text.push_str(&record);
        Ok(())
    }
}

/// Reads and decodes `input`'s file and its header line.
pub fn open(input: &Input, digest: bool) -> Result<Table> {
    let mut table = open_table(input, digest)?;
    if digest && table.digest.is_none() {
        table.digest = Some(digest::of_file(&input.path)?);
    }
    Ok(table)
}

/// The table of an input; a csv file's digest taken from the bytes read,
/// when asked for.
fn open_table(input: &Input, digest: bool) -> Result<Table> {
    let in_file = |err: anyhow::Error| anyhow::anyhow!("{}: {err}", input.path.display());
    if let Some(table) = &input.table {
        bail!(
            "input '{}' is the warehouse table {}: tal sql reads tables (see docs/warehouse.md); to score here, give the input a `path` to an export file",
            input.name,
            table.name
        );
    }
    let cannot_read = || {
        format!(
            "{}: cannot read input '{}' (path = \"{}\" in the spec)",
            input.path.display(),
            input.name,
            input.path_as_written
        )
    };
    crate::file::regular(&input.path).with_context(cannot_read)?;
    match &input.format {
        FileFormat::Xlsx { sheet } => {
            return open_workbook(input, sheet.as_deref()).map_err(in_file)
        }
        FileFormat::Parquet => return open_parquet(input).map_err(in_file),
        FileFormat::Csv => {}
    }
    let file = std::fs::File::open(&input.path).with_context(cannot_read)?;
    let size = file.metadata().with_context(cannot_read)?.len();
    let (text, encoding, digest, invalid) = if size >= MAP_BYTES {
        map_text(&file, input.encoding, digest)
            .with_context(cannot_read)
            .map_err(in_file)?
    } else {
        let mut bytes = Vec::with_capacity(size as usize);
        std::io::Read::read_to_end(&mut &file, &mut bytes).with_context(cannot_read)?;
        let digest = digest.then(|| digest::of_bytes(&bytes));
        let decoded = decode_text(bytes, input.encoding).map_err(in_file)?;
        let Decoded {
            text,
            encoding,
            invalid,
        } = decoded;
        (Text::Owned(text), encoding, digest, invalid)
    };
    let delimiter = input.delimiter.unwrap_or_else(|| sniff_delimiter(&text));
    let headers = read_headers(&text, delimiter).map_err(in_file)?;
    Ok(Table {
        text,
        encoding,
        delimiter,
        headers,
        part_bytes: super::parts::MIN_PART_BYTES,
        rows: None,
        sheet: None,
        log_rows: false,
        digest,
        invalid,
    })
}

/// Files from this size up are mapped rather than read (see [`Text`]).
const MAP_BYTES: u64 = 16 << 20;

/// The text of an export. A large file that is UTF-8 already (most are)
/// is mapped: its bytes are the page cache's, with no copy and no fresh
/// memory for the kernel to zero (a third of a million-account run's
/// memory was the exports read into it). Everything else is decoded into
/// memory.
pub enum Text {
    Owned(String),
    /// A mapped file and where its text starts (after a UTF-8 byte-order
    /// mark); checked to be UTF-8 when mapped.
    Mapped {
        map: memmap2::Mmap,
        start: usize,
    },
}

impl std::ops::Deref for Text {
    type Target = str;

    #[allow(unsafe_code)]
    fn deref(&self) -> &str {
        match self {
            Text::Owned(text) => text,
            // SAFETY: the bytes were checked to be UTF-8 when the file was
            // mapped (`map_text`), and the mapping is read-only.
            Text::Mapped { map, start } => unsafe { std::str::from_utf8_unchecked(&map[*start..]) },
        }
    }
}

/// A large export mapped ([`Text::Mapped`]) when its bytes are UTF-8 and
/// [`decode`] would keep them as they are, else decoded from a copy: the
/// text, its encoding's name and, when asked for, the file's digest.
#[allow(unsafe_code)]
fn map_text(
    file: &std::fs::File,
    declared: Option<&'static encoding_rs::Encoding>,
    digest: bool,
) -> Result<(Text, String, Option<Digest>, Option<Invalid>)> {
    // SAFETY: the map is read-only and private; its bytes are checked to be
    // UTF-8 before they are read as text. An export truncated by another
    // program while tal reads it would end the run (SIGBUS), as it would
    // for any program that maps files (ripgrep, DuckDB); it cannot be
    // read as other bytes than the file's.
    let map = unsafe { memmap2::MmapOptions::new().populate().map(file)? };
    let digest = digest.then(|| digest::of_bytes(&map));
    let bom = match encoding_rs::Encoding::for_bom(&map) {
        Some((encoding, bom_len)) if encoding == encoding_rs::UTF_8 => Some(bom_len),
        Some(_) => None,
        None if looks_binary(&map) => None,
        None => Some(0),
    };
    if let Some(start) = bom {
        if let Ok(text) = simdutf8::basic::from_utf8(&map[start..]) {
            let name = match start {
                0 => utf8_name(text, declared),
                _ => encoding_rs::UTF_8.name().to_lowercase(),
            };
            return Ok((Text::Mapped { map, start }, name, digest, None));
        }
    }
    let Decoded {
        text,
        encoding,
        invalid,
    } = decode_text(map.to_vec(), declared)?;
    Ok((Text::Owned(text), encoding, digest, invalid))
}

/// The encoding a UTF-8 text is reported in: a declared encoding when the
/// text is ASCII (it reads the same in both), else UTF-8.
fn utf8_name(text: &str, declared: Option<&'static encoding_rs::Encoding>) -> String {
    match declared {
        Some(encoding) if text.is_ascii() => encoding.name().to_lowercase(),
        _ => "utf-8".to_string(),
    }
}

/// A workbook's sheet as a table: its header row is the first holding the
/// columns the input maps.
fn open_workbook(input: &Input, sheet: Option<&str>) -> Result<Table> {
    if !input.path.is_file() {
        bail!(
            "cannot read input '{}' (path = \"{}\" in the spec): no such file",
            input.name,
            input.path_as_written
        );
    }
    let columns: Vec<&str> = std::iter::once(input.key_column.as_str())
        .chain(input.fields.iter().map(|f| f.column.as_str()))
        .collect();
    let sheet = xlsx::read(&input.path, sheet, &columns, input.decimal)?;
    let headers = read_headers(&sheet.text.text, b',')?;
    Ok(Table {
        text: Text::Owned(sheet.text.text),
        encoding: "xlsx".to_string(),
        delimiter: b',',
        headers,
        part_bytes: super::parts::MIN_PART_BYTES,
        rows: Some(sheet.text.rows),
        sheet: Some(SheetUsed {
            name: sheet.name,
            header_row: sheet.header_row,
            footer_rows: sheet.footer_rows,
        }),
        log_rows: false,
        digest: None,
        invalid: None,
    })
}

/// A Parquet file (as `tal export` writes one) as a table: its columns are
/// the headers, typed values written as `tal` reads them back exactly, and
/// each record reported under its `_row` when the file has one.
fn open_parquet(input: &Input) -> Result<Table> {
    let numbered = super::parquet::read(&input.path)?;
    let headers = read_headers(&numbered.text, b',')?;
    Ok(Table {
        text: Text::Owned(numbered.text),
        encoding: "parquet".to_string(),
        delimiter: b',',
        headers,
        part_bytes: super::parts::MIN_PART_BYTES,
        rows: Some(numbered.rows),
        sheet: None,
        log_rows: false,
        digest: None,
        invalid: None,
    })
}

/// Text and the lower-case name of the encoding it was read with (see
/// [`decode_text`]; invalid UTF-8 replaced without a count).
pub fn decode(
    bytes: Vec<u8>,
    declared: Option<&'static encoding_rs::Encoding>,
) -> Result<(String, String)> {
    let decoded = decode_text(bytes, declared)?;
    Ok((decoded.text, decoded.encoding))
}

/// Decodes a file's bytes: a byte-order mark decides; then text that is
/// UTF-8 (all of it, or overwhelmingly: see [`mostly_utf8`]) is UTF-8,
/// its stray bytes replaced and counted; then a declared encoding; then
/// the likeliest legacy encoding.
pub fn decode_text(
    bytes: Vec<u8>,
    declared: Option<&'static encoding_rs::Encoding>,
) -> Result<Decoded> {
    let decoded = |text: String, encoding: &'static encoding_rs::Encoding| Decoded {
        text,
        encoding: encoding.name().to_lowercase(),
        invalid: None,
    };
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(&bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return Ok(decoded(text.into_owned(), encoding));
    }
    if looks_binary(&bytes) {
        bail!("this looks like a binary file, not a CSV export (it has NUL bytes and no UTF-16 byte-order mark)");
    }
    // Valid UTF-8 beats a declared legacy encoding: text with accents in
    // Windows-1252 or GBK is practically never valid UTF-8, while UTF-8
    // read as Windows-1252 would turn every accent into two characters.
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => {
            let encoding = utf8_name(&text, declared);
            return Ok(Decoded {
                text,
                encoding,
                invalid: None,
            });
        }
        Err(err) => err.into_bytes(),
    };
    let utf8_declared = declared == Some(encoding_rs::UTF_8);
    if utf8_declared || (declared.is_none() && mostly_utf8(&bytes)) {
        let invalid = Some(invalid_utf8(&bytes));
        return Ok(Decoded {
            text: String::from_utf8_lossy(&bytes).into_owned(),
            encoding: "utf-8".to_string(),
            invalid,
        });
    }
    if let Some(encoding) = declared {
        let (text, _) = encoding.decode_without_bom_handling(&bytes);
        return Ok(decoded(text.into_owned(), encoding));
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(&bytes, true);
    let encoding = detector.guess(None, false);
    let (text, _) = encoding.decode_without_bom_handling(&bytes);
    Ok(decoded(text.into_owned(), encoding))
}

/// Text that is not all UTF-8 but is UTF-8 with a few stray bytes: it
/// holds valid multi-byte UTF-8 characters, at least as many as invalid
/// sequences. A legacy encoding's accents are practically never valid
/// UTF-8, so such text has none; a UTF-8 export with one bad byte from a
/// careless edit has many.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut multibyte, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    multibyte > 0 && multibyte >= invalid
}

/// How many invalid sequences `bytes` has, and the line of the first.
fn invalid_utf8(bytes: &[u8]) -> Invalid {
    let (mut sequences, mut first) = (0u64, None);
    let mut at = 0usize;
    for chunk in bytes.utf8_chunks() {
        at += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            sequences += 1;
            first.get_or_insert(at);
        }
        at += chunk.invalid().len();
    }
    let first_line = first.map_or(0, |at| {
        memchr::memchr_iter(b'\n', &bytes[..at]).count() as u64 + 1
    });
    Invalid {
        sequences,
        first_line,
    }
}

fn looks_binary(bytes: &[u8]) -> bool {
    bytes.iter().take(8192).any(|&b| b == 0)
}

/// The most frequent of `,` `;` tab `|` on the header line (outside quotes);
/// ties go to that order; none: `,`.
pub fn sniff_delimiter(text: &str) -> u8 {
    const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];
    let mut counts = [0usize; 4];
    let mut in_quotes = false;
    for &b in text.as_bytes() {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' | b'\r' if !in_quotes => break,
            _ if !in_quotes => {
                if let Some(i) = CANDIDATES.iter().position(|&c| c == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let mut best = 0;
    for i in 1..4 {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    CANDIDATES[best]
}

/// A CSV reader over the text, headers included as the first record.
pub fn reader(text: &str, delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes())
}

fn read_headers(text: &str, delimiter: u8) -> Result<Vec<String>> {
    let mut record = csv::StringRecord::new();
    let mut rdr = reader(text, delimiter);
    if !rdr
        .read_record(&mut record)
        .context("cannot read the header line")?
    {
        bail!("the file is empty: an export needs a header line naming its columns");
    }
    Ok(record
        .iter()
        .map(|h| {
            h.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
                .to_string()
        })
        .collect())
}

/// Index of `column` among `headers`: exact after trimming, else the one
/// header that matches case-insensitively.
/// A header that names two columns (1-based): [`find_column`] reads the
/// first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateHeader {
    pub name: String,
    pub read: usize,
    pub unread: usize,
}

/// Headers that appear twice (as written, trimmed): each later column
/// with the first of its name.
pub fn duplicate_headers(headers: &[String]) -> Vec<DuplicateHeader> {
    let mut first: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut twice = Vec::new();
    for (i, header) in headers.iter().enumerate() {
        let name = header.trim();
        if name.is_empty() {
            continue;
        }
        match first.get(name) {
            Some(&at) => twice.push(DuplicateHeader {
                name: name.to_string(),
                read: at + 1,
                unread: i + 1,
            }),
            None => {
                first.insert(name, i);
            }
        }
    }
    twice
}

pub fn find_column(headers: &[String], column: &str) -> Option<usize> {
    let wanted = column.trim();
    if let Some(i) = headers.iter().position(|h| h == wanted) {
        return Some(i);
    }
    let lower = wanted.to_lowercase();
    let matches: Vec<usize> = headers
        .iter()
        .enumerate()
        .filter(|(_, h)| h.to_lowercase() == lower)
        .map(|(i, _)| i)
        .collect();
    (matches.len() == 1).then(|| matches[0])
}

/// Maps every column the spec names, or fails listing the file's headers.
pub fn map_columns(input: &Input, headers: &[String]) -> Result<(usize, Vec<usize>)> {
    let missing = |what: String, column: &str| {
        let mut message = format!(
            "{}: {what} column '{column}' is not in the file (input '{}'). The file's headers are: {}",
            input.path.display(),
            input.name,
            headers.iter().map(|h| format!("'{h}'")).collect::<Vec<_>>().join(", ")
        );
        match delimiter_mismatch(input.delimiter, headers) {
            Some(hint) => message.push_str(&format!(". {hint}")),
            None => {
                if let Some(best) =
                    crate::suggest::closest(column, headers.iter().map(String::as_str))
                {
                    message.push_str(&format!(". Did you mean '{best}'?"));
                }
            }
        }
        anyhow::anyhow!(message)
    };
    let key = find_column(headers, &input.key_column)
        .ok_or_else(|| missing(format!("inputs.{}.key:", input.name), &input.key_column))?;
    let mut columns = Vec::new();
    for field in &input.fields {
        let index = find_column(headers, &field.column).ok_or_else(|| {
            missing(
                format!("inputs.{}.fields.{}:", input.name, field.name),
                &field.column,
            )
        })?;
        columns.push(index);
    }
    Ok((key, columns))
}

/// When a declared delimiter leaves the header line in one piece that
/// another delimiter would split, say so.
fn delimiter_mismatch(declared: Option<u8>, headers: &[String]) -> Option<String> {
    let (Some(declared), [only]) = (declared, headers) else {
        return None;
    };
    let sniffed = sniff_delimiter(only);
    (sniffed != declared && only.contains(sniffed as char)).then(|| {
        format!(
            "The spec says delimiter = \"{}\" but the header line looks separated by '{}': fix or remove `delimiter`",
            (declared as char).escape_default(),
            (sniffed as char).escape_default()
        )
    })
}

/// The physical line a record starts on. csv counts a CRLF record's `\n`
/// with the record before, so line ends at the start are skipped here.
pub fn record_line(text: &str, record: &csv::StringRecord) -> u64 {
    let Some(position) = record.position() else {
        return 0;
    };
    let mut line = position.line();
    for &b in text.as_bytes().iter().skip(position.byte() as usize) {
        match b {
            b'\n' => line += 1,
            b'\r' => {}
            _ => break,
        }
    }
    line
}

/// A cell as text: trimmed of Unicode white space, empty as None.
pub fn cell(record: &csv::StringRecord, index: usize) -> Option<&str> {
    record.get(index).and_then(crate::value::clean_text)
}

/// True when every cell is empty: such rows are not data.
pub fn is_blank(record: &csv::StringRecord) -> bool {
    record.iter().all(|c| crate::value::clean_text(c).is_none())
}

/// The row as it was, for rejects.csv.
pub fn raw_row(record: &csv::StringRecord, delimiter: u8) -> String {
    let mut out = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(vec![]);
    let _ = out.write_record(record);
    let bytes = out.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes)
        .trim_end_matches('\n')
        .to_string()
}

/// A delimiter as a person reads it: a tab is shown as `\t`.
pub fn delimiter_name(delimiter: &str) -> String {
    match delimiter {
        "\t" => "\\t".to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<u64> {
        let mut rdr = reader(text, b',');
        let mut record = csv::StringRecord::new();
        let mut out = Vec::new();
        while rdr.read_record(&mut record).unwrap() {
            out.push(record_line(text, &record));
        }
        out
    }

    #[test]
    fn record_lines_are_physical_lines() {
        assert_eq!(lines("a,b\n1,2\n3,4\n"), vec![1, 2, 3]);
        assert_eq!(lines("a,b\r\n1,2\r\n3,4\r\n"), vec![1, 2, 3]);
        assert_eq!(lines("a,b\r\n1,\"x\r\ny\"\r\n\r\n3,4"), vec![1, 2, 5]);
        assert_eq!(lines("a,b\n\n\n1,2"), vec![1, 4]);
    }

    #[test]
    fn sniffs_the_header_delimiter() {
        assert_eq!(sniff_delimiter("a;b;c\n1,5;2;3"), b';');
        assert_eq!(sniff_delimiter("a\tb\n"), b'\t');
        assert_eq!(sniff_delimiter("\"a,b\";c\n"), b';');
        assert_eq!(sniff_delimiter("single\n"), b',');
        assert_eq!(sniff_delimiter("a|b|c"), b'|');
    }

    #[test]
    fn decodes_boms_and_legacy_text() {
        let (text, enc) = decode(b"\xef\xbb\xbfa,b".to_vec(), None).unwrap();
        assert_eq!((text.as_str(), enc.as_str()), ("a,b", "utf-8"));
        let (text, enc) = decode(b"\xff\xfea\x00,\x00b\x00".to_vec(), None).unwrap();
        assert_eq!((text.as_str(), enc.as_str()), ("a,b", "utf-16le"));
        let (text, _) = decode(b"S\xe3o Paulo;Funcion\xe1rios".to_vec(), None).unwrap();
        assert_eq!(text, "São Paulo;Funcionários");
        assert!(decode(b"ab\x00cd".to_vec(), None).is_err());
        let cp1252 = encoding_rs::Encoding::for_label(b"windows-1252");
        let (text, enc) = decode("São".as_bytes().to_vec(), cp1252).unwrap();
        assert_eq!((text.as_str(), enc.as_str()), ("São", "utf-8"));
        let (text, enc) = decode(b"S\xe3o".to_vec(), cp1252).unwrap();
        assert_eq!((text.as_str(), enc.as_str()), ("São", "windows-1252"));
        let (_, enc) = decode(b"plain".to_vec(), cp1252).unwrap();
        assert_eq!(enc, "windows-1252");
    }

    /// Regression: one stray byte in a UTF-8 export re-decoded all of it
    /// as Windows-1252, so "Reunião" no longer matched its points key.
    #[test]
    fn utf8_with_a_stray_byte_stays_utf8_and_counts_it() {
        let bytes =
            b"domain,activity\na.com,Reuni\xc3\xa3o\nb.com,Webinar \xff\nc.com,Reuni\xc3\xa3o\n";
        let decoded = decode_text(bytes.to_vec(), None).unwrap();
        assert_eq!(decoded.encoding, "utf-8");
        assert_eq!(
            decoded.text,
            "domain,activity\na.com,Reunião\nb.com,Webinar \u{fffd}\nc.com,Reunião\n"
        );
        let invalid = Invalid {
            sequences: 1,
            first_line: 3,
        };
        assert_eq!(decoded.invalid, Some(invalid));
        // Declared UTF-8: UTF-8 whatever the proportion.
        let legacy = b"S\xe3o Paulo\n\xe9";
        let declared = decode_text(legacy.to_vec(), Some(encoding_rs::UTF_8)).unwrap();
        assert_eq!(declared.text, "S\u{fffd}o Paulo\n\u{fffd}");
        let invalid = Invalid {
            sequences: 2,
            first_line: 1,
        };
        assert_eq!(declared.invalid, Some(invalid));
        // Legacy text, not declared: still its own encoding, nothing replaced.
        let guessed = decode_text(legacy.to_vec(), None).unwrap();
        assert_eq!(
            (guessed.text.as_str(), guessed.invalid),
            ("São Paulo\né", None)
        );
    }

    /// Regression: with CRLF line ends every reject was reported one line early.
    #[test]
    fn record_lines_count_crlf_and_quoted_line_breaks() {
        let text = "h1,h2\r\na,\"x\r\ny\"\r\n\r\nb,2\r\nc,3";
        let mut rdr = reader(text, b',');
        let mut record = csv::StringRecord::new();
        let mut starts = Vec::new();
        while rdr.read_record(&mut record).unwrap() {
            starts.push((
                record_line(text, &record),
                record.get(0).unwrap().to_string(),
            ));
        }
        let want = [(1, "h1"), (2, "a"), (5, "b"), (6, "c")];
        assert_eq!(starts, want.map(|(l, c)| (l, c.to_string())).to_vec());
    }

    #[test]
    fn finds_columns_exactly_then_case_insensitively() {
        let headers: Vec<String> = ["Website", "name", "NAME2", "Dup", "dup"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(find_column(&headers, "website"), Some(0));
        assert_eq!(find_column(&headers, " Website "), Some(0));
        assert_eq!(find_column(&headers, "DUP"), None);
        assert_eq!(find_column(&headers, "dup"), Some(4));
    }

    /// What a mapped file reads as, or the error it gives.
    fn mapped(bytes: &[u8], declared: Option<&'static encoding_rs::Encoding>) -> String {
        let mut file = tempfile::tempfile().unwrap();
        std::io::Write::write_all(&mut file, bytes).unwrap();
        match map_text(&file, declared, true) {
            Ok((text, name, digest, invalid)) => {
                assert_eq!(digest, Some(digest::of_bytes(bytes)));
                format!("{name}: {} {invalid:?}", &*text)
            }
            Err(err) => format!("error: {err}"),
        }
    }

    fn decoded(bytes: &[u8], declared: Option<&'static encoding_rs::Encoding>) -> String {
        match decode_text(bytes.to_vec(), declared) {
            Ok(d) => format!("{}: {} {:?}", d.encoding, d.text, d.invalid),
            Err(err) => format!("error: {err}"),
        }
    }

    #[test]
    fn a_mapped_file_reads_as_a_decoded_one() {
        let cases: &[&[u8]] = &[
            b"domain,name\nacme.com,Acme\n",
            b"\xEF\xBB\xBFdomain,name\nacme.com,Ac\xC3\xA9\n",
            b"\xEF\xBB\xBFdomain\n\xE9\n",
            b"\xFF\xFEd\0o\0m\0",
            b"domain,name\nacme.com,Caf\xE9\n",
            b"domain\0name\n",
            b"",
        ];
        for bytes in cases {
            for declared in [None, Some(encoding_rs::WINDOWS_1252)] {
                assert_eq!(
                    mapped(bytes, declared),
                    decoded(bytes, declared),
                    "{bytes:?}"
                );
            }
        }
    }

    proptest::proptest! {
        /// Any bytes: the mapped path gives what decoding a copy gives.
        #[test]
        fn mapping_is_decoding(
            bytes in proptest::collection::vec(proptest::prop_oneof![
                proptest::prelude::any::<u8>(),
                proptest::prelude::Just(b'a'),
                proptest::prelude::Just(0xC3u8),
                proptest::prelude::Just(0xA9u8),
            ], 0..64),
            bom in proptest::prelude::any::<bool>(),
        ) {
            let mut all = if bom { b"\xEF\xBB\xBF".to_vec() } else { Vec::new() };
            all.extend(bytes);
            proptest::prop_assert_eq!(mapped(&all, None), decoded(&all, None));
        }
    }
}
