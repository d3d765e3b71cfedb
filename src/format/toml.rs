//! Text written into tal.toml (`tal init`'s spec, `tal icp discover`'s
//! draft [fit]): strings and keys quoted so that TOML reads them back as
//! they were.

use std::fmt::Write as _;

/// A TOML string: literal (`'...'`) when it can be, else basic.
pub fn string(text: &str) -> String {
    if text.contains('\'') || text.chars().any(|c| c.is_control() && c != '\t') {
        basic_string(text)
    } else {
        format!("'{text}'")
    }
}

/// A basic TOML string (`"..."`), escaped.
pub fn basic_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A TOML key: bare when it can be, else a basic string.
pub fn key(name: &str) -> String {
    let bare = !name.is_empty()
        && (name.chars()).all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare {
        name.to_string()
    } else {
        basic_string(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_reads_back_what_was_written() {
        for text in [
            "plain",
            "it's",
            "a \"b\" \\ c",
            "tab\there",
            "line\nbreak",
            "\u{1}x",
            "São",
        ] {
            let doc = format!(
                "a = {}\nb = {}\n{} = 1\n",
                string(text),
                basic_string(text),
                key(text)
            );
            let table: toml::Table = toml::from_str(&doc).unwrap_or_else(|e| panic!("{doc}: {e}"));
            assert_eq!(table["a"].as_str(), Some(text));
            assert_eq!(table["b"].as_str(), Some(text));
            assert!(table.contains_key(text), "{doc}");
        }
        assert_eq!(key("fit_grade-2"), "fit_grade-2");
        assert_eq!(string(r#"industry in ["A"]"#), r#"'industry in ["A"]'"#);
    }
}
