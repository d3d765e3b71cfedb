//! Lowering a checked expression to a polars expression over the accounts
//! frame.
//!
//! The frame's conventions (built by `engine::frame`): numbers are Float64,
//! text is String, trimmed, empty as null, and lower-cased: every text
//! comparison ignores case, so fields and signals alike are lower-cased once
//! when the frame is built, never per comparison. Dates are Date,
//! bools Boolean. A list is null when it has no item, and each item a
//! condition tests (see [`tested_items`]) has a Boolean column of its own
//! ([`item_column`]): an item test is then a column read, not a search
//! through a million strings. Two-valued logic: every comparison with a
//! null is false, so each comparison is filled with `false`, and `not` of a
//! filled value is plain negation. Arithmetic with a missing operand is
//! missing, and so is a division by zero.

use polars::prelude::{col, lit, DataType, Expr as PExpr, NULL};

use super::ast::{ArithOp, CmpOp, Expr, Literal};
use super::Type;
use crate::value::{parse_date, parse_number, DecimalMark};

/// Separates a list's name from the item in an item column's name, and the
/// items of a list ranked on (`engine::frame`).
pub const LIST_SEP: char = '\u{1f}';

/// The frame column saying whether list `column` holds `item` (lower-cased,
/// as [`tested_items`] gives it).
pub fn item_column(column: &str, item: &str) -> String {
    format!("{column}{LIST_SEP}{item}")
}

/// The list items `expr` tests (`has`, `has_any`, `in`), lower-cased, with
/// the name of the list, in source order (repeats included).
pub fn tested_items(expr: &Expr) -> Vec<(&str, String)> {
    let mut out = Vec::new();
    collect_tested_items(expr, &mut out);
    out
}

fn collect_tested_items<'a>(expr: &'a Expr, out: &mut Vec<(&'a str, String)>) {
    let mut tests = |list: &'a Expr, items: &[Literal]| {
        if let Expr::Field(ident) = list {
            if type_of(list) == Type::List {
                out.extend(
                    items
                        .iter()
                        .map(|item| (ident.name.as_str(), item_text(item))),
                );
            }
        }
    };
    match expr {
        Expr::Literal(..) | Expr::Field(_) => {}
        Expr::Has(list, item) => tests(list, std::slice::from_ref(item)),
        Expr::HasAny(list, items) => tests(list, items),
        Expr::InList { expr, list, .. } => tests(expr, list),
        Expr::Neg(e) | Expr::Not(e) | Expr::IsNull { expr: e, .. } => collect_tested_items(e, out),
        Expr::Arith(_, l, r) | Expr::Compare(_, l, r) | Expr::And(l, r) | Expr::Or(l, r) => {
            collect_tested_items(l, out);
            collect_tested_items(r, out);
        }
    }
}

/// A literal as the lower-cased item a list test looks for.
fn item_text(literal: &Literal) -> String {
    literal_text(literal).to_lowercase()
}

/// Lowers a condition; `column` names the frame column for an identifier.
pub fn lower_condition(expr: &Expr, column: &dyn Fn(&str) -> String) -> PExpr {
    Lowering { column }.condition(expr)
}

struct Lowering<'a> {
    column: &'a dyn Fn(&str) -> String,
}

/// The type of a checked expression.
pub fn type_of(expr: &Expr) -> Type {
    match expr {
        Expr::Literal(Literal::Number(_), _) | Expr::Neg(_) | Expr::Arith(..) => Type::Number,
        Expr::Literal(Literal::Text(_), _) => Type::Text,
        Expr::Literal(Literal::Bool(_), _) => Type::Bool,
        Expr::Field(ident) => ident.ty.unwrap_or(Type::Text),
        _ => Type::Bool,
    }
}

fn date_literal(text: &str) -> PExpr {
    match parse_date(text, None) {
        Some(date) => {
            let days = (date - chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default())
                .num_days() as i32;
            lit(days).cast(DataType::Date)
        }
        None => lit(NULL).cast(DataType::Date),
    }
}

