//! The self-assessment: reading an answers file, TOML or (by extension)
//! CSV, into one response per practice.
//!
//! TOML: an optional `[meta]` (organization, respondent, date) and an
//! `[answers]` table whose keys are practice ids and whose values are an
//! answer word or `{ answer, outside_tal, note }`. CSV: the header
//! `id,answer,outside_tal,note` in any order and case; the columns the CSV
//! template adds for the respondent (`dimension`, `stage`, `practice`) are
//! read past. Answer words: yes | partly | no, sim | parcial | não | nao,
//! any case; `""` leaves a practice unanswered. Ids are exact (`da1`).
//! Every mistake — an unknown key, id, column or word, a repeated id — is
//! an error naming the file, the line and the nearest valid name.

use std::path::Path;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use serde::Serialize;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::model::{self, PRACTICES};
use crate::input::{read, value};
use crate::spec::load::line_of;
use crate::spec::SpecError;

/// A self-assessed answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Answer {
    Yes,
    Partly,
    No,
}

impl Answer {
    pub fn word(self) -> &'static str {
        match self {
            Answer::Yes => "yes",
            Answer::Partly => "partly",
            Answer::No => "no",
        }
    }
}

/// The answer to one practice.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Response {
    pub answer: Option<Answer>,
    /// The practice is done with tools `tal` does not see: a "yes" the
    /// data does not support is believed.
    pub outside_tal: bool,
    pub note: Option<String>,
}

/// Who answered, for the report's header.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meta {
    pub organization: Option<String>,
    pub respondent: Option<String>,
    pub date: Option<NaiveDate>,
}

/// Every response, indexed like [`PRACTICES`].
#[derive(Debug, Clone, PartialEq)]
pub struct Answers {
    /// The file, as given (None: no answers file).
    pub file: Option<String>,
    pub meta: Meta,
    pub responses: Vec<Response>,
}

impl Default for Answers {
    fn default() -> Self {
        Answers {
            file: None,
            meta: Meta::default(),
            responses: vec![Response::default(); PRACTICES.len()],
        }
    }
}

/// The words an answer may be written with.
const WORDS: &[&str] = &["yes", "partly", "no", "sim", "parcial", "não", "nao", ""];

/// An answer word; Ok(None) when empty (unanswered).
pub fn parse_word(word: &str) -> Result<Option<Answer>, String> {
    match word.trim().to_lowercase().as_str() {
        "" => Ok(None),
        "yes" | "sim" => Ok(Some(Answer::Yes)),
        "partly" | "parcial" => Ok(Some(Answer::Partly)),
        "no" | "não" | "nao" => Ok(Some(Answer::No)),
        _ => {
            let mut message = format!(
                "unknown answer '{word}': write yes, partly or no (or sim, parcial, não), or \"\" to leave it unanswered"
            );
            let candidates = WORDS.iter().copied().filter(|w| !w.is_empty());
            if let Some(best) = nearest(word.trim(), candidates) {
                message.push_str(&format!(" (did you mean '{best}'?)"));
            }
            Err(message)
        }
    }
}

/// The nearest candidate: [`crate::suggest::closest`], else one edit away
/// (short words like "yse" or "ad1" are too short for Jaro-Winkler).
fn nearest<'a>(word: &str, candidates: impl Iterator<Item = &'a str> + Clone) -> Option<&'a str> {
    crate::suggest::closest(word, candidates.clone()).or_else(|| {
        let lower = word.to_lowercase();
        candidates
            .into_iter()
            .find(|c| strsim::osa_distance(&lower, c) == 1)
    })
}

/// "unknown question id 'x'", with the nearest id.
fn unknown_id(id: &str) -> String {
    let mut message = format!(
        "unknown question id '{id}' (ids run da1..da5, mc1..mc5, pg1..pg5, mt1..mt5, tm1..tm5)"
    );
    if let Some(best) = nearest(id, model::ids()) {
        message = format!("unknown question id '{id}' (did you mean '{best}'?)");
    }
    message
}

