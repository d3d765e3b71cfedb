//! The account universe: the union of the account inputs joined on the
//! normalised key. Inputs are read in spec order and rows in file order, and
//! a field takes the first non-null parsed value it meets — which is exactly
//! "first input with a value wins; within an input, the first row with a
//! value wins".

use std::collections::HashMap;

use anyhow::Result;
use chrono::NaiveDate;
use compact_str::CompactString;
use indexmap::IndexMap;
use polars::prelude::PlHashMap;
use rayon::prelude::*;

use super::index::DomainIndex;
use super::lookup::Lookup;
use super::read::{self, cell};
use super::rows::parse_fields;
use super::{parse_value, Bucket, Buckets, InputReport, RowLog, Value};
use crate::expr::Type;
use crate::spec::{Input, Spec};
use crate::value::List;

/// One field's values, one per account.
#[derive(Debug, Clone)]
pub enum Column {
    Number(Vec<Option<f64>>),
    Text(Vec<Option<CompactString>>),
    Bool(Vec<Option<bool>>),
    Date(Vec<Option<NaiveDate>>),
    List(Vec<Option<List>>),
}

impl Column {
    fn new(ty: Type) -> Self {
        match ty {
            Type::Number => Column::Number(Vec::new()),
            Type::Text => Column::Text(Vec::new()),
            Type::Bool => Column::Bool(Vec::new()),
            Type::Date => Column::Date(Vec::new()),
            Type::List => Column::List(Vec::new()),
        }
    }

    fn push_empty(&mut self) {
        match self {
            Column::Number(v) => v.push(None),
            Column::Text(v) => v.push(None),
            Column::Bool(v) => v.push(None),
            Column::Date(v) => v.push(None),
            Column::List(v) => v.push(None),
        }
    }

    fn empty_like(&self) -> Self {
        match self {
            Column::Number(_) => Column::Number(Vec::new()),
            Column::Text(_) => Column::Text(Vec::new()),
            Column::Bool(_) => Column::Bool(Vec::new()),
            Column::Date(_) => Column::Date(Vec::new()),
            Column::List(_) => Column::List(Vec::new()),
        }
    }

    /// Takes each value of `other` (account `j`) as the value of account
    /// `to[j]` when that has none.
    fn fill(&mut self, other: &mut Column, to: &[usize]) {
        fn fill<T>(mine: &mut [Option<T>], theirs: &mut [Option<T>], to: &[usize]) {
            for (theirs, &i) in theirs.iter_mut().zip(to) {
                if mine[i].is_none() {
                    mine[i] = theirs.take();
                }
            }
        }
        match (self, other) {
            (Column::Number(a), Column::Number(b)) => fill(a, b, to),
            (Column::Text(a), Column::Text(b)) => fill(a, b, to),
            (Column::Bool(a), Column::Bool(b)) => fill(a, b, to),
            (Column::Date(a), Column::Date(b)) => fill(a, b, to),
            (Column::List(a), Column::List(b)) => fill(a, b, to),
            _ => {}
        }
    }

    /// Puts the value of account `order[i]` at `i`.
    fn reorder(&mut self, order: &[u32]) {
        fn reorder<T>(values: &mut Vec<Option<T>>, order: &[u32]) {
            let mut old = std::mem::take(values);
            *values = (order.iter()).map(|&i| old[i as usize].take()).collect();
        }
        match self {
            Column::Number(v) => reorder(v, order),
            Column::Text(v) => reorder(v, order),
            Column::Bool(v) => reorder(v, order),
            Column::Date(v) => reorder(v, order),
            Column::List(v) => reorder(v, order),
        }
    }

    fn reserve(&mut self, more: usize) {
        match self {
            Column::Number(v) => v.reserve(more),
            Column::Text(v) => v.reserve(more),
            Column::Bool(v) => v.reserve(more),
            Column::Date(v) => v.reserve(more),
            Column::List(v) => v.reserve(more),
        }
    }

    /// Grows to `len` accounts, the new ones without a value.
    fn resize(&mut self, len: usize) {
        match self {
            Column::Number(v) => v.resize(len, None),
            Column::Text(v) => v.resize(len, None),
            Column::Bool(v) => v.resize(len, None),
            Column::Date(v) => v.resize(len, None),
            Column::List(v) => v.resize(len, None),
        }
    }

    /// Whether account `i` has a value.
    pub fn is_set(&self, i: usize) -> bool {
        match self {
            Column::Number(v) => v[i].is_some(),
            Column::Text(v) => v[i].is_some(),
            Column::Bool(v) => v[i].is_some(),
            Column::Date(v) => v[i].is_some(),
            Column::List(v) => v[i].is_some(),
        }
    }

