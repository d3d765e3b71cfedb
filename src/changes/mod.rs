//! Tier movements between two lists keyed by domain: what `tal diff` prints
//! and what `tal build` writes to `changes.csv` (and feeds to the churn
//! breaker and the CRM write-back).
//!
//! A list is any TAL-shaped CSV (`tal score`, with or without `--all`). An
//! account is in the TAL when its `rank` is set (or, in a file without a
//! `rank` column, when its `tier` is no status: Excluded, Unassigned,
//! Waitlist). Movements: `new` (in the new TAL only), `dropped` (in the old
//! TAL only), `promoted` / `demoted` (in both, in a better / worse tier).
//! Tier order comes from the spec when there is one, else from the files:
//! tiers are listed in rank order, so their first appearance orders them.

pub mod list;
pub mod render;

use std::collections::HashMap;

use serde::Serialize;

pub use list::{ListRow, TalList};

/// How an account moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Movement {
    New,
    Dropped,
    Promoted,
    Demoted,
}

impl Movement {
    pub const ALL: [Movement; 4] = [
        Movement::New,
        Movement::Dropped,
        Movement::Promoted,
        Movement::Demoted,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Movement::New => "new",
            Movement::Dropped => "dropped",
            Movement::Promoted => "promoted",
            Movement::Demoted => "demoted",
        }
    }
}

/// One account that moved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub domain: String,
    pub name: String,
    pub old_tier: String,
    pub new_tier: String,
    pub movement: Movement,
    /// Why the account is where it is now (the new list's `reasons`).
    pub reason: String,
    /// The account id (new list first, else old), for the CRM write-back.
    #[serde(skip)]
    pub account_id: String,
}

/// Every movement, sorted by movement (new, dropped, promoted, demoted)
/// then domain.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Changes {
    /// Accounts in the old TAL.
    pub old_tal: usize,
    /// Accounts in the new TAL.
    pub new_tal: usize,
    pub changes: Vec<Change>,
}

impl Changes {
    pub fn count(&self, movement: Movement) -> usize {
        self.changes
            .iter()
            .filter(|c| c.movement == movement)
            .count()
    }

    /// Old TAL accounts that changed tier or left it.
    pub fn churned(&self) -> usize {
        self.changes
            .iter()
            .filter(|c| c.movement != Movement::New)
            .count()
    }

    /// `churned` as a percentage of the old TAL (0 when it was empty).
    pub fn churn_pct(&self) -> f64 {
        if self.old_tal == 0 {
            0.0
        } else {
            100.0 * self.churned() as f64 / self.old_tal as f64
        }
    }

