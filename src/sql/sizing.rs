//! Pins, ranking and sizing in SQL (SPEC.md "Tiering and sizing"), the
//! same steps as `engine::sizing`:
//!
//! - `tal_pins`: the last active pin of each account (a tier, or -1 for
//!   Excluded) from the overrides (a `tal export` file, or a table);
//! - `tal_ranked`: every account that may take a seat (pinned to a tier,
//!   or a candidate: its rules chose a tier, and it is neither pinned nor
//!   excluded) with one global position: the ranking keys, missing values
//!   last, then the domain in byte order;
//! - tier by tier, unrolled, a state of those accounts passed on: tier `k`
//!   ranks its candidates (not seated yet, chosen by tier `k` or an earlier
//!   one: pushed down, on equal terms), counts its pins, takes its capacity
//!   from the budget left (the least of the limits that are set), seats the
//!   first ones, marks the others pushed down, and passes the budget left
//!   on. Each step reads the one before it once, so an engine that inlines
//!   CTEs (Spark) sees a plan that grows with the tiers, not with their
//!   powers;
//! - `tal_status`: where every account ended up, and its rank.

use super::names::{ident, relation};
use super::Query;
use crate::expr::Type;
use crate::spec::plan::Limit;

pub fn write(q: &mut Query) {
    pins(q);
    ranked(q);
    tiers(q);
    status(q);
}

fn pins(q: &mut Query) {
    let d = q.dialect;
    let text = d.text();
    let rows = match (&q.spec.overrides_table, &q.spec.overrides) {
        (Some(table), _) => {
            let column = |name: &str| ident(d, name);
            let order = match &table.order_by {
                Some(column) => ident(d, column),
                None => format!("{} ASC NULLS LAST, {}", column("domain"), column("tier")),
            };
            Some(format!(
                "SELECT ROW_NUMBER() OVER (ORDER BY {order}) AS tal_row, {} AS tal_domain, CAST({} AS {text}) AS tal_tier, CAST({} AS {text}) AS tal_owner, CAST({} AS {text}) AS tal_reason, CAST({} AS DATE) AS tal_expires\nFROM {}",
                super::inputs::domain_of(q, &column("domain")),
                column("tier"),
                column("owner"),
                column("reason"),
                column("expires"),
                relation(d, &table.name)
            ))
        }
        (None, Some(_)) => Some(format!(
            "SELECT CAST({} AS {}) AS tal_row, {} AS tal_domain, {} AS tal_tier, {} AS tal_owner, {} AS tal_reason, {} AS tal_expires\nFROM overrides",
            ident(d, "_row"),
            d.bigint(),
            ident(d, "domain"),
            ident(d, "tier"),
            ident(d, "owner"),
            ident(d, "reason"),
            ident(d, "expires"),
        )),
        (None, None) => None,
    };
    let Some(rows) = rows else {
        q.cte(
            "tal_pins",
            format!(
                "SELECT {} AS tal_domain, {} AS tal_pin, {} AS tal_owner, {} AS tal_reason FROM (SELECT 1 AS tal_one) tal_x WHERE 1 = 0",
                q.null(text),
                q.null(d.bigint()),
                q.null(text),
                q.null(text)
            ),
        );
        return;
    };
    q.cte("tal_override_rows", rows);
    let mut tiers: Vec<String> = vec![format!("WHEN 'excluded' THEN -1")];
    for (t, tier) in q.spec.tiers.iter().enumerate() {
        tiers.push(format!(
            "WHEN {} THEN {t}",
            q.string(&tier.name.to_lowercase())
        ));
    }
    q.cte(
        "tal_pin_rows",
        format!(
            "SELECT o.tal_domain, o.tal_row, CASE LOWER(TRIM(o.tal_tier)) {} END AS tal_pin, o.tal_owner, o.tal_reason\nFROM tal_override_rows o JOIN tal_accounts a ON a.tal_domain = o.tal_domain\nWHERE o.tal_expires IS NULL OR o.tal_expires >= {}",
            tiers.join(" "),
            q.as_of()
        ),
    );
    // The last active pin of a domain wins.
    q.cte(
        "tal_pins",
        "SELECT tal_domain, tal_pin, tal_owner, tal_reason\nFROM (SELECT p.*, ROW_NUMBER() OVER (PARTITION BY tal_domain ORDER BY tal_row DESC) AS tal_n FROM tal_pin_rows p WHERE tal_pin IS NOT NULL) tal_x\nWHERE tal_n = 1",
    );
}

/// A ranking key as a sort expression: text by its lower-cased bytes, a
/// list by its lower-cased items between separators.
fn sort_key(q: &Query, column: &str, ty: Type) -> String {
    match ty {
        Type::Text => q.bytes(&format!("LOWER({column})")),
        Type::List => {
            let sep = q.string("\u{1f}");
            q.bytes(&format!(
                "({sep} || REPLACE(LOWER({column}), '; ', {sep}) || {sep})"
            ))
        }
        _ => column.to_string(),
    }
}

