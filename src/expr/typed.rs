//! The elaborated tree: a checked `when` with every decision of SPEC.md
//! "Expressions" made explicit, so that a backend (the polars engine, the
//! SQL emitter) only translates node by node and never decides anything.
//!
//! What the nodes make explicit:
//! - **where a name's value comes from**: a raw field, a computed signal or
//!   the domain ([`Column`]), resolved for the phase the `when` runs in;
//! - **case folding**: text compares and searches lower-cased; a text
//!   literal is lower-cased here, a text column is [`Text::Folded`];
//! - **coercions**: a text literal against a number is read leniently here
//!   ([`Num::Lit`] or [`Num::Missing`]); a text column against a number is
//!   [`Num::Parse`] (a plain number, else missing); an ISO date literal is a
//!   [`Date::Lit`];
//! - **missing values**: every comparison, set membership and search is
//!   false when a side is missing; `not in` is [`Cond::Present`] and not
//!   [`Cond::InSet`]; a bare bool is [`Cond::Holds`], true only when true;
//!   arithmetic with a missing operand is missing, and so is a division by
//!   zero ([`Num::Arith`] with [`ArithOp::Div`]);
//! - **sets and list items**: `x in [...]` is one [`Cond::InSet`] per kind
//!   of comparison (text, number, date, bool), a linear membership test; a
//!   list's `in`, `has` and `has_any` are [`Cond::ListHasAny`] over its
//!   lower-cased items; text `has`/`has_any` is [`Cond::Contains`].
//!
//! A [`Cond`] is never missing itself: it is true or false.

use std::fmt;

use chrono::NaiveDate;

use super::ast::{ArithOp, CmpOp};

/// Where a value comes from.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    /// The account's normalised key.
    Domain,
    /// A raw field of the account inputs.
    Field(String),
    /// A signal `tal` computes (`fit`, `intent`, `tier`...).
    Signal(String),
}

impl Column {
    /// The name as the user wrote it.
    pub fn name(&self) -> &str {
        match self {
            Column::Domain => "domain",
            Column::Field(name) | Column::Signal(name) => name,
        }
    }
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A condition: true or false, never missing.
#[derive(Clone, Debug, PartialEq)]
pub enum Cond {
    Const(bool),
    Not(Box<Cond>),
    And(Box<Cond>, Box<Cond>),
    Or(Box<Cond>, Box<Cond>),
    /// A bool value that holds only when it is true (missing: false).
    Holds(Bool),
    /// A comparison of two values of one kind; false when either is missing.
    Compare(CmpOp, Operands),
    /// The value equals one of the items; false when it is missing.
    InSet(Set),
    /// The value is present (the other half of `not in`).
    Present(Value),
    /// The list holds one of the lower-cased items.
    ListHasAny {
        list: Column,
        items: Vec<String>,
    },
    /// The folded text contains one of the lower-cased needles.
    Contains {
        text: Text,
        needles: Vec<String>,
    },
    /// The value is missing (`negated`: present).
    IsNull {
        value: Value,
        negated: bool,
    },
}

/// Two sides of a comparison, of the same kind.
#[derive(Clone, Debug, PartialEq)]
pub enum Operands {
    Number(Num, Num),
    Text(Text, Text),
    Date(Date, Date),
    Bool(Bool, Bool),
}

/// `value in [items]` for one kind of comparison.
#[derive(Clone, Debug, PartialEq)]
pub enum Set {
    Number(Num, Vec<f64>),
    /// Items lower-cased.
    Text(Text, Vec<String>),
    Date(Date, Vec<NaiveDate>),
    Bool(Bool, Vec<bool>),
}

/// Any value, for `is null` and `not in`.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Number(Num),
    Text(Text),
    Date(Date),
    Bool(Bool),
    /// A list column: missing when it has no item.
    List(Column),
}

/// A number.
#[derive(Clone, Debug, PartialEq)]
pub enum Num {
    Lit(f64),
    Missing,
    Column(Column),
    Neg(Box<Num>),
    /// Missing when an operand is; a division by zero is missing too.
    Arith(ArithOp, Box<Num>, Box<Num>),
    /// Text read as a plain number (`1234`, `-5.5`); missing otherwise.
    Parse(Box<Text>),
}

/// Text, compared case-insensitively.
#[derive(Clone, Debug, PartialEq)]
pub enum Text {
    /// Already lower-cased.
    Lit(String),
    /// A text column, lower-cased by the backend.
    Folded(Column),
}

/// A date.
#[derive(Clone, Debug, PartialEq)]
pub enum Date {
    Lit(NaiveDate),
    Column(Column),
}

