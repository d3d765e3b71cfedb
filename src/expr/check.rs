//! Type checker: resolves every identifier against a [`Scope`] (filling its
//! `ty`) and enforces the typing rules, so that lowerings to polars and SQL
//! never meet an ill-typed tree. The rules are deliberately a little lenient
//! where the data is (text against a number compares numerically, a date
//! against an ISO date literal) and strict where a mistake would silently
//! match nothing (a list compared with `==`, a bool list against a number).

use std::collections::BTreeMap;

use super::ast::{CmpOp, Expr, Ident, Literal, Type};
use super::ExprError;

/// Names in scope and their types: the spec's fields plus the signals
/// available at the point where an expression is used.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    names: BTreeMap<String, Type>,
    /// Names that exist but only later in the pipeline, with why.
    later: BTreeMap<String, String>,
}

impl Scope {
    pub fn new<S: Into<String>>(names: impl IntoIterator<Item = (S, Type)>) -> Self {
        Scope {
            names: names.into_iter().map(|(n, t)| (n.into(), t)).collect(),
            later: BTreeMap::new(),
        }
    }

    /// Adds (or retypes) one name.
    pub fn insert(&mut self, name: impl Into<String>, ty: Type) {
        self.names.insert(name.into(), ty);
    }

    /// Marks names that exist but are not available here, so an error can say
    /// "'tier' is not available here (why)" instead of "unknown field".
    pub fn with_later<S: Into<String>>(
        mut self,
        names: impl IntoIterator<Item = S>,
        why: &str,
    ) -> Self {
        for name in names {
            self.later.insert(name.into(), why.to_string());
        }
        self
    }

    /// The type of `name`; names match exactly (case-sensitively).
    pub fn get(&self, name: &str) -> Option<Type> {
        self.names.get(name).copied()
    }

    /// The names in scope, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.keys().map(String::as_str)
    }
}

/// Type-checks a `when`: like [`check`], and the result must be a condition.
pub fn check_condition(expr: &mut Expr, scope: &Scope) -> Result<(), ExprError> {
    condition(expr, scope)
}

/// Type-checks `expr` in `scope`, filling every identifier's `ty`, and
/// returns the expression's type.
pub fn check(expr: &mut Expr, scope: &Scope) -> Result<Type, ExprError> {
    match expr {
        Expr::Literal(lit, _) => Ok(lit.ty()),
        Expr::Field(id) => {
            let ty = lookup(scope, id)?;
            id.ty = Some(ty);
            Ok(ty)
        }
        Expr::Neg(e) => number(e, scope).map(|()| Type::Number),
        Expr::Arith(_, l, r) => {
            number(l, scope)?;
            number(r, scope).map(|()| Type::Number)
        }
        Expr::Compare(op, l, r) => compare(*op, l, r, scope).map(|()| Type::Bool),
        Expr::InList { expr, list, .. } => {
            let ty = check(expr, scope)?;
            items_fit(expr, ty, list).map(|()| Type::Bool)
        }
        Expr::Has(e, lit) => has(e, std::slice::from_ref(lit), "has", scope),
        Expr::HasAny(e, list) => has(e, list, "has_any", scope),
        Expr::IsNull { expr, .. } => check(expr, scope).map(|_| Type::Bool),
        Expr::Not(e) => condition(e, scope).map(|()| Type::Bool),
        Expr::And(l, r) | Expr::Or(l, r) => {
            condition(l, scope)?;
            condition(r, scope).map(|()| Type::Bool)
        }
    }
}

fn fail<T>(at: &Expr, message: String) -> Result<T, ExprError> {
    Err(ExprError {
        pos: at.pos(),
        message,
    })
}

/// How messages name an operand: `'industry'`, `"abc"`, `'a + b'`.
fn what(e: &Expr) -> String {
    match e {
        Expr::Field(id) => format!("'{}'", id.name),
        Expr::Literal(lit, _) => lit.to_string(),
        _ => format!("'{e}'"),
    }
}

fn lookup(scope: &Scope, id: &Ident) -> Result<Type, ExprError> {
    let name = id.name.as_str();
    if let Some(ty) = scope.get(name) {
        return Ok(ty);
    }
    let message = match scope.later.get(name) {
        Some(why) => format!("'{name}' is not available here ({why})"),
        None => match suggest(name, scope.names()) {
            Some(s) => format!("unknown field '{name}' (did you mean '{s}'?)"),
            None => format!("unknown field '{name}'"),
        },
    };
    Err(ExprError {
        pos: id.pos,
        message,
    })
}

