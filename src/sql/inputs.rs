//! The inputs in SQL: each input's rows numbered in file order with the key
//! as a domain and the fields typed (`tal_in_<i>`); the account universe
//! merged from the account inputs (`tal_accounts`); the intent and
//! activity rows in scope and the signals they give (`tal_intent`,
//! `tal_engagement`, ...).
//!
//! An input without `table` is the relation named after it, as `tal
//! export` writes it: `_row`, `domain` (normalised; null for a rejected
//! row) and one typed column per field, named after the field. An input
//! with `table` is the user's table: its key column is normalised here
//! (SPEC.md "Keys"), its number columns safely cast, its text trimmed, and
//! its rows ordered by `order_by`, else by the key then every mapped column.

use anyhow::Result;

use super::names::{ident, relation};
use super::Query;
use crate::expr::Type;
use crate::spec::{Input, InputKind};

/// The 25 Unicode White_Space characters besides those `\s` covers.
const WIDE_SPACES: &str =
    "\u{a0}\u{1680}\u{2000}\u{2001}\u{2002}\u{2003}\u{2004}\u{2005}\u{2006}\u{2007}\u{2008}\u{2009}\u{200a}\u{2028}\u{2029}\u{202f}\u{205f}\u{3000}\u{85}";

pub fn write(q: &mut Query) -> Result<()> {
    for (i, input) in q.spec.inputs.iter().enumerate() {
        let body = input_relation(q, input);
        q.cte(format!("tal_in_{i}"), body);
    }
    accounts(q);
    intent(q);
    engagement(q);
    signals(q);
    Ok(())
}

/// The SQL type of a field type.
pub fn sql_type(q: &Query, ty: Type) -> &'static str {
    match ty {
        Type::Number => q.dialect.double(),
        Type::Bool => "BOOLEAN",
        Type::Date => "DATE",
        Type::Text | Type::List => q.dialect.text(),
    }
}

/// The query's name for a field of an input: account fields by
/// [`super::names::Names`], intent and activity fields by their role.
fn field_name(q: &Query, input: &Input, field: &str) -> String {
    match input.kind {
        InputKind::Account => q.names.field(field),
        _ => format!("tal_{field}"),
    }
}

fn input_relation(q: &Query, input: &Input) -> String {
    let d = q.dialect;
    match &input.table {
        None => {
            let mut columns = vec![
                format!("CAST({} AS {}) AS tal_row", ident(d, "_row"), d.bigint()),
                format!("{} AS tal_domain", ident(d, "domain")),
            ];
            for field in &input.fields {
                let column = ident(d, &field.name);
                let value = match field.ty {
                    Type::Number => format!("CAST({column} AS {})", d.double()),
                    _ => column,
                };
                columns.push(format!("{value} AS {}", field_name(q, input, &field.name)));
            }
            format!(
                "SELECT {}\nFROM {}",
                columns.join(",\n  "),
                relation(d, &input.name)
            )
        }
        Some(table) => {
            let key = ident(d, &input.key_column);
            let mut order = match &table.order_by {
                Some(column) => vec![ident(d, column)],
                None => vec![key.clone()],
            };
            if table.order_by.is_none() {
                order.extend(input.fields.iter().map(|f| ident(d, &f.column)));
            }
            let order: Vec<String> = order
                .iter()
                .map(|c| format!("{c} ASC NULLS LAST"))
                .collect();
            let mut columns = vec![
                format!(
                    "ROW_NUMBER() OVER (ORDER BY {}) AS tal_row",
                    order.join(", ")
                ),
                format!("{} AS tal_domain", domain_of(q, &key)),
            ];
            for field in &input.fields {
                let column = ident(d, &field.column);
                let value = typed(q, &column, field.ty, field.scale);
                columns.push(format!("{value} AS {}", field_name(q, input, &field.name)));
            }
            format!(
                "SELECT {}\nFROM {}",
                columns.join(",\n  "),
                relation(d, &table.name)
            )
        }
    }
}

/// Text trimmed of Unicode white space; empty as null.
fn trimmed(q: &Query, text: &str) -> String {
    let class = format!("[\\s{WIDE_SPACES}]");
    let pattern = format!("^{class}+|{class}+$");
    format!(
        "NULLIF({}, '')",
        q.dialect.regexp_replace(
            &format!("CAST({text} AS {})", q.dialect.text()),
            &pattern,
            ""
        )
    )
}

