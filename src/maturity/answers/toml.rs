//! Reading TOML answers: `[meta]` and `[answers]`, with the line of every
//! key and value for messages.

use ::toml::de::{DeTable, DeValue};
use ::toml::Spanned;
use chrono::NaiveDate;

use super::{error, parse_word, unknown_id, Answers, Meta, Response};
use crate::maturity::model;
use crate::spec::load::line_of;
use crate::spec::SpecError;

/// The error of an unknown key, with the nearest of `valid`.
pub(super) fn unknown_key(
    file: &str,
    line: usize,
    path: &str,
    key: &str,
    valid: &[&str],
) -> SpecError {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::maturity::answers::Answer;

    fn toml_err(text: &str) -> String {
        parse_toml(text, "maturity.toml").unwrap_err().to_string()
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
}
