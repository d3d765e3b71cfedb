//! Pins, ranking and sizing in SQL (SPEC.md "Tiering and sizing"), the
//! same steps as `engine::sizing`, unrolled tier by tier:
//!
//! - `tal_pins`: the last active pin of each account (a tier, or -1 for
//!   Excluded) from the overrides (a `tal export` file, or a table);
//! - `tal_ranked`: every account that may take a seat (pinned to a tier,
//!   or a candidate: its rules chose a tier, and it is neither pinned nor
//!   excluded) with one global position: the ranking keys, missing values
//!   last, then the domain in byte order;
//! - per tier `k`: its candidates (the overflow of tier `k-1` and its own
//!   matches), its pins, its capacity (the least of the limits that are
//!   set, the budget left carried from the tier above), the seats and the
//!   overflow; the budget left after it;
//! - `tal_status`: where every account ended up, and `tal_rank`.

use super::names::{ident, relation};
use super::Query;
use crate::engine::Limit;
use crate::expr::Type;

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
    q.cte("tal_budget_0", format!("SELECT {budget} AS tal_left"));
    let mut caps = Vec::new();
    for t in 0..q.spec.tiers.len() {
        let mut candidates = vec![format!(
            "SELECT tal_domain, tal_pos, tal_matched, CAST(NULL AS {bigint}) AS tal_demoted FROM tal_ranked WHERE tal_cand = {t}"
        )];
        if t > 0 {
            candidates.insert(
                0,
                format!(
                    "SELECT tal_domain, tal_pos, tal_matched, tal_demoted FROM tal_t{}_over",
                    t - 1
                ),
            );
        }
        q.cte(format!("tal_t{t}_cand"), candidates.join("\nUNION ALL\n"));
        let (cap, bound) = match capacity(q, t, "b.tal_left") {
            Some((cap, bound)) => (cap, bound),
            None => (q.null(bigint), q.null(d.text())),
        };
        q.cte(
            format!("tal_t{t}_size"),
            format!(
                "SELECT {cap} AS tal_cap, {bound} AS tal_bound, b.tal_left, (SELECT COUNT(*) FROM tal_ranked WHERE tal_pin = {t}) AS tal_pinned\nFROM tal_budget_{t} b"
            ),
        );
        q.cte(
            format!("tal_t{t}_rank"),
            format!(
                "SELECT c.*, ROW_NUMBER() OVER (ORDER BY c.tal_pos) AS tal_n, (s.tal_cap IS NULL OR ROW_NUMBER() OVER (ORDER BY c.tal_pos) <= GREATEST(s.tal_cap - s.tal_pinned, 0)) AS tal_stays\nFROM tal_t{t}_cand c CROSS JOIN tal_t{t}_size s"
            ),
        );
        q.cte(
            format!("tal_t{t}_over"),
            format!(
                "SELECT tal_domain, tal_pos, tal_matched, COALESCE(tal_demoted, tal_matched) AS tal_demoted FROM tal_t{t}_rank WHERE NOT tal_stays"
            ),
        );
        let per_account = q.spec.tiers[t].per_account;
        let left = match (q.spec.budget.total, per_account) {
            (Some(_), Some(per_account)) => format!(
                "s.tal_left - (s.tal_pinned + (SELECT COUNT(*) FROM tal_t{t}_rank WHERE tal_stays)) * {}",
                q.number(per_account)
            ),
            _ => "s.tal_left".to_string(),
        };
        q.cte(
            format!("tal_budget_{}", t + 1),
            format!("SELECT CAST({left} AS {double}) AS tal_left FROM tal_t{t}_size s"),
        );
        caps.push(format!(
            "SELECT {t} AS tal_tier, tal_cap, tal_bound FROM tal_t{t}_size"
        ));
    }
    if caps.is_empty() {
        caps.push(format!(
            "SELECT {} AS tal_tier, {} AS tal_cap, {} AS tal_bound FROM (SELECT 1 AS tal_one) tal_x WHERE 1 = 0",
            q.null(bigint),
            q.null(bigint),
            q.null(d.text())
        ));
    }
    q.cte("tal_caps", caps.join("\nUNION ALL\n"));
}

fn status(q: &mut Query) {
    let d = q.dialect;
    let bigint = d.bigint();
    let n = q.spec.tiers.len();
    let mut seats = vec![format!(
        "SELECT tal_domain, tal_pin AS tal_seat, CAST(NULL AS {bigint}) AS tal_demoted FROM tal_ranked WHERE tal_pin >= 0"
    )];
    for t in 0..n {
        seats.push(format!(
            "SELECT tal_domain, {t} AS tal_seat, tal_demoted FROM tal_t{t}_rank WHERE tal_stays"
        ));
    }
    q.cte("tal_seats", seats.join("\nUNION ALL\n"));
    let waitlist = if n > 0 {
        format!("SELECT tal_domain, tal_demoted FROM tal_t{}_over", n - 1)
    } else {
        format!(
            "SELECT {} AS tal_domain, {} AS tal_demoted FROM (SELECT 1 AS tal_one) tal_x WHERE 1 = 0",
            q.null(d.text()),
            q.null(bigint)
        )
    };
    q.cte("tal_waitlist", waitlist);
    // 0: in the TAL; 1 Excluded, 2 Unassigned, 3 Waitlist (the order
    // `tal score --all` lists them in).
    q.cte(
        "tal_placed",
        "SELECT c.*, r.tal_pos, s.tal_seat, COALESCE(s.tal_demoted, w.tal_demoted) AS tal_demoted_from,\n  CASE WHEN s.tal_seat IS NOT NULL THEN 0 WHEN c.tal_pin = -1 OR c.tal_excluded_by IS NOT NULL THEN 1 WHEN c.tal_cand IS NOT NULL THEN 3 ELSE 2 END AS tal_status\nFROM tal_cands c\nLEFT JOIN tal_ranked r ON r.tal_domain = c.tal_domain\nLEFT JOIN tal_seats s ON s.tal_domain = c.tal_domain\nLEFT JOIN tal_waitlist w ON w.tal_domain = c.tal_domain",
    );
    let names: Vec<String> = (q.spec.tiers.iter().enumerate())
        .map(|(t, tier)| format!("WHEN {t} THEN {}", q.string(&tier.name)))
        .collect();
    let tier_name = |seat: &str| {
        if names.is_empty() {
            q.null(d.text())
        } else {
            format!("CASE {seat} {} END", names.join(" "))
        }
    };
    let text = d.text();
    q.cte(
        "tal_status",
        format!(
            "SELECT p.*,\n  CASE WHEN p.tal_status = 0 THEN {} WHEN p.tal_status = 1 THEN 'Excluded' WHEN p.tal_status = 2 THEN 'Unassigned' ELSE 'Waitlist' END AS tal_tier,\n  CAST(p.tal_seat + 1 AS {}) AS tal_tier_number,\n  CASE WHEN p.tal_seat IS NOT NULL THEN 'tier_' || CAST(p.tal_seat + 1 AS {text}) END AS tal_tier_code,\n  (p.tal_seat IS NOT NULL) AS tal_in_tal,\n  CASE WHEN p.tal_seat IS NOT NULL THEN ROW_NUMBER() OVER (PARTITION BY CASE WHEN p.tal_seat IS NULL THEN 1 ELSE 0 END ORDER BY p.tal_seat, p.tal_pos) END AS tal_rank\nFROM tal_placed p",
            tier_name("p.tal_seat"),
            d.double(),
        ),
    );
}
