//! The rows of an input as `tal` read them, kept only when asked for (by
//! `tal export`): per data row, in file order, its domain (none when the
//! row is rejected), its mapped fields parsed to their types, and the
//! bucket it landed in, with the reason of a reject.
//!
//! The readers log each row where they count it, so the log and the
//! counts of `tal check` cannot disagree.

use compact_str::CompactString;

use super::{parse_value, read, Value};
use crate::spec::Input;

/// Where a row landed (SPEC.md "Accounts").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bucket {
    Used,
    Merged,
    Rejected,
    Unmatched,
    OutOfScope,
    FreeMail,
}

impl Bucket {
    /// As `tal check --format json` names it.
    pub fn name(self) -> &'static str {
        match self {
            Bucket::Used => "used",
            Bucket::Merged => "merged",
            Bucket::Rejected => "rejected",
            Bucket::Unmatched => "unmatched",
            Bucket::OutOfScope => "out_of_scope",
            Bucket::FreeMail => "free_mail",
        }
    }
}

/// The logged rows of an input (or of a part of it), column by column.
#[derive(Debug, Clone, Default)]
pub struct RowLog {
    pub domains: Vec<Option<CompactString>>,
    /// Per row, the mapped fields in the input's order.
    pub values: Vec<Vec<Option<Value>>>,
    pub buckets: Vec<Bucket>,
    pub reasons: Vec<String>,
}

impl RowLog {
    pub fn len(&self) -> usize {
        self.buckets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.buckets.is_empty()
    }

    /// Logs a row; returns its index, to settle its bucket later.
    pub fn push(
        &mut self,
        domain: Option<&str>,
        values: Vec<Option<Value>>,
        bucket: Bucket,
        reason: String,
    ) -> usize {
        self.domains.push(domain.map(CompactString::new));
        self.values.push(values);
        self.buckets.push(bucket);
        self.reasons.push(reason);
        self.buckets.len() - 1
    }

    /// The row at `index` landed in `bucket` after all.
    pub fn settle(&mut self, index: usize, bucket: Bucket) {
        self.buckets[index] = bucket;
    }

    /// Appends the rows of a part read after these.
    pub fn append(&mut self, part: RowLog) {
        self.domains.extend(part.domains);
        self.values.extend(part.values);
        self.buckets.extend(part.buckets);
        self.reasons.extend(part.reasons);
    }
}

/// A record's mapped fields parsed as `tal` parses each (numbers in the
/// field's unit); none when the record is ragged.
pub fn parse_fields(
    input: &Input,
    cells: &[usize],
    record: &csv::StringRecord,
    ragged: bool,
) -> Vec<Option<Value>> {
    (input.fields.iter().zip(cells))
        .map(|(field, &cell)| {
            if ragged {
                return None;
            }
            let raw = read::cell(record, cell)?;
            match parse_value(raw, field.ty, input.decimal, input.date_format.as_deref())? {
                Value::Number(n) => Some(Value::Number(field.scaled(n))),
                value => Some(value),
            }
        })
        .collect()
}
