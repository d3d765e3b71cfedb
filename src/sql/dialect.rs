//! Where the five SQL dialects differ, one hook per construct. Everything
//! else the emitter writes is SQL all five read alike (CTEs, CASE,
//! COALESCE, window functions, `||`, `IN`, DATE literals).
//!
//! The hooks: quoting identifiers and strings (backslash is an escape in
//! Spark, BigQuery and Snowflake string literals); the types numbers are cast
//! to; a safe cast of text to a number; days between two dates; the first
//! non-null value of a group in an order; ordered string aggregation; joining
//! the parts that are not null; a substring test; regular expressions; byte
//! order for text (Postgres compares by its collation unless told `"C"`);
//! exploding a `; `-joined list with the items' positions.

use std::fmt::Write;

/// The SQL engines `tal sql` writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DialectName {
    Duckdb,
    Postgres,
    Spark,
    Bigquery,
    Snowflake,
}

impl DialectName {
    pub fn dialect(self) -> &'static dyn Dialect {
        match self {
            DialectName::Duckdb => &DuckDb,
            DialectName::Postgres => &Postgres,
            DialectName::Spark => &Spark,
            DialectName::Bigquery => &BigQuery,
            DialectName::Snowflake => &Snowflake,
        }
    }
}

/// One engine's spelling of the constructs that differ.
pub trait Dialect: Sync {
    fn name(&self) -> &'static str;

    /// An identifier, quoted.
    fn quote(&self, ident: &str) -> String {
        format!("\"{}\"", ident.replace('"', "\"\""))
    }

    /// A string literal.
    fn string(&self, text: &str) -> String {
        format!("'{}'", text.replace('\'', "''"))
    }

    fn double(&self) -> &'static str {
        "DOUBLE"
    }

    fn bigint(&self) -> &'static str {
        "BIGINT"
    }

    fn text(&self) -> &'static str {
        "VARCHAR"
    }

    /// The floor of a double that is at least 0 (Spark's FLOOR gives a
    /// BIGINT, and fails past its range).
    fn floor(&self, x: &str) -> String {
        format!("FLOOR({x})")
    }

    /// `expr` (of any type) as a double; null when it is no plain number.
    fn to_number(&self, expr: &str) -> String {
        format!("TRY_CAST({expr} AS {})", self.double())
    }

    /// Whole days from date `from` to date `to`.
    fn days_between(&self, from: &str, to: &str) -> String;

    /// Aggregate: the `value` of the group's first row by `order` among the
    /// rows where it is not null.
    fn first_by(&self, value: &str, order: &str) -> String;

    /// Aggregate: the group's `value`s joined by `separator`, sorted by
    /// `order` (expression, descending).
    fn ordered_join(&self, value: &str, separator: &str, order: &[(String, bool)]) -> String;

    /// The parts that are not null, joined by `separator` (empty: '').
    fn join_non_null(&self, parts: &[String], separator: &str) -> String {
        format!(
            "COALESCE(CONCAT_WS({}, {}), '')",
            self.string(separator),
            parts.join(", ")
        )
    }

    /// Whether `haystack` contains the text of `needle` (both expressions).
    fn contains(&self, haystack: &str, needle: &str) -> String {
        format!("(STRPOS({haystack}, {needle}) > 0)")
    }

    /// Every match of `pattern` in `text` replaced by `replacement`.
    fn regexp_replace(&self, text: &str, pattern: &str, replacement: &str) -> String {
        format!(
            "REGEXP_REPLACE({text}, {}, {}, 'g')",
            self.string(pattern),
            self.string(replacement)
        )
    }

    /// Whether `pattern` matches somewhere in `text`.
    fn regexp_matches(&self, text: &str, pattern: &str) -> String;

    /// Text compared and sorted by its bytes (UTF-8 code point order).
    fn bytes(&self, text: &str) -> String {
        text.to_string()
    }

    /// A query giving one row per item of the `; `-joined text column
    /// `list` of `relation`: `tal_domain` (its column `key`), `tal_item` and
    /// `tal_pos` (the item's 1-based position).
    fn explode(&self, relation: &str, key: &str, list: &str) -> String;
}

