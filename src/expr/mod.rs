//! The expression language used in every `when` of a spec (SPEC.md
//! "Expressions"): [`parse`] turns source into an [`Expr`], [`check`] and
//! [`check_condition`] type it against a [`Scope`] of fields and signals,
//! [`elaborate`] makes every coercion and null rule explicit in a [`Cond`]
//! (`typed`), which each backend translates, and `Display` prints a tree
//! back to source. Errors carry the 1-based line and
//! column of the offending token and print as `line:col: message`; the caller
//! prefixes the spec key (`tiers[1].when: 1:14: unknown field ...`).
//!
//! Choices where SPEC.md is silent: strings escape only `\'`, `\"` and `\\`
//! (another backslash is an error); numbers are `5`, `5.5`, `.5`, `1e6`, with
//! no `_` or `,`; `-` right before a number is part of the literal; a list may
//! end with a comma; names match the scope exactly (case-sensitively), and an
//! unknown one gets a case-insensitive "did you mean"; a date compares only
//! with a date or a `"YYYY-MM-DD"` literal; `has`/`has_any` need text or a
//! list; an expression holds at most 256 operators and 64 nested levels.

mod ast;
mod check;
mod elaborate;
mod lexer;
mod parser;
pub mod typed;

use std::fmt;

pub use ast::{idents, ArithOp, CmpOp, Expr, Ident, Literal, Pos, Type};
pub use check::{check, check_condition, is_iso_date, Scope};
pub use elaborate::{elaborate, literal_text, type_of};
pub use parser::parse;
pub use typed::{Column, Cond};

/// A parse or type error at a position in the expression's source.
#[derive(Clone, Debug, PartialEq)]
pub struct ExprError {
    pub pos: Pos,
    pub message: String,
}

impl fmt::Display for ExprError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.pos.line, self.pos.col, self.message)
    }
}

impl std::error::Error for ExprError {}