/// The closest name in scope, compared case-insensitively, when it is close
/// enough to be a likely typo (Jaro-Winkler favours shared prefixes, which
/// suits snake_case names like `acv_bnd` → `acv_band`).
fn suggest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let lower = name.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for cand in candidates {
        let score = strsim::jaro_winkler(&lower, &cand.to_lowercase());
        if score >= 0.8 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, cand));
        }
    }
    best.map(|(_, cand)| cand)
}

fn number(e: &mut Expr, scope: &Scope) -> Result<(), ExprError> {
    match check(e, scope)? {
        Type::Number => Ok(()),
        ty => fail(
            e,
            format!("{} is {}; arithmetic needs numbers", what(e), ty.noun()),
        ),
    }
}

fn condition(e: &mut Expr, scope: &Scope) -> Result<(), ExprError> {
    let ty = check(e, scope)?;
    if ty == Type::Bool {
        return Ok(());
    }
    let mut msg = format!("{} is {}, not a condition", what(e), ty.noun());
    if !matches!(e, Expr::Literal(..)) {
        msg += &match ty {
            Type::Number => format!(" (compare it, e.g. {e} > 0)"),
            Type::Date => format!(" (compare it, e.g. {e} >= \"2025-01-31\")"),
            Type::List => format!(" (test it, e.g. {e} has \"...\")"),
            _ => format!(" (compare it, e.g. {e} == \"...\")"),
        };
    }
    fail(e, msg)
}

fn compare(op: CmpOp, l: &mut Expr, r: &mut Expr, scope: &Scope) -> Result<(), ExprError> {
    use Type::*;
    let (lt, rt) = (check(l, scope)?, check(r, scope)?);
    match (lt, rt) {
        (List, _) => fail(l, format!("{} is a list; use has or has_any", what(l))),
        (_, List) => fail(r, format!("{} is a list; use has or has_any", what(r))),
        (Number | Text, Number | Text) | (Date, Date) => Ok(()),
        (Bool, Bool) if matches!(op, CmpOp::Eq | CmpOp::Ne) => Ok(()),
        (Bool, Bool) => fail(
            l,
            format!("{} is a bool; bools compare only with == or !=", what(l)),
        ),
        (Date, Text) => date_literal(r),
        (Text, Date) => date_literal(l),
        _ => fail(r, format!("cannot compare {lt} with {rt}")),
    }
}

/// The text side of a date comparison must be a literal ISO date, so the
/// lowerings can turn it into a date constant.
fn date_literal(e: &Expr) -> Result<(), ExprError> {
    match e {
        Expr::Literal(Literal::Text(s), _) if is_iso_date(s) => Ok(()),
        Expr::Literal(lit, _) => fail(e, not_a_date(lit)),
        _ => fail(
            e,
            format!(
                "{} is text; a date compares with a date or a literal like \"2025-01-31\"",
                what(e)
            ),
        ),
    }
}

fn not_a_date(lit: &Literal) -> String {
    format!("{lit} is not a date (write dates as \"YYYY-MM-DD\")")
}

/// Checks each literal of an `in`/`has`/`has_any` list against the operand's
/// type; errors point at the operand, as list items carry no position.
fn items_fit(e: &Expr, ty: Type, items: &[Literal]) -> Result<(), ExprError> {
    use Type::*;
    for lit in items {
        let ok = match (ty, lit) {
            (Number | Text | List, Literal::Number(_) | Literal::Text(_)) => true,
            (Bool, Literal::Bool(_)) => true,
            (Date, Literal::Text(s)) if is_iso_date(s) => true,
            (Date, Literal::Text(_)) => return fail(e, not_a_date(lit)),
            _ => false,
        };
        if !ok {
            return fail(
                e,
                format!("{} is {}; it cannot match {lit}", what(e), ty.noun()),
            );
        }
    }
    Ok(())
}

fn has(e: &mut Expr, items: &[Literal], op: &str, scope: &Scope) -> Result<Type, ExprError> {
    match check(e, scope)? {
        ty @ (Type::Text | Type::List) => items_fit(e, ty, items).map(|()| Type::Bool),
        ty => fail(
            e,
            format!("{} is {}; {op} needs text or a list", what(e), ty.noun()),
        ),
    }
}