/// Reads the answers file at `path`: CSV when it ends in `.csv`, else TOML.
pub fn read(path: &Path) -> Result<Answers> {
    let file = path.display().to_string();
    let bytes =
        std::fs::read(path).with_context(|| format!("cannot read the answers file {file}"))?;
    let is_csv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let mut answers = if is_csv {
        let (text, _) = read::decode(bytes, None).with_context(|| file.clone())?;
        parse_csv(&text, &file)?
    } else {
        let text = String::from_utf8(bytes)
            .with_context(|| format!("{file}: the answers file is not UTF-8 text"))?;
        parse_toml(&text, &file)?
    };
    answers.file = Some(file);
    Ok(answers)
}

fn error(file: &str, line: Option<usize>, key: &str, message: impl Into<String>) -> SpecError {
    SpecError {
        file: file.to_string(),
        line,
        key: key.to_string(),
        message: message.into(),
    }
}

/// The error of an unknown key, with the nearest of `valid`.
fn unknown_key(file: &str, line: usize, path: &str, key: &str, valid: &[&str]) -> SpecError {
    let mut message = format!("unknown key '{key}'");
    match crate::suggest::closest(key, valid.iter().copied()) {
        Some(best) => message.push_str(&format!(" (did you mean '{best}'?)")),
        None => message.push_str(&format!(" (valid keys: {})", valid.join(", "))),
    }
    error(file, Some(line), path, message)
}

/// Parses TOML answers. `file` is only used in messages.
pub fn parse_toml(text: &str, file: &str) -> Result<Answers, SpecError> {
    let document = DeTable::parse(text).map_err(|err| {
        let line = err.span().map(|span| line_of(text, span.start));
        error(file, line, "", err.message().trim().to_string())
    })?;
    let line = |start: usize| line_of(text, start);
    let mut answers = Answers::default();
    for (key, value) in document.get_ref().iter() {
        let name = key.get_ref().as_ref();
        match name {
            "meta" => answers.meta = parse_meta(value, file, &line)?,
            "answers" => {
                let table = as_table(value, file, &line, "answers")?;
                for (id, value) in table.iter() {
                    let (id, at) = (id.get_ref().as_ref(), line(id.span().start));
                    let Some(index) = model::practice_index(id) else {
                        return Err(error(
                            file,
                            Some(at),
                            &format!("answers.{id}"),
                            unknown_id(id),
                        ));
                    };
                    answers.responses[index] = parse_response(value, file, &line, id)?;
                }
            }
            _ => {
                let at = line(key.span().start);
                return Err(unknown_key(file, at, name, name, &["meta", "answers"]));
            }
        }
    }
    Ok(answers)
}

fn as_table<'a, 'i>(
    value: &'a Spanned<DeValue<'i>>,
    file: &str,
    line: &dyn Fn(usize) -> usize,
    key: &str,
) -> Result<&'a DeTable<'i>, SpecError> {
    value.get_ref().as_table().ok_or_else(|| {
        let found = value.get_ref().type_str();
        error(
            file,
            Some(line(value.span().start)),
            key,
            format!("expected a table, found {found}"),
        )
    })
}

fn as_text(
    value: &Spanned<DeValue<'_>>,
    file: &str,
    line: &dyn Fn(usize) -> usize,
    key: &str,
) -> Result<String, SpecError> {
    match value.get_ref() {
        DeValue::String(text) => Ok(text.to_string()),
        other => Err(error(
            file,
            Some(line(value.span().start)),
            key,
            format!("expected text in quotes, found {}", other.type_str()),
        )),
    }
}

fn parse_meta(
    value: &Spanned<DeValue<'_>>,
    file: &str,
    line: &dyn Fn(usize) -> usize,
) -> Result<Meta, SpecError> {
    let mut meta = Meta::default();
    for (key, value) in as_table(value, file, line, "meta")?.iter() {
        let name = key.get_ref().as_ref();
        let path = format!("meta.{name}");
        let non_empty = |text: String| Some(text.trim().to_string()).filter(|t| !t.is_empty());
        match name {
            "organization" => meta.organization = non_empty(as_text(value, file, line, &path)?),
            "respondent" => meta.respondent = non_empty(as_text(value, file, line, &path)?),
            "date" => {
                let text = match value.get_ref() {
                    DeValue::Datetime(date) => date.to_string(),
                    _ => as_text(value, file, line, &path)?,
                };
                if text.trim().is_empty() {
                    continue;
                }
                let date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
                    error(
                        file,
                        Some(line(value.span().start)),
                        &path,
                        format!("'{text}' is not a date: write YYYY-MM-DD"),
                    )
                })?;
                meta.date = Some(date);
            }
            _ => {
                let at = line(key.span().start);
                let valid = ["organization", "respondent", "date"];
                return Err(unknown_key(file, at, &path, name, &valid));
            }
        }
    }
    Ok(meta)
}

