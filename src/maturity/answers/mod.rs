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
//!
//! `toml` and `csv` hold the two readers.

mod csv;
mod toml;

use std::path::Path;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use serde::Serialize;

use super::model::{self, PRACTICES};
use crate::input::read;
use crate::spec::SpecError;

pub use self::csv::parse_csv;
pub use self::toml::parse_toml;

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
pub(super) fn unknown_id(id: &str) -> String {
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
        crate::file::read(path).with_context(|| format!("cannot read the answers file {file}"))?;
    let is_csv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let mut answers = if is_csv {
        let (text, _) = read::decode(bytes, None).with_context(|| file.clone())?;
        parse_csv(&text, &file)?
    } else {
        let text = String::from_utf8(bytes)
            .with_context(|| format!("{file}: the answers file is not UTF-8 text"))?;
        // A byte-order mark is not TOML; an editor on Windows may write one.
        parse_toml(text.strip_prefix('\u{feff}').unwrap_or(&text), &file)?
    };
    answers.file = Some(file);
    Ok(answers)
}

pub(super) fn error(
    file: &str,
    line: Option<usize>,
    key: &str,
    message: impl Into<String>,
) -> SpecError {
    SpecError {
        file: file.to_string(),
        line,
        key: key.to_string(),
        message: message.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
