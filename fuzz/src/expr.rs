//! The expression language (`tal::expr`): every `when` of a spec.
//!
//! Asserts, for any text:
//! - parsing never panics (an error is an `Err` with a position);
//! - a parsed tree prints (`Display`) to source that parses back to an
//!   equal tree, and printing that tree gives the same text again;
//! - type-checking it in a scope with a name of every type, as a value and
//!   as a condition, never panics, and the printed tree checks the same;
//! - a tree that checks as a condition elaborates (`expr::elaborate`) into
//!   the backends' typed form without panicking.

use tal::expr::{self, Column, Expr, Scope, Type};

/// Names of every type, with the spellings that need backticks.
fn scope() -> Scope {
    use Type::*;
    Scope::new([
        ("employees", Number),
        ("revenue", Number),
        ("fit", Number),
        ("industry", Text),
        ("country", Text),
        ("domain", Text),
        ("is_customer", Bool),
        ("high_fit", Bool),
        ("intent", Bool),
        ("customer_since", Date),
        ("last_engaged", Date),
        ("technologies", List),
        ("intent_topics", List),
        ("Annual Revenue", Number),
        ("and", Text),
    ])
    .with_later(["tier"], "tiers are assigned after this")
}

pub fn run(data: &[u8]) {
    let src = crate::text(data);
    let Ok(tree) = expr::parse(&src) else {
        return;
    };
    let printed = tree.to_string();
    let reparsed = match expr::parse(&printed) {
        Ok(reparsed) => reparsed,
        Err(err) => panic!("{src:?} printed as {printed:?}, which does not parse: {err}"),
    };
    assert_eq!(
        tree, reparsed,
        "{src:?} printed as {printed:?}, which parses to another tree"
    );
    assert_eq!(
        printed,
        reparsed.to_string(),
        "printing is not stable for {src:?}"
    );

    let scope = scope();
    let (mut checked, mut checked_again) = (tree.clone(), reparsed);
    let as_value = expr::check(&mut checked, &scope).map_err(|e| e.message);
    let again = expr::check(&mut checked_again, &scope).map_err(|e| e.message);
    assert_eq!(
        as_value, again,
        "{src:?} and its print {printed:?} check differently"
    );
    assert_eq!(checked, checked_again, "{src:?}: the checked trees differ");
    let mut condition: Expr = tree;
    if expr::check_condition(&mut condition, &scope).is_ok() {
        let column = |name: &str| Column::Field(name.to_string());
        let _ = expr::elaborate(&condition, &column);
        let _ = expr::type_of(&condition);
        let _ = expr::idents(&condition);
    }
}
