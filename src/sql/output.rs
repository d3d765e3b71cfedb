//! The TAL in SQL: segments (SPEC.md step 5), the `reasons` sentence (as
//! `engine::reasons` writes it), and the final SELECT of `tal score`'s
//! columns, typed for a warehouse table, in its order.

use super::Query;
use crate::expr::{Column, Type};
use crate::spec::plan;

pub fn write(q: &mut Query, all: bool) {
    segments(q);
    let reasons = reasons(q);
    select(q, &reasons, all);
}

/// A value as `tal` shows it (`engine::segments::Values`): numbers
/// without decimals when whole, fit and engagement with fixed places,
/// bools as true/false, dates as ISO.
fn display(q: &Query, column: &Column, ty: Type) -> String {
    let name = q.names.column(column);
    let text = q.dialect.text();
    match column {
        Column::Signal(s) if s == "fit" => return q.fixed_text(&name, 1),
        Column::Signal(s) if s == "engagement_score" => return q.fixed_text(&name, 2),
        _ => {}
    }
    match ty {
        Type::Number => format!(
            "CASE WHEN {name} IS NOT NULL THEN {} END",
            q.number_text(&name)
        ),
        Type::Bool => format!("CASE WHEN {name} THEN 'true' WHEN NOT {name} THEN 'false' END"),
        Type::Date => format!("CAST({name} AS {text})"),
        Type::Text | Type::List => name,
    }
}

fn segments(q: &mut Query) {
    let d = q.dialect;
    let mut labels = Vec::new();
    for (s, (segment, rule)) in q.spec.segments.iter().zip(&q.plan.segments).enumerate() {
        let mut members = "tal_seat IS NOT NULL".to_string();
        if !segment.tiers.is_empty() {
            let seats: Vec<String> = (segment.tiers.iter())
                .filter_map(|name| q.spec.tier_index(name))
                .map(|t| t.to_string())
                .collect();
            members.push_str(&format!(" AND tal_seat IN ({})", seats.join(", ")));
        }
        match rule {
            plan::Segment::When(cond) => labels.push(format!(
                "SELECT tal_domain, {s} AS tal_seg, 0 AS tal_pos, {} AS tal_label FROM tal_status WHERE {members} AND {}",
                q.string(&segment.name),
                q.cond().cond(cond)
            )),
            plan::Segment::GroupBy(column, ty) => {
                let value = display(q, column, *ty);
                q.cte(
                    format!("tal_m{s}"),
                    format!("SELECT tal_domain, {value} AS tal_v FROM tal_status WHERE {members} AND {value} IS NOT NULL"),
                );
                let values = if *ty == Type::List {
                    format!(
                        "SELECT tal_domain, tal_item AS tal_v, tal_pos FROM ({}) tal_e",
                        d.explode(&format!("tal_m{s}"), "tal_domain", "tal_v")
                    )
                } else {
                    format!("SELECT tal_domain, tal_v, 0 AS tal_pos FROM tal_m{s}")
                };
                // A group is spelt as its first account by domain spells it.
                q.cte(
                    format!("tal_g{s}"),
                    format!(
                        "SELECT tal_domain, tal_pos, FIRST_VALUE(tal_v) OVER (PARTITION BY LOWER(tal_v) ORDER BY {}, tal_pos ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS tal_spelling\nFROM ({values}) tal_x",
                        q.bytes("tal_domain")
                    ),
                );
                labels.push(format!(
                    "SELECT tal_domain, {s} AS tal_seg, tal_pos, {} || tal_spelling AS tal_label FROM tal_g{s}",
                    q.string(&format!("{}: ", segment.name))
                ));
            }
        }
    }
    if labels.is_empty() {
        q.cte(
            "tal_segments",
            format!(
                "SELECT {} AS tal_domain, {} AS tal_segments FROM (SELECT 1 AS tal_one) tal_x WHERE 1 = 0",
                q.null(d.text()),
                q.null(d.text())
            ),
        );
        return;
    }
    q.cte("tal_labels", labels.join("\nUNION ALL\n"));
    // Each label once per account, where it first came.
    q.cte(
        "tal_label_order",
        "SELECT tal_domain, tal_label, MIN(tal_seg * 1000000 + tal_pos) AS tal_order FROM tal_labels GROUP BY tal_domain, tal_label",
    );
    q.cte(
        "tal_segments",
        format!(
            "SELECT tal_domain, {} AS tal_segments FROM tal_label_order GROUP BY tal_domain",
            d.ordered_join("tal_label", "; ", &[("tal_order".to_string(), false)])
        ),
    );
}

