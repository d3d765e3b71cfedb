//! The spec loader (`tal::spec`): `tal.toml` text parsed
//! (`spec::load::parse_spec`) and compiled (`spec::compile`), as every
//! command loads it, then planned (`spec::Plan::of`) and written as SQL
//! (`tal::sql::query`, a dialect per input), which read every compiled part.
//!
//! Asserts, for any text:
//! - nothing panics: a bad spec is an `Err` whose message is not empty;
//! - every compiled `when` keeps its source, and that source parses to the
//!   tree that was compiled (printed the same).
//!
//! Nothing is read from disk: compiling resolves input paths against a
//! folder that need not exist.

use std::path::Path;

use tal::spec::{self, CriterionRule, SegmentRule, Spec};
use tal::sql::{self, DialectName};

pub fn run(data: &[u8]) {
    let text = crate::text(data);
    let raw = match spec::load::parse_spec(&text, "tal.toml") {
        Ok(raw) => raw,
        Err(err) => return check_error(&err),
    };
    let spec = match spec::compile(raw, &text, Path::new("/nonexistent/tal.toml")) {
        Ok(spec) => spec,
        Err(err) => return check_error(&err),
    };
    check_conditions(&spec);
    let _ = spec::Plan::of(&spec);
    // One dialect per input (by its length, which mutations change), not
    // all five: writing SQL is most of an input's time.
    let dialect = [
        DialectName::Duckdb,
        DialectName::Postgres,
        DialectName::Spark,
        DialectName::Bigquery,
        DialectName::Snowflake,
    ][data.len() % 5];
    let options = sql::Options {
        dialect,
        all: data.len() / 5 % 2 == 1,
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
    };
    let _ = sql::query(&spec, &options);
}

fn check_error(err: &spec::SpecError) {
    assert!(
        !err.message.is_empty(),
        "an error without a message: {err:?}"
    );
    let _ = err.to_string();
}

fn check_conditions(spec: &Spec) {
    let mut conditions = Vec::new();
    for criterion in &spec.fit.criteria {
        match &criterion.rule {
            CriterionRule::Points { when, .. } => conditions.push(when),
            CriterionRule::Bands(bands) => conditions.extend(bands.iter().map(|(when, _)| when)),
        }
    }
    conditions.extend(spec.excludes.iter().map(|named| &named.when));
    conditions.extend(spec.stages.iter().map(|named| &named.when));
    conditions.extend(spec.tiers.iter().map(|tier| &tier.when));
    conditions.extend(spec.acv.estimate.iter().map(|(when, _)| when));
    for segment in &spec.segments {
        if let SegmentRule::When(when) = &segment.rule {
            conditions.push(when);
        }
    }
    for condition in conditions {
        let parsed = tal::expr::parse(&condition.source).unwrap_or_else(|err| {
            panic!(
                "{}: the compiled source {:?} does not parse: {err}",
                condition.key, condition.source
            )
        });
        assert_eq!(
            parsed.to_string(),
            condition.expr.to_string(),
            "{}: the compiled tree is not its source's",
            condition.key
        );
    }
}
