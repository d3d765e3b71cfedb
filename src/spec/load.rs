//! Reading `tal.toml` into the raw model, with errors that name the key path
//! (`tiers[1].when`), the line, and the nearest valid key.

use std::path::Path;

use super::model::RawSpec;
use super::SpecError;

/// Parses spec text. `file` is only used in messages.
pub fn parse_spec(text: &str, file: &str) -> Result<RawSpec, SpecError> {
    let deserializer =
        toml::Deserializer::parse(text).map_err(|err| toml_error(&err, text, file, ""))?;
    let raw = serde_path_to_error::deserialize(deserializer).map_err(|err| {
        let key = key_path(err.path());
        toml_error(err.inner(), text, file, &key)
    })?;
    super::numbers::check(text, file)?;
    Ok(raw)
}

/// Reads and parses the spec file.
pub fn read_spec(path: &Path) -> Result<(String, RawSpec), SpecError> {
    let file = path.display().to_string();
    let text = crate::file::regular(path)
        .and_then(|()| std::fs::read_to_string(path))
        .map_err(|err| SpecError {
            file: file.clone(),
            line: None,
            key: String::new(),
            message: format!("cannot read the spec: {err}"),
        })?;
    let raw = parse_spec(&text, &file)?;
    Ok((text, raw))
}

/// `tiers[1].when` from serde's path: 1-based indices, as users count tiers.
fn key_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut key = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => key.push_str(&format!("[{}]", index + 1)),
            // toml's Spanned wraps a value in a private field: not a key.
            Segment::Map { key: name } if name.starts_with("$__") => {}
            Segment::Map { key: name } | Segment::Enum { variant: name } => {
                if !key.is_empty() {
                    key.push('.');
                }
                key.push_str(name);
            }
            Segment::Unknown => {}
        }
    }
    key
}

fn toml_error(err: &toml::de::Error, text: &str, file: &str, key: &str) -> SpecError {
    let line = err.span().map(|span| line_of(text, span.start));
    SpecError {
        file: file.to_string(),
        line,
        key: key.to_string(),
        message: explain_serde_message(err.message()),
    }
}

/// 1-based line of a byte offset.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Rewrites serde's "unknown field `x`, expected one of `a`, `b`" into a
/// message with the closest valid key.
fn explain_serde_message(message: &str) -> String {
    let Some(rest) = message.strip_prefix("unknown field `") else {
        return plain_types(message);
    };
    let Some((unknown, expected)) = rest.split_once('`') else {
        return message.to_string();
    };
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    let mut out = format!("unknown key '{unknown}'");
    match crate::suggest::closest(unknown, candidates.iter().copied()) {
        Some(best) => out.push_str(&format!(" (did you mean '{best}'?)")),
        None if !candidates.is_empty() => {
            out.push_str(&format!(" (valid keys: {})", candidates.join(", ")))
        }
        None => {}
    }
    out
}

/// serde names Rust types; users write TOML.
fn plain_types(message: &str) -> String {
    message
        .replace("expected f64", "expected a number")
        .replace("expected u64", "expected a whole number (0 or more)")
        .replace("expected i64", "expected a whole number")
        .replace(
            "expected a sequence",
            "expected a list, e.g. [\"a\", \"b\"]",
        )
        .replace("invalid type: sequence", "invalid type: list")
        .replace("invalid type: map", "invalid type: table")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        parse_spec(text, "tal.toml").unwrap_err().to_string()
    }

    #[test]
    fn unknown_key_names_path_line_and_suggestion() {
        let text = "[fit]\nhigh = 70\n\n[[tiers]]\nname = \"Tier 1\"\nwhn = \"fit > 1\"\n";
        assert_eq!(
            err(text),
            "tal.toml line 6: tiers[1].whn: unknown key 'whn' (did you mean 'when'?)"
        );
    }

    #[test]
    fn wrong_type_names_key() {
        let text = "[budget]\ntotal = \"lots\"\n";
        let message = err(text);
        assert!(
            message.starts_with("tal.toml line 2: budget.total: invalid type"),
            "{message}"
        );
    }

    #[test]
    fn toml_syntax_error_has_line() {
        let message = err("[fit\nhigh = 1\n");
        assert!(message.starts_with("tal.toml line 1"), "{message}");
    }
}
