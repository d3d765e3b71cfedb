//! The polars backend of the elaborated tree ([`Cond`]): node by node, over
//! the accounts frame. Every decision (coercions, case folding, missing
//! values, sets) was made by `expr::elaborate`; this only translates it to
//! the frame's conventions (built by `engine::frame`):
//!
//! - a column is named by [`column_name`]: raw fields under `f.`, signals
//!   and the domain by their names;
//! - text is String, trimmed, empty as null, and already lower-cased, so a
//!   [`Text::Folded`] column is read as it is;
//! - a list is null when it has no item, and each item set a condition
//!   tests (`has_any [...]`, `in [...]`) has a Boolean column of its own
//!   ([`item_column`]), so an item test is one column read, not a search
//!   through a million strings, and a list of 10,000 items is one column,
//!   not 10,000 `or`s;
//! - numbers are Float64, dates Date, bools Boolean.

use polars::prelude::{col, lit, when, DataType, Expr as PExpr, NamedFrom, Series, NULL};

use crate::expr::typed::{Bool, Column, Cond, Date, Num, Operands, Set, Text, Value};
use crate::expr::{ArithOp, CmpOp};

/// Separates a list's name from the item in an item column's name, and the
/// items of a list ranked on (`engine::frame`).
pub const LIST_SEP: char = '\u{1f}';

/// Raw fields live under a prefix in the frame, so a field named like a
/// signal (`acv`) never collides with it.
const FIELD_PREFIX: &str = "f.";

/// The frame column that holds `column`.
pub fn column_name(column: &Column) -> String {
    match column {
        Column::Domain => "domain".to_string(),
        Column::Field(name) => format!("{FIELD_PREFIX}{name}"),
        Column::Signal(name) => name.clone(),
    }
}

/// The frame column saying whether list `column` holds one of `items`
/// (lower-cased): named by the digest of the items, so that a long list
/// does not make a long name.
pub fn item_column(column: &str, items: &[String]) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for item in items {
        hasher.update(item.as_bytes());
        hasher.update([0u8]);
    }
    let digest = hasher.finalize();
    let mut name = format!("{column}{LIST_SEP}");
    for byte in &digest[..16] {
        name.push_str(&format!("{byte:02x}"));
    }
    name
}

/// A condition as a Boolean polars expression, never null.
pub fn condition(cond: &Cond) -> PExpr {
    match cond {
        Cond::Const(b) => lit(*b),
        Cond::Not(inner) => condition(inner).not(),
        Cond::And(a, b) => condition(a).and(condition(b)),
        Cond::Or(a, b) => condition(a).or(condition(b)),
        Cond::Holds(b) => boolean(b).fill_null(lit(false)),
        Cond::Compare(op, operands) => compare(*op, operands).fill_null(lit(false)),
        Cond::InSet(set) => in_set(set).fill_null(lit(false)),
        Cond::Present(value) => self::value(value).is_not_null(),
        Cond::IsNull { value, negated } => {
            let value = self::value(value);
            if *negated {
                value.is_not_null()
            } else {
                value.is_null()
            }
        }
        Cond::ListHasAny { list, items } => col(item_column(&column_name(list), items)),
        Cond::Contains { text, needles } if needles.len() > FEW_NEEDLES => (needles
            .chunks(NEEDLES_PER_PATTERN))
        .map(|chunk| {
            self::text(text)
                .str()
                .contains(lit(any_of(chunk)), true)
                .fill_null(lit(false))
        })
        .reduce(PExpr::or)
        .unwrap_or_else(|| lit(false)),
        Cond::Contains { text, needles } => (needles.iter())
            .map(|needle| {
                self::text(text)
                    .str()
                    .contains_literal(lit(needle.clone()))
                    .fill_null(lit(false))
            })
            .reduce(PExpr::or)
            .unwrap_or_else(|| lit(false)),
    }
}

/// Up to this many substrings are searched one by one; more are searched
/// as patterns of alternatives, so that a `has_any` of 10,000 words is a
/// few searches, not 10,000 `or`s.
const FEW_NEEDLES: usize = 8;
const NEEDLES_PER_PATTERN: usize = 512;

/// A regular expression that finds any of `needles`, each literally.
fn any_of(needles: &[String]) -> String {
    let mut pattern = String::from("(?:");
    for (i, needle) in needles.iter().enumerate() {
        if i > 0 {
            pattern.push('|');
        }
        for c in needle.chars() {
            if "\\.+*?()|[]{}^$#&-~".contains(c) {
                pattern.push('\\');
            }
            pattern.push(c);
        }
    }
    pattern.push(')');
    pattern
}