/// DuckDB.
pub struct DuckDb;

impl Dialect for DuckDb {
    fn name(&self) -> &'static str {
        "duckdb"
    }

    fn days_between(&self, from: &str, to: &str) -> String {
        format!("date_diff('day', {from}, {to})")
    }

    fn first_by(&self, value: &str, order: &str) -> String {
        format!("arg_min({value}, {order}) FILTER (WHERE {value} IS NOT NULL)")
    }

    fn ordered_join(&self, value: &str, separator: &str, order: &[(String, bool)]) -> String {
        format!(
            "string_agg({value}, {} ORDER BY {})",
            self.string(separator),
            order_list(order)
        )
    }

    fn regexp_matches(&self, text: &str, pattern: &str) -> String {
        format!("regexp_matches({text}, {})", self.string(pattern))
    }

    fn explode(&self, relation: &str, key: &str, list: &str) -> String {
        format!(
            "SELECT {key} AS tal_domain, unnest(string_split({list}, '; ')) AS tal_item, \
             unnest(range(1, len(string_split({list}, '; ')) + 1)) AS tal_pos \
             FROM {relation} WHERE {list} IS NOT NULL"
        )
    }
}

/// PostgreSQL.
pub struct Postgres;

impl Dialect for Postgres {
    fn name(&self) -> &'static str {
        "postgres"
    }

    fn double(&self) -> &'static str {
        "DOUBLE PRECISION"
    }

    fn text(&self) -> &'static str {
        "TEXT"
    }

    fn to_number(&self, expr: &str) -> String {
        let text = format!("TRIM(CAST({expr} AS TEXT))");
        format!(
            "CASE WHEN {text} ~ '^[-+]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][-+]?[0-9]+)?$' THEN CAST({text} AS DOUBLE PRECISION) END"
        )
    }

    fn days_between(&self, from: &str, to: &str) -> String {
        format!("({to} - {from})")
    }

    fn first_by(&self, value: &str, order: &str) -> String {
        format!("(array_agg({value} ORDER BY {order}) FILTER (WHERE {value} IS NOT NULL))[1]")
    }

    fn ordered_join(&self, value: &str, separator: &str, order: &[(String, bool)]) -> String {
        format!(
            "string_agg({value}, {} ORDER BY {})",
            self.string(separator),
            order_list(order)
        )
    }

    fn regexp_matches(&self, text: &str, pattern: &str) -> String {
        format!("({text} ~ {})", self.string(pattern))
    }

    fn bytes(&self, text: &str) -> String {
        format!("({text} COLLATE \"C\")")
    }

    fn explode(&self, relation: &str, key: &str, list: &str) -> String {
        format!(
            "SELECT r.{key} AS tal_domain, i.tal_item, i.tal_pos FROM {relation} r \
             CROSS JOIN LATERAL unnest(string_to_array(r.{list}, '; ')) WITH ORDINALITY AS i(tal_item, tal_pos) \
             WHERE r.{list} IS NOT NULL"
        )
    }
}

/// Spark SQL.
pub struct Spark;