/// A table's column read as a field of type `ty` (SPEC.md "Fields and
/// types"; lenient number parsing is not redone: a column that is no plain
/// number is null).
fn typed(q: &Query, column: &str, ty: Type, scale: Option<f64>) -> String {
    match ty {
        Type::Number => {
            let n = q.dialect.to_number(column);
            match scale {
                Some(scale) => format!("({n} * {})", q.number(scale)),
                None => n,
            }
        }
        Type::Text => trimmed(q, column),
        Type::Date => format!("CAST({column} AS DATE)"),
        Type::Bool => {
            let word = format!("LOWER({})", trimmed(q, column));
            let yes = ["true", "yes", "y", "1", "t", "sim", "是"];
            let no = ["false", "no", "n", "0", "f", "não", "nao", "否"];
            let list = |words: &[&str]| {
                words
                    .iter()
                    .map(|w| q.string(w))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            format!(
                "CASE WHEN {word} IN ({}) THEN TRUE WHEN {word} IN ({}) THEN FALSE END",
                list(&yes),
                list(&no)
            )
        }
        Type::List => {
            // Split on ; , or |, items trimmed, empty ones dropped, joined
            // with "; " as `tal export` writes lists.
            let d = q.dialect;
            let text = d.regexp_replace(&trimmed(q, column), "\\s*[;,|][\\s;,|]*", "; ");
            let text = d.regexp_replace(&text, "^(; )+|(; )+$", "");
            format!("NULLIF({text}, '')")
        }
    }
}

/// A key cell as a domain (SPEC.md "Keys"), null when it is none.
pub fn domain_of(q: &Query, key: &str) -> String {
    let d = q.dialect;
    let mut s = format!("LOWER({})", trimmed(q, key));
    for (pattern, replacement) in [
        ("^https?://", ""),
        ("^[^/?#]*@", ""),
        ("^www[.]", ""),
        ("[/?#:].*$", ""),
        ("[.]$", ""),
    ] {
        s = d.regexp_replace(&s, pattern, replacement);
    }
    format!("CASE WHEN {s} LIKE '%.%' THEN {s} END")
}

/// The order of an input's row among all rows of its kind: input, then row.
fn order(input: usize) -> String {
    format!("({input} * 10000000000 + tal_row)")
}

fn accounts(q: &mut Query) {
    let d = q.dialect;
    let fields: Vec<(String, Type)> = (q.spec.fields.iter())
        .map(|(name, ty)| (name.clone(), *ty))
        .collect();
    let mut parts = Vec::new();
    for (i, input) in q.spec.inputs.iter().enumerate() {
        if input.kind != InputKind::Account {
            continue;
        }
        let mut columns = vec![
            format!("{} AS tal_order", order(i)),
            "tal_domain".to_string(),
        ];
        for (name, ty) in &fields {
            let column = q.names.field(name);
            if input.fields.iter().any(|f| f.name == *name) {
                columns.push(column);
            } else {
                columns.push(format!("{} AS {column}", q.null(sql_type(q, *ty))));
            }
        }
        parts.push(format!(
            "SELECT {} FROM tal_in_{i} WHERE tal_domain IS NOT NULL",
            columns.join(", ")
        ));
    }
    q.cte("tal_account_rows", parts.join("\nUNION ALL\n"));
    let mut columns = vec!["tal_domain".to_string()];
    for (name, _) in &fields {
        let column = q.names.field(name);
        columns.push(format!("{} AS {column}", d.first_by(&column, "tal_order")));
    }
    q.cte(
        "tal_accounts",
        format!(
            "SELECT {}\nFROM tal_account_rows\nGROUP BY tal_domain",
            columns.join(",\n  ")
        ),
    );
}

/// What [`rows_in_scope`] selects beside the domain and the order.
struct Scope<'s> {
    /// The input's own columns (`tal_topic`...); null where not mapped.
    columns: &'s [&'s str],
    /// More selected expressions, a join and a condition.
    select: String,
    join: String,
    filter: String,
    /// The ages (as-of minus date, in days) that are in the window.
    ages: (i64, i64),
}

/// The rows of the inputs of `kind` in scope: matched to an account, with a
/// date and in the window, plus what `scope` adds.
fn rows_in_scope(q: &Query, kind: InputKind, scope: &Scope) -> String {
    let d = q.dialect;
    let mut parts = Vec::new();
    for (i, input) in q.spec.inputs.iter().enumerate() {
        if input.kind != kind {
            continue;
        }
        let mut selected = vec!["r.tal_domain".to_string(), "r.tal_date".to_string()];
        for column in scope.columns {
            let mapped = input
                .fields
                .iter()
                .any(|f| format!("tal_{}", f.name) == *column);
            selected.push(if mapped {
                format!("r.{column}")
            } else {
                format!("{} AS {column}", q.null(d.text()))
            });
        }
        selected.push(format!(
            "{} AS tal_order",
            order(i).replace("tal_row", "r.tal_row")
        ));
        if !scope.select.is_empty() {
            selected.push(scope.select.clone());
        }
        let age = d.days_between("r.tal_date", &q.as_of());
        parts.push(format!(
            "SELECT {}\nFROM tal_in_{i} r JOIN tal_accounts a ON a.tal_domain = r.tal_domain{}\nWHERE r.tal_date IS NOT NULL AND {age} BETWEEN {} AND {}{}",
            selected.join(", "),
            scope.join,
            scope.ages.0,
            scope.ages.1,
            scope.filter
        ));
    }
    parts.join("\nUNION ALL\n")
}

