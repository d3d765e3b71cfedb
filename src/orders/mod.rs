//! The modular program menu: `tal orders template` writes a sheet with one
//! row per TAL account and a column per program, where programs the
//! account's tier is not entitled to are marked `n/a`; sales ticks it, and
//! `tal orders check` reads the ticks back (csv or xlsx) and checks them
//! against the tier menus, the per-account entitlements and the budget.
//!
//! The sheet's program columns are headed by the program's label (its key
//! when two programs share a label); the check accepts the key, the label,
//! or either followed by a note in parentheses ("Direct mail ($80)").

mod check;
mod read;
mod render;
mod template;

use crate::spec::Spec;

pub use check::{check, Context, OrdersCheck, Problem};
pub use render::{write_json, write_text};
pub use template::{write_csv, write_xlsx};

/// Columns of the sheet before the programs.
pub const FIXED_COLUMNS: &[&str] = &[
    "rank",
    "tier",
    "account_id",
    "name",
    "domain",
    "entitlement",
];

/// What a not-entitled program cell holds.
pub const NOT_AVAILABLE: &str = "n/a";

/// A program on the menu.
#[derive(Debug, Clone)]
pub struct MenuItem {
    pub key: String,
    pub label: String,
    pub cost: f64,
    /// The sheet's column header.
    pub header: String,
}

/// Every program sales can order: `[programs]` in spec order, else (when
/// the spec has no `[programs]`) the programs the tiers name, at no cost.
pub fn menu(spec: &Spec) -> Vec<MenuItem> {
    let mut items: Vec<MenuItem> = spec
        .programs
        .iter()
        .map(|(key, program)| item(key, &program.label, program.cost))
        .collect();
    for tier in &spec.tiers {
        for key in &tier.programs {
            if !items.iter().any(|i| &i.key == key) {
                items.push(item(key, key, 0.0));
            }
        }
    }
    let shared: Vec<String> = items
        .iter()
        .filter(|i| {
            items
                .iter()
                .filter(|j| j.label.eq_ignore_ascii_case(&i.label))
                .count()
                > 1
        })
        .map(|i| i.key.clone())
        .collect();
    for item in &mut items {
        if shared.contains(&item.key) {
            item.header = item.key.clone();
        }
    }
    items
}

fn item(key: &str, label: &str, cost: f64) -> MenuItem {
    MenuItem {
        key: key.to_string(),
        label: label.to_string(),
        cost,
        header: label.to_string(),
    }
}

/// Whether tier `t`'s menu has this program.
pub fn entitled(spec: &Spec, t: usize, key: &str) -> bool {
    spec.tiers[t].programs.iter().any(|p| p == key)
}

/// The menu item a sheet header names, if any.
pub fn find_program<'a>(menu: &'a [MenuItem], header: &str) -> Option<&'a MenuItem> {
    let named = |text: &str| {
        let text = text.trim();
        menu.iter().find(|i| {
            i.key.eq_ignore_ascii_case(text)
                || i.label.eq_ignore_ascii_case(text)
                || i.header.eq_ignore_ascii_case(text)
        })
    };
    named(header).or_else(|| {
        let (head, tail) = header.trim().rsplit_once('(')?;
        tail.ends_with(')').then(|| named(head)).flatten()
    })
}
