//! The best accounts and the base they are compared with (SPEC-icp.md
//! "Sets"). `--best` and `--vs` are conditions on fields only — a signal
//! changes with the as-of date and the spec, who the best customers are
//! does not — checked before any export is read, and evaluated by the
//! engine as a one-criterion `[fit]`: 100 where the condition holds, 0
//! where it does not (a missing value makes it false, as everywhere).

use anyhow::{bail, Result};
use chrono::NaiveDate;
use indexmap::IndexMap;

use crate::engine;
use crate::expr::{self, idents, ExprError, Pos, Scope, Type};
use crate::format::count;
use crate::input::Loaded;
use crate::spec::signals::{self, Phase, DOMAIN, SIGNALS};
use crate::spec::{Condition, Criterion, CriterionRule, Fit, Spec};

use super::{Plan, UsageError};

/// Parses and checks `--best` or `--vs` against the spec's fields.
pub fn compile(flag: &str, source: &str, spec: &Spec) -> Result<Condition, UsageError> {
    let error = |err: ExprError| {
        let mut message = format!("{flag}: {err}\n{}", pointer(source, err.pos));
        // No near name to suggest: say which there are.
        if err.message.starts_with("unknown field") && !err.message.contains("did you mean") {
            let fields: Vec<&str> = spec.fields.keys().map(String::as_str).collect();
            message.push_str(&format!("\nthe spec's fields: {}", fields.join(", ")));
        }
        UsageError(message)
    };
    let mut expr = expr::parse(source).map_err(error)?;
    for ident in idents(&expr) {
        let name = ident.name.as_str();
        let signal = SIGNALS.iter().any(|(s, _, _)| *s == name);
        // A field named like an intent or engagement signal is that signal
        // wherever the engine evaluates it.
        if signal && (!spec.fields.contains_key(name) || signals::is_signal_in(name, Phase::Fit)) {
            return Err(error(ExprError {
                pos: ident.pos,
                message: format!(
                    "'{name}' is a signal; {flag} reads fields only (who your best customers are does not change with the as-of date)"
                ),
            }));
        }
    }
    let mut names: IndexMap<String, Type> = IndexMap::new();
    names.insert(DOMAIN.to_string(), Type::Text);
    names.extend(spec.fields.iter().map(|(name, ty)| (name.clone(), *ty)));
    expr::check_condition(&mut expr, &Scope::new(names)).map_err(error)?;
    Ok(Condition::new(
        flag.to_string(),
        source.to_string(),
        expr,
        Phase::Fit,
    ))
}

/// The line of `source` at `pos`, and a caret under the column.
fn pointer(source: &str, pos: Pos) -> String {
    let line = source.lines().nth(pos.line.saturating_sub(1)).unwrap_or("");
    let pad = " ".repeat(pos.col.saturating_sub(1));
    format!("  {line}\n  {pad}^")
}

/// Who is in which set, by account.
pub struct Sets {
    pub best: Vec<bool>,
    /// The base: every account, or `--vs` without the best.
    pub base: Vec<bool>,
    pub best_count: usize,
    pub base_count: usize,
    /// The base's accounts outside the best set.
    pub negatives: usize,
}

/// Evaluates `--best` and `--vs`; an empty best set or base is an error
/// that says how many accounts each has.
pub fn split(plan: &Plan, loaded: &Loaded, as_of: NaiveDate) -> Result<Sets> {
    let n = loaded.accounts.len();
    let best = holds(plan.spec, &plan.best, loaded, as_of)?;
    let base: Vec<bool> = match &plan.vs {
        Some(vs) => {
            let vs = holds(plan.spec, vs, loaded, as_of)?;
            vs.iter().zip(&best).map(|(v, b)| *v && !*b).collect()
        }
        None => vec![true; n],
    };
    let best_count = best.iter().filter(|b| **b).count();
    let base_count = base.iter().filter(|s| **s).count();
    let negatives = (base.iter().zip(&best))
        .filter(|(s, b)| **s && !**b)
        .count();
    let accounts = |n: usize| format!("{} account{}", count(n), if n == 1 { "" } else { "s" });
    let best_flag = format!("--best {}", quoted(&plan.params.best));
    if best_count == 0 {
        bail!(
            "the best set is empty: {best_flag} holds for none of the {} (best: 0 accounts; base: {})",
            accounts(n),
            accounts(base_count)
        );
    }
    if let Some(vs) = &plan.params.vs {
        if base_count == 0 {
            bail!(
                "the base is empty: --vs {} holds for no account outside the best set (best: {}; base: 0 accounts)",
                quoted(vs),
                accounts(best_count)
            );
        }
    } else if negatives == 0 {
        bail!(
            "nothing to compare the best with: {best_flag} holds for every one of the {} (best: {}; base without the best: 0 accounts)",
            accounts(n),
            accounts(best_count)
        );
    }
    Ok(Sets {
        best,
        base,
        best_count,
        base_count,
        negatives,
    })
}

/// An expression in quotes it does not hold: `'renewals >= 2'`,
/// `"domain has '.'"`.
fn quoted(expr: &str) -> String {
    if expr.contains('\'') && !expr.contains('"') {
        format!("\"{expr}\"")
    } else {
        format!("'{expr}'")
    }
}

/// Where `condition` holds, by the engine: as the only criterion of a
/// `[fit]`, it gives a fit of 100 exactly there.
fn holds(
    spec: &Spec,
    condition: &Condition,
    loaded: &Loaded,
    as_of: NaiveDate,
) -> Result<Vec<bool>> {
    let probe = Spec {
        fit: Fit {
            high: 100.0,
            grades: Vec::new(),
            criteria: vec![Criterion {
                name: condition.key.clone(),
                rule: CriterionRule::Points {
                    points: 1.0,
                    when: condition.clone(),
                },
            }],
        },
        ..spec.clone()
    };
    let fit = engine::fit_scores(&probe, loaded, as_of)?;
    Ok(fit.iter().map(|f| *f >= 100.0).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> Spec {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo/tal.toml");
        crate::spec::load(&path).unwrap()
    }

    fn error(source: &str) -> String {
        compile("--best", source, &spec()).unwrap_err().0
    }

    #[test]
    fn expression_errors_name_the_column() {
        assert_eq!(
            error("is_customer and renewal >= 2"),
            "--best: 1:17: unknown field 'renewal' (did you mean 'renewals'?)\n  is_customer and renewal >= 2\n                  ^"
        );
        assert!(error("renewals >=").starts_with("--best: 1:12: expected a value after '>='"));
    }

    #[test]
    fn signals_are_refused_by_name() {
        assert!(error("renewals >= 2 and engaged")
            .starts_with("--best: 1:19: 'engaged' is a signal; --best reads fields only"));
        assert!(error("fit > 50").starts_with("--best: 1:1: 'fit' is a signal"));
        // A field named like a later signal is the field.
        assert!(compile("--best", "acv > 1000", &spec()).is_ok());
    }
}
