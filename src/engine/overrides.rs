//! Which override rows are active pins (SPEC.md "Tiering and sizing", step 0).

use chrono::NaiveDate;

use crate::input::overrides::OverrideRow;
use crate::input::Accounts;
use crate::spec::Spec;
use crate::value::{normalize_domain, parse_date};

/// An active pin: the tier (None: Excluded) and who asked for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Pin {
    pub tier: Option<usize>,
    pub owner: String,
    pub reason: String,
    pub expires: Option<NaiveDate>,
}

/// Pins by account, and a warning per ignored row.
pub fn active_pins(
    spec: &Spec,
    rows: &[OverrideRow],
    accounts: &Accounts,
    as_of: NaiveDate,
) -> (Vec<Option<Box<Pin>>>, Vec<String>) {
    let mut pins: Vec<Option<Box<Pin>>> = vec![None; accounts.len()];
    let mut warnings = Vec::new();
    let file = spec
        .overrides
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    for row in rows {
        let mut warn = |what: String| {
            warnings.push(format!(
                "{file} line {}: {what}; the override is ignored",
                row.line
            ))
        };
        let Some(domain) = normalize_domain(&row.domain) else {
            warn(format!("'{}' is not a domain", row.domain));
            continue;
        };
        let Some(account) = accounts.find(&domain) else {
            warn(format!("'{domain}' is not an account in the inputs"));
            continue;
        };
        let tier = if row.tier.trim().eq_ignore_ascii_case("excluded") {
            None
        } else {
            match spec.tier_index(&row.tier) {
                Some(t) => Some(t),
                None => {
                    let names: Vec<&str> = spec.tiers.iter().map(|t| t.name.as_str()).collect();
                    warn(format!(
                        "unknown tier '{}' (tiers: {}, or Excluded)",
                        row.tier,
                        names.join(", ")
                    ));
                    continue;
                }
            }
        };
        let expires = if row.expires.trim().is_empty() {
            None
        } else {
            match parse_date(&row.expires, None) {
                Some(date) if date < as_of => {
                    warn(format!("the pin of {domain} expired on {date}"));
                    continue;
                }
                Some(date) => Some(date),
                None => {
                    warn(format!(
                        "bad expiry date '{}' (write YYYY-MM-DD)",
                        row.expires
                    ));
                    continue;
                }
            }
        };
        // For several rows of one domain the last wins.
        pins[account as usize] = Some(Box::new(Pin {
            tier,
            owner: row.owner.clone(),
            reason: row.reason.clone(),
            expires,
        }));
    }
    (pins, warnings)
}