/// `CASE x WHEN 0 THEN 'a' WHEN 1 THEN 'b' END` over a list of names.
fn by_index(q: &Query, x: &str, names: &[String]) -> String {
    if names.is_empty() {
        return q.null(q.dialect.text());
    }
    let cases: Vec<String> = (names.iter().enumerate())
        .map(|(i, name)| format!("WHEN {i} THEN {}", q.string(name)))
        .collect();
    format!("CASE {x} {} END", cases.join(" "))
}

/// The `reasons` sentence of the account `s` of `tal_status` (written in
/// the final SELECT: a CTE of its own would be one more copy of the whole
/// plan where an engine inlines CTEs).
fn reasons(q: &Query) -> String {
    let spec = q.spec;
    let tiers: Vec<String> = spec.tiers.iter().map(|t| t.name.clone()).collect();
    let excludes: Vec<String> = spec.excludes.iter().map(|e| e.name.clone()).collect();
    let mut parts = Vec::new();
    // A pin: "pinned to Tier 1 by Dana (reason)".
    parts.push(format!(
        "CASE WHEN s.tal_pin IS NOT NULL THEN 'pinned to ' || CASE WHEN s.tal_pin = -1 THEN 'Excluded' ELSE {} END || CASE WHEN COALESCE(s.tal_owner, '') <> '' THEN ' by ' || s.tal_owner ELSE '' END || CASE WHEN COALESCE(s.tal_reason, '') <> '' THEN ' (' || s.tal_reason || ')' ELSE '' END END",
        by_index(q, "s.tal_pin", &tiers)
    ));
    parts.push(format!(
        "CASE WHEN s.tal_status = 1 AND s.tal_pin IS NULL AND s.tal_excluded_by IS NOT NULL THEN 'excluded: ' || {} END",
        by_index(q, "s.tal_excluded_by", &excludes)
    ));
    parts.push("CASE WHEN s.tal_status = 2 THEN 'no tier rule held' END".to_string());
    // "fit 82.0 (Target industry +30, Company size +20)".
    let earned: Vec<String> = (spec.fit.criteria.iter().enumerate())
        .map(|(i, c)| {
            format!(
                "CASE WHEN s.tal_c{i} <> 0 THEN {} || {} END",
                q.string(&format!("{} +", c.name)),
                q.number_text(&format!("s.tal_c{i}"))
            )
        })
        .collect();
    let mut fit = format!("'fit ' || {}", q.fixed_text("s.tal_fit", 1));
    if !earned.is_empty() {
        let any: Vec<String> = (0..earned.len())
            .map(|i| format!("s.tal_c{i} <> 0"))
            .collect();
        fit.push_str(&format!(
            " || CASE WHEN {} THEN ' (' || {} || ')' ELSE '' END",
            any.join(" OR "),
            q.dialect.join_non_null(&earned, ", ")
        ));
    }
    parts.push(fit);
    // "ACV 120000 large (from acv)".
    let mut sources = vec![format!(
        "WHEN -1 THEN {}",
        q.string(&format!(
            "from {}",
            spec.acv.from.as_deref().unwrap_or("acv")
        ))
    )];
    for (e, (when, _)) in spec.acv.estimate.iter().enumerate() {
        sources.push(format!(
            "WHEN {e} THEN {}",
            q.string(&format!("estimate: {}", when.source))
        ));
    }
    parts.push(format!(
        "'ACV ' || {} || ' ' || s.tal_acv_band || ' (' || CASE s.tal_acv_source {} ELSE 'default' END || ')'",
        q.number_text("s.tal_acv"),
        sources.join(" ")
    ));
    let score = q.number_text("s.tal_intent_score");
    parts.push(format!(
        "CASE WHEN s.tal_intent_score >= {t} AND s.tal_intent_topics IS NOT NULL THEN 'intent ' || {score} || ' (' || REPLACE(s.tal_intent_topics, '; ', ', ') || ')' WHEN s.tal_intent_score > {zero} THEN 'intent ' || {score} || ' (below ' || {threshold} || ')' ELSE 'no intent' END",
        t = q.number(spec.intent.threshold),
        zero = q.number(0.0),
        threshold = q.string(&crate::format::number(spec.intent.threshold)),
    ));
    let engagement = q.fixed_text("s.tal_engagement_score", 2);
    parts.push(format!(
        "CASE WHEN s.tal_engaged THEN 'engaged ' || {engagement} WHEN s.tal_last_engaged IS NOT NULL THEN 'engagement ' || {engagement} || ' (not engaged)' ELSE 'no engagement' END"
    ));
    // "pushed down from Tier 1 to Tier 2 (Tier 1 holds 30, bound by sellers)".
    let to = format!(
        "CASE WHEN s.tal_seat IS NOT NULL THEN {} ELSE 'Waitlist' END",
        by_index(q, "s.tal_seat", &tiers)
    );
    let from = by_index(q, "s.tal_demoted_from", &tiers);
    parts.push(format!(
        "CASE WHEN s.tal_demoted_from IS NOT NULL THEN 'pushed down from ' || {from} || ' to ' || {to} || CASE WHEN s.tal_from_cap IS NOT NULL THEN ' (' || {from} || ' holds ' || CAST(s.tal_from_cap AS {}) || ', bound by ' || s.tal_from_bound || ')' ELSE '' END END",
        q.dialect.text()
    ));
    q.dialect.join_non_null(&parts, "; ")
}

