//! `tal icp discover --format json`: the shape SPEC-icp.md "Output" names.
//! Shares have 4 decimals, lifts 2, AUC and the information value 3;
//! whole numbers are written without a decimal point.

use serde_json::{json, Map, Value};

use crate::format::round;

use super::backtest::Model;
use super::stats::{Row, RowKind, Table};
use super::{BaseKind, Discovery};

/// A rounded number; whole ones as integers.
fn num(value: f64, decimals: i32) -> Value {
    let value = round(value, decimals);
    if value == value.trunc() && value.abs() < 1e15 {
        json!(value as i64)
    } else {
        json!(value)
    }
}

fn opt(value: Option<f64>, decimals: i32) -> Value {
    value.map_or(Value::Null, |v| num(v, decimals))
}

fn row(row: &Row, min_support: u64) -> Value {
    let l = &row.lifts;
    let band = match row.band {
        Some((lo, hi)) => json!({ "lo": opt(lo, 10), "hi": opt(hi, 10) }),
        None => Value::Null,
    };
    json!({
        "value": row.value,
        "band": band,
        "best": row.counts.best,
        "best_share": num(l.best_share, 4),
        "base": row.counts.base,
        "base_share": num(l.base_share, 4),
        "lift": opt(l.lift, 2),
        "lift_smoothed": num(l.smoothed, 2),
        "lift_low": opt(l.low, 2),
        "lift_high": opt(l.high, 2),
        "qualifies": row.qualifies,
        "small": row.counts.best < min_support && row.kind != RowKind::Other,
    })
}

fn attribute(table: &Table, min_support: u64) -> Value {
    json!({
        "field": table.field,
        "type": table.ty.name(),
        "score": num(table.score, 3),
        "completeness": {
            "best": num(table.completeness.0, 4),
            "base": num(table.completeness.1, 4),
        },
        "rows": table.rows.iter().map(|r| row(r, min_support)).collect::<Vec<_>>(),
    })
}

fn model(model: &Model) -> Value {
    json!({
        "name": model.name,
        "auc": num(model.auc, 3),
        "capture_10": num(model.capture_10, 4),
        "capture_20": num(model.capture_20, 4),
        "lift_10": num(model.lift_10, 2),
        "high_fit_recall": opt(model.high_fit_recall, 4),
        "high_fit_base_share": opt(model.high_fit_base_share, 4),
    })
}

/// The whole result as JSON.
pub fn to_json(d: &Discovery) -> Value {
    let p = &d.params;
    let (kind, expr) = match &d.base_kind {
        BaseKind::All => ("all", Value::Null),
        BaseKind::Vs(vs) => ("vs", json!(vs)),
    };
    let grades: Map<String, Value> = (d.grades.iter())
        .map(|(grade, min)| (grade.clone(), num(*min, 10)))
        .collect();
    let criteria: Vec<Value> = (d.draft.criteria.iter())
        .map(|c| {
            let bands: Vec<Value> = (c.bands.iter())
                .map(|b| {
                    json!({
                        "when": b.when,
                        "points": b.points,
                        "lift_smoothed": num(b.lifts.smoothed, 2),
                        "best": b.counts.best,
                        "base": b.counts.base,
                    })
                })
                .collect();
            json!({ "name": c.field, "field": c.field, "score": num(c.score, 3), "bands": bands })
        })
        .collect();
    let left_out: Vec<Value> = (d.left_out.iter())
        .map(|(field, why)| json!({ "field": field, "reason": why }))
        .collect();
    json!({
        "as_of": d.as_of.to_string(),
        "best": { "expr": p.best, "accounts": d.best },
        "base": { "kind": kind, "expr": expr, "accounts": d.base },
        "params": {
            "min_support": p.min_support,
            "min_lift": num(p.min_lift, 10),
            "folds": p.folds,
            "z": super::stats::Z,
            "prior": super::stats::PRIOR,
            "bands": p.bands.name(),
            "max_criteria": p.max_criteria,
            "top": p.top,
        },
        "attributes": d.attributes.iter().map(|t| attribute(t, p.min_support)).collect::<Vec<_>>(),
        "left_out": left_out,
        "draft": {
            "high": num(d.draft.high, 10),
            "grades": grades,
            "criteria": criteria,
            "toml": d.toml,
        },
        "backtest": {
            "folds": d.backtest.folds,
            "positives": d.backtest.positives,
            "negatives": d.backtest.negatives,
            "models": d.backtest.models.iter().map(model).collect::<Vec<_>>(),
        },
        "warnings": d.warnings,
    })
}