fn has_input(q: &Query, kind: InputKind) -> bool {
    q.spec.inputs.iter().any(|i| i.kind == kind)
}

fn intent(q: &mut Query) {
    if !has_input(q, InputKind::Intent) {
        return;
    }
    let spec = &q.spec.intent;
    let listed: Vec<String> = spec.topics.iter().map(|t| t.to_lowercase()).collect();
    let mut filter = " AND r.tal_score IS NOT NULL".to_string();
    if !listed.is_empty() {
        let items: Vec<String> = listed.iter().map(|t| q.string(t)).collect();
        filter.push_str(&format!(
            " AND LOWER(r.tal_topic) IN ({})",
            items.join(", ")
        ));
    }
    let rows = rows_in_scope(
        q,
        InputKind::Intent,
        &Scope {
            columns: &["tal_topic", "tal_score"],
            select: String::new(),
            join: String::new(),
            filter,
            ages: (0, spec.window_days - 1),
        },
    );
    q.cte("tal_intent_rows", rows);
    q.cte(
        "tal_intent_best",
        "SELECT tal_domain, MAX(tal_score) AS tal_intent_score FROM tal_intent_rows GROUP BY tal_domain",
    );
    // Listed topics are spelt as the spec lists them, others as first seen.
    let spelling = if spec.topics.is_empty() {
        "tal_topic".to_string()
    } else {
        let cases: Vec<String> = (spec.topics.iter())
            .map(|t| format!("WHEN {} THEN {}", q.string(&t.to_lowercase()), q.string(t)))
            .collect();
        format!(
            "CASE LOWER(tal_topic) {} ELSE tal_topic END",
            cases.join(" ")
        )
    };
    let d = q.dialect;
    q.cte(
        "tal_intent_groups",
        format!(
            "SELECT tal_domain, tal_key, MAX(tal_score) AS tal_best, {} AS tal_spelling\nFROM (SELECT tal_domain, LOWER(tal_topic) AS tal_key, tal_score, {spelling} AS tal_spelt, tal_order FROM tal_intent_rows WHERE tal_topic IS NOT NULL AND tal_score >= {}) tal_x\nGROUP BY tal_domain, tal_key",
            d.first_by("tal_spelt", "tal_order"),
            q.number(spec.threshold)
        ),
    );
    q.cte(
        "tal_intent",
        format!(
            "SELECT tal_domain, {} AS tal_intent_topics, COUNT(*) AS tal_intent_topic_count\nFROM tal_intent_groups\nGROUP BY tal_domain",
            d.ordered_join(
                "tal_spelling",
                "; ",
                &[("tal_best".to_string(), true), (q.bytes("tal_key"), false)]
            )
        ),
    );
}

fn engagement(q: &mut Query) {
    if !has_input(q, InputKind::Engagement) {
        return;
    }
    let d = q.dialect;
    let spec = &q.spec.engagement;
    let window = spec.window_days;
    // ½^(age / half-life) for every age in the window, as literals.
    if let Some(half_life) = spec.half_life_days {
        let rows: Vec<String> = (0..=window.clamp(0, 3660))
            .map(|age| {
                let factor = 0.5f64.powf(age as f64 / half_life);
                format!(
                    "SELECT {age} AS tal_age, {} AS tal_factor",
                    q.number(factor)
                )
            })
            .collect();
        q.cte("tal_decay", rows.join("\nUNION ALL\n"));
    }
    let points: Vec<String> = (spec.points.iter())
        .map(|(kind, p)| format!("WHEN {} THEN {}", q.string(kind), q.number(*p)))
        .collect();
    let points = if points.is_empty() {
        q.number(0.0)
    } else {
        format!(
            "(CASE LOWER(r.tal_type) {} ELSE {} END)",
            points.join(" "),
            q.number(0.0)
        )
    };
    let weights: Vec<String> = (spec.persona_weights.iter())
        .map(|(persona, w)| format!("WHEN {} THEN {}", q.string(persona), q.number(*w)))
        .collect();
    let weight = if weights.is_empty() {
        q.number(1.0)
    } else {
        format!(
            "(CASE LOWER(r.tal_persona) {} ELSE {} END)",
            weights.join(" "),
            q.number(1.0)
        )
    };
    let free_mail = free_mail(q, "r.tal_domain");
    let age = d.days_between("r.tal_date", &q.as_of());
    let (decay, join) = match spec.half_life_days {
        Some(_) => (
            "k.tal_factor",
            format!(" JOIN tal_decay k ON k.tal_age = {age}"),
        ),
        None => ("1", String::new()),
    };
    let decay = match spec.half_life_days {
        Some(_) => decay.to_string(),
        None => q.number(1.0),
    };
    let rows = rows_in_scope(
        q,
        InputKind::Engagement,
        &Scope {
            columns: &["tal_type", "tal_persona"],
            select: format!("{points} * {weight} * {decay} AS tal_points"),
            join,
            filter: format!(" AND NOT {free_mail}"),
            ages: (0, window),
        },
    );
    q.cte("tal_activity_rows", rows);
    q.cte(
        "tal_engagement",
        format!(
            "SELECT tal_domain, {} AS tal_engagement_score, MAX(tal_date) AS tal_last_engaged\nFROM tal_activity_rows\nGROUP BY tal_domain",
            q.round("SUM(tal_points)", 2)
        ),
    );
    q.cte(
        "tal_persona_groups",
        format!(
            "SELECT tal_domain, tal_key, {} AS tal_spelling\nFROM (SELECT tal_domain, LOWER(tal_persona) AS tal_key, tal_persona, tal_order FROM tal_activity_rows WHERE tal_persona IS NOT NULL) tal_x\nGROUP BY tal_domain, tal_key",
            d.first_by("tal_persona", "tal_order")
        ),
    );
    q.cte(
        "tal_personas",
        format!(
            "SELECT tal_domain, {} AS tal_personas_engaged\nFROM tal_persona_groups\nGROUP BY tal_domain",
            d.ordered_join(
                "tal_spelling",
                "; ",
                &[(q.bytes("tal_key"), false), (q.bytes("tal_spelling"), false)]
            )
        ),
    );
}