fn select(q: &mut Query, reasons: &str, all: bool) {
    let d = q.dialect;
    let text = d.text();
    let tiers = &q.spec.tiers;
    let per_tier = |value: &dyn Fn(&crate::spec::Tier) -> &str| {
        let cases: Vec<String> = (tiers.iter().enumerate())
            .filter(|(_, tier)| !value(tier).is_empty())
            .map(|(t, tier)| format!("WHEN {t} THEN {}", q.string(value(tier))))
            .collect();
        if cases.is_empty() {
            q.null(text)
        } else {
            format!("CASE s.tal_seat {} END", cases.join(" "))
        }
    };
    let field = |name: &str| match q.spec.fields.get(name) {
        Some(ty) => display(q, &Column::Field(name.to_string()), *ty),
        None => q.null(text),
    };
    let columns: Vec<(String, &str)> = vec![
        ("s.tal_rank".to_string(), "rank"),
        ("s.tal_tier".to_string(), "tier"),
        (per_tier(&|t| t.label.as_str()), "tier_label"),
        (per_tier(&|t| t.style.as_str()), "style"),
        (field("account_id"), "account_id"),
        (field("name"), "name"),
        ("s.tal_domain".to_string(), "domain"),
        ("s.tal_fit".to_string(), "fit"),
        ("s.tal_fit_grade".to_string(), "fit_grade"),
        ("s.tal_acv".to_string(), "acv"),
        ("s.tal_acv_band".to_string(), "acv_band"),
        ("s.tal_intent_score".to_string(), "intent_score"),
        ("s.tal_intent_topics".to_string(), "intent_topics"),
        ("s.tal_intent_topic_count".to_string(), "intent_topic_count"),
        ("s.tal_engagement_score".to_string(), "engagement_score"),
        ("s.tal_last_engaged".to_string(), "last_engaged"),
        ("s.tal_personas_engaged".to_string(), "personas_engaged"),
        ("s.tal_stage".to_string(), "stage"),
        ("g.tal_segments".to_string(), "segments"),
        (
            format!(
                "CASE WHEN s.tal_demoted_from IS NOT NULL THEN {} END",
                by_index(
                    q,
                    "s.tal_demoted_from",
                    &tiers.iter().map(|t| t.name.clone()).collect::<Vec<_>>()
                )
            ),
            "demoted_from",
        ),
        (reasons.to_string(), "reasons"),
    ];
    let list: Vec<String> = columns
        .iter()
        .map(|(value, name)| format!("{value} AS {}", d.quote(name)))
        .collect();
    let filter = if all {
        ""
    } else {
        "\nWHERE s.tal_seat IS NOT NULL"
    };
    q.select = format!(
        "SELECT\n  {}\nFROM tal_status s\nLEFT JOIN tal_segments g ON g.tal_domain = s.tal_domain{filter}\nORDER BY s.tal_status, s.tal_rank, {}",
        list.join(",\n  "),
        q.bytes("s.tal_domain")
    );
}
