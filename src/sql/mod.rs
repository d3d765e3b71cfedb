//! `tal sql`: the spec compiled to one SQL statement (`WITH ... SELECT`)
//! that gives `tal score`'s TAL inside a warehouse (SPEC-sql.md). It is
//! written from the same elaborated plan the polars engine runs
//! (`spec::plan`), through one [`Dialect`] per engine for what differs.
//!
//! The statement is a chain of CTEs, each named `tal_...`:
//!
//! 1. `inputs`: one relation per input, its rows numbered in file order
//!    (`_row` of `tal export`'s files, or a table's `order_by`), the key as
//!    a domain and the fields typed; the account inputs merged (first
//!    non-null value by input then row); intent and activity rows in scope
//!    and their signals;
//! 2. `rules`: fit (criteria, rounding half away from zero), grade, ACV,
//!    stage, excludes and tiers, each condition written from its elaborated
//!    tree (`cond`);
//! 3. `sizing`: pins, one ranking position, and one set of CTEs per tier,
//!    unrolled, carrying the overflow and the budget left to the next;
//! 4. `output`: segments, reasons, rank and the TAL columns, in order.

mod cond;
pub mod dialect;
mod inputs;
mod names;
mod output;
mod rules;
mod sizing;

use std::fmt::Write;

use anyhow::Result;
use chrono::NaiveDate;

pub use dialect::{Dialect, DialectName};

use crate::spec::{Plan, Spec};
use names::Names;

/// What to compile.
pub struct Options {
    pub dialect: DialectName,
    /// Every account, as `tal score --all`; else the TAL.
    pub all: bool,
    pub as_of: NaiveDate,
}

/// The whole statement.
pub fn query(spec: &Spec, options: &Options) -> Result<String> {
    let dialect = options.dialect.dialect();
    let plan = Plan::of(spec);
    let names = Names::new(spec);
    let mut q = Query::new(dialect, spec, &plan, &names, options.as_of);
    inputs::write(&mut q)?;
    rules::write(&mut q);
    sizing::write(&mut q);
    output::write(&mut q, options.all);
    Ok(q.finish())
}

/// The statement being written: its CTEs in order, then the final SELECT.
pub(crate) struct Query<'a> {
    pub dialect: &'a dyn Dialect,
    pub spec: &'a Spec,
    pub plan: &'a Plan,
    pub names: &'a Names,
    pub as_of: NaiveDate,
    ctes: Vec<(String, String)>,
    select: String,
}

impl<'a> Query<'a> {
    fn new(
        dialect: &'a dyn Dialect,
        spec: &'a Spec,
        plan: &'a Plan,
        names: &'a Names,
        as_of: NaiveDate,
    ) -> Self {
        Query {
            dialect,
            spec,
            plan,
            names,
            as_of,
            ctes: Vec::new(),
            select: String::new(),
        }
    }

    /// Adds a CTE.
    pub fn cte(&mut self, name: impl Into<String>, body: impl Into<String>) {
        self.ctes.push((name.into(), body.into()));
    }

    /// The condition writer.
    pub fn cond(&self) -> cond::Writer<'a> {
        cond::Writer {
            dialect: self.dialect,
            names: self.names,
        }
    }

    /// A string literal.
    pub fn string(&self, text: &str) -> String {
        self.dialect.string(text)
    }

    /// A double literal.
    pub fn number(&self, n: f64) -> String {
        cond::number_literal(self.dialect, n)
    }

    /// The as-of date literal.
    pub fn as_of(&self) -> String {
        format!("DATE '{}'", self.as_of)
    }

    /// `CAST(NULL AS type)`.
    pub fn null(&self, ty: &str) -> String {
        format!("CAST(NULL AS {ty})")
    }

    /// Half away from zero at `decimals` places, on the double `x`, as
    /// Rust's `f64::round` rounds `x × 10^decimals` (no negative zero).
    pub fn round(&self, x: &str, decimals: i32) -> String {
        let scale = self.number(10f64.powi(decimals));
        format!("({} / {scale})", self.rounded_units(x, decimals))
    }

    /// `x × 10^decimals` rounded half away from zero to a whole number (as
    /// a double): `floor(a) + (a − floor(a) >= 0.5)` on `a = |x| × 10^d`,
    /// which, unlike `floor(a + 0.5)`, never rounds 0.49999999999999994 up.
    fn rounded_units(&self, x: &str, decimals: i32) -> String {
        let scale = self.number(10f64.powi(decimals));
        let a = format!("(ABS({x}) * {scale})");
        let floor = self.dialect.floor(&a);
        let r = format!(
            "({floor} + CASE WHEN {a} - {floor} >= {} THEN 1 ELSE 0 END)",
            self.number(0.5)
        );
        format!("(CASE WHEN {x} < 0 THEN 0 - {r} ELSE {r} END)")
    }

    /// A double as `tal` writes it: whole numbers without decimals, others
    /// in the engine's shortest form.
    pub fn number_text(&self, x: &str) -> String {
        let text = self.dialect.text();
        let bigint = self.dialect.bigint();
        format!(
            "CASE WHEN ABS({x}) < {limit} AND ABS({x}) = {floor} THEN CAST(CAST({x} AS {bigint}) AS {text}) ELSE CAST({x} AS {text}) END",
            limit = self.number(1e15),
            floor = self.dialect.floor(&format!("ABS({x})"))
        )
    }

    /// A double with exactly `decimals` places (rounded half away from
    /// zero), as `tal` writes fit and engagement.
    pub fn fixed_text(&self, x: &str, decimals: u32) -> String {
        let text = self.dialect.text();
        let bigint = self.dialect.bigint();
        let scale = 10u64.pow(decimals);
        let units = format!(
            "CAST(ABS({}) AS {bigint})",
            self.rounded_units(x, decimals as i32)
        );
        let whole = format!(
            "CAST({} AS {bigint})",
            self.dialect
                .floor(&format!("({units} / {})", self.number(scale as f64)))
        );
        let part = format!("({units} - {whole} * {scale})");
        format!(
            "(CASE WHEN {x} < 0 AND {units} > 0 THEN '-' ELSE '' END || CAST({whole} AS {text}) || '.' || LPAD(CAST({part} AS {text}), {decimals}, '0'))"
        )
    }

    /// Text compared and sorted by its bytes.
    pub fn bytes(&self, x: &str) -> String {
        self.dialect.bytes(x)
    }

    fn finish(self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "-- tal sql --dialect {} --as-of {}: the TAL of {}",
            self.dialect.name(),
            self.as_of,
            self.spec.path.display()
        );
        for (i, (name, body)) in self.ctes.iter().enumerate() {
            let lead = if i == 0 { "WITH" } else { "," };
            let _ = writeln!(out, "{lead} {name} AS (\n{}\n)", indent(body));
        }
        out.push_str(&self.select);
        out.push('\n');
        out
    }
}

fn indent(body: &str) -> String {
    body.lines()
        .map(|line| format!("  {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}