/// Whether a domain is a free-mail provider (SPEC.md "Keys").
fn free_mail(q: &Query, domain: &str) -> String {
    let listed: Vec<String> = (crate::value::FREE_MAIL.iter())
        .map(|d| q.string(d))
        .collect();
    format!(
        "({domain} IN ({}) OR {} OR {})",
        listed.join(", "),
        q.dialect
            .regexp_matches(domain, "^yahoo[.](com|((co|com)[.])?[a-z][a-z])$"),
        q.dialect
            .regexp_matches(domain, "^gmx[.]([a-z][a-z]+|(co|com)[.][a-z][a-z])$")
    )
}

/// The accounts with their intent and engagement signals.
fn signals(q: &mut Query) {
    let zero = q.number(0.0);
    let intent = has_input(q, InputKind::Intent);
    let engagement = has_input(q, InputKind::Engagement);
    let intent_score = if intent {
        format!("COALESCE(ib.tal_intent_score, {zero})")
    } else {
        zero.clone()
    };
    let engagement_score = if engagement {
        format!("COALESCE(e.tal_engagement_score, {zero})")
    } else {
        zero.clone()
    };
    let engaged = match q.spec.engagement.threshold {
        Some(t) => format!("({engagement_score} >= {})", q.number(t)),
        None => format!("({engagement_score} > {zero})"),
    };
    let text = q.dialect.text();
    let mut columns = vec![
        "a.*".to_string(),
        format!("{intent_score} AS tal_intent_score"),
        format!(
            "({intent_score} >= {}) AS tal_intent",
            q.number(q.spec.intent.threshold)
        ),
    ];
    let mut joins = Vec::new();
    if intent {
        columns.push("it.tal_intent_topics".to_string());
        columns.push(format!(
            "CAST(COALESCE(it.tal_intent_topic_count, 0) AS {}) AS tal_intent_topic_count",
            q.dialect.bigint()
        ));
        joins.push("LEFT JOIN tal_intent_best ib ON ib.tal_domain = a.tal_domain");
        joins.push("LEFT JOIN tal_intent it ON it.tal_domain = a.tal_domain");
    } else {
        columns.push(format!("{} AS tal_intent_topics", q.null(text)));
        columns.push(format!(
            "CAST(0 AS {}) AS tal_intent_topic_count",
            q.dialect.bigint()
        ));
    }
    columns.push(format!("{engagement_score} AS tal_engagement_score"));
    columns.push(format!("{engaged} AS tal_engaged"));
    if engagement {
        columns.push("e.tal_last_engaged".to_string());
        columns.push("p.tal_personas_engaged".to_string());
        joins.push("LEFT JOIN tal_engagement e ON e.tal_domain = a.tal_domain");
        joins.push("LEFT JOIN tal_personas p ON p.tal_domain = a.tal_domain");
    } else {
        columns.push(format!("{} AS tal_last_engaged", q.null("DATE")));
        columns.push(format!("{} AS tal_personas_engaged", q.null(text)));
    }
    q.cte(
        "tal_signals",
        format!(
            "SELECT {}\nFROM tal_accounts a\n{}",
            columns.join(",\n  "),
            joins.join("\n")
        ),
    );
}