impl Dialect for Spark {
    fn name(&self) -> &'static str {
        "spark"
    }

    fn quote(&self, ident: &str) -> String {
        format!("`{}`", ident.replace('`', "``"))
    }

    fn string(&self, text: &str) -> String {
        escaped(text, "\\'")
    }

    fn text(&self) -> &'static str {
        "STRING"
    }

    fn floor(&self, x: &str) -> String {
        format!("({x} - {x} % 1)")
    }

    fn to_number(&self, expr: &str) -> String {
        format!("TRY_CAST(TRIM(CAST({expr} AS STRING)) AS DOUBLE)")
    }

    fn days_between(&self, from: &str, to: &str) -> String {
        format!("datediff({to}, {from})")
    }

    fn first_by(&self, value: &str, order: &str) -> String {
        format!("min_by({value}, {order}) FILTER (WHERE {value} IS NOT NULL)")
    }

    fn ordered_join(&self, value: &str, separator: &str, order: &[(String, bool)]) -> String {
        // Sort structs of the keys (descending ones negated or reversed by
        // a sort of their own) and keep the value.
        let mut fields = String::new();
        for (i, (key, descending)) in order.iter().enumerate() {
            let key = if *descending {
                format!("-({key})")
            } else {
                key.clone()
            };
            let _ = write!(fields, "{key} AS k{i}, ");
        }
        format!(
            "NULLIF(array_join(transform(array_sort(collect_list(CASE WHEN {value} IS NOT NULL THEN struct({fields}{value} AS v) END)), s -> s.v), {}), '')",
            self.string(separator)
        )
    }

    fn join_non_null(&self, parts: &[String], separator: &str) -> String {
        format!(
            "concat_ws({}, {})",
            self.string(separator),
            parts.join(", ")
        )
    }

    fn contains(&self, haystack: &str, needle: &str) -> String {
        format!("(instr({haystack}, {needle}) > 0)")
    }

    fn regexp_replace(&self, text: &str, pattern: &str, replacement: &str) -> String {
        format!(
            "regexp_replace({text}, {}, {})",
            self.string(pattern),
            self.string(replacement)
        )
    }

    fn regexp_matches(&self, text: &str, pattern: &str) -> String {
        format!("({text} RLIKE {})", self.string(pattern))
    }

    fn explode(&self, relation: &str, key: &str, list: &str) -> String {
        format!(
            "SELECT r.{key} AS tal_domain, i.tal_item, i.tal_pos0 + 1 AS tal_pos FROM {relation} r \
             LATERAL VIEW posexplode(split(r.{list}, '; ')) i AS tal_pos0, tal_item \
             WHERE r.{list} IS NOT NULL"
        )
    }
}

/// BigQuery (GoogleSQL).
pub struct BigQuery;

impl Dialect for BigQuery {
    fn name(&self) -> &'static str {
        "bigquery"
    }

    fn quote(&self, ident: &str) -> String {
        format!("`{}`", ident.replace('`', "\\`"))
    }

    fn string(&self, text: &str) -> String {
        escaped(text, "\\'")
    }

    fn double(&self) -> &'static str {
        "FLOAT64"
    }

    fn bigint(&self) -> &'static str {
        "INT64"
    }

    fn text(&self) -> &'static str {
        "STRING"
    }

    fn to_number(&self, expr: &str) -> String {
        format!("SAFE_CAST(TRIM(CAST({expr} AS STRING)) AS FLOAT64)")
    }

    fn days_between(&self, from: &str, to: &str) -> String {
        format!("DATE_DIFF({to}, {from}, DAY)")
    }

    fn first_by(&self, value: &str, order: &str) -> String {
        format!("ARRAY_AGG({value} IGNORE NULLS ORDER BY {order} LIMIT 1)[SAFE_OFFSET(0)]")
    }

    fn ordered_join(&self, value: &str, separator: &str, order: &[(String, bool)]) -> String {
        format!(
            "STRING_AGG({value}, {} ORDER BY {})",
            self.string(separator),
            order_list(order)
        )
    }

    fn join_non_null(&self, parts: &[String], separator: &str) -> String {
        format!(
            "ARRAY_TO_STRING(ARRAY(SELECT p FROM UNNEST([{}]) AS p WITH OFFSET o WHERE p IS NOT NULL ORDER BY o), {})",
            parts.join(", "),
            self.string(separator)
        )
    }

    fn regexp_replace(&self, text: &str, pattern: &str, replacement: &str) -> String {
        format!(
            "REGEXP_REPLACE({text}, {}, {})",
            self.string(pattern),
            self.string(replacement)
        )
    }

    fn regexp_matches(&self, text: &str, pattern: &str) -> String {
        format!("REGEXP_CONTAINS({text}, {})", self.string(pattern))
    }

    fn explode(&self, relation: &str, key: &str, list: &str) -> String {
        format!(
            "SELECT r.{key} AS tal_domain, tal_item, tal_pos0 + 1 AS tal_pos FROM {relation} r, \
             UNNEST(SPLIT(r.{list}, '; ')) AS tal_item WITH OFFSET AS tal_pos0 \
             WHERE r.{list} IS NOT NULL"
        )
    }
}

