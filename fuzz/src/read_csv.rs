//! Reading an export (`tal::input`): bytes decoded (BOM, declared
//! encoding, UTF-8, detected), the delimiter sniffed from the header line,
//! headers mapped to the spec's columns, every data row counted in one
//! bucket — what `tal check` reports.
//!
//! The first two input bytes choose how the file is declared (encoding,
//! delimiter, decimal mark, date format) and which inputs read it (an
//! account input; a second account input; an intent input; an engagement
//! input); the rest is the file. The spec is written for the file's own
//! header line: its first key-like header is the key, and the other headers
//! are mapped as fields of every type, so any CSV exercises the typed
//! parsing. The file is written to a private temporary folder (`tal` reads
//! inputs by path) and loaded with `input::load_keeping`, as `tal check`
//! and `tal export` load it.
//!
//! Asserts, for any bytes and any of those specs:
//! - nothing panics: a file that cannot be read is an `Err`;
//! - decoding a file with no byte-order mark, no NUL byte and valid UTF-8
//!   keeps its text as it is; the sniffed delimiter is one of `, ; \t |`;
//! - every input's buckets add up to the rows read (`Buckets::is_balanced`),
//!   there is one reject per rejected row, and the row log that `tal export`
//!   writes holds one row per row read, bucket for bucket as counted;
//! - one account input's used rows are its accounts, accounts have
//!   distinct keys, and every key is a normalised domain;
//! - reading the file in small parts on several threads (`load_in_parts`,
//!   as large exports are read) gives exactly what one read gives;
//! - the quality report renders as JSON and as a table.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::OnceLock;

use chrono::NaiveDate;
use tal::format::toml::basic_string as quoted;
use tal::input::{self, read, Bucket, Keep, Loaded};
use tal::spec;

/// The private folder the file and spec are written to, made once per
/// process and removed at exit by nobody: it is small, and under the
/// system's temporary folder.
///
/// Also makes rayon's pool one thread: parts are then read one after the
/// other, and merged as in a run on many cores, with fewer hand-offs
/// between threads per input (each costs much on a busy machine). The pool
/// cannot be the calling thread (`use_current_thread`): `parts::in_parallel`
/// waits on it for the parts it reads.
fn folder() -> &'static PathBuf {
    static FOLDER: OnceLock<PathBuf> = OnceLock::new();
    FOLDER.get_or_init(|| {
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build_global();
        let dir = std::env::temp_dir().join(format!("tal-fuzz-read-csv-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary folder");
        dir
    })
}

const ENCODINGS: [Option<&str>; 6] = [
    None,
    None,
    Some("windows-1252"),
    Some("gbk"),
    Some("utf-16le"),
    Some("shift_jis"),
];

/// How the file is declared and read, from the first two bytes.
struct Choice {
    encoding: Option<&'static str>,
    /// As the spec spells it; None: sniffed.
    delimiter: Option<&'static str>,
    comma_decimal: bool,
    date_format: Option<&'static str>,
    second_account: bool,
    intent: bool,
    engagement: bool,
    /// Keep each file's digest as read (`tal build`).
    digests: bool,
    /// The size of the parts of the second read (see `input::parts`).
    part_bytes: usize,
}

const DELIMITERS: [Option<&str>; 6] = [None, None, Some(","), Some(";"), Some("tab"), Some("|")];

impl Choice {
    /// From the first two bytes of the input.
    fn of(a: u8, b: u8) -> Choice {
        let bit = |byte: u8, n: u8| (byte >> n) & 1 == 1;
        Choice {
            encoding: ENCODINGS[usize::from(a & 7) % ENCODINGS.len()],
            delimiter: DELIMITERS[usize::from((a >> 3) & 7) % DELIMITERS.len()],
            comma_decimal: bit(a, 6),
            date_format: bit(a, 7).then_some("%d/%m/%Y"),
            second_account: bit(b, 0),
            intent: bit(b, 1),
            engagement: bit(b, 2),
            digests: bit(b, 3),
            part_bytes: 1 + usize::from(b >> 4) * 5,
        }
    }

    /// The delimiter the file is read with, as a byte.
    fn delimiter_byte(&self) -> Option<u8> {
        self.delimiter.map(|d| match d {
            "tab" => b'\t',
            d => d.as_bytes()[0],
        })
    }
}