/// `YYYY-MM-DD` naming a real calendar day.
pub fn is_iso_date(s: &str) -> bool {
    let part = |a: usize, b: usize| {
        s.get(a..b)
            .filter(|p| p.bytes().all(|c| c.is_ascii_digit()))
            .and_then(|p| p.parse::<u32>().ok())
    };
    let dashes = s.len() == 10 && s.get(4..5) == Some("-") && s.get(7..8) == Some("-");
    let (Some(y), Some(m), Some(d)) = (part(0, 4), part(5, 7), part(8, 10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => 0,
    };
    dashes && (1..=days).contains(&d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::{idents, parse};

    fn scope() -> Scope {
        use Type::*;
        Scope::new([
            ("employees", Number),
            ("revenue", Number),
            ("industry", Text),
            ("acv_band", Text),
            ("is_customer", Bool),
            ("high_fit", Bool),
            ("customer_since", Date),
            ("technologies", List),
            ("Annual Revenue", Number),
        ])
    }

    fn type_of(src: &str) -> Result<Type, String> {
        let mut e = parse(src).map_err(|e| e.to_string())?;
        check(&mut e, &scope()).map_err(|e| e.to_string())
    }

    #[test]
    fn well_typed_expressions() {
        use Type::*;
        let table = [
            ("employees", Number),
            ("-employees * 2 + revenue / 3", Number),
            ("`Annual Revenue` > 1e6", Bool),
            ("industry == 'Software'", Bool),
            ("industry >= 'M'", Bool),
            ("industry > 5 or 5 < industry", Bool),
            ("customer_since >= '2024-02-29'", Bool),
            ("'2024-01-01' < customer_since", Bool),
            ("customer_since == customer_since", Bool),
            ("is_customer == true and high_fit != is_customer", Bool),
            (
                "employees in [1, -2, '3'] and industry not in ['a', 1]",
                Bool,
            ),
            (
                "technologies in ['Marketo'] and is_customer in [true]",
                Bool,
            ),
            ("customer_since in ['2025-01-31']", Bool),
            (
                "technologies has 'x' and industry has 'soft' and industry has 5",
                Bool,
            ),
            (
                "technologies has_any [] and industry has_any ['a', 2]",
                Bool,
            ),
            ("technologies is null or employees is not null", Bool),
            ("not is_customer and (high_fit or true)", Bool),
            ("'a'", Text),
        ];
        for (src, want) in table {
            assert_eq!(type_of(src), Ok(want), "{src}");
        }
    }

    #[test]
    fn fills_every_ident_type() {
        let mut e = parse("employees > 1 and technologies has 'x' and high_fit").unwrap();
        check_condition(&mut e, &scope()).unwrap();
        let types: Vec<_> = idents(&e).iter().map(|id| id.ty).collect();
        use Type::*;
        assert_eq!(types, [Some(Number), Some(List), Some(Bool)]);
    }

    #[test]
    fn suggestions_are_close_and_case_insensitive() {
        let s = scope();
        assert_eq!(suggest("acv_bnd", s.names()), Some("acv_band"));
        assert_eq!(suggest("Employees", s.names()), Some("employees"));
        assert_eq!(suggest("annual revenue", s.names()), Some("Annual Revenue"));
        assert_eq!(suggest("owner", s.names()), None);
        assert_eq!(suggest("zzz", s.names()), None);
    }

    #[test]
    fn suggestions_among_every_spec_name() {
        let names = [
            "account_id",
            "name",
            "industry",
            "employees",
            "revenue",
            "country",
            "acv",
            "owner",
            "renewals",
            "is_customer",
            "opportunity_stage",
            "technologies",
            "fit",
            "fit_grade",
            "high_fit",
            "intent_score",
            "intent",
            "intent_topics",
            "intent_topic_count",
            "engagement_score",
            "engaged",
            "last_engaged",
            "personas_engaged",
            "acv_band",
            "stage",
        ];
        let s = Scope::new(names.map(|n| (n, Type::Text)));
        let table = [
            ("acv_bnd", Some("acv_band")),
            ("intent_scor", Some("intent_score")),
            ("engagment_score", Some("engagement_score")),
            ("fitgrade", Some("fit_grade")),
            ("higfit", Some("high_fit")),
            ("Industry", Some("industry")),
            ("segment", None),
        ];
        for (typo, want) in table {
            assert_eq!(suggest(typo, s.names()), want, "{typo}");
        }
    }

    #[test]
    fn later_names_say_they_are_not_available() {
        let s = scope().with_later(["tier"], "tiers are known only in segments and exports");
        let mut e = parse("tier == 'Tier 1'").unwrap();
        assert_eq!(
            check(&mut e, &s).unwrap_err().to_string(),
            "1:1: 'tier' is not available here (tiers are known only in segments and exports)"
        );
    }

    #[test]
    fn iso_dates() {
        for ok in ["2024-02-29", "2000-02-29", "1999-12-31", "2025-01-01"] {
            assert!(is_iso_date(ok), "{ok}");
        }
        for bad in [
            "2023-02-29",
            "1900-02-29",
            "2025-13-01",
            "2025-04-31",
            "2025-00-10",
            "2025-1-01",
            "2025/01/01",
            "20250101",
            "2025-01-01T00:00",
            "+025-01-01",
            "2025-01-0é",
            "",
        ] {
            assert!(!is_iso_date(bad), "{bad}");
        }
    }
}
