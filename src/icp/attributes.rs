//! Which fields are weighed, and each one's values per account: text and
//! bools grouped case-insensitively, lists item by item, numbers kept
//! whole for banding (`bands`) — SPEC-icp.md "Attributes".

use std::collections::{HashMap, HashSet};

use crate::expr::{idents, Type};
use crate::input::accounts::Column;
use crate::input::Accounts;
use crate::spec::signals::{self, Phase};
use crate::spec::{Condition, Spec};
use crate::value::lowercase;

use super::bands::Scale;
use super::{BandMode, UsageError};

pub use super::stats::Table;

/// Fields the default list leaves out: names, ids, owners, the deal and
/// the customer record itself (the usual answers to `--best`).
const NOT_TRAITS: &[&str] = &[
    "account_id",
    "name",
    "owner",
    "acv",
    "opportunity_stage",
    "open_opportunity",
    "is_customer",
    "renewals",
    "customer_since",
];

/// The fields to weigh, before the data is read.
#[derive(Debug, Default)]
pub struct Candidates {
    pub fields: Vec<(String, Type)>,
    /// `--fields` named them: no field is dropped as an identifier.
    pub explicit: bool,
    pub left_out: Vec<(String, String)>,
    pub warnings: Vec<String>,
}

/// A field is shadowed by a signal inside `[fit]`: a draft criterion on it
/// would read the signal.
fn shadowed(name: &str) -> bool {
    signals::is_signal_in(name, Phase::Fit)
}

/// The default list, or `--fields`, minus the fields `--best`/`--vs` read.
pub fn candidates(
    spec: &Spec,
    named: &[String],
    best: &Condition,
    vs: Option<&Condition>,
) -> Result<Candidates, UsageError> {
    let mut used: Vec<(&str, &str)> = (idents(&best.expr).into_iter())
        .map(|id| (id.name.as_str(), "--best"))
        .collect();
    if let Some(vs) = vs {
        used.extend(
            idents(&vs.expr)
                .into_iter()
                .map(|id| (id.name.as_str(), "--vs")),
        );
    }
    let used_by = |name: &str| used.iter().find(|(n, _)| *n == name).map(|(_, flag)| *flag);
    let mut out = Candidates {
        explicit: !named.is_empty(),
        ..Candidates::default()
    };
    if named.is_empty() {
        for (name, ty) in &spec.fields {
            if *ty == Type::Date || NOT_TRAITS.contains(&name.as_str()) {
                continue;
            }
            if let Some(flag) = used_by(name) {
                out.left_out
                    .push((name.clone(), format!("{flag} reads it")));
                out.warnings.push(format!(
                    "'{name}' is left out: {flag} reads it, so its table would only find {flag} again"
                ));
            } else if shadowed(name) {
                out.left_out.push((
                    name.clone(),
                    "a signal of that name hides it inside [fit]".to_string(),
                ));
            } else {
                out.fields.push((name.clone(), *ty));
            }
        }
        return Ok(out);
    }
    for raw in named {
        let name = raw.trim().trim_matches('`');
        if name.is_empty() || out.fields.iter().any(|(n, _)| n == name) {
            continue;
        }
        let Some(ty) = spec.fields.get(name).copied() else {
            let mut message = format!("--fields: unknown field '{name}'");
            if let Some(best) =
                crate::suggest::closest(name, spec.fields.keys().map(String::as_str))
            {
                message.push_str(&format!(" (did you mean '{best}'?)"));
            }
            return Err(UsageError(message));
        };
        if let Some(flag) = used_by(name) {
            return Err(UsageError(format!(
                "--fields: '{name}' is read by {flag}, so its table would only find {flag} again (it leaks the answer); leave it out of --fields"
            )));
        }
        if ty == Type::Date {
            return Err(UsageError(format!(
                "--fields: '{name}' is a date; tal icp discover weighs text, bool, number and list fields"
            )));
        }
        if shadowed(name) {
            return Err(UsageError(format!(
                "--fields: inside [fit], '{name}' is the signal of that name, not the field, so a draft could not test it"
            )));
        }
        out.fields.push((name.to_string(), ty));
    }
    Ok(out)
}

/// Each account's values of a text, bool or list field, numbered: account
/// `i` holds `ids[starts[i]..starts[i + 1]]`, none when missing.
#[derive(Debug, Clone, Default)]
pub struct Grouping {
    starts: Vec<u32>,
    ids: Vec<u32>,
}

impl Grouping {
    fn new(accounts: usize) -> Self {
        let mut starts = Vec::with_capacity(accounts + 1);
        starts.push(0);
        Grouping {
            starts,
            ids: Vec::new(),
        }
    }

    /// Ends the current account's values.
    fn next_account(&mut self) {
        self.starts.push(self.ids.len() as u32);
    }

    /// At most one value per account, `None` when missing.
    pub fn of_one(values: impl ExactSizeIterator<Item = Option<u32>>) -> Self {
        let mut grouping = Grouping::new(values.len());
        for value in values {
            grouping.ids.extend(value);
            grouping.next_account();
        }
        grouping
    }

    /// Account `i`'s values.
    pub fn of(&self, i: usize) -> &[u32] {
        &self.ids[self.starts[i] as usize..self.starts[i + 1] as usize]
    }

    pub fn accounts(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }
}

