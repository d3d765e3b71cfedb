//! Compiling `[inputs.*]`: what each input's rows are, its encoding,
//! delimiter and decimal mark, and the type of every mapped field (fixed by
//! name, or declared), consistent across account inputs.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use toml::Spanned;

use super::compile::Compiler;
use super::model::{RawField, RawInput};
use super::signals;
use super::{FieldMap, FileFormat, Input, InputKind, SpecError, Table};
use crate::expr::Type;
use crate::value::DecimalMark;

/// The fixed type of a well-known field name (SPEC.md "Fields and types").
fn fixed_type(name: &str) -> Type {
    match name {
        "employees" | "revenue" | "acv" | "renewals" | "score" => Type::Number,
        "is_customer" | "open_opportunity" => Type::Bool,
        "customer_since" | "date" => Type::Date,
        "technologies" => Type::List,
        _ => Type::Text,
    }
}

fn parse_type(name: &str) -> Option<Type> {
    match name.trim().to_ascii_lowercase().as_str() {
        "number" => Some(Type::Number),
        "bool" => Some(Type::Bool),
        "date" => Some(Type::Date),
        "list" => Some(Type::List),
        "text" => Some(Type::Text),
        _ => None,
    }
}

fn input_kind(name: &str) -> InputKind {
    if name.starts_with("intent") {
        InputKind::Intent
    } else if name.starts_with("engagement") {
        InputKind::Engagement
    } else {
        InputKind::Account
    }
}

pub(super) fn compile_inputs(
    c: &mut Compiler,
    raw: &IndexMap<String, RawInput>,
    dir: &Path,
) -> Result<Vec<Input>, SpecError> {
    if !raw
        .keys()
        .any(|name| input_kind(name) == InputKind::Account)
    {
        return Err(c.error("inputs", None, "no account input: add an [inputs.crm] (or any name not starting with \"intent\" or \"engagement\") with path, key and fields"));
    }
    let mut inputs = Vec::new();
    for (name, input) in raw {
        inputs.push(compile_input(c, name, input, dir)?);
    }
    Ok(inputs)
}