impl Lowering<'_> {
    /// A boolean expression with nulls made false.
    fn condition(&self, expr: &Expr) -> PExpr {
        match expr {
            Expr::Not(inner) => self.condition(inner).not(),
            Expr::And(a, b) => self.condition(a).and(self.condition(b)),
            Expr::Or(a, b) => self.condition(a).or(self.condition(b)),
            Expr::Compare(op, a, b) => self.compare(*op, a, b).fill_null(lit(false)),
            Expr::InList {
                expr,
                list,
                negated,
            } => self.in_list(expr, list, *negated),
            Expr::Has(expr, item) => self.has(expr, item).fill_null(lit(false)),
            Expr::HasAny(expr, items) => self.any(
                items
                    .iter()
                    .map(|item| self.has(expr, item).fill_null(lit(false))),
            ),
            Expr::IsNull { expr, negated } => {
                let value = self.value(expr);
                if *negated {
                    value.is_not_null()
                } else {
                    value.is_null()
                }
            }
            other => self.value(other).fill_null(lit(false)),
        }
    }

    fn any(&self, parts: impl Iterator<Item = PExpr>) -> PExpr {
        parts.reduce(PExpr::or).unwrap_or_else(|| lit(false))
    }

    /// A value: number, text, bool, date or list matcher.
    fn value(&self, expr: &Expr) -> PExpr {
        match expr {
            Expr::Literal(Literal::Number(n), _) => lit(*n),
            Expr::Literal(Literal::Text(t), _) => lit(t.clone()),
            Expr::Literal(Literal::Bool(b), _) => lit(*b),
            Expr::Field(ident) => col((self.column)(&ident.name).as_str()),
            Expr::Neg(inner) => lit(0.0) - self.value(inner),
            Expr::Arith(op, a, b) => {
                let (a, b) = (self.value(a), self.value(b));
                match op {
                    ArithOp::Add => a + b,
                    ArithOp::Sub => a - b,
                    ArithOp::Mul => a * b,
                    // A division by zero is missing, never infinity: a
                    // company without headcount has no revenue per head.
                    ArithOp::Div => polars::prelude::when(b.clone().neq(lit(0.0)))
                        .then(a / b)
                        .otherwise(lit(NULL).cast(DataType::Float64)),
                }
            }
            other => self.condition(other),
        }
    }

    /// Text lower-cased, for case-insensitive comparison (frame columns
    /// already are).
    fn text(&self, expr: &Expr) -> PExpr {
        match expr {
            Expr::Literal(Literal::Text(t), _) => lit(t.to_lowercase()),
            Expr::Field(_) => self.value(expr),
            other => self.value(other).str().to_lowercase(),
        }
    }

    /// A side as a number: text parses leniently (a literal) or by cast.
    fn number(&self, expr: &Expr) -> PExpr {
        match (expr, type_of(expr)) {
            (Expr::Literal(Literal::Text(t), _), _) => match parse_number(t, DecimalMark::Dot) {
                Some(n) => lit(n),
                None => lit(NULL).cast(DataType::Float64),
            },
            (_, Type::Text) => self.value(expr).cast(DataType::Float64),
            _ => self.value(expr),
        }
    }

    fn compare(&self, op: CmpOp, a: &Expr, b: &Expr) -> PExpr {
        let (ta, tb) = (type_of(a), type_of(b));
        let (left, right) = match (ta, tb) {
            (Type::Text, Type::Text) => (self.text(a), self.text(b)),
            (Type::Number, _) | (_, Type::Number) => (self.number(a), self.number(b)),
            (Type::Date, Type::Text) => (self.value(a), self.date_side(b)),
            (Type::Text, Type::Date) => (self.date_side(a), self.value(b)),
            _ => (self.value(a), self.value(b)),
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

    fn date_side(&self, expr: &Expr) -> PExpr {
        match expr {
            Expr::Literal(Literal::Text(t), _) => date_literal(t),
            other => self.value(other).cast(DataType::Date),
        }
    }

    /// `x in [...]`: any item equal; `not in` also needs x present.
    fn in_list(&self, expr: &Expr, list: &[Literal], negated: bool) -> PExpr {
        let ty = type_of(expr);
        let held = if ty == Type::List {
            self.any(list.iter().map(|item| self.list_has(expr, item)))
        } else {
            self.any(list.iter().map(|item| {
                let item = Expr::Literal(item.clone(), Default::default());
                self.compare(CmpOp::Eq, expr, &item).fill_null(lit(false))
            }))
        };
        if negated {
            self.value(expr).is_not_null().and(held.not())
        } else {
            held
        }
    }

    fn has(&self, expr: &Expr, item: &Literal) -> PExpr {
        if type_of(expr) == Type::List {
            return self.list_has(expr, item);
        }
        self.text(expr)
            .str()
            .contains_literal(lit(literal_text(item).to_lowercase()))
    }

    fn list_has(&self, expr: &Expr, item: &Literal) -> PExpr {
        match expr {
            Expr::Field(ident) => col(item_column(&(self.column)(&ident.name), &item_text(item))),
            // Only fields and signals are lists.
            _ => lit(false),
        }
    }
}

/// A literal as the text a list item or substring test compares with.
fn literal_text(literal: &Literal) -> String {
    match literal {
        Literal::Text(t) => t.clone(),
        Literal::Number(n) => crate::format::number(*n),
        Literal::Bool(b) => b.to_string(),
    }
}