pub fn run(data: &[u8]) {
    let [a, b, bytes @ ..] = data else {
        return;
    };
    let choice = Choice::of(*a, *b);
    let declared = choice
        .encoding
        .and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes()));

    // What the file's header line is, read with tal's own functions.
    let headers = match read::decode(bytes.to_vec(), declared) {
        Ok((text, _)) => {
            check_decode(bytes, &text);
            let sniffed = read::sniff_delimiter(&text);
            assert!(b",;\t|".contains(&sniffed), "sniffed {sniffed:?}");
            first_record(&text, choice.delimiter_byte().unwrap_or(sniffed))
        }
        Err(_) => Vec::new(),
    };

    let dir = folder();
    let path = dir.join("data.csv");
    std::fs::write(&path, bytes).expect("the fuzz input written");
    let toml = spec_text(&choice, &headers);
    let spec_path = dir.join("tal.toml");
    let raw = spec::load::parse_spec(&toml, "tal.toml")
        .unwrap_or_else(|err| panic!("the harness wrote a bad spec: {err}\n{toml}"));
    let spec = spec::compile(raw, &toml, &spec_path)
        .unwrap_or_else(|err| panic!("the harness wrote a bad spec: {err}\n{toml}"));

    let as_of = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    let keep = Keep {
        rows: true,
        digests: choice.digests,
    };
    let whole = input::load_in_parts(&spec, as_of, usize::MAX, keep);
    let parts = input::load_in_parts(&spec, as_of, choice.part_bytes, keep);
    match (&whole, &parts) {
        (Ok(whole), Ok(parts)) => {
            check_loaded(whole);
            let (one, in_parts) = (fingerprint(whole), fingerprint(parts));
            if let Some((a, b)) = (one.lines().zip(in_parts.lines())).find(|(a, b)| a != b) {
                let part_bytes = choice.part_bytes;
                panic!("reading in parts of {part_bytes} bytes differs from one read:\n{a}\n{b}");
            }
            assert_eq!(one, in_parts, "reading in parts differs from one read");
            let report = tal::quality::report(whole, tal::pipeline::quality_warnings(whole));
            let mut out = Vec::new();
            tal::quality::write_json(&mut out, &report).expect("JSON written");
            tal::quality::write_text(&mut out, &report, whole).expect("a table written");
        }
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        (a, b) => panic!(
            "one read and a read in parts disagree: {:?} vs {:?}",
            a.as_ref().err(),
            b.as_ref().err()
        ),
    }
}

/// Valid UTF-8 without a BOM or NUL byte is kept as it is.
fn check_decode(bytes: &[u8], text: &str) {
    let bom = encoding_rs::Encoding::for_bom(bytes).is_some();
    if let (false, Ok(utf8)) = (bom, std::str::from_utf8(bytes)) {
        assert_eq!(text, utf8, "valid UTF-8 was re-decoded");
    }
}

