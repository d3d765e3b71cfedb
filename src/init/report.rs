//! What `tal init` tells the user on stderr: per file, how it was read and
//! which column became which field; what it could not find; and the next
//! commands to run.

use std::fmt::Write as _;

use crate::value::DecimalMark;

use super::icp::Base;
use super::{Draft, DraftInput, Role};

/// Account fields worth saying out loud when no column holds them.
const EXPECTED: &[(&str, &str)] = &[
    ("name", "names in the TAL"),
    ("industry", "no industry criterion"),
    (
        "employees",
        "no size criterion, ACV not estimated from headcount",
    ),
    ("revenue", "no revenue criterion"),
    ("country", "no geography criterion"),
];

/// The summary for stderr. `spec` is how the user names the written spec
/// (None: it went to stdout).
pub fn summary(draft: &Draft, spec: Option<&str>) -> String {
    let mut out = String::new();
    for input in &draft.inputs {
        file(&mut out, input, draft);
    }
    for skipped in &draft.skipped {
        let _ = writeln!(out, "left out {}: {}", skipped.path, skipped.why);
    }
    icp(&mut out, draft);
    next(&mut out, spec);
    out
}

fn file(out: &mut String, input: &DraftInput, draft: &Draft) {
    let s = &input.sample;
    let delimiter = match s.delimiter {
        b'\t' => "tab".to_string(),
        other => format!("'{}'", char::from(other)),
    };
    let mut how = match (s.encoding.as_str(), &s.sheet) {
        ("xlsx", Some(sheet)) => vec![format!("xlsx, sheet '{sheet}'")],
        ("xlsx", None) => vec!["xlsx".to_string()],
        _ => vec![s.encoding.clone(), delimiter],
    };
    if s.decimal == DecimalMark::Comma {
        how.push("decimal comma".into());
    }
    if let Some(dates) = &s.dates {
        let guess = if dates.ambiguous {
            " (a guess: check it)"
        } else {
            ""
        };
        how.push(format!("dates {}{guess}", dates.pattern));
    }
    let vendor = input
        .vendor
        .map(|v| format!("{}; ", v.name))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{} ← {} ({vendor}{}; {})",
        input.name,
        input.path,
        how.join(", "),
        super::write::plural(s.rows.len(), "row")
    );
    if let Some((key, by_values)) = &input.mapping.key {
        let note = if *by_values {
            "   (found by its values: check it)"
        } else {
            ""
        };
        let _ = writeln!(out, "  {:<18} {key}{note}", "key");
    }
    for (field, column) in &input.mapping.fields {
        let _ = writeln!(out, "  {field:<18} {column}");
    }
    activity(out, input, draft);
    if !input.mapping.unused.is_empty() {
        let _ = writeln!(
            out,
            "  not mapped         {}",
            input.mapping.unused.join(", ")
        );
    }
}

fn activity(out: &mut String, input: &DraftInput, draft: &Draft) {
    match input.role {
        Role::Intent => {
            if let Some(intent) = &draft.intent {
                let topics: Vec<&str> = intent.topics.iter().map(|(t, _)| t.as_str()).collect();
                let _ = writeln!(
                    out,
                    "  topics             {} of {}: {}",
                    topics.len(),
                    intent.distinct_topics,
                    topics.join(", ")
                );
            }
        }
        Role::Engagement => {
            if let Some(engagement) = &draft.engagement {
                let _ = writeln!(
                    out,
                    "  activity types     {} found, points suggested for {}",
                    engagement.distinct_types,
                    engagement.types.len()
                );
            }
        }
        _ => {}
    }
}

fn icp(out: &mut String, draft: &Draft) {
    let missing: Vec<String> = EXPECTED
        .iter()
        .filter(|(f, _)| !draft.has_field(f))
        .map(|(f, why)| format!("{f} ({why})"))
        .collect();
    if !missing.is_empty() {
        let _ = writeln!(out, "no column found for {}", missing.join("; "));
    }
    let icp = &draft.icp;
    let mut criteria = Vec::new();
    let mut base = None;
    for (name, found) in [
        ("industry", icp.industries.as_ref().map(|(_, b)| *b)),
        ("size", icp.size_bands.as_ref().and_then(|(_, b)| *b)),
        ("revenue", icp.revenue_floor.as_ref().map(|(_, b)| *b)),
        ("geography", icp.countries.as_ref().map(|(_, b)| *b)),
        ("technologies", icp.technologies.as_ref().map(|(_, b)| *b)),
    ] {
        if let Some(b) = found {
            criteria.push(name);
            base = base.or(Some(b));
        }
    }
    let from = match (base, &icp.customers) {
        (Some(Base::Customers(_)), Some((rule, n))) => {
            format!("learnt from your {n} customers ({} column)", rule.field)
        }
        (_, None) => format!(
            "learnt from all {} accounts: no customer flag found (map one to learn from customers)",
            icp.accounts
        ),
        (_, Some((_, n))) => format!(
            "learnt from all {} accounts: {} too few to learn from",
            icp.accounts,
            super::write::plural(*n, "customer")
        ),
    };
    if criteria.is_empty() {
        let _ = writeln!(
            out,
            "ICP: no criteria (no industry, size, revenue or country column found)"
        );
    } else {
        let _ = writeln!(
            out,
            "ICP: {} criteria ({}), {from}",
            criteria.len(),
            criteria.join(", ")
        );
    }
}

fn next(out: &mut String, spec: Option<&str>) {
    let flag = match spec {
        Some("tal.toml") | None => String::new(),
        Some(path) if path.contains([' ', '\'', '"']) => format!(" --spec \"{path}\""),
        Some(path) => format!(" --spec {path}"),
    };
    if let Some(path) = spec {
        let _ = writeln!(out, "wrote {path}: review the comments, then run");
    } else {
        let _ = writeln!(out, "save the spec as tal.toml, then run");
    }
    let _ = writeln!(out, "  tal check{flag}");
    let _ = writeln!(out, "  tal score{flag} --format table");
}
