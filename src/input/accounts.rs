//! The account universe: the union of the account inputs joined on the
//! normalised key. Inputs are read in spec order and rows in file order, and
//! a field takes the first non-null parsed value it meets — which is exactly
//! "first input with a value wins; within an input, the first row with a
//! value wins".

use std::collections::HashMap;

use anyhow::Result;
use chrono::NaiveDate;
use indexmap::IndexMap;
use polars::prelude::{PlHashMap, PlHashSet};

use super::read::{self, cell};
use super::{parse_value, InputReport, Value};
use crate::expr::Type;
use crate::spec::{Input, Spec};

/// One field's values, one per account.
#[derive(Debug, Clone)]
pub enum Column {
    Number(Vec<Option<f64>>),
    Text(Vec<Option<String>>),
    Bool(Vec<Option<bool>>),
    Date(Vec<Option<NaiveDate>>),
    List(Vec<Option<Vec<String>>>),
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

    fn is_set(&self, i: usize) -> bool {
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
        match self {
            Column::Number(v) => v[i].map(crate::output::format::number),
            Column::Text(v) => v[i].clone(),
            Column::Bool(v) => v[i].map(|b| b.to_string()),
            Column::Date(v) => v[i].map(|d| d.to_string()),
            Column::List(v) => v[i].as_ref().map(|items| items.join("; ")),
        }
    }
}

/// Every account: its domain, its fields, and the ids merged into it.
#[derive(Debug, Default)]
pub struct Accounts {
    pub domains: Vec<String>,
    index: PlHashMap<String, u32>,
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

    /// The account with this normalised domain.
    pub fn find(&self, domain: &str) -> Option<u32> {
        self.index.get(domain).copied()
    }

    fn get_or_insert(&mut self, domain: &str) -> u32 {
        if let Some(&i) = self.index.get(domain) {
            return i;
        }
        let i = self.domains.len() as u32;
        self.domains.push(domain.to_string());
        self.index.insert(domain.to_string(), i);
        for column in self.columns.values_mut() {
            column.push_empty();
        }
        i
    }

    /// Reads one account input into the universe.
    pub fn read_input(&mut self, input: &Input) -> Result<InputReport> {
        let table = read::open(input)?;
        let (key_index, field_indexes) = read::map_columns(input, &table.headers)?;
        let mut report = InputReport::new(input, &table);
        // Per mapped field: its cell, and its column among the accounts'.
        let slots: Vec<(usize, usize)> = input
            .fields
            .iter()
            .zip(&field_indexes)
            .map(|(field, &cell)| (cell, self.columns.get_index_of(&field.name).unwrap_or(0)))
            .collect();
        let mut seen: PlHashSet<u32> = PlHashSet::default();
        super::each_row(
            input,
            &table,
            key_index,
            &mut report,
            |_, record, domain, report| {
                let account = self.get_or_insert(domain);
                if seen.insert(account) {
                    report.rows.used += 1;
                } else {
                    report.rows.merged += 1;
                }
                self.take_fields(input, record, &slots, account, report);
            },
        )?;
        Ok(report)
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
                    column.set(i, Value::Text(raw.to_string()));
                }
                continue;
            }
            let Some(value) =
                parse_value(raw, field.ty, input.decimal, input.date_format.as_deref())
            else {
                quality.failed(raw);
                continue;
            };
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

    /// Called once every account input is read.
    pub fn finish(&mut self) {
        self.index.shrink_to_fit();
    }
}