fn ranked(q: &mut Query) {
    q.cte(
        "tal_cands",
        "SELECT r.*, p.tal_pin, p.tal_owner, p.tal_reason,\n  CASE WHEN p.tal_pin IS NULL AND r.tal_excluded_by IS NULL THEN r.tal_matched END AS tal_cand\nFROM tal_rules r LEFT JOIN tal_pins p ON p.tal_domain = r.tal_domain",
    );
    let mut keys: Vec<String> = Vec::new();
    for key in &q.plan.ranking {
        let column = q.names.column(&key.column);
        let direction = if key.descending { "DESC" } else { "ASC" };
        keys.push(format!(
            "{} {direction} NULLS LAST",
            sort_key(q, &column, key.ty)
        ));
    }
    keys.push(format!("{} ASC", q.bytes("tal_domain")));
    q.cte(
        "tal_ranked",
        format!(
            "SELECT c.*, ROW_NUMBER() OVER (ORDER BY {}) AS tal_pos\nFROM tal_cands c\nWHERE c.tal_pin >= 0 OR c.tal_cand IS NOT NULL",
            keys.join(", ")
        ),
    );
}

/// The capacity of tier `t` from the budget left in `left` (an SQL
/// expression), and which limit set it: the least of the limits that are
/// set, the first of them on a tie (`engine::sizing::capacity`).
fn capacity(q: &Query, t: usize, left: &str) -> Option<(String, String)> {
    let tier = &q.spec.tiers[t];
    let budget = &q.spec.budget;
    let bigint = q.dialect.bigint();
    let mut limits: Vec<(String, Limit)> = Vec::new();
    if let Some(max) = tier.max_accounts {
        limits.push((format!("CAST({max} AS {bigint})"), Limit::MaxAccounts));
    }
    if let (Some(per_seller), Some(sellers)) = (tier.accounts_per_seller, budget.sellers) {
        let seats = per_seller.saturating_mul(sellers);
        limits.push((format!("CAST({seats} AS {bigint})"), Limit::Sellers));
    }
    if let (true, Some(_), Some(per_account)) = (budget.enforce, budget.total, tier.per_account) {
        if per_account > 0.0 {
            limits.push((
                format!(
                    "CAST(FLOOR(GREATEST({left}, {}) / {}) AS {bigint})",
                    q.number(0.0),
                    q.number(per_account)
                ),
                Limit::Budget,
            ));
        }
    }
    if limits.is_empty() {
        return None;
    }
    let values: Vec<&str> = limits.iter().map(|(v, _)| v.as_str()).collect();
    let least = if values.len() == 1 {
        values[0].to_string()
    } else {
        format!("LEAST({})", values.join(", "))
    };
    // The first limit that equals the least.
    let cases: Vec<String> = (limits.iter())
        .map(|(value, limit)| format!("WHEN {value} = {least} THEN {}", q.string(limit.name())))
        .collect();
    Some((least.clone(), format!("CASE {} END", cases.join(" "))))
}

