//! The SQL backend of the elaborated tree ([`Cond`]), node by node: every
//! decision was made by `expr::elaborate`; this writes it in SQL. A
//! condition is wrapped in `COALESCE(..., FALSE)` wherever a missing value
//! could make it unknown, so it is always true or false; text is lower-cased
//! and, where it is ordered, compared by its bytes; a division by zero is
//! NULL (`NULLIF`); a list is its `; `-joined lower-cased items, searched
//! between separators.

use super::dialect::Dialect;
use super::names::Names;
use crate::expr::typed::{Bool, Cond, Date, Num, Operands, Set, Text, Value};
use crate::expr::{ArithOp, CmpOp};

/// Writes conditions for one dialect, columns named by `names`.
pub struct Writer<'a> {
    pub dialect: &'a dyn Dialect,
    pub names: &'a Names,
}

impl Writer<'_> {
    /// A condition: TRUE or FALSE, never NULL.
    pub fn cond(&self, cond: &Cond) -> String {
        match cond {
            Cond::Const(b) => bool_literal(*b).to_string(),
            Cond::Not(inner) => format!("(NOT {})", self.cond(inner)),
            Cond::And(a, b) => format!("({} AND {})", self.cond(a), self.cond(b)),
            Cond::Or(a, b) => format!("({} OR {})", self.cond(a), self.cond(b)),
            Cond::Holds(b) => format!("COALESCE({}, FALSE)", self.boolean(b)),
            Cond::Compare(op, operands) => {
                format!("COALESCE({}, FALSE)", self.compare(*op, operands))
            }
            Cond::InSet(set) => format!("COALESCE({}, FALSE)", self.in_set(set)),
            Cond::Present(value) => format!("({} IS NOT NULL)", self.value(value)),
            Cond::IsNull { value, negated } => {
                let not = if *negated { "NOT " } else { "" };
                format!("({} IS {not}NULL)", self.value(value))
            }
            Cond::ListHasAny { list, items } => {
                let list = format!("('; ' || LOWER({}) || '; ')", self.names.column(list));
                let tests: Vec<String> = (items.iter())
                    .map(|item| {
                        let needle = self.dialect.string(&format!("; {item}; "));
                        self.dialect.contains(&list, &needle)
                    })
                    .collect();
                format!("COALESCE({}, FALSE)", any(&tests))
            }
            Cond::Contains { text, needles } => {
                let text = self.text(text);
                let tests: Vec<String> = (needles.iter())
                    .map(|needle| self.dialect.contains(&text, &self.dialect.string(needle)))
                    .collect();
                format!("COALESCE({}, FALSE)", any(&tests))
            }
        }
    }

    fn value(&self, value: &Value) -> String {
        match value {
            Value::Number(n) => self.number(n),
            Value::Text(t) => self.text(t),
            Value::Date(d) => self.date(d),
            Value::Bool(b) => self.boolean(b),
            Value::List(list) => self.names.column(list),
        }
    }

    pub fn number(&self, n: &Num) -> String {
        match n {
            Num::Lit(n) => number_literal(self.dialect, *n),
            Num::Missing => format!("CAST(NULL AS {})", self.dialect.double()),
            Num::Column(c) => self.names.column(c),
            Num::Neg(inner) => format!("(-{})", self.number(inner)),
            Num::Arith(op, a, b) => {
                let (a, b) = (self.number(a), self.number(b));
                match op {
                    ArithOp::Add => format!("({a} + {b})"),
                    ArithOp::Sub => format!("({a} - {b})"),
                    ArithOp::Mul => format!("({a} * {b})"),
                    ArithOp::Div => format!("({a} / NULLIF({b}, 0))"),
                }
            }
            Num::Parse(t) => self.dialect.to_number(&self.text(t)),
        }
    }

    fn text(&self, t: &Text) -> String {
        match t {
            Text::Lit(s) => self.dialect.string(s),
            Text::Folded(c) => format!("LOWER({})", self.names.column(c)),
        }
    }

    fn date(&self, d: &Date) -> String {
        match d {
            Date::Lit(date) => format!("DATE '{date}'"),
            Date::Column(c) => self.names.column(c),
        }
    }

    fn boolean(&self, b: &Bool) -> String {
        match b {
            Bool::Lit(b) => bool_literal(*b).to_string(),
            Bool::Column(c) => self.names.column(c),
            Bool::Cond(cond) => self.cond(cond),
        }
    }

    fn compare(&self, op: CmpOp, operands: &Operands) -> String {
        let (left, right) = match operands {
            Operands::Number(a, b) => (self.number(a), self.number(b)),
            // Text is ordered by its bytes, whatever the engine's collation.
            Operands::Text(a, b) => (
                self.dialect.bytes(&self.text(a)),
                self.dialect.bytes(&self.text(b)),
            ),
            Operands::Date(a, b) => (self.date(a), self.date(b)),
            Operands::Bool(a, b) => (self.boolean(a), self.boolean(b)),
        };
        let op = match op {
            CmpOp::Eq => "=",
            CmpOp::Ne => "<>",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        };
        format!("({left} {op} {right})")
    }

    fn in_set(&self, set: &Set) -> String {
        let (value, items): (String, Vec<String>) = match set {
            Set::Number(v, items) => (
                self.number(v),
                items
                    .iter()
                    .map(|n| number_literal(self.dialect, *n))
                    .collect(),
            ),
            Set::Text(v, items) => (
                self.dialect.bytes(&self.text(v)),
                items.iter().map(|s| self.dialect.string(s)).collect(),
            ),
            Set::Date(v, items) => (
                self.date(v),
                items.iter().map(|d| format!("DATE '{d}'")).collect(),
            ),
            Set::Bool(v, items) => (
                self.boolean(v),
                items.iter().map(|b| bool_literal(*b).to_string()).collect(),
            ),
        };
        format!("({value} IN ({}))", items.join(", "))
    }
}

/// `a OR b OR ...` (FALSE when empty).
fn any(tests: &[String]) -> String {
    if tests.is_empty() {
        "FALSE".to_string()
    } else {
        format!("({})", tests.join(" OR "))
    }
}

fn bool_literal(b: bool) -> &'static str {
    if b {
        "TRUE"
    } else {
        "FALSE"
    }
}

/// A number as a double literal: the shortest text that reads back as the
/// same double, cast so that no engine takes it for an exact decimal.
pub fn number_literal(dialect: &dyn Dialect, n: f64) -> String {
    if !n.is_finite() {
        return format!("CAST(NULL AS {})", dialect.double());
    }
    // As text: every engine reads '0.5' as exactly this double, while a
    // bare 0.5 is a decimal in Postgres, Spark and Snowflake.
    format!("CAST('{n}' AS {})", dialect.double())
}
