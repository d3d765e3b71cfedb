//! The one ranking every tier uses: `[ranking].by` (missing values last
//! either way, text case-insensitive), then the domain ascending in byte
//! order. Because candidates of a tier are ranked "on equal terms", one
//! global order serves every tier.
//!
//! Accounts are numbered in domain order (see `Accounts::finish`), so the
//! domain order is the row order: the last key is the row index, a number,
//! which sorts far faster than a million strings.

use polars::prelude::{
    col, DataFrame, Expr, IntoLazy, LazyFrame, NamedFrom, PolarsResult, Series, SortMultipleOptions,
};

use super::lower::column_name;
use crate::spec::Plan;

/// The indexes of the accounts `ranked` marks, in ranking order.
pub fn order(plan: &Plan, frame: &DataFrame, ranked: &[bool]) -> PolarsResult<Vec<u32>> {
    let mut exprs = Vec::new();
    let mut descending = Vec::new();
    // Text sorts case-insensitively: the frame holds it lower-cased.
    for key in &plan.ranking {
        exprs.push(col(column_name(&key.column).as_str()));
        descending.push(key.descending);
    }
    exprs.push(col(ROW));
    descending.push(false);
    let nulls_last = vec![true; exprs.len()];
    let options = SortMultipleOptions::default()
        .with_order_descending_multi(descending)
        .with_nulls_last_multi(nulls_last);
    let mut frame = frame.clone();
    frame.with_column(Series::new(RANKED.into(), ranked).into())?;
    let ranked_rows = frame.lazy().with_row_index(ROW, None).filter(col(RANKED));
    rows_sorted_by(ranked_rows, exprs, options)
}

const ROW: &str = "__row";
const RANKED: &str = "__ranked";

/// The row indexes (`ROW`) of `frame` in the order of `exprs`.
fn rows_sorted_by(
    frame: LazyFrame,
    exprs: Vec<Expr>,
    options: SortMultipleOptions,
) -> PolarsResult<Vec<u32>> {
    let sorted = frame
        .sort_by_exprs(exprs, options)
        .select([col(ROW)])
        .collect()?;
    Ok(sorted
        .column(ROW)?
        .idx()?
        .iter()
        .map(|v| v.unwrap_or(0))
        .collect())
}