/// Snowflake.
pub struct Snowflake;

impl Dialect for Snowflake {
    fn name(&self) -> &'static str {
        "snowflake"
    }

    fn string(&self, text: &str) -> String {
        escaped(text, "''")
    }

    fn to_number(&self, expr: &str) -> String {
        format!("TRY_CAST(TRIM(CAST({expr} AS VARCHAR)) AS DOUBLE)")
    }

    fn days_between(&self, from: &str, to: &str) -> String {
        format!("DATEDIFF(day, {from}, {to})")
    }

    fn first_by(&self, value: &str, order: &str) -> String {
        format!("MIN_BY({value}, CASE WHEN {value} IS NOT NULL THEN {order} END)")
    }

    fn ordered_join(&self, value: &str, separator: &str, order: &[(String, bool)]) -> String {
        format!(
            "LISTAGG({value}, {}) WITHIN GROUP (ORDER BY {})",
            self.string(separator),
            order_list(order)
        )
    }

    /// Each part after its separator, the first separator cut: CONCAT_WS
    /// is null when any part is.
    fn join_non_null(&self, parts: &[String], separator: &str) -> String {
        let sep = self.string(separator);
        let each: Vec<String> = (parts.iter())
            .map(|p| format!("COALESCE({sep} || ({p}), '')"))
            .collect();
        format!(
            "SUBSTR({}, {})",
            each.join(" || "),
            separator.chars().count() + 1
        )
    }

    fn contains(&self, haystack: &str, needle: &str) -> String {
        format!("(POSITION({needle}, {haystack}) > 0)")
    }

    fn regexp_replace(&self, text: &str, pattern: &str, replacement: &str) -> String {
        format!(
            "REGEXP_REPLACE({text}, {}, {})",
            self.string(pattern),
            self.string(replacement)
        )
    }

    fn regexp_matches(&self, text: &str, pattern: &str) -> String {
        // REGEXP_LIKE matches the whole text: the patterns tal writes are
        // anchored at both ends.
        format!("REGEXP_LIKE({text}, {})", self.string(pattern))
    }

    fn explode(&self, relation: &str, key: &str, list: &str) -> String {
        format!(
            "SELECT r.{key} AS tal_domain, CAST(i.value AS VARCHAR) AS tal_item, i.index + 1 AS tal_pos \
             FROM {relation} r, LATERAL FLATTEN(input => SPLIT(r.{list}, '; ')) i \
             WHERE r.{list} IS NOT NULL"
        )
    }
}

/// A string literal where a backslash is an escape (Spark, BigQuery,
/// Snowflake): backslashes doubled, a quote written `quote`, control
/// characters as `\uXXXX`.
fn escaped(text: &str, quote: &str) -> String {
    let mut out = String::from("'");
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str(quote),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// `a DESC NULLS LAST, b ASC NULLS LAST`.
fn order_list(order: &[(String, bool)]) -> String {
    order
        .iter()
        .map(|(key, descending)| {
            let direction = if *descending { "DESC" } else { "ASC" };
            format!("{key} {direction} NULLS LAST")
        })
        .collect::<Vec<_>>()
        .join(", ")
}