    /// e.g. "3 new, 1 dropped, 2 promoted, 0 demoted".
    pub fn counts_text(&self) -> String {
        Movement::ALL
            .iter()
            .map(|&m| format!("{} {}", self.count(m), m.name()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Compares two lists. `tiers` is the spec's tier order (empty: from the
/// files); `absent` is the reason given for an account the new list lacks.
pub fn compare(old: &TalList, new: &TalList, tiers: &[String], absent: &str) -> Changes {
    let order = tier_order(tiers, &[&new.tier_sequence(), &old.tier_sequence()]);
    let position = |tier: &str| order.get(&tier.to_lowercase()).copied();
    let mut changes = Vec::new();
    for row in new.rows.iter().filter(|r| r.in_tal) {
        let before = old.get(&row.domain);
        let movement = match before.filter(|b| b.in_tal) {
            None => Some(Movement::New),
            Some(b) => match (position(&b.tier), position(&row.tier)) {
                (Some(was), Some(is)) if is < was => Some(Movement::Promoted),
                (Some(was), Some(is)) if is > was => Some(Movement::Demoted),
                _ => None,
            },
        };
        if let Some(movement) = movement {
            changes.push(change(before, Some(row), movement, absent));
        }
    }
    for row in old.rows.iter().filter(|r| r.in_tal) {
        let after = new.get(&row.domain);
        if !after.is_some_and(|a| a.in_tal) {
            changes.push(change(Some(row), after, Movement::Dropped, absent));
        }
    }
    changes.sort_by(|a, b| {
        a.movement
            .cmp(&b.movement)
            .then_with(|| a.domain.cmp(&b.domain))
    });
    Changes {
        old_tal: old.tal_len(),
        new_tal: new.tal_len(),
        changes,
    }
}

fn change(
    old: Option<&ListRow>,
    new: Option<&ListRow>,
    movement: Movement,
    absent: &str,
) -> Change {
    let pick = |f: fn(&ListRow) -> &str| {
        new.map(f)
            .filter(|v| !v.is_empty())
            .or_else(|| old.map(f))
            .unwrap_or_default()
            .to_string()
    };
    Change {
        domain: pick(|r| &r.domain),
        name: pick(|r| &r.name),
        old_tier: old.map(|r| r.tier.clone()).unwrap_or_default(),
        new_tier: new.map(|r| r.tier.clone()).unwrap_or_default(),
        movement,
        reason: new.map_or_else(|| absent.to_string(), |r| r.reasons.clone()),
        account_id: pick(|r| &r.account_id),
    }
}

/// Lower-cased tier name -> position. The spec's tiers first, then each
/// file's tiers (in rank order) placed right after the tier they follow in
/// that file.
fn tier_order(spec: &[String], files: &[&[String]]) -> HashMap<String, usize> {
    let mut order: Vec<String> = spec.iter().map(|t| t.to_lowercase()).collect();
    for sequence in files {
        let mut after: Option<usize> = None;
        for tier in sequence.iter().map(|t| t.to_lowercase()) {
            let at = match order.iter().position(|t| *t == tier) {
                Some(at) => at,
                None => {
                    let at = after.map_or(0, |a| a + 1);
                    order.insert(at, tier);
                    at
                }
            };
            after = Some(at);
        }
    }
    order.into_iter().enumerate().map(|(i, t)| (t, i)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(rows: &[(&str, &str, bool)]) -> TalList {
        TalList::from_rows(
            rows.iter()
                .map(|(domain, tier, in_tal)| ListRow {
                    domain: domain.to_string(),
                    name: domain.to_uppercase(),
                    account_id: String::new(),
                    tier: tier.to_string(),
                    in_tal: *in_tal,
                    reasons: format!("why {domain}"),
                })
                .collect(),
        )
    }

    #[test]
    fn finds_every_movement() {
        let old = list(&[
            ("a.com", "Tier 1", true),
            ("b.com", "Tier 2", true),
            ("c.com", "Tier 2", true),
            ("d.com", "Tier 3", true),
        ]);
        let new = list(&[
            ("b.com", "Tier 1", true),
            ("a.com", "Tier 2", true),
            ("c.com", "Tier 2", true),
            ("e.com", "Tier 3", true),
            ("d.com", "Waitlist", false),
        ]);
        let changes = compare(&old, &new, &[], "gone");
        let got: Vec<(&str, Movement, &str, &str)> = changes
            .changes
            .iter()
            .map(|c| {
                (
                    c.domain.as_str(),
                    c.movement,
                    c.old_tier.as_str(),
                    c.new_tier.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("e.com", Movement::New, "", "Tier 3"),
                ("d.com", Movement::Dropped, "Tier 3", "Waitlist"),
                ("b.com", Movement::Promoted, "Tier 2", "Tier 1"),
                ("a.com", Movement::Demoted, "Tier 1", "Tier 2"),
            ]
        );
        assert_eq!(changes.churned(), 3);
        assert_eq!(changes.churn_pct(), 75.0);
    }

    #[test]
    fn an_account_missing_from_the_new_list_gets_the_absent_reason() {
        let old = list(&[("a.com", "Tier 1", true)]);
        let new = list(&[]);
        let changes = compare(&old, &new, &[], "no longer in the exports");
        assert_eq!(changes.changes[0].reason, "no longer in the exports");
        assert_eq!(changes.changes[0].name, "A.COM");
    }

    #[test]
    fn tier_order_merges_spec_and_files() {
        let order = tier_order(
            &["Gold".to_string()],
            &[
                &["Gold".to_string(), "Bronze".to_string()],
                &["Silver".to_string(), "Bronze".to_string()],
            ],
        );
        // Silver leads the old file and is known nowhere else: it goes first.
        assert_eq!((order["silver"], order["gold"], order["bronze"]), (0, 1, 2));
    }

    #[test]
    fn order_from_files_when_the_new_file_lacks_a_tier() {
        let old = list(&[("a.com", "Tier 1", true), ("b.com", "Tier 2", true)]);
        let new = list(&[("a.com", "Tier 2", true)]);
        let changes = compare(&old, &new, &[], "gone");
        assert_eq!(changes.changes[0].movement, Movement::Dropped);
        assert_eq!(changes.changes[1].movement, Movement::Demoted);
    }
}
