//! From a checked [`Expr`] to the elaborated [`Cond`] (see `typed`): the
//! one place that decides what SPEC.md "Expressions" means — which side is
//! coerced to what, what a missing value does, how `in`, `has` and
//! `has_any` test text, numbers, dates, bools and lists.

use super::ast::{CmpOp, Expr, Literal, Type};
use super::typed::{Bool, Column, Cond, Date, Num, Operands, Set, Text, Value};
use crate::value::{parse_date, parse_number, DecimalMark};

/// Elaborates a checked condition; `column` says where each name's value
/// comes from in the phase it runs in.
pub fn elaborate(expr: &Expr, column: &dyn Fn(&str) -> Column) -> Cond {
    Elaboration { column }.cond(expr)
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

/// A literal as the text a list item or a substring test compares with.
pub fn literal_text(literal: &Literal) -> String {
    match literal {
        Literal::Text(t) => t.clone(),
        Literal::Number(n) => crate::format::number(*n),
        Literal::Bool(b) => b.to_string(),
    }
}

struct Elaboration<'a> {
    column: &'a dyn Fn(&str) -> Column,
}

fn and(a: Cond, b: Cond) -> Cond {
    Cond::And(Box::new(a), Box::new(b))
}

fn or(a: Cond, b: Cond) -> Cond {
    Cond::Or(Box::new(a), Box::new(b))
}

/// Any of `parts`; false when there are none.
fn any(parts: Vec<Cond>) -> Cond {
    parts.into_iter().reduce(or).unwrap_or(Cond::Const(false))
}