fn compile_input(
    c: &mut Compiler,
    name: &str,
    raw: &RawInput,
    dir: &Path,
) -> Result<Input, SpecError> {
    let key = |k: &str| format!("inputs.{name}.{k}");
    let kind = input_kind(name);
    let line = |v: &Option<Spanned<String>>| v.as_ref().map(|v| c.line(v));
    let encoding = match raw.encoding.as_ref().map(|v| v.get_ref()) {
        None => None,
        Some(label) => Some(encoding_rs::Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
            c.error(key("encoding"), line(&raw.encoding), format!("unknown encoding '{label}' (try utf-8, windows-1252, iso-8859-1, gbk, gb18030, big5, shift_jis, utf-16le)"))
        })?),
    };
    let delimiter = match raw.delimiter.as_ref().map(|v| v.get_ref().as_str()) {
        None => None,
        Some(",") => Some(b','),
        Some(";") => Some(b';'),
        Some("|") => Some(b'|'),
        Some("\t") | Some("tab") | Some("\\t") => Some(b'\t'),
        Some(other) => {
            return Err(c.error(
                key("delimiter"),
                line(&raw.delimiter),
                format!("unsupported delimiter '{other}': use \",\", \";\", \"|\" or \"\\t\""),
            ))
        }
    };
    let decimal = match raw.decimal.as_ref().map(|v| v.get_ref().as_str()) {
        None | Some(".") => DecimalMark::Dot,
        Some(",") => DecimalMark::Comma,
        Some(other) => {
            return Err(c.error(
                key("decimal"),
                line(&raw.decimal),
                format!("decimal must be \".\" or \",\", not '{other}'"),
            ))
        }
    };
    let (path, path_as_written, format, table) = source(c, name, raw, dir)?;
    let mut fields = Vec::new();
    for (field, source) in &raw.fields {
        let (column, ty, scale) = match source {
            RawField::Column(column) => (column.clone(), fixed_type(field), None),
            RawField::Typed(typed) => {
                let ty = match &typed.ty {
                    None => fixed_type(field),
                    Some(t) => parse_type(t.get_ref()).ok_or_else(|| {
                        let t_line = Some(c.line(t));
                        let t = t.get_ref();
                        c.error(
                            key(&format!("fields.{field}.type")),
                            t_line,
                            format!("unknown type '{t}': use number, bool, date, list or text"),
                        )
                    })?,
                };
                let scale = match &typed.scale {
                    None => None,
                    Some(scale) => {
                        let at = Some(c.line(scale));
                        let key = key(&format!("fields.{field}.scale"));
                        let value = *scale.get_ref();
                        if ty != Type::Number {
                            return Err(c.error(
                                key,
                                at,
                                format!(
                                    "only a number field has a unit, and '{field}' is {}",
                                    type_name(ty)
                                ),
                            ));
                        }
                        if !(value.is_finite() && value > 0.0) {
                            return Err(c.error(key, at, format!("{value} is not a unit: write a positive number such as 1000 (thousands) or 1000000 (millions)")));
                        }
                        Some(value)
                    }
                };
                (typed.column.clone(), ty, scale)
            }
        };
        if field == signals::DOMAIN {
            return Err(c.error(
                key(&format!("fields.{field}")),
                None,
                "'domain' is the normalised key of every input; map the column with `key` instead",
            ));
        }
        if kind == InputKind::Account {
            if let Some(previous) = c.fields.get(field) {
                if *previous != ty {
                    return Err(c.error(
                        key(&format!("fields.{field}")),
                        None,
                        format!(
                            "'{field}' is {} in an earlier input but {} here",
                            type_name(*previous),
                            type_name(ty)
                        ),
                    ));
                }
            }
            c.fields.entry(field.clone()).or_insert(ty);
        }
        fields.push(FieldMap {
            name: field.clone(),
            column,
            ty,
            scale,
        });
    }
    check_activity_fields(c, name, kind, &fields)?;
    Ok(Input {
        name: name.to_string(),
        kind,
        path_as_written,
        path,
        key_column: raw.key.clone(),
        encoding,
        delimiter,
        decimal,
        date_format: raw.date_format.clone(),
        fields,
        format,
        table,
    })
}

