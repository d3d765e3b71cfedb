//! The names the query uses: the user's relations and columns, quoted only
//! when they are not plain identifiers, and the query's own columns, all
//! under the reserved `tal_` prefix so they never collide with the user's.

use indexmap::IndexMap;

use super::dialect::Dialect;
use crate::expr::Column;
use crate::spec::Spec;

/// Where each field and signal is held in the query's relations.
pub struct Names {
    fields: IndexMap<String, String>,
}

/// Words no engine accepts as a bare identifier.
const RESERVED: &[&str] = &[
    "all",
    "and",
    "as",
    "by",
    "case",
    "cast",
    "create",
    "cross",
    "date",
    "default",
    "distinct",
    "else",
    "end",
    "exists",
    "false",
    "from",
    "full",
    "group",
    "having",
    "in",
    "inner",
    "interval",
    "is",
    "join",
    "left",
    "like",
    "limit",
    "natural",
    "not",
    "null",
    "on",
    "or",
    "order",
    "outer",
    "over",
    "partition",
    "qualify",
    "right",
    "rows",
    "select",
    "table",
    "then",
    "to",
    "true",
    "union",
    "using",
    "when",
    "where",
    "window",
    "with",
];

/// A user's identifier as written when it is a plain one, else quoted.
pub fn ident(dialect: &dyn Dialect, name: &str) -> String {
    let mut chars = name.chars();
    let plain = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !RESERVED.contains(&name.to_ascii_lowercase().as_str());
    if plain {
        name.to_string()
    } else {
        dialect.quote(name)
    }
}

/// A relation name as written (`schema.name`): each part as [`ident`].
pub fn relation(dialect: &dyn Dialect, name: &str) -> String {
    name.split('.')
        .map(|part| ident(dialect, part.trim()))
        .collect::<Vec<_>>()
        .join(".")
}

impl Names {
    /// Every account field of `spec` gets a column of the query's own: its
    /// name when that is a plain lower-case identifier, else its number.
    pub fn new(spec: &Spec) -> Names {
        let fields = (spec.fields.keys().enumerate())
            .map(|(i, name)| {
                let plain = name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                let column = if plain && !name.is_empty() {
                    format!("tal_f_{name}")
                } else {
                    format!("tal_f{i}")
                };
                (name.clone(), column)
            })
            .collect();
        Names { fields }
    }

    /// The query's column for a field.
    pub fn field(&self, name: &str) -> String {
        self.fields
            .get(name)
            .cloned()
            .unwrap_or_else(|| format!("tal_f_{name}"))
    }

    /// The query's column for a field, a signal or the domain.
    pub fn column(&self, column: &Column) -> String {
        match column {
            Column::Domain => "tal_domain".to_string(),
            Column::Field(name) => self.field(name),
            Column::Signal(name) => signal(name),
        }
    }
}

/// The query's column for a signal.
pub fn signal(name: &str) -> String {
    format!("tal_{name}")
}
