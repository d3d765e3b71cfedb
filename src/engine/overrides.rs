//! Which override rows are active pins (SPEC.md "Tiering and sizing", step 0).

use chrono::NaiveDate;
use indexmap::IndexMap;

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
    let mut ignored = Ignored::default();
    let file = spec
        .overrides
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    for row in rows {
        let mut warn = |kind: &'static str, what: String| {
            ignored.note(
                kind,
                format!("{file} line {}: {what}; the override is ignored", row.line),
            )
        };
        let Some(domain) = normalize_domain(&row.domain) else {
            warn("not a domain", format!("'{}' is not a domain", row.domain));
            continue;
        };
        let Some(account) = accounts.find(&domain) else {
            warn(
                "not an account in the inputs",
                format!("'{domain}' is not an account in the inputs"),
            );
            continue;
        };
        let tier = if row.tier.trim().eq_ignore_ascii_case("excluded") {
            None
        } else {
            match spec.tier_index(&row.tier) {
                Some(t) => Some(t),
                None => {
                    let names: Vec<&str> = spec.tiers.iter().map(|t| t.name.as_str()).collect();
                    warn(
                        "an unknown tier",
                        format!(
                            "unknown tier '{}' (tiers: {}, or Excluded)",
                            row.tier,
                            names.join(", ")
                        ),
                    );
                    continue;
                }
            }
        };
        let expires = if row.expires.trim().is_empty() {
            None
        } else {
            match parse_date(&row.expires, None) {
                Some(date) if date < as_of => {
                    warn("expired", format!("the pin of {domain} expired on {date}"));
                    continue;
                }
                Some(date) => Some(date),
                None => {
                    warn(
                        "a bad expiry date",
                        format!("bad expiry date '{}' (write YYYY-MM-DD)", row.expires),
                    );
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
    (pins, ignored.warnings(&file))
}

/// Ignored override rows: the first few said one by one, the rest counted
/// by why (100,000 unknown domains are one line, not 100,000).
#[derive(Default)]
struct Ignored {
    shown: Vec<String>,
    more: IndexMap<&'static str, usize>,
}

impl Ignored {
    const SHOWN: usize = 5;

    fn note(&mut self, kind: &'static str, warning: String) {
        if self.shown.len() < Self::SHOWN {
            self.shown.push(warning);
        } else {
            *self.more.entry(kind).or_default() += 1;
        }
    }

    fn warnings(self, file: &str) -> Vec<String> {
        let mut warnings = self.shown;
        let more: usize = self.more.values().sum();
        if more > 0 {
            let why: Vec<String> = (self.more.iter())
                .map(|(kind, n)| format!("{} {kind}", crate::format::count(*n)))
                .collect();
            warnings.push(format!(
                "{file}: {} more overrides are ignored ({})",
                crate::format::count(more),
                why.join(", ")
            ));
        }
        warnings
    }
}