/// Where an input's rows are: a file (its path, the path as written, and
/// its format by extension) or a warehouse table; each with the reading
/// options that apply to it only.
fn source(
    c: &Compiler,
    name: &str,
    raw: &RawInput,
    dir: &Path,
) -> Result<(PathBuf, String, FileFormat, Option<Table>), SpecError> {
    let key = |k: &str| format!("inputs.{name}.{k}");
    let line = |v: &Option<Spanned<String>>| v.as_ref().map(|v| c.line(v));
    // The options that do not apply to a kind of source, with their lines.
    let set = |options: &[&str]| -> Option<(String, Option<usize>)> {
        options.iter().find_map(|option| {
            let at = match *option {
                "encoding" => raw.encoding.as_ref().map(|v| Some(c.line(v))),
                "delimiter" => raw.delimiter.as_ref().map(|v| Some(c.line(v))),
                "decimal" => raw.decimal.as_ref().map(|v| Some(c.line(v))),
                "date_format" => raw.date_format.as_ref().map(|_| None),
                "sheet" => raw.sheet.as_ref().map(|v| Some(c.line(v))),
                "order_by" => raw.order_by.as_ref().map(|v| Some(c.line(v))),
                _ => None,
            }?;
            Some((option.to_string(), at))
        })
    };
    let refuse = |(option, at): (String, Option<usize>), what: &str| {
        Err(c.error(
            key(&option),
            at,
            format!("`{option}` does not apply to {what}: remove it"),
        ))
    };
    match (&raw.path, &raw.table) {
        (Some(path), None) => {
            let written = path.get_ref().clone();
            let full = dir.join(&written);
            if let Some(found) = set(&["order_by"]) {
                return refuse(found, "a file (its rows are in file order)");
            }
            let format = if is_workbook(&full) {
                if let Some(found) = set(&["encoding", "delimiter"]) {
                    return refuse(found, &format!("an Excel workbook (path = \"{written}\")"));
                }
                FileFormat::Xlsx {
                    sheet: raw.sheet.as_ref().map(|s| s.get_ref().clone()),
                }
            } else if is_parquet(&full) {
                if let Some(found) =
                    set(&["encoding", "delimiter", "decimal", "date_format", "sheet"])
                {
                    return refuse(
                        found,
                        &format!("a Parquet file, whose columns are typed (path = \"{written}\")"),
                    );
                }
                FileFormat::Parquet
            } else {
                if let Some(sheet) = &raw.sheet {
                    return Err(c.error(
                        key("sheet"),
                        Some(c.line(sheet)),
                        format!("`sheet` names a sheet of an Excel workbook, and \"{written}\" is not an .xlsx file: remove it"),
                    ));
                }
                FileFormat::Csv
            };
            Ok((full, written, format, None))
        }
        (None, Some(table)) => {
            if let Some(found) = set(&["encoding", "delimiter", "decimal", "date_format", "sheet"])
            {
                return refuse(
                    found,
                    &format!(
                        "a table (table = \"{}\"), whose columns are typed",
                        table.get_ref()
                    ),
                );
            }
            let table = Table {
                name: table.get_ref().trim().to_string(),
                order_by: raw
                    .order_by
                    .as_ref()
                    .map(|o| o.get_ref().trim().to_string()),
            };
            Ok((
                PathBuf::new(),
                table.name.clone(),
                FileFormat::Csv,
                Some(table),
            ))
        }
        (Some(_), Some(table)) => Err(c.error(
            key("table"),
            line(&raw.table).or(Some(c.line(table))),
            "give either `path` (an export file) or `table` (a warehouse table), not both",
        )),
        (None, None) => Err(c.error(
            format!("inputs.{name}"),
            None,
            "missing `path` (the export file) or `table` (a warehouse table, for tal sql)",
        )),
    }
}

/// Intent rows need a score and a date; activity rows a date.
fn check_activity_fields(
    c: &Compiler,
    name: &str,
    kind: InputKind,
    fields: &[FieldMap],
) -> Result<(), SpecError> {
    let required: &[(&str, Type)] = match kind {
        InputKind::Account => &[],
        InputKind::Intent => &[
            ("topic", Type::Text),
            ("score", Type::Number),
            ("date", Type::Date),
        ],
        InputKind::Engagement => &[("type", Type::Text), ("date", Type::Date)],
    };
    for (field, ty) in required {
        match fields.iter().find(|f| f.name == *field) {
            None => {
                let what = if kind == InputKind::Intent {
                    "an intent input maps topic, score and date"
                } else {
                    "an engagement input maps type and date (and optionally persona)"
                };
                return Err(c.error(
                    format!("inputs.{name}.fields"),
                    None,
                    format!("missing '{field}': {what}"),
                ));
            }
            Some(f) if f.ty != *ty => {
                return Err(c.error(
                    format!("inputs.{name}.fields.{field}"),
                    None,
                    format!("'{field}' must be {}", type_name(*ty)),
                ));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// Does `path` name a Parquet file (by its extension)?
pub fn is_parquet(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet"))
}

/// Does `path` name an Excel workbook (by its extension)?
pub fn is_workbook(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx") || e.eq_ignore_ascii_case("xlsm"))
}

pub fn type_name(ty: Type) -> &'static str {
    match ty {
        Type::Number => "a number",
        Type::Text => "text",
        Type::Bool => "a bool",
        Type::Date => "a date",
        Type::List => "a list",
    }
}
