//! Lenient parsing of the cells of real exports (SPEC.md "Fields and types").
//!
//! CRM, firmographic, intent and engagement exports write the same value in
//! many ways: `https://www.Acme.com/` and `jane@acme.com` are one key,
//! `$1.2M`, `1,234`, `R$ 1.234,56`, `5万元` and `201-500` are numbers,
//! `Yes`/`sim`/`是` are bools. This module owns turning one raw cell into one
//! typed value — text, domain key, number, date, bool or list — and nothing
//! else: no I/O, no column mapping, no counting. Every parser is total (it
//! never panics) and returns `None` for a cell it cannot read, so callers can
//! count the cell as unparseable.
//!
//! This file holds the decimal mark, text, bools and lists; the
//! submodules hold domain keys and free mail (`domain`), numbers
//! (`number`) and dates (`date`), and their parsers are re-exported here.

use compact_str::CompactString;
use std::borrow::Cow;

mod date;
mod domain;
mod number;

pub use date::parse_date;
pub use domain::{domain_of, is_free_mail, normalize_domain, FREE_MAIL};
pub use number::parse_number;

/// The decimal mark of an input's numbers (`decimal = "."` or `","` in the
/// spec). The other of `.`/`,` groups thousands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DecimalMark {
    #[default]
    Dot,
    Comma,
}

impl DecimalMark {
    fn chars(self) -> (char, char) {
        match self {
            DecimalMark::Dot => ('.', ','),
            DecimalMark::Comma => (',', '.'),
        }
    }
}

// ------------------------------------------------------------------ text

/// Lower-case text, borrowed when it already is (the common case).
pub fn lowercase(text: &str) -> Cow<'_, str> {
    // One pass without an early exit, which the compiler vectorises: this
    // runs on every key of every input row.
    let (mut upper, mut ascii) = (false, true);
    for b in text.bytes() {
        upper |= b.is_ascii_uppercase();
        ascii &= b.is_ascii();
    }
    if ascii {
        return if upper {
            Cow::Owned(text.to_ascii_lowercase())
        } else {
            Cow::Borrowed(text)
        };
    }
    // Not only upper-case letters change: title-case ones (`ǅ`, `ῌ`) do too.
    let changes = |c: char| {
        let mut lower = c.to_lowercase();
        lower.next() != Some(c) || lower.next().is_some()
    };
    if text.chars().any(changes) {
        return Cow::Owned(text.to_lowercase());
    }
    Cow::Borrowed(text)
}

/// Appends `text` lower-cased to `out`, without a string of its own.
pub fn push_lowercase(out: &mut String, text: &str) {
    if text.is_ascii() {
        let from = out.len();
        out.push_str(text);
        out[from..].make_ascii_lowercase();
    } else {
        out.push_str(&lowercase(text));
    }
}

/// Unicode-whitespace trim; None when empty.
pub fn clean_text(raw: &str) -> Option<&str> {
    // Most cells start and end with a visible ASCII character: nothing to
    // trim, and no need to decode characters to find out.
    let visible = |b: Option<&u8>| b.is_some_and(|&b| b > b' ' && b < 0x7f);
    let bytes = raw.as_bytes();
    if visible(bytes.first()) && visible(bytes.last()) {
        return Some(raw);
    }
    let t = raw.trim();
    (!t.is_empty()).then_some(t)
}

// ------------------------------------------------------------------ bools, lists

/// true/false, yes/no, y/n, 1/0, t/f, sim/não/nao, 是/否, any case, trimmed.
/// Else None.
pub fn parse_bool(raw: &str) -> Option<bool> {
    let s = clean_text(raw)?.to_lowercase();
    match s.as_str() {
        "true" | "yes" | "y" | "1" | "t" | "sim" | "是" => Some(true),
        // "na\u{303}o": não with a combining tilde, as macOS tools write it.
        "false" | "no" | "n" | "0" | "f" | "não" | "nao" | "na\u{303}o" | "否" => Some(false),
        _ => None,
    }
}