    fn set(&mut self, i: usize, value: Value) {
        match (self, value) {
            (Column::Number(v), Value::Number(x)) => v[i] = Some(x),
            (Column::Text(v), Value::Text(x)) => v[i] = Some(x),
            (Column::Bool(v), Value::Bool(x)) => v[i] = Some(x),
            (Column::Date(v), Value::Date(x)) => v[i] = Some(x),
            (Column::List(v), Value::List(x)) => v[i] = Some(x),
            _ => {}
        }
    }

    /// The value of account `i` as display text (lists joined with "; ").
    pub fn text(&self, i: usize) -> Option<String> {
        let mut out = String::new();
        self.write_text(&mut out, i).then_some(out)
    }

    /// [`Column::text`] appended to `out`; false when the value is missing.
    pub fn write_text(&self, out: &mut String, i: usize) -> bool {
        match self {
            Column::Number(v) => v[i].map(|n| crate::format::write_number(out, n)),
            Column::Text(v) => v[i].as_deref().map(|text| out.push_str(text)),
            Column::Bool(v) => v[i].map(|b| out.push_str(if b { "true" } else { "false" })),
            Column::Date(v) => v[i].map(|d| crate::format::write_date(out, d)),
            Column::List(v) => v[i]
                .as_ref()
                .map(|list| crate::format::join_into(out, list.items(), "; ")),
        }
        .is_some()
    }
}

/// The first 16 bytes of `text`, zero-padded, as a number that orders like
/// the bytes do.
fn prefix(text: &str) -> u128 {
    let mut bytes = [0u8; 16];
    let n = text.len().min(16);
    bytes[..n].copy_from_slice(&text.as_bytes()[..n]);
    u128::from_be_bytes(bytes)
}

/// How a part is merged into the accounts read before it.
#[derive(Debug, Clone, Copy)]
struct Merge {
    /// How many parts its input has, given with its first part: room is
    /// then made for the accounts the input is likely to bring.
    parts: Option<usize>,
    /// Whether the pool has read every part and is idle: the columns are
    /// then filled side by side.
    pool_idle: bool,
}

/// Room for the accounts an input brings, `first` of them in its first of
/// `parts` parts (of about equal size): an eighth more than the likely
/// count, as parts differ a little. Capacity no account fills costs address
/// space only; falling short copies every column into one twice as large.
fn room(first: usize, parts: usize) -> usize {
    let likely = first * parts.saturating_sub(1);
    likely + likely / 8
}

/// A part's accounts are merged this many at a time (see `Accounts::absorb`).
const MERGE_BATCH: usize = 64;

/// Every account: its domain, its fields, and the ids merged into it.
#[derive(Debug, Default)]
pub struct Accounts {
    pub domains: Vec<CompactString>,
    /// Domain to account while the accounts are read and merged; emptied
    /// by `finish`, which freezes it into `lookup`.
    index: DomainIndex,
    /// Domain to account once every account is read: millions of intent
    /// and activity rows look up their account here. The domains are
    /// inline (up to 24 bytes, nearly every domain), so comparing one costs
    /// no cache miss of its own.
    lookup: Lookup,
    /// Each domain's hash, as the index hashes it: a part's accounts are
    /// merged without hashing their domains again. Dropped by `finish`.
    hashes: Vec<u64>,
    pub columns: IndexMap<String, Column>,
    /// Non-winning `account_id`s, by account.
    pub merged_ids: HashMap<u32, Vec<String>>,
}

impl Accounts {
    pub fn new(spec: &Spec) -> Self {
        let columns = spec
            .fields
            .iter()
            .map(|(name, ty)| (name.clone(), Column::new(*ty)))
            .collect();
        Accounts {
            columns,
            ..Default::default()
        }
    }

    pub fn len(&self) -> usize {
        self.domains.len()
    }

    pub fn is_empty(&self) -> bool {
        self.domains.is_empty()
    }

    /// The account with this normalised domain (once [`Accounts::finish`]ed).
    pub fn find(&self, domain: &str) -> Option<u32> {
        self.lookup.find(&self.domains, domain)
    }

    /// The account of each of these normalised domains, in order, into
    /// `found`: [`Accounts::find`] for many at once, faster (see
    /// `Lookup::find_all`).
    pub fn find_all(&self, domains: &[CompactString], found: &mut Vec<Option<u32>>) {
        self.lookup.find_all(&self.domains, domains, found);
    }