fn tiers(q: &mut Query) {
    let d = q.dialect;
    let bigint = d.bigint();
    let double = d.double();
    let budget = match q.spec.budget.total {
        Some(total) => q.number(total - q.spec.channel_spend()),
        None => q.null(double),
    };
    // The state every tier reads and passes on, one relation per step so
    // that each refers to the one before it only once: an engine that
    // inlines CTEs (Spark) then sees a plan that grows with the tiers, not
    // with their powers.
    let mut carried = vec![
        "tal_domain".to_string(),
        "tal_pos".to_string(),
        "tal_pin".to_string(),
        "tal_cand".to_string(),
        "tal_matched".to_string(),
    ];
    q.cte(
        "tal_state",
        format!(
            "SELECT {}, CASE WHEN tal_pin >= 0 THEN tal_pin END AS tal_seat, CAST(NULL AS {bigint}) AS tal_demoted, CAST({budget} AS {double}) AS tal_left\nFROM tal_ranked",
            carried.join(", ")
        ),
    );
    let mut previous = "tal_state".to_string();
    for t in 0..q.spec.tiers.len() {
        let (cap, bound) = match capacity(q, t, "s.tal_left") {
            Some((cap, bound)) => (cap, bound),
            None => (q.null(bigint), q.null(d.text())),
        };
        // Candidates: not seated yet, and chosen by this tier's rules or
        // pushed down from above (chosen by an earlier tier's).
        let candidate = format!("COALESCE(s.tal_seat IS NULL AND s.tal_cand <= {t}, FALSE)");
        q.cte(
            format!("tal_t{t}_ranked"),
            format!(
                "SELECT s.*, {candidate} AS tal_in_{t},\n  ROW_NUMBER() OVER (PARTITION BY {candidate} ORDER BY s.tal_pos) AS tal_n_{t},\n  SUM(CASE WHEN s.tal_pin = {t} THEN 1 ELSE 0 END) OVER () AS tal_pins_{t},\n  {cap} AS tal_cap_{t}, {bound} AS tal_bound_{t}\nFROM {previous} s"
            ),
        );
        let stays = format!(
            "(r.tal_in_{t} AND (r.tal_cap_{t} IS NULL OR r.tal_n_{t} <= GREATEST(r.tal_cap_{t} - r.tal_pins_{t}, 0)))"
        );
        let left = match (q.spec.budget.total, q.spec.tiers[t].per_account) {
            (Some(_), Some(per_account)) => format!(
                "r.tal_left - (r.tal_pins_{t} + SUM(CASE WHEN {stays} THEN 1 ELSE 0 END) OVER ()) * {}",
                q.number(per_account)
            ),
            _ => "r.tal_left".to_string(),
        };
        let mut columns: Vec<String> = carried.iter().map(|c| format!("r.{c}")).collect();
        columns.push(format!(
            "CASE WHEN {stays} THEN {t} ELSE r.tal_seat END AS tal_seat"
        ));
        columns.push(format!(
            "CASE WHEN r.tal_in_{t} AND NOT {stays} THEN COALESCE(r.tal_demoted, r.tal_matched) ELSE r.tal_demoted END AS tal_demoted"
        ));
        columns.push(format!("CAST({left} AS {double}) AS tal_left"));
        columns.push(format!("r.tal_cap_{t}"));
        columns.push(format!("r.tal_bound_{t}"));
        q.cte(
            format!("tal_t{t}"),
            format!("SELECT {}\nFROM tal_t{t}_ranked r", columns.join(",\n  ")),
        );
        carried.push(format!("tal_cap_{t}"));
        carried.push(format!("tal_bound_{t}"));
        previous = format!("tal_t{t}");
    }
    q.cte("tal_sized", format!("SELECT * FROM {previous}"));
}

fn status(q: &mut Query) {
    let d = q.dialect;
    let n = q.spec.tiers.len();
    // The capacity note of the tier an account was pushed down from.
    let caps: Vec<String> = (0..n)
        .map(|t| format!("WHEN {t} THEN z.tal_cap_{t}"))
        .collect();
    let bounds: Vec<String> = (0..n)
        .map(|t| format!("WHEN {t} THEN z.tal_bound_{t}"))
        .collect();
    let (cap, bound) = if n == 0 {
        (q.null(d.bigint()), q.null(d.text()))
    } else {
        (
            format!("CASE z.tal_demoted {} END", caps.join(" ")),
            format!("CASE z.tal_demoted {} END", bounds.join(" ")),
        )
    };
    // 0: in the TAL; 1 Excluded, 2 Unassigned, 3 Waitlist (the order
    // `tal score --all` lists them in).
    q.cte(
        "tal_placed",
        format!(
            "SELECT c.*, z.tal_pos, z.tal_seat, z.tal_demoted AS tal_demoted_from, {cap} AS tal_from_cap, {bound} AS tal_from_bound,\n  CASE WHEN z.tal_seat IS NOT NULL THEN 0 WHEN c.tal_pin = -1 OR c.tal_excluded_by IS NOT NULL THEN 1 WHEN c.tal_cand IS NOT NULL THEN 3 ELSE 2 END AS tal_status\nFROM tal_cands c\nLEFT JOIN tal_sized z ON z.tal_domain = c.tal_domain"
        ),
    );
    let names: Vec<String> = (q.spec.tiers.iter().enumerate())
        .map(|(t, tier)| format!("WHEN {t} THEN {}", q.string(&tier.name)))
        .collect();
    let tier_name = if names.is_empty() {
        q.null(d.text())
    } else {
        format!("CASE p.tal_seat {} END", names.join(" "))
    };
    let text = d.text();
    q.cte(
        "tal_status",
        format!(
            "SELECT p.*,\n  CASE WHEN p.tal_status = 0 THEN {tier_name} WHEN p.tal_status = 1 THEN 'Excluded' WHEN p.tal_status = 2 THEN 'Unassigned' ELSE 'Waitlist' END AS tal_tier,\n  CAST(p.tal_seat + 1 AS {}) AS tal_tier_number,\n  CASE WHEN p.tal_seat IS NOT NULL THEN 'tier_' || CAST(p.tal_seat + 1 AS {text}) END AS tal_tier_code,\n  (p.tal_seat IS NOT NULL) AS tal_in_tal,\n  CASE WHEN p.tal_seat IS NOT NULL THEN ROW_NUMBER() OVER (PARTITION BY CASE WHEN p.tal_seat IS NULL THEN 1 ELSE 0 END ORDER BY p.tal_seat, p.tal_pos) END AS tal_rank\nFROM tal_placed p",
            d.double(),
        ),
    );
}