fn value(value: &Value) -> PExpr {
    match value {
        Value::Number(n) => number(n),
        Value::Text(t) => text(t),
        Value::Date(d) => date(d),
        Value::Bool(b) => boolean(b),
        Value::List(list) => col(column_name(list).as_str()),
    }
}

fn number(n: &Num) -> PExpr {
    match n {
        Num::Lit(n) => lit(*n),
        Num::Missing => lit(NULL).cast(DataType::Float64),
        Num::Column(c) => col(column_name(c).as_str()),
        Num::Neg(inner) => lit(0.0) - number(inner),
        Num::Arith(op, a, b) => {
            let (a, b) = (number(a), number(b));
            match op {
                ArithOp::Add => a + b,
                ArithOp::Sub => a - b,
                ArithOp::Mul => a * b,
                ArithOp::Div => when(b.clone().neq(lit(0.0)))
                    .then(a / b)
                    .otherwise(lit(NULL).cast(DataType::Float64)),
            }
        }
        Num::Parse(t) => text(t).cast(DataType::Float64),
    }
}

fn text(t: &Text) -> PExpr {
    match t {
        Text::Lit(s) => lit(s.clone()),
        // Text columns are lower-cased when the frame is built.
        Text::Folded(c) => col(column_name(c).as_str()),
    }
}

fn date(d: &Date) -> PExpr {
    match d {
        Date::Lit(date) => lit(super::frame::epoch_days(*date)).cast(DataType::Date),
        Date::Column(c) => col(column_name(c).as_str()),
    }
}

fn boolean(b: &Bool) -> PExpr {
    match b {
        Bool::Lit(b) => lit(*b),
        Bool::Column(c) => col(column_name(c).as_str()),
        Bool::Cond(cond) => condition(cond),
    }
}

fn compare(op: CmpOp, operands: &Operands) -> PExpr {
    let (left, right) = match operands {
        Operands::Number(a, b) => (number(a), number(b)),
        Operands::Text(a, b) => (text(a), text(b)),
        Operands::Date(a, b) => (date(a), date(b)),
        Operands::Bool(a, b) => (boolean(a), boolean(b)),
    };
    match op {
        CmpOp::Eq => left.eq(right),
        CmpOp::Ne => left.neq(right),
        CmpOp::Lt => left.lt(right),
        CmpOp::Le => left.lt_eq(right),
        CmpOp::Gt => left.gt(right),
        CmpOp::Ge => left.gt_eq(right),
    }
}

/// A membership test against a literal set: linear in the items.
fn in_set(set: &Set) -> PExpr {
    let (value, items) = match set {
        Set::Number(v, items) => (number(v), Series::new("".into(), items.as_slice())),
        Set::Text(v, items) => (text(v), Series::new("".into(), items.as_slice())),
        Set::Date(v, items) => {
            let days: Vec<i32> = items.iter().map(|d| super::frame::epoch_days(*d)).collect();
            let series = Series::new("".into(), days).cast(&DataType::Date);
            match series {
                Ok(series) => (date(v), series),
                Err(_) => return lit(false),
            }
        }
        Set::Bool(v, items) => (boolean(v), Series::new("".into(), items.as_slice())),
    };
    value.is_in(lit(items).implode(false), false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use polars::prelude::{DataFrame, IntoLazy};
    use proptest::prelude::*;

    /// Whether each text of `texts` contains a needle, by `cond`.
    fn found(texts: &[Option<String>], needles: &[String]) -> Vec<bool> {
        let frame =
            DataFrame::new(texts.len(), vec![Series::new("t".into(), texts).into()]).unwrap();
        let cond = Cond::Contains {
            text: Text::Folded(Column::Signal("t".into())),
            needles: needles.to_vec(),
        };
        let out = frame.lazy().select([condition(&cond)]).collect().unwrap();
        out.columns()[0]
            .bool()
            .unwrap()
            .iter()
            .map(|v| v.unwrap())
            .collect()
    }

    proptest! {
        /// Many needles searched as patterns find what a search for each
        /// needle alone finds, metacharacters and all.
        #[test]
        fn patterns_find_what_each_needle_finds(
            texts in proptest::collection::vec(proptest::option::of("[ab.*()|\\\\$^é -]{0,8}"), 1..20),
            needles in proptest::collection::vec("[ab.*()|\\\\$^é -]{0,3}", FEW_NEEDLES + 1..40),
        ) {
            let each: Vec<bool> = texts
                .iter()
                .map(|t| t.as_ref().is_some_and(|t| needles.iter().any(|n| t.contains(n.as_str()))))
                .collect();
            prop_assert_eq!(found(&texts, &needles), each);
        }
    }
}