    /// The parent domains of the account keys that are subdomains
    /// (`walmart.com` and its parents for `stock.walmart.com`), each with
    /// the first such account by domain; parents that are accounts
    /// themselves are left out.
    pub fn parents(&self) -> PlHashMap<CompactString, u32> {
        let mut parents = PlHashMap::default();
        for (i, domain) in self.domains.iter().enumerate() {
            let mut rest = domain.as_str();
            while let Some((_, parent)) = rest.split_once('.') {
                if !parent.contains('.') {
                    break;
                }
                if self.find(parent).is_none() {
                    parents
                        .entry(CompactString::new(parent))
                        .or_insert(i as u32);
                }
                rest = parent;
            }
        }
        parents
    }

    /// The account with this domain, added when new; true when new. A new
    /// account gets a slot in the `mapped` columns only: the others of a
    /// part stay empty, and merging it leaves them be (a firmographics
    /// export fills five of the CRM's eleven fields). Only before
    /// [`Accounts::finish`].
    pub(crate) fn get_or_insert(&mut self, domain: &str, mapped: &[usize]) -> (u32, bool) {
        let hash = self.index.hash(domain);
        let (i, new) = self.index_of(CompactString::new(domain), hash);
        if new {
            for &k in mapped {
                self.columns[k].push_empty();
            }
        }
        (i, new)
    }

    /// The index of the domain (whose hash is `hash`), added to the
    /// domains (not yet to the columns) when new; true when new.
    fn index_of(&mut self, domain: CompactString, hash: u64) -> (u32, bool) {
        let next = self.domains.len() as u32;
        let (i, new) = (self.index).get_or_insert(&self.domains, &self.hashes, &domain, hash, next);
        if new {
            self.push_domain(domain, hash);
        }
        (i, new)
    }

    /// Adds an indexed domain (not yet to the columns).
    fn push_domain(&mut self, domain: CompactString, hash: u64) {
        self.domains.push(domain);
        self.hashes.push(hash);
    }

    /// The index of a part's domain here, given its candidate read ahead:
    /// the candidate when it is this domain; a new account when there was
    /// none (a part's domains are distinct, so none indexed since is this
    /// one); else as [`Accounts::index_of`] finds it.
    fn place(&mut self, domain: CompactString, hash: u64, candidate: Option<u32>) -> u32 {
        match candidate {
            Some(i) if self.domains[i as usize] == domain => i,
            None => {
                let next = self.domains.len() as u32;
                self.index.insert_new(&self.hashes, hash, next);
                self.push_domain(domain, hash);
                next
            }
            Some(_) => self.index_of(domain, hash).0,
        }
    }

    /// Room for `more` accounts, so that a large input does not grow the
    /// index and every column a dozen times over.
    fn reserve(&mut self, more: usize) {
        self.reserve_in(more, 0..self.columns.len());
    }

    /// Room for `more` accounts in the index and in these columns only (a
    /// part of an input fills the columns its input maps): a part sized to
    /// its lines then never grows its index, nor copies its columns into
    /// larger ones.
    fn reserve_in(&mut self, more: usize, columns: impl IntoIterator<Item = usize>) {
        self.index.reserve(&self.hashes, more);
        self.domains.reserve(more);
        self.hashes.reserve(more);
        for k in columns {
            self.columns[k].reserve(more);
        }
    }

    /// An empty universe with the same fields.
    fn empty_like(&self) -> Self {
        Accounts {
            columns: (self.columns.iter())
                .map(|(name, column)| (name.clone(), column.empty_like()))
                .collect(),
            index: self.index.empty_like(),
            ..Default::default()
        }
    }