/// An attribute's values, as read once for every learning.
#[derive(Debug)]
pub enum Values {
    /// Text, bool, list: the values numbered, spelt as the first account by
    /// domain spells them, and lower-cased (the sort key).
    Categorical {
        grouping: Grouping,
        names: Vec<String>,
        keys: Vec<String>,
    },
    /// Numbers, banded anew by each learning (quantiles of its base).
    Number {
        values: Vec<Option<f64>>,
        scale: Scale,
    },
}

/// A field and its values.
#[derive(Debug)]
pub struct Attribute {
    pub field: String,
    pub ty: Type,
    pub values: Values,
}

/// Reads every candidate's values for the accounts `in_scope` (the best
/// and the base); text fields that look like identifiers are left out
/// unless `--fields` named them.
pub fn read(
    candidates: &Candidates,
    accounts: &Accounts,
    in_scope: &[bool],
    mode: BandMode,
) -> (Vec<Attribute>, Vec<(String, String)>) {
    let mut left_out = candidates.left_out.clone();
    let mut out = Vec::new();
    for (field, ty) in &candidates.fields {
        let Some(column) = accounts.columns.get(field) else {
            continue;
        };
        if let (Column::Text(values), false) = (column, candidates.explicit) {
            if let Some(share) = distinct_share(values) {
                if share > 0.5 {
                    let pct = crate::format::percent(share);
                    left_out.push((
                        field.clone(),
                        format!("{pct} of its values are distinct: an identifier, not a trait"),
                    ));
                    continue;
                }
            }
        }
        let values = match column {
            Column::Number(values) => Values::Number {
                values: values.clone(),
                scale: Scale::of(field, mode),
            },
            Column::Text(values) => categorical(in_scope, |i, each| {
                if let Some(text) = &values[i] {
                    each(text);
                }
            }),
            Column::Bool(values) => categorical(in_scope, |i, each| {
                if let Some(b) = values[i] {
                    each(if b { "true" } else { "false" });
                }
            }),
            Column::List(values) => categorical(in_scope, |i, each| {
                if let Some(list) = &values[i] {
                    list.items().for_each(each);
                }
            }),
            Column::Date(_) => continue,
        };
        out.push(Attribute {
            field: field.clone(),
            ty: *ty,
            values,
        });
    }
    (out, left_out)
}

/// Distinct values (case-insensitively) per non-null value; None when all
/// are null.
fn distinct_share(values: &[Option<compact_str::CompactString>]) -> Option<f64> {
    let mut distinct: HashSet<String> = HashSet::new();
    let mut present = 0usize;
    for text in values.iter().flatten() {
        present += 1;
        if !distinct.contains(lowercase(text).as_ref()) {
            distinct.insert(lowercase(text).into_owned());
        }
    }
    (present > 0).then(|| distinct.len() as f64 / present as f64)
}

/// Numbers each in-scope account's values, in account (domain) order, so
/// the first spelling met is the first account's.
fn categorical(in_scope: &[bool], each_value: impl Fn(usize, &mut dyn FnMut(&str))) -> Values {
    let mut grouping = Grouping::new(in_scope.len());
    let mut index: HashMap<String, u32> = HashMap::new();
    let (mut names, mut keys) = (Vec::new(), Vec::new());
    for (i, &wanted) in in_scope.iter().enumerate() {
        if wanted {
            let from = grouping.ids.len();
            each_value(i, &mut |value| {
                let key = lowercase(value);
                let id = match index.get(key.as_ref()) {
                    Some(&id) => id,
                    None => {
                        let id = names.len() as u32;
                        index.insert(key.to_string(), id);
                        names.push(value.to_string());
                        keys.push(key.into_owned());
                        id
                    }
                };
                // An account counts once per value, however its list repeats it.
                if !grouping.ids[from..].contains(&id) {
                    grouping.ids.push(id);
                }
            });
        }
        grouping.next_account();
    }
    Values::Categorical {
        grouping,
        names,
        keys,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groupings_hold_each_accounts_values() {
        let grouping = Grouping::of_one([Some(2), None, Some(0)].into_iter());
        assert_eq!(grouping.accounts(), 3);
        assert_eq!(grouping.of(0), &[2]);
        assert!(grouping.of(1).is_empty());
        assert_eq!(grouping.of(2), &[0]);
    }

    #[test]
    fn values_group_case_insensitively_spelt_as_the_first_account() {
        let cells = [
            Some("Marketo; HubSpot; marketo"),
            None,
            Some("HUBSPOT"),
            Some("Salesforce"),
        ];
        let Values::Categorical {
            grouping,
            names,
            keys,
        } = categorical(&[true, true, true, false], |i, each| {
            if let Some(cell) = cells[i] {
                cell.split(';').map(str::trim).for_each(each);
            }
        })
        else {
            panic!("categorical");
        };
        assert_eq!(names, ["Marketo", "HubSpot"]);
        assert_eq!(keys, ["marketo", "hubspot"]);
        assert_eq!(grouping.of(0), &[0, 1]);
        assert!(grouping.of(1).is_empty());
        assert_eq!(grouping.of(2), &[1]);
        // Out of scope: not read.
        assert!(grouping.of(3).is_empty());
    }

    #[test]
    fn identifiers_have_mostly_distinct_values() {
        let texts = |v: &[&str]| -> Vec<Option<compact_str::CompactString>> {
            v.iter().map(|s| Some((*s).into())).collect()
        };
        assert_eq!(distinct_share(&texts(&["a", "A", "b", "c"])), Some(0.75));
        assert_eq!(distinct_share(&texts(&["x", "X"])), Some(0.5));
        assert_eq!(distinct_share(&[None, None]), None);
    }
}
