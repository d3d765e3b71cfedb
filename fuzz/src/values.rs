//! The lenient cell parsers (`tal::value`): numbers (decimal marks,
//! grouping, currencies, magnitude words, ranges), dates (ISO and an
//! input's `date_format`), bools, domain keys, lists, text.
//!
//! The input is `FORMAT\nCELL`: the first line is tried as a date format,
//! the rest is the cell (a single line: the whole input is the cell too).
//! Asserts, for every parser, that it never panics, and:
//! - numbers: a parsed number is finite and never -0; written as `tal`
//!   writes numbers (`format::number`, as Parquet inputs and exports are
//!   read back) it parses to the same double; written as money
//!   (`format::money`, below 10^13) it parses to the value rounded to cents;
//! - dates: a parsed date written as `tal` writes dates (`format::write_date`)
//!   parses back, with no format, to the same date;
//! - bools: `true`/`false` read back as themselves;
//! - domain keys: a key is a fixed point (`domain_of(key) == key`) unless
//!   it still starts with `www.` or ends with `.` (documented), and
//!   `normalize_domain` agrees with `domain_of`;
//! - lists: the items of a list cell, joined with `; `, give the same items,
//!   and `List::parse` agrees with `parse_list`;
//! - `lowercase` agrees with `str::to_lowercase`, and `input::parse_value`
//!   agrees with the parser of each type.

use tal::expr::Type;
use tal::format;
use tal::input::{parse_value, Value};
use tal::value::{self, DecimalMark};

pub fn run(data: &[u8]) {
    let all = crate::text(data);
    let (format, cell) = match all.split_once('\n') {
        Some((format, cell)) => (Some(format), cell),
        None => (None, &*all),
    };
    for raw in [cell, &*all] {
        numbers(raw);
        dates(raw, format);
        bools(raw);
        domains(raw);
        lists(raw);
        text(raw);
    }
}

fn numbers(raw: &str) {
    for decimal in [DecimalMark::Dot, DecimalMark::Comma] {
        let parsed = value::parse_number(raw, decimal);
        assert_eq!(
            parse_value(raw, Type::Number, decimal, None).and_then(number),
            parsed,
            "{raw:?}: parse_value and parse_number differ"
        );
        let Some(n) = parsed else { continue };
        assert!(n.is_finite(), "{raw:?} parsed as {n}");
        assert!(!(n == 0.0 && n.is_sign_negative()), "{raw:?} parsed as -0");
        let written = format::number(n);
        assert_eq!(
            value::parse_number(&written, DecimalMark::Dot),
            Some(n),
            "{raw:?} parsed as {n:?}, written as {written:?}, which reads back differently"
        );
        if n.abs() < 1e13 {
            let cents = format::round(n, 2);
            for currency in ["USD", "EUR", "BRL"] {
                let money = format::money(n, currency);
                assert_eq!(
                    value::parse_number(&money, DecimalMark::Dot),
                    Some(cents),
                    "{raw:?} parsed as {n:?}, written as money {money:?}, which reads back differently"
                );
            }
        }
    }
}

fn number(value: Value) -> Option<f64> {
    match value {
        Value::Number(n) => Some(n),
        _ => None,
    }
}

fn dates(raw: &str, format: Option<&str>) {
    for format in [None, format] {
        let parsed = value::parse_date(raw, format);
        let via_value = parse_value(raw, Type::Date, DecimalMark::Dot, format);
        assert_eq!(
            via_value,
            parsed.map(Value::Date),
            "{raw:?}: parse_value and parse_date differ"
        );
        let Some(date) = parsed else { continue };
        let mut written = String::new();
        format::write_date(&mut written, date);
        assert_eq!(
            value::parse_date(&written, None),
            Some(date),
            "{raw:?} (format {format:?}) parsed as {date}, written as {written:?}, which reads back differently"
        );
    }
}

fn bools(raw: &str) {
    let parsed = value::parse_bool(raw);
    assert_eq!(
        parse_value(raw, Type::Bool, DecimalMark::Dot, None),
        parsed.map(Value::Bool)
    );
    if let Some(b) = parsed {
        assert_eq!(value::parse_bool(&b.to_string()), Some(b));
    }
}

fn domains(raw: &str) {
    let domain = value::domain_of(raw);
    assert_eq!(
        value::normalize_domain(raw).as_deref(),
        domain.as_deref(),
        "{raw:?}: normalize_domain and domain_of differ"
    );
    let _ = value::is_free_mail(raw);
    let Some(domain) = domain else { return };
    assert!(
        !domain.is_empty() && domain.contains('.'),
        "{raw:?} gave {domain:?}"
    );
    let _ = value::is_free_mail(&domain);
    if !domain.starts_with("www.") && !domain.ends_with('.') {
        assert_eq!(
            value::domain_of(&domain).as_deref(),
            Some(&*domain),
            "{raw:?} gave the key {domain:?}, which is not its own key"
        );
    }
}

fn lists(raw: &str) {
    let items = value::parse_list(raw);
    let kept = value::List::parse(raw);
    let kept_items: Option<Vec<String>> =
        (kept.as_ref()).map(|list| list.items().map(str::to_string).collect());
    assert_eq!(
        kept_items,
        (!items.is_empty()).then(|| items.clone()),
        "{raw:?}: List::parse and parse_list differ"
    );
    assert_eq!(
        parse_value(raw, Type::List, DecimalMark::Dot, None),
        kept.map(Value::List)
    );
    let joined = items.join("; ");
    assert_eq!(
        value::parse_list(&joined),
        items,
        "{raw:?} joined as {joined:?}"
    );
}

fn text(raw: &str) {
    assert_eq!(value::lowercase(raw), raw.to_lowercase(), "{raw:?}");
    let mut out = String::from("x");
    value::push_lowercase(&mut out, raw);
    assert_eq!(out, format!("x{}", raw.to_lowercase()), "{raw:?}");
    let clean = value::clean_text(raw);
    assert_eq!(clean, Some(raw.trim()).filter(|t| !t.is_empty()), "{raw:?}");
    if let Some(clean) = clean {
        assert_eq!(
            parse_value(clean, Type::Text, DecimalMark::Dot, None),
            Some(Value::Text(clean.into())),
        );
    }
}