/// Parses a `when` and type-checks it as a condition in `scope`.
pub fn compile_condition(src: &str, scope: &Scope) -> Result<Expr, ExprError> {
    let mut expr = parse(src)?;
    check_condition(&mut expr, scope)?;
    Ok(expr)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn scope() -> Scope {
        use Type::*;
        Scope::new([
            ("employees", Number),
            ("industry", Text),
            ("acv_band", Text),
            ("owner", Text),
            ("is_customer", Bool),
            ("high_fit", Bool),
            ("intent", Bool),
            ("customer_since", Date),
            ("technologies", List),
        ])
    }

    /// `> source` (newlines shown as `\n`), its error indented below.
    fn errors(sources: &[&str]) -> String {
        let mut out = String::new();
        for src in sources {
            let err = match compile_condition(src, &scope()) {
                Ok(e) => format!("no error: {e}"),
                Err(e) => e.to_string(),
            };
            let shown = format!("> {}", src.replace('\n', "\\n"));
            out += &format!("{}\n    {err}\n", shown.trim_end());
        }
        out
    }

    #[test]
    fn syntax_errors() {
        insta::assert_snapshot!(errors(&[
            "",
            r#"industry == "Software"#,
            r#"industry in ["a", "b""#,
            r#"industry in ["a" "b"]"#,
            "industry in [Software]",
            r#"industry in "Software""#,
            "employees >=",
            "high_fit and",
            "high_fit and or intent",
            "high_fit intent",
            "1 < employees < 5",
            "employees > 1 is null",
            "(high_fit or intent",
            "(high_fit or intent employees",
            r#"industry = "Software""#,
            "owner == null",
            "employees is 5",
            "employees > 1_000",
            "high_fit && intent",
            "a ) b",
        ]), @r#"
        >
            1:1: empty expression
        > industry == "Software
            1:13: unterminated string
        > industry in ["a", "b"
            1:22: expected ']' to close the list
        > industry in ["a" "b"]
            1:18: expected ',' or ']' in the list, found '"b"'
        > industry in [Software]
            1:14: expected a list item (text, a number, true or false) after '[', found 'Software'; write text in quotes: "Software"
        > industry in "Software"
            1:13: expected a list like ["a", "b"] after 'in', found '"Software"'
        > employees >=
            1:13: expected a value after '>='
        > high_fit and
            1:13: expected a value after 'and'
        > high_fit and or intent
            1:14: expected a value after 'and', found 'or'
        > high_fit intent
            1:10: unexpected 'intent' after the end of the expression
        > 1 < employees < 5
            1:15: comparisons cannot be chained: '<' follows a comparison; join them with 'and'
        > employees > 1 is null
            1:15: comparisons cannot be chained: 'is' follows a comparison; join them with 'and'
        > (high_fit or intent
            1:20: expected ')' to close the '(' at 1:1
        > (high_fit or intent employees
            1:21: expected ')' to close the '(' at 1:1, found 'employees'
        > industry = "Software"
            1:10: unexpected character '=' (compare with '==')
        > owner == null
            1:10: 'null' is not a value; test for a missing value with 'is null'
        > employees is 5
            1:14: expected 'null' or 'not null' after 'is', found '5'
        > employees > 1_000
            1:13: invalid number '1_000'
        > high_fit && intent
            1:10: unexpected character '&' (write 'and')
        > a ) b
            1:3: unexpected ')' after the end of the expression
        "#);
    }

    #[test]
    fn type_errors() {
        insta::assert_snapshot!(errors(&[
            r#"high_fit and acv_bnd == "large""#,
            "high_fit and\n  acv_bnd == 'x'",
            "Employees > 5",
            "foo > 1",
            "industry + 1 > 2",
            "-owner < 0",
            "employees",
            "high_fit and employees",
            "not technologies",
            "employees + 1",
            "5",
            r#"technologies == "Marketo""#,
            "employees == true",
            r#"customer_since > "2024-13-01""#,
            "customer_since == industry",
            "customer_since > 5",
            "is_customer > false",
            "employees in [true]",
            "is_customer in ['yes']",
            r#"customer_since in ["2024-02-30"]"#,
            r#"employees has "5""#,
            "technologies has_any [true]",
        ]), @r#"
        > high_fit and acv_bnd == "large"
            1:14: unknown field 'acv_bnd' (did you mean 'acv_band'?)
        > high_fit and\n  acv_bnd == 'x'
            2:3: unknown field 'acv_bnd' (did you mean 'acv_band'?)
        > Employees > 5
            1:1: unknown field 'Employees' (did you mean 'employees'?)
        > foo > 1
            1:1: unknown field 'foo'
        > industry + 1 > 2
            1:1: 'industry' is text; arithmetic needs numbers
        > -owner < 0
            1:2: 'owner' is text; arithmetic needs numbers
        > employees
            1:1: 'employees' is a number, not a condition (compare it, e.g. employees > 0)
        > high_fit and employees
            1:14: 'employees' is a number, not a condition (compare it, e.g. employees > 0)
        > not technologies
            1:5: 'technologies' is a list, not a condition (test it, e.g. technologies has "...")
        > employees + 1
            1:1: 'employees + 1' is a number, not a condition (compare it, e.g. employees + 1 > 0)
        > 5
            1:1: 5 is a number, not a condition
        > technologies == "Marketo"
            1:1: 'technologies' is a list; use has or has_any
        > employees == true
            1:14: cannot compare number with bool
        > customer_since > "2024-13-01"
            1:18: "2024-13-01" is not a date (write dates as "YYYY-MM-DD")
        > customer_since == industry
            1:19: 'industry' is text; a date compares with a date or a literal like "2025-01-31"
        > customer_since > 5
            1:18: cannot compare date with number
        > is_customer > false
            1:1: 'is_customer' is a bool; bools compare only with == or !=
        > employees in [true]
            1:1: 'employees' is a number; it cannot match true
        > is_customer in ['yes']
            1:1: 'is_customer' is a bool; it cannot match "yes"
        > customer_since in ["2024-02-30"]
            1:1: "2024-02-30" is not a date (write dates as "YYYY-MM-DD")
        > employees has "5"
            1:1: 'employees' is a number; has needs text or a list
        > technologies has_any [true]
            1:1: 'technologies' is a list; it cannot match true
        "#);
    }

    /// Fragments that make near-valid expressions, to reach deep into the parser.
    fn soup() -> impl Strategy<Value = String> {
        let frag = prop_oneof![
            Just("and"),
            Just("OR"),
            Just("not"),
            Just("in"),
            Just("has"),
            Just("has_any"),
            Just("is"),
            Just("null"),
            Just("true"),
            Just("("),
            Just(")"),
            Just("["),
            Just("]"),
            Just(","),
            Just("=="),
            Just("<"),
            Just(">="),
            Just("+"),
            Just("-"),
            Just("*"),
            Just("/"),
            Just("employees"),
            Just("industry"),
            Just("technologies"),
            Just("x"),
            Just("`a b`"),
            Just("'t'"),
            Just("\"q\\\"\""),
            Just("5"),
            Just("1.5e3"),
            Just("é"),
            Just("'"),
            Just("`"),
            Just("\n"),
            Just("customer_since"),
            Just("'2024-01-31'"),
        ];
        prop::collection::vec(frag, 0..24).prop_map(|v| v.join(" "))
    }

    proptest! {
        #[test]
        fn arbitrary_text_never_panics(src in any::<String>()) {
            if let Ok(mut e) = parse(&src) {
                let _ = check(&mut e, &scope());
            }
        }

        #[test]
        fn token_soup_never_panics_and_reprints(src in soup()) {
            if let Ok(mut e) = parse(&src) {
                let printed = e.to_string();
                let back = parse(&printed).map_err(|err| TestCaseError::fail(format!("{printed}: {err}")))?;
                prop_assert_eq!(&back, &e, "{}", printed);
                let _ = check(&mut e, &scope());
            }
        }
    }
}