/// `"yes"`, or `{ answer = "yes", outside_tal = true, note = "..." }`.
fn parse_response(
    value: &Spanned<DeValue<'_>>,
    file: &str,
    line: &dyn Fn(usize) -> usize,
    id: &str,
) -> Result<Response, SpecError> {
    let path = format!("answers.{id}");
    let word = |value: &Spanned<DeValue<'_>>, path: &str| {
        let text = as_text(value, file, line, path)?;
        parse_word(&text)
            .map_err(|message| error(file, Some(line(value.span().start)), path, message))
    };
    match value.get_ref() {
        DeValue::String(_) => Ok(Response {
            answer: word(value, &path)?,
            ..Response::default()
        }),
        DeValue::Table(table) => {
            let mut response = Response::default();
            for (key, value) in table.iter() {
                let name = key.get_ref().as_ref();
                let key_path = format!("{path}.{name}");
                match name {
                    "answer" => response.answer = word(value, &key_path)?,
                    "outside_tal" => match value.get_ref() {
                        DeValue::Boolean(b) => response.outside_tal = *b,
                        other => {
                            return Err(error(
                                file,
                                Some(line(value.span().start)),
                                &key_path,
                                format!("expected true or false, found {}", other.type_str()),
                            ))
                        }
                    },
                    "note" => {
                        let note = as_text(value, file, line, &key_path)?;
                        response.note = Some(note.trim().to_string()).filter(|n| !n.is_empty());
                    }
                    _ => {
                        let at = line(key.span().start);
                        let valid = ["answer", "outside_tal", "note"];
                        return Err(unknown_key(file, at, &key_path, name, &valid));
                    }
                }
            }
            Ok(response)
        }
        other => Err(error(
            file,
            Some(line(value.span().start)),
            &path,
            format!(
                "expected \"yes\", \"partly\", \"no\" or {{ answer = \"yes\", outside_tal = true, note = \"...\" }}, found {}",
                other.type_str()
            ),
        )),
    }
}

/// Columns of a CSV answers file; the last three are the template's aids.
const CSV_COLUMNS: &[&str] = &[
    "id",
    "answer",
    "outside_tal",
    "note",
    "dimension",
    "stage",
    "practice",
];