    /// Reads one account input into the universe. Parts of the file are
    /// read into universes of their own on every core, then merged here in
    /// file order.
    pub fn read_input(&mut self, input: &Input, table: &read::Table) -> Result<InputReport> {
        let (key_index, field_indexes) = read::map_columns(input, &table.headers)?;
        // Per mapped field: its cell, and its column among the accounts'.
        let slots: Vec<(usize, usize)> = input
            .fields
            .iter()
            .zip(&field_indexes)
            .map(|(field, &cell)| (cell, self.columns.get_index_of(&field.name).unwrap_or(0)))
            .collect();
        let mut mapped: Vec<usize> = slots.iter().map(|&(_, slot)| slot).collect();
        mapped.sort_unstable();
        mapped.dedup();
        let mut report = InputReport::new(input, table);
        // Accounts met in this input, by index.
        let mut seen: Vec<bool> = Vec::new();
        let empty = self.empty_like();
        super::each_row(
            input,
            table,
            key_index,
            &field_indexes,
            |lines| {
                let mut part = empty.empty_like();
                part.reserve_in(lines, mapped.iter().copied());
                part
            },
            |part, _, record, domain, report| {
                let (account, new) = part.get_or_insert(domain, &mapped);
                let bucket = if new { Bucket::Used } else { Bucket::Merged };
                report.count(bucket, Some(domain), || {
                    parse_fields(input, &field_indexes, record, false)
                });
                part.take_fields(input, record, &slots, account, report);
            },
            |part, part_report, read: super::PartsRead| {
                let logged = report.log.as_ref().map_or(0, RowLog::len);
                report.absorb(part_report);
                // The input's first part tells how many accounts it brings.
                let parts = seen.is_empty().then_some(read.parts);
                let merge = Merge {
                    parts,
                    pool_idle: read.all_read,
                };
                let merged = self.absorb(part, &mut seen, &mut report.rows, merge);
                if let Some(log) = &mut report.log {
                    // The part's first row of each account it met is logged
                    // as used, in the order the part met them.
                    let used: Vec<usize> = (logged..log.len())
                        .filter(|&i| log.buckets[i] == Bucket::Used)
                        .collect();
                    for j in merged {
                        log.settle(used[j], Bucket::Merged);
                    }
                }
            },
        )?;
        Ok(report)
    }

    /// Merges the accounts of a part read after everything in `self`: a
    /// field keeps its value and takes the part's only when it has none.
    /// `seen` holds the accounts met earlier in the same input: an account
    /// the part counted as used is then a merge.
    /// Returns the part's accounts that were met in an earlier part.
    fn absorb(
        &mut self,
        mut part: Accounts,
        seen: &mut Vec<bool>,
        rows: &mut Buckets,
        merge: Merge,
    ) -> Vec<usize> {
        let Merge { parts, pool_idle } = merge;
        if self.is_empty() {
            seen.resize(part.len(), true);
            *self = part;
            if let Some(parts) = parts {
                self.reserve(room(self.len(), parts));
            }
            let len = self.len();
            for column in self.columns.values_mut() {
                column.resize(len);
            }
            return Vec::new();
        }
        let mut merged = Vec::new();
        let before = self.len();
        self.index.reserve(&self.hashes, part.len());
        // Where each of the part's accounts is here, found a batch at a
        // time: the batch's candidates are read first, their cache misses
        // overlapping (see `DomainIndex::candidate`).
        let hashes = std::mem::take(&mut part.hashes);
        let mut domains = std::mem::take(&mut part.domains).into_iter();
        let mut to: Vec<usize> = Vec::with_capacity(hashes.len());
        let mut candidates = Vec::with_capacity(MERGE_BATCH);
        for batch in hashes.chunks(MERGE_BATCH) {
            candidates.clear();
            candidates.extend(
                batch
                    .iter()
                    .map(|&h| self.index.candidate(&self.domains, h)),
            );
            for ((&hash, &candidate), domain) in batch.iter().zip(&candidates).zip(&mut domains) {
                let i = self.place(domain, hash, candidate);
                if seen.len() <= i as usize {
                    seen.resize(i as usize + 1, false);
                }
                if std::mem::replace(&mut seen[i as usize], true) {
                    rows.used -= 1;
                    rows.merged += 1;
                    merged.push(to.len());
                }
                to.push(i as usize);
            }
        }
        if let Some(parts) = parts {
            // Those new in the first part, as many times over as there
            // are parts: an input that mostly fills in accounts read
            // before (firmographics after the CRM) then grows the columns
            // in place, not into copies twice their size.
            self.reserve(room(self.len() - before, parts));
        }
        // On this thread while the pool reads the next parts; on every core
        // once it has read them all.
        let len = self.domains.len();
        let fill = |(mine, theirs): (&mut Column, &mut Column)| {
            mine.resize(len);
            mine.fill(theirs, &to);
        };
        let columns = self.columns.values_mut().zip(part.columns.values_mut());
        if pool_idle {
            columns.collect::<Vec<_>>().into_par_iter().for_each(fill);
        } else {
            columns.for_each(fill);
        }
        // A part's first id that is still there lost to an id read before
        // it: it is merged, ahead of the part's other merged ids.
        if let Some(Column::Text(ids)) = part.columns.get_mut("account_id") {
            for (j, id) in ids.iter_mut().enumerate() {
                if let Some(id) = id.take() {
                    self.note_account_id(to[j] as u32, &id);
                }
            }
        }
        for (j, ids) in part.merged_ids {
            for id in ids {
                self.note_account_id(to[j as usize] as u32, &id);
            }
        }
        merged
    }