/// The header cells, as `tal` trims them.
fn first_record(text: &str, delimiter: u8) -> Vec<String> {
    let mut record = csv::StringRecord::new();
    match read::reader(text, delimiter).read_record(&mut record) {
        Ok(true) => record
            .iter()
            .map(|h| {
                h.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
                    .to_string()
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// A spec reading the file with `choice`, mapping its headers.
fn spec_text(choice: &Choice, headers: &[String]) -> String {
    let looks_like_key = |h: &&String| {
        let h = h.to_lowercase();
        ["domain", "website", "email", "site", "url", "e-mail"]
            .iter()
            .any(|k| h.contains(k))
    };
    let key = (headers.iter().find(looks_like_key))
        .or(headers.first())
        .cloned()
        .unwrap_or_else(|| "domain".to_string());
    let others: Vec<&String> = headers.iter().filter(|h| **h != key).take(12).collect();
    let column = |i: usize| others.get(i % others.len().max(1)).map_or(&key, |h| *h);

    let mut out = String::new();
    // An input's table: the file, the key and the reading options.
    let input = |out: &mut String, name: &str| {
        let _ = writeln!(
            out,
            "[inputs.{name}]\npath = \"data.csv\"\nkey = {}",
            quoted(&key)
        );
        if let Some(encoding) = choice.encoding {
            let _ = writeln!(out, "encoding = {}", quoted(encoding));
        }
        if let Some(delimiter) = choice.delimiter {
            let _ = writeln!(out, "delimiter = {}", quoted(delimiter));
        }
        if choice.comma_decimal {
            let _ = writeln!(out, "decimal = \",\"");
        }
        if let Some(format) = choice.date_format {
            let _ = writeln!(out, "date_format = {}", quoted(format));
        }
    };
    let types = ["number", "text", "date", "bool", "list"];
    let accounts = if choice.second_account {
        &["crm", "firmographics"][..]
    } else {
        &["crm"][..]
    };
    for (n, name) in accounts.iter().enumerate() {
        input(&mut out, name);
        let _ = writeln!(out, "[inputs.{name}.fields]");
        for (i, header) in others.iter().enumerate() {
            // Each header as another type in the second input; a field's
            // type is the same in every account input.
            let ty = types[(i + n) % types.len()];
            let _ = writeln!(
                out,
                "f{i}_{n}_{ty} = {{ column = {}, type = \"{ty}\" }}",
                quoted(header)
            );
        }
        if n == 0 && !others.is_empty() {
            let _ = writeln!(
                out,
                "revenue = {{ column = {}, type = \"number\", scale = 1000 }}",
                quoted(column(0))
            );
        }
    }
    // The signal inputs: each field on a column of its own, in order.
    let signals = [
        (
            choice.intent,
            "intent",
            [("topic", 0), ("score", 1), ("date", 2)],
        ),
        (
            choice.engagement,
            "engagement",
            [("type", 1), ("date", 2), ("persona", 3)],
        ),
    ];
    for (_, name, fields) in signals.iter().filter(|(wanted, ..)| *wanted) {
        input(&mut out, name);
        let fields: Vec<String> = (fields.iter())
            .map(|(field, i)| format!("{field} = {}", quoted(column(*i))))
            .collect();
        let _ = writeln!(out, "fields = {{ {} }}", fields.join(", "));
    }
    out.push_str(
        "[intent]\nwindow_days = 28\nthreshold = 50\n\
         [engagement]\nwindow_days = 90\nhalf_life_days = 14\n\
         points = { meeting = 25, web_visit = 1 }\n",
    );
    out
}

fn check_loaded(loaded: &Loaded) {
    let mut used = 0;
    let mut account_inputs = 0;
    for report in &loaded.reports {
        let rows = &report.rows;
        assert!(rows.is_balanced(), "{}: unbalanced {rows:?}", report.name);
        assert_eq!(
            report.rejects.len() as u64,
            rows.rejected,
            "{}",
            report.name
        );
        assert!(report.parsed_rows <= rows.read, "{}", report.name);
        if let Some(log) = &report.log {
            assert_eq!(log.len() as u64, rows.read, "{}: row log", report.name);
            let mut counted = input::Buckets {
                read: rows.read,
                ..Default::default()
            };
            for &bucket in &log.buckets {
                *counted.of(bucket) += 1;
            }
            assert_eq!(&counted, rows, "{}: the row log's buckets", report.name);
            let logged_rejects = log.buckets.iter().filter(|&&b| b == Bucket::Rejected);
            assert_eq!(logged_rejects.count(), report.rejects.len());
        }
        if report.kind == spec::InputKind::Account {
            used += rows.used;
            account_inputs += 1;
        }
    }
    let accounts = &loaded.accounts;
    if account_inputs == 1 {
        assert_eq!(used, accounts.len() as u64, "used rows and accounts");
    }
    assert!(accounts.len() as u64 <= used);
    let mut keys = std::collections::HashSet::new();
    for domain in &accounts.domains {
        assert!(keys.insert(domain.as_str()), "the account {domain} twice");
        assert!(
            tal::value::domain_of(domain).is_some(),
            "the account key {domain:?} is no domain"
        );
    }
}

/// What a load gave, as text to compare.
fn fingerprint(loaded: &Loaded) -> String {
    let merged: std::collections::BTreeMap<_, _> = loaded.accounts.merged_ids.iter().collect();
    format!(
        "{:?}\n{:?}\n{:?}\n{merged:?}",
        loaded.reports, loaded.accounts.domains, loaded.accounts.columns
    )
}