/// Parses CSV answers. `file` is only used in messages.
pub fn parse_csv(text: &str, file: &str) -> Result<Answers, SpecError> {
    let mut rdr = read::reader(text, read::sniff_delimiter(text));
    let mut record = csv::StringRecord::new();
    let csv_error = |err: csv::Error| error(file, None, "", err.to_string());
    if !rdr.read_record(&mut record).map_err(csv_error)? {
        return Err(error(
            file,
            Some(1),
            "",
            "the file is empty: it needs the header id,answer,outside_tal,note",
        ));
    }
    let headers: Vec<String> = record
        .iter()
        .map(|h| {
            h.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
                .to_lowercase()
        })
        .collect();
    for header in &headers {
        if !CSV_COLUMNS.contains(&header.as_str()) {
            let mut message = format!("unknown column '{header}'");
            match crate::suggest::closest(header, CSV_COLUMNS[..4].iter().copied()) {
                Some(best) => message.push_str(&format!(" (did you mean '{best}'?)")),
                None => message.push_str(" (the columns are id, answer, outside_tal, note)"),
            }
            return Err(error(file, Some(1), "header", message));
        }
    }
    let column = |name: &str| headers.iter().position(|h| h == name);
    let (Some(id_col), Some(answer_col)) = (column("id"), column("answer")) else {
        return Err(error(
            file,
            Some(1),
            "header",
            format!(
                "the columns id and answer are needed (and optionally outside_tal, note); the header is: {}",
                headers.join(",")
            ),
        ));
    };
    let (outside_col, note_col) = (column("outside_tal"), column("note"));
    let mut answers = Answers::default();
    // The line each practice was answered on.
    let mut seen: Vec<Option<u64>> = vec![None; PRACTICES.len()];
    while rdr.read_record(&mut record).map_err(csv_error)? {
        if read::is_blank(&record) {
            continue;
        }
        let at = read::record_line(text, &record);
        let line = Some(at as usize);
        let cell = |i: usize| read::cell(&record, i).unwrap_or_default();
        let id = cell(id_col);
        if id.is_empty() {
            return Err(error(file, line, "id", "no question id on this line"));
        }
        let Some(index) = model::practice_index(id) else {
            return Err(error(file, line, "id", unknown_id(id)));
        };
        if let Some(first) = seen[index] {
            return Err(error(
                file,
                line,
                "id",
                format!("'{id}' is answered twice: on line {first} and on line {at}"),
            ));
        }
        seen[index] = Some(at);
        let answer =
            parse_word(cell(answer_col)).map_err(|message| error(file, line, "answer", message))?;
        let outside_tal = match outside_col.map(cell).unwrap_or_default() {
            "" => false,
            raw => value::parse_bool(raw).ok_or_else(|| {
                error(
                    file,
                    line,
                    "outside_tal",
                    format!("'{raw}' is not true or false"),
                )
            })?,
        };
        let note = note_col
            .map(cell)
            .filter(|n| !n.is_empty())
            .map(str::to_string);
        answers.responses[index] = Response {
            answer,
            outside_tal,
            note,
        };
    }
    Ok(answers)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toml_err(text: &str) -> String {
        parse_toml(text, "maturity.toml").unwrap_err().to_string()
    }

    fn csv_err(text: &str) -> String {
        parse_csv(text, "answers.csv").unwrap_err().to_string()
    }

    #[test]
    fn words_in_both_languages() {
        for (word, answer) in [
            ("yes", Some(Answer::Yes)),
            (" Sim ", Some(Answer::Yes)),
            ("PARTLY", Some(Answer::Partly)),
            ("parcial", Some(Answer::Partly)),
            ("no", Some(Answer::No)),
            ("Não", Some(Answer::No)),
            ("nao", Some(Answer::No)),
            ("", None),
        ] {
            assert_eq!(parse_word(word), Ok(answer), "{word}");
        }
        for (typo, meant) in [
            ("yess", "yes"),
            ("yse", "yes"),
            ("noo", "no"),
            ("parcail", "parcial"),
        ] {
            let message = parse_word(typo).unwrap_err();
            assert!(
                message.ends_with(&format!("(did you mean '{meant}'?)")),
                "{message}"
            );
        }
        let message = parse_word("maybe").unwrap_err();
        assert!(message.ends_with("to leave it unanswered"), "{message}");
        assert_eq!(
            unknown_id("ad1"),
            "unknown question id 'ad1' (did you mean 'da1'?)"
        );
        assert_eq!(
            unknown_id("q1"),
            "unknown question id 'q1' (ids run da1..da5, mc1..mc5, pg1..pg5, mt1..mt5, tm1..tm5)"
        );
    }

    #[test]
    fn toml_answers_and_meta() {
        let text = r#"
[meta]
organization = "Acme"
date = 2026-11-02

[answers]
da1 = "yes"
da2 = ""
da3 = { answer = "sim", outside_tal = true, note = "6sense intent, not in tal" }
mc1 = "parcial"
"#;
        let answers = parse_toml(text, "m.toml").unwrap();
        assert_eq!(answers.meta.organization.as_deref(), Some("Acme"));
        assert_eq!(answers.meta.date, NaiveDate::from_ymd_opt(2026, 11, 2));
        let r = &answers.responses;
        assert_eq!(r[0].answer, Some(Answer::Yes));
        assert_eq!(r[1], Response::default());
        assert_eq!(
            r[2],
            Response {
                answer: Some(Answer::Yes),
                outside_tal: true,
                note: Some("6sense intent, not in tal".into())
            }
        );
        assert_eq!(r[5].answer, Some(Answer::Partly));
        assert_eq!(r[24], Response::default());
    }

    #[test]
    fn toml_mistakes_name_the_line_and_the_nearest_name() {
        // The five da ids are equally near: the last wins.
        assert_eq!(
            toml_err("[answers]\nda1 = \"yes\"\nda9 = \"no\"\n"),
            "maturity.toml line 3: answers.da9: unknown question id 'da9' (did you mean 'da5'?)"
        );
        assert_eq!(
            toml_err("[answers]\nDA1 = \"yes\"\n"),
            "maturity.toml line 2: answers.DA1: unknown question id 'DA1' (did you mean 'da1'?)"
        );
        assert_eq!(
            toml_err("[answers]\n\nmc2 = \"yess\"\n"),
            "maturity.toml line 3: answers.mc2: unknown answer 'yess': write yes, partly or no (or sim, parcial, não), or \"\" to leave it unanswered (did you mean 'yes'?)"
        );
        assert_eq!(
            toml_err("[answer]\nda1 = \"yes\"\n"),
            "maturity.toml line 1: answer: unknown key 'answer' (did you mean 'answers'?)"
        );
        assert_eq!(
            toml_err("[meta]\norganisation = \"Acme\"\n"),
            "maturity.toml line 2: meta.organisation: unknown key 'organisation' (did you mean 'organization'?)"
        );
        assert_eq!(
            toml_err("[answers]\nda1 = { answer = \"yes\", outside = true }\n"),
            "maturity.toml line 2: answers.da1.outside: unknown key 'outside' (did you mean 'outside_tal'?)"
        );
        assert_eq!(
            toml_err("[answers]\nda1 = true\n"),
            "maturity.toml line 2: answers.da1: expected \"yes\", \"partly\", \"no\" or { answer = \"yes\", outside_tal = true, note = \"...\" }, found boolean"
        );
        assert_eq!(
            toml_err("[meta]\ndate = \"next week\"\n"),
            "maturity.toml line 2: meta.date: 'next week' is not a date: write YYYY-MM-DD"
        );
        assert!(toml_err("[answers]\nda1 = \"yes\"\nda1 = \"no\"\n")
            .starts_with("maturity.toml line 3"));
        assert!(toml_err("[answers\n").starts_with("maturity.toml line 1"));
    }

    #[test]
    fn csv_answers() {
        let text = "id;answer;outside_tal;note\nda1;yes;;\n\nda3;sim;true;6sense\nmt2;;;\n";
        let answers = parse_csv(text, "a.csv").unwrap();
        assert_eq!(answers.responses[0].answer, Some(Answer::Yes));
        assert_eq!(
            answers.responses[2],
            Response {
                answer: Some(Answer::Yes),
                outside_tal: true,
                note: Some("6sense".into())
            }
        );
        assert_eq!(answers.responses[16], Response::default());
        // The template's aid columns are read past; columns in any order.
        let text = "dimension,stage,practice,id,answer\nData,1,x,da2,no\n";
        let answers = parse_csv(text, "a.csv").unwrap();
        assert_eq!(answers.responses[1].answer, Some(Answer::No));
    }

    #[test]
    fn csv_mistakes() {
        assert_eq!(
            csv_err("id,answer\nda1,yes\nmc2,no\nda1,no\n"),
            "answers.csv line 4: id: 'da1' is answered twice: on line 2 and on line 4"
        );
        assert_eq!(
            csv_err("id,answer\nmc7,yes\n"),
            "answers.csv line 2: id: unknown question id 'mc7' (did you mean 'mc5'?)"
        );
        assert_eq!(
            csv_err("id,answer\nmc1,partially\n"),
            "answers.csv line 2: answer: unknown answer 'partially': write yes, partly or no (or sim, parcial, não), or \"\" to leave it unanswered (did you mean 'partly'?)"
        );
        assert_eq!(
            csv_err("id,anwser\n"),
            "answers.csv line 1: header: unknown column 'anwser' (did you mean 'answer'?)"
        );
        assert_eq!(
            csv_err("id,note\n"),
            "answers.csv line 1: header: the columns id and answer are needed (and optionally outside_tal, note); the header is: id,note"
        );
        assert_eq!(
            csv_err("id,answer,outside_tal\nda1,yes,maybe\n"),
            "answers.csv line 2: outside_tal: 'maybe' is not true or false"
        );
    }
}