/// A bool.
#[derive(Clone, Debug, PartialEq)]
pub enum Bool {
    Lit(bool),
    /// Missing when the field has no value.
    Column(Column),
    /// A condition used as a value: never missing.
    Cond(Box<Cond>),
}

impl Cond {
    /// Every column the condition reads, in source order (repeats included).
    pub fn columns(&self) -> Vec<&Column> {
        let mut out = Vec::new();
        self.visit_columns(&mut |c| out.push(c));
        out
    }

    /// The items each list column is tested for, in source order.
    pub fn list_items(&self) -> Vec<(&Column, &[String])> {
        let mut out = Vec::new();
        self.visit(&mut |cond| {
            if let Cond::ListHasAny { list, items } = cond {
                out.push((list, items.as_slice()));
            }
        });
        out
    }

    /// Calls `f` on this condition and every condition inside it.
    fn visit<'a>(&'a self, f: &mut dyn FnMut(&'a Cond)) {
        f(self);
        match self {
            Cond::Not(c) => c.visit(f),
            Cond::And(a, b) | Cond::Or(a, b) => {
                a.visit(f);
                b.visit(f);
            }
            Cond::Holds(b) => b.visit(f),
            Cond::Compare(_, Operands::Bool(a, b)) => {
                a.visit(f);
                b.visit(f);
            }
            Cond::InSet(Set::Bool(b, _)) => b.visit(f),
            Cond::Present(Value::Bool(b))
            | Cond::IsNull {
                value: Value::Bool(b),
                ..
            } => b.visit(f),
            _ => {}
        }
    }

    fn visit_columns<'a>(&'a self, f: &mut dyn FnMut(&'a Column)) {
        match self {
            Cond::Const(_) => {}
            Cond::Not(c) => c.visit_columns(f),
            Cond::And(a, b) | Cond::Or(a, b) => {
                a.visit_columns(f);
                b.visit_columns(f);
            }
            Cond::Holds(b) => b.visit_columns(f),
            Cond::Compare(_, operands) => match operands {
                Operands::Number(a, b) => {
                    a.visit_columns(f);
                    b.visit_columns(f);
                }
                Operands::Text(a, b) => {
                    a.visit_columns(f);
                    b.visit_columns(f);
                }
                Operands::Date(a, b) => {
                    a.visit_columns(f);
                    b.visit_columns(f);
                }
                Operands::Bool(a, b) => {
                    a.visit_columns(f);
                    b.visit_columns(f);
                }
            },
            Cond::InSet(set) => match set {
                Set::Number(v, _) => v.visit_columns(f),
                Set::Text(v, _) => v.visit_columns(f),
                Set::Date(v, _) => v.visit_columns(f),
                Set::Bool(v, _) => v.visit_columns(f),
            },
            Cond::Present(value) | Cond::IsNull { value, .. } => value.visit_columns(f),
            Cond::ListHasAny { list, .. } => f(list),
            Cond::Contains { text, .. } => text.visit_columns(f),
        }
    }
}

impl Value {
    fn visit_columns<'a>(&'a self, f: &mut dyn FnMut(&'a Column)) {
        match self {
            Value::Number(v) => v.visit_columns(f),
            Value::Text(v) => v.visit_columns(f),
            Value::Date(v) => v.visit_columns(f),
            Value::Bool(v) => v.visit_columns(f),
            Value::List(c) => f(c),
        }
    }
}

impl Num {
    fn visit_columns<'a>(&'a self, f: &mut dyn FnMut(&'a Column)) {
        match self {
            Num::Lit(_) | Num::Missing => {}
            Num::Column(c) => f(c),
            Num::Neg(n) => n.visit_columns(f),
            Num::Arith(_, a, b) => {
                a.visit_columns(f);
                b.visit_columns(f);
            }
            Num::Parse(t) => t.visit_columns(f),
        }
    }
}

impl Text {
    fn visit_columns<'a>(&'a self, f: &mut dyn FnMut(&'a Column)) {
        if let Text::Folded(c) = self {
            f(c);
        }
    }
}

impl Date {
    fn visit_columns<'a>(&'a self, f: &mut dyn FnMut(&'a Column)) {
        if let Date::Column(c) = self {
            f(c);
        }
    }
}

impl Bool {
    fn visit<'a>(&'a self, f: &mut dyn FnMut(&'a Cond)) {
        if let Bool::Cond(c) = self {
            c.visit(f);
        }
    }

    fn visit_columns<'a>(&'a self, f: &mut dyn FnMut(&'a Column)) {
        match self {
            Bool::Lit(_) => {}
            Bool::Column(c) => f(c),
            Bool::Cond(c) => c.visit_columns(f),
        }
    }
}