/// Split on ';', ',' or '|', trim each item, drop empty items. Empty input
/// gives an empty list.
pub fn parse_list(raw: &str) -> Vec<String> {
    list_items(raw).map(str::to_owned).collect()
}

/// The items of a list cell, as [`parse_list`] gives them, without a copy.
fn list_items(raw: &str) -> impl Iterator<Item = &str> {
    raw.split([';', ',', '|']).filter_map(clean_text)
}

/// A list cell kept as its text and split when read: a million accounts'
/// technologies are then a million strings, most of them inline, instead of
/// five million.
#[derive(Debug, Clone, PartialEq)]
pub struct List(CompactString);

impl List {
    /// The list in a cell; None when it has no item.
    pub fn parse(raw: &str) -> Option<List> {
        list_items(raw)
            .next()
            .map(|_| List(CompactString::new(raw)))
    }

    pub fn items(&self) -> impl Iterator<Item = &str> {
        list_items(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn clean_text_trims_unicode_space() {
        let cases = [
            ("  Acme ", Some("Acme")),
            ("\u{a0}Acme\u{202f}\t", Some("Acme")),
            ("\u{3000}北京\u{3000}", Some("北京")),
            ("", None),
            (" \t\r\n\u{a0}", None),
            ("a b", Some("a b")),
        ];
        for (raw, want) in cases {
            assert_eq!(clean_text(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn bools_table() {
        let cases = [
            ("true", Some(true)),
            ("TRUE", Some(true)),
            (" Yes ", Some(true)),
            ("y", Some(true)),
            ("1", Some(true)),
            ("T", Some(true)),
            ("Sim", Some(true)),
            ("是", Some(true)),
            ("false", Some(false)),
            ("No", Some(false)),
            ("N", Some(false)),
            ("0", Some(false)),
            ("f", Some(false)),
            ("não", Some(false)),
            ("NÃO", Some(false)),
            ("nao", Some(false)),
            ("na\u{303}o", Some(false)),
            ("否", Some(false)),
            ("", None),
            ("maybe", None),
            ("2", None),
            ("1.0", None),
            ("yes!", None),
        ];
        for (raw, want) in cases {
            assert_eq!(parse_bool(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn lists_table() {
        let cases: &[(&str, &[&str])] = &[
            ("Salesforce;HubSpot", &["Salesforce", "HubSpot"]),
            (
                "Salesforce; HubSpot; Marketo",
                &["Salesforce", "HubSpot", "Marketo"],
            ),
            ("a, b|c ;d", &["a", "b", "c", "d"]),
            (" a ;; ;b; ", &["a", "b"]),
            ("Microsoft 365", &["Microsoft 365"]),
            ("", &[]),
            ("  ", &[]),
            (";,|", &[]),
        ];
        for (raw, want) in cases {
            assert_eq!(parse_list(raw), *want, "{raw:?}");
        }
    }

    proptest! {
        #[test]
        fn lowercase_agrees_with_std(s in "\\PC{0,12}") {
            let lower = lowercase(&s);
            prop_assert_eq!(lower.as_ref(), s.to_lowercase());
        }

        #[test]
        fn other_parsers_never_panic(s in "\\PC*", fmt in "(%[dmYyHMSzpI]|[-/ :.T])*") {
            let _ = parse_date(&s, Some(&fmt));
            let _ = parse_date(&s, None);
            let _ = parse_bool(&s);
            let _ = parse_list(&s);
            let _ = is_free_mail(&s);
        }

        /// A list kept as its cell gives the items `parse_list` gives, and
        /// is no list when that gives none.
        #[test]
        fn kept_lists_split_as_parsed(s in "[a-c ;,|\u{a0}]{0,12}") {
            let kept: Option<Vec<String>> =
                List::parse(&s).map(|list| list.items().map(str::to_string).collect());
            let parsed = parse_list(&s);
            prop_assert_eq!(kept, (!parsed.is_empty()).then_some(parsed));
        }
    }
}