    /// Parses the row's mapped cells; a field takes the value only when it
    /// has none yet. Every cell still counts for completeness.
    fn take_fields(
        &mut self,
        input: &Input,
        record: &csv::StringRecord,
        slots: &[(usize, usize)],
        account: u32,
        report: &mut InputReport,
    ) {
        let i = account as usize;
        for (k, (field, &(cell_index, slot))) in input.fields.iter().zip(slots).enumerate() {
            let Some(raw) = cell(record, cell_index) else {
                continue;
            };
            let quality = &mut report.fields[k];
            if field.ty == Type::Text {
                quality.present += 1;
                if field.name == "account_id" {
                    self.note_account_id(account, raw);
                }
                let column = &mut self.columns[slot];
                if !column.is_set(i) {
                    column.set(i, Value::Text(CompactString::new(raw)));
                }
                continue;
            }
            let Some(mut value) =
                parse_value(raw, field.ty, input.decimal, input.date_format.as_deref())
            else {
                quality.failed(raw);
                continue;
            };
            if let Value::Number(x) = &mut value {
                *x = field.scaled(*x);
            }
            quality.present += 1;
            let column = &mut self.columns[slot];
            if !column.is_set(i) {
                column.set(i, value);
            }
        }
    }

    /// Keeps every id that is not the winning one, once, in order met.
    fn note_account_id(&mut self, account: u32, id: &str) {
        let Some(Column::Text(ids)) = self.columns.get("account_id") else {
            return;
        };
        match &ids[account as usize] {
            None => {}
            Some(winner) if winner == id => {}
            Some(_) => {
                let merged = self.merged_ids.entry(account).or_default();
                if !merged.iter().any(|m| m == id) {
                    merged.push(id.to_string());
                }
            }
        }
    }

    /// Called once every account input is read: numbers the accounts in
    /// domain order (bytes). Every listing that ends on the domain (the
    /// ranking's last key, the accounts outside the TAL) then reads the
    /// columns front to back instead of jumping through a million rows.
    /// The index is frozen into the lookup that [`Accounts::find`] reads:
    /// no account is added after.
    pub fn finish(&mut self) {
        let domains = &self.domains;
        // Sorted on the first 16 bytes, held beside the index, and on the
        // whole domain only when those tie: most comparisons then never
        // leave the array being sorted.
        let mut keyed: Vec<(u128, u32)> = (domains.iter().enumerate())
            .map(|(i, d)| (prefix(d), i as u32))
            .collect();
        keyed.par_sort_unstable_by(|(pa, a), (pb, b)| {
            pa.cmp(pb)
                .then_with(|| domains[*a as usize].cmp(&domains[*b as usize]))
        });
        // order[new] = old
        let order: Vec<u32> = keyed.into_iter().map(|(_, i)| i).collect();
        let mut new_of_old = vec![0u32; order.len()];
        for (new, &old) in order.iter().enumerate() {
            new_of_old[old as usize] = new as u32;
        }
        // The domains and the lookup beside the columns, on every core.
        let mut domains = std::mem::take(&mut self.domains);
        let (index, hashes, columns) = (&self.index, &self.hashes, &mut self.columns);
        let ((reordered, lookup), ()) = rayon::join(
            || {
                let hashes: Vec<u64> = order.iter().map(|&old| hashes[old as usize]).collect();
                let lookup = index.freeze(&hashes);
                let reordered = (order.iter())
                    .map(|&old| std::mem::take(&mut domains[old as usize]))
                    .collect();
                (reordered, lookup)
            },
            || {
                let mut columns: Vec<&mut Column> = columns.values_mut().collect();
                (columns.par_iter_mut()).for_each(|column| column.reorder(&order));
            },
        );
        self.lookup = lookup;
        self.index = self.index.empty_like();
        self.domains = reordered;
        self.merged_ids = std::mem::take(&mut self.merged_ids)
            .into_iter()
            .map(|(old, ids)| (new_of_old[old as usize], ids))
            .collect();
        self.hashes = Vec::new();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// A prefix that differs orders the domains as their bytes do.
        #[test]
        fn prefixes_order_like_the_text(a in "[a-c.\\x00é]{0,20}", b in "[a-c.\\x00é]{0,20}") {
            let by_prefix = prefix(&a).cmp(&prefix(&b)).then_with(|| a.cmp(&b));
            prop_assert_eq!(by_prefix, a.cmp(&b));
        }
    }
}