impl Elaboration<'_> {
    fn cond(&self, expr: &Expr) -> Cond {
        match expr {
            Expr::Literal(Literal::Bool(b), _) => Cond::Const(*b),
            Expr::Not(inner) => Cond::Not(Box::new(self.cond(inner))),
            Expr::And(a, b) => and(self.cond(a), self.cond(b)),
            Expr::Or(a, b) => or(self.cond(a), self.cond(b)),
            Expr::Compare(op, a, b) => self.compare(*op, a, b),
            Expr::InList {
                expr,
                list,
                negated,
            } => {
                let held = self.in_list(expr, list);
                if *negated {
                    // A comparison with a missing value is false, `not in`
                    // included.
                    and(Cond::Present(self.value(expr)), Cond::Not(Box::new(held)))
                } else {
                    held
                }
            }
            Expr::Has(e, item) => self.has(e, std::slice::from_ref(item)),
            Expr::HasAny(e, items) => self.has(e, items),
            Expr::IsNull { expr, negated } => Cond::IsNull {
                value: self.value(expr),
                negated: *negated,
            },
            // A bare bool field or signal is true only when it is true.
            other => Cond::Holds(self.boolean(other)),
        }
    }

    fn column(&self, expr: &Expr) -> Option<Column> {
        match expr {
            Expr::Field(ident) => Some((self.column)(&ident.name)),
            _ => None,
        }
    }

    fn value(&self, expr: &Expr) -> Value {
        match type_of(expr) {
            Type::Number => Value::Number(self.number(expr)),
            Type::Text => Value::Text(self.text(expr)),
            Type::Date => match self.date(expr) {
                Some(date) => Value::Date(date),
                None => Value::Number(Num::Missing),
            },
            Type::Bool => Value::Bool(self.boolean(expr)),
            Type::List => match self.column(expr) {
                Some(column) => Value::List(column),
                None => Value::Number(Num::Missing),
            },
        }
    }

    /// A side read as a number: a text literal leniently (as the exports'
    /// cells are), a text column as a plain number.
    fn number(&self, expr: &Expr) -> Num {
        match expr {
            Expr::Literal(Literal::Number(n), _) => Num::Lit(*n),
            Expr::Literal(Literal::Text(t), _) => {
                parse_number(t, DecimalMark::Dot).map_or(Num::Missing, Num::Lit)
            }
            Expr::Literal(Literal::Bool(_), _) => Num::Missing,
            Expr::Neg(inner) => Num::Neg(Box::new(self.number(inner))),
            Expr::Arith(op, a, b) => {
                Num::Arith(*op, Box::new(self.number(a)), Box::new(self.number(b)))
            }
            Expr::Field(ident) => {
                let column = (self.column)(&ident.name);
                match ident.ty {
                    Some(Type::Text) => Num::Parse(Box::new(Text::Folded(column))),
                    _ => Num::Column(column),
                }
            }
            _ => Num::Missing,
        }
    }

    /// Text, lower-cased for a case-insensitive comparison.
    fn text(&self, expr: &Expr) -> Text {
        match expr {
            Expr::Literal(lit, _) => Text::Lit(literal_text(lit).to_lowercase()),
            other => match self.column(other) {
                Some(column) => Text::Folded(column),
                None => Text::Lit(String::new()),
            },
        }
    }

    /// A date column, or an ISO date literal (the checker allows no other).
    fn date(&self, expr: &Expr) -> Option<Date> {
        match expr {
            Expr::Literal(Literal::Text(t), _) => parse_date(t, None).map(Date::Lit),
            other => self.column(other).map(Date::Column),
        }
    }

    fn boolean(&self, expr: &Expr) -> Bool {
        match expr {
            Expr::Literal(Literal::Bool(b), _) => Bool::Lit(*b),
            Expr::Field(_) => Bool::Column(self.column(expr).unwrap_or(Column::Domain)),
            other => Bool::Cond(Box::new(self.cond(other))),
        }
    }

    fn compare(&self, op: CmpOp, a: &Expr, b: &Expr) -> Cond {
        let operands = match (type_of(a), type_of(b)) {
            (Type::Text, Type::Text) => Operands::Text(self.text(a), self.text(b)),
            (Type::Number, _) | (_, Type::Number) => {
                Operands::Number(self.number(a), self.number(b))
            }
            (Type::Date, _) | (_, Type::Date) => match (self.date(a), self.date(b)) {
                (Some(a), Some(b)) => Operands::Date(a, b),
                _ => return Cond::Const(false),
            },
            _ => Operands::Bool(self.boolean(a), self.boolean(b)),
        };
        Cond::Compare(op, operands)
    }

    /// `expr in items`: a list holds one of them; any other value equals
    /// one, each item compared as `expr == item` would compare it.
    fn in_list(&self, expr: &Expr, items: &[Literal]) -> Cond {
        let ty = type_of(expr);
        if ty == Type::List {
            return self.list_has_any(expr, items);
        }
        let (mut texts, mut numbers, mut dates, mut bools) = (vec![], vec![], vec![], vec![]);
        for item in items {
            match (ty, item) {
                (Type::Text, Literal::Text(t)) => texts.push(t.to_lowercase()),
                (Type::Text | Type::Number, Literal::Number(n)) => numbers.push(*n),
                (Type::Number, Literal::Text(t)) => {
                    // Text that is no number can never equal one.
                    numbers.extend(parse_number(t, DecimalMark::Dot));
                }
                (Type::Date, Literal::Text(t)) => dates.extend(parse_date(t, None)),
                (Type::Bool, Literal::Bool(b)) => bools.push(*b),
                _ => {}
            }
        }
        let mut sets = Vec::new();
        if !texts.is_empty() {
            sets.push(Cond::InSet(Set::Text(self.text(expr), texts)));
        }
        if !numbers.is_empty() {
            sets.push(Cond::InSet(Set::Number(self.number(expr), numbers)));
        }
        if let (false, Some(date)) = (dates.is_empty(), self.date(expr)) {
            sets.push(Cond::InSet(Set::Date(date, dates)));
        }
        if !bools.is_empty() {
            sets.push(Cond::InSet(Set::Bool(self.boolean(expr), bools)));
        }
        any(sets)
    }

    fn list_has_any(&self, expr: &Expr, items: &[Literal]) -> Cond {
        match self.column(expr) {
            Some(list) if !items.is_empty() => Cond::ListHasAny {
                list,
                items: items
                    .iter()
                    .map(|item| literal_text(item).to_lowercase())
                    .collect(),
            },
            _ => Cond::Const(false),
        }
    }

    /// `has`/`has_any`: an item of a list, a substring of text.
    fn has(&self, expr: &Expr, items: &[Literal]) -> Cond {
        if type_of(expr) == Type::List {
            return self.list_has_any(expr, items);
        }
        if items.is_empty() {
            return Cond::Const(false);
        }
        Cond::Contains {
            text: self.text(expr),
            needles: items
                .iter()
                .map(|item| literal_text(item).to_lowercase())
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::{compile_condition, Scope};

    fn elaborated(src: &str) -> Cond {
        use Type::*;
        let scope = Scope::new([
            ("employees", Number),
            ("industry", Text),
            ("is_customer", Bool),
            ("customer_since", Date),
            ("technologies", List),
            ("fit", Number),
        ]);
        let expr = compile_condition(src, &scope).expect("a valid condition");
        elaborate(&expr, &|name| match name {
            "fit" => Column::Signal(name.to_string()),
            _ => Column::Field(name.to_string()),
        })
    }

    fn field(name: &str) -> Column {
        Column::Field(name.to_string())
    }

    #[test]
    fn coercions_are_explicit() {
        // A text literal against a number is read leniently, here.
        assert_eq!(
            elaborated("employees > '1,200'"),
            Cond::Compare(
                CmpOp::Gt,
                Operands::Number(Num::Column(field("employees")), Num::Lit(1200.0))
            )
        );
        // A text column against a number is parsed by the backend.
        assert_eq!(
            elaborated("industry < 5"),
            Cond::Compare(
                CmpOp::Lt,
                Operands::Number(
                    Num::Parse(Box::new(Text::Folded(field("industry")))),
                    Num::Lit(5.0)
                )
            )
        );
        // Text compares lower-cased; signals are told from fields.
        assert_eq!(
            elaborated("industry == 'SaaS' and fit >= 70"),
            Cond::And(
                Box::new(Cond::Compare(
                    CmpOp::Eq,
                    Operands::Text(Text::Folded(field("industry")), Text::Lit("saas".into()))
                )),
                Box::new(Cond::Compare(
                    CmpOp::Ge,
                    Operands::Number(Num::Column(Column::Signal("fit".into())), Num::Lit(70.0))
                ))
            )
        );
        let date = chrono::NaiveDate::from_ymd_opt(2024, 1, 31).unwrap();
        assert_eq!(
            elaborated("'2024-01-31' < customer_since"),
            Cond::Compare(
                CmpOp::Lt,
                Operands::Date(Date::Lit(date), Date::Column(field("customer_since")))
            )
        );
        assert_eq!(
            elaborated("is_customer"),
            Cond::Holds(Bool::Column(field("is_customer")))
        );
    }

    #[test]
    fn sets_lists_and_missing_values() {
        // One set per kind of comparison; text items that are no number
        // never match a number.
        assert_eq!(
            elaborated("industry in ['Software', 7] and employees in [1, '2', 'x']"),
            Cond::And(
                Box::new(Cond::Or(
                    Box::new(Cond::InSet(Set::Text(
                        Text::Folded(field("industry")),
                        vec!["software".into()]
                    ))),
                    Box::new(Cond::InSet(Set::Number(
                        Num::Parse(Box::new(Text::Folded(field("industry")))),
                        vec![7.0]
                    )))
                )),
                Box::new(Cond::InSet(Set::Number(
                    Num::Column(field("employees")),
                    vec![1.0, 2.0]
                )))
            )
        );
        // `not in` needs the value present.
        assert_eq!(
            elaborated("employees not in [5]"),
            Cond::And(
                Box::new(Cond::Present(Value::Number(Num::Column(field(
                    "employees"
                ))))),
                Box::new(Cond::Not(Box::new(Cond::InSet(Set::Number(
                    Num::Column(field("employees")),
                    vec![5.0]
                )))))
            )
        );
        let list = Cond::ListHasAny {
            list: field("technologies"),
            items: vec!["marketo".into(), "5".into()],
        };
        assert_eq!(elaborated("technologies has_any ['Marketo', 5]"), list);
        assert_eq!(elaborated("technologies in ['Marketo', 5]"), list);
        assert_eq!(
            elaborated("industry has_any ['Soft', 'WARE']"),
            Cond::Contains {
                text: Text::Folded(field("industry")),
                needles: vec!["soft".into(), "ware".into()]
            }
        );
        assert_eq!(elaborated("industry in []"), Cond::Const(false));
        assert_eq!(elaborated("technologies has_any []"), Cond::Const(false));
    }
}
