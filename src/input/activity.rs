//! Intent and engagement rows: parsed, checked against the account universe
//! and the as-of window, and kept (only the in-scope ones) by account.

use anyhow::Result;
use chrono::NaiveDate;

use super::read::{self, cell};
use super::{value, Accounts, InputReport};
use crate::spec::{Input, Spec};

/// In-scope intent rows, one entry per row.
#[derive(Debug, Default)]
pub struct IntentRows {
    pub account: Vec<u32>,
    pub topic: Vec<Option<String>>,
    pub score: Vec<f64>,
    pub date: Vec<NaiveDate>,
}

/// In-scope activity rows, one entry per row.
#[derive(Debug, Default)]
pub struct Activity {
    pub account: Vec<u32>,
    pub kind: Vec<Option<String>>,
    pub persona: Vec<Option<String>>,
    pub date: Vec<NaiveDate>,
}

/// Column positions of an activity-style input's fields.
struct Columns {
    key: usize,
    by_field: Vec<(String, usize)>,
}

impl Columns {
    fn of(&self, field: &str) -> Option<usize> {
        self.by_field
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, i)| *i)
    }
}

fn open(input: &Input) -> Result<(read::Table, Columns)> {
    let table = read::open(input)?;
    let (key, indexes) = read::map_columns(input, &table.headers)?;
    let by_field = input
        .fields
        .iter()
        .map(|f| f.name.clone())
        .zip(indexes)
        .collect();
    Ok((table, Columns { key, by_field }))
}

/// Parses the date cell, counting a failure against the field.
fn row_date(
    input: &Input,
    record: &csv::StringRecord,
    index: Option<usize>,
    report: &mut InputReport,
) -> Result<NaiveDate, String> {
    let raw = index.and_then(|i| cell(record, i));
    match raw.map(|r| (r, value::parse_date(r, input.date_format.as_deref()))) {
        Some((_, Some(date))) => {
            report.fields["date"].present += 1;
            Ok(date)
        }
        Some((raw, None)) => {
            report.fields["date"].failed(raw);
            Err(format!("bad date: '{raw}'"))
        }
        None => Err("bad date: empty".to_string()),
    }
}

/// Counts a text field's presence for completeness.
fn note_text(
    record: &csv::StringRecord,
    index: Option<usize>,
    field: &str,
    report: &mut InputReport,
) -> Option<String> {
    let text = index.and_then(|i| cell(record, i)).map(str::to_string);
    if text.is_some() {
        if let Some(quality) = report.fields.get_mut(field) {
            quality.present += 1;
        }
    }
    text
}

impl IntentRows {
    pub fn read_input(
        &mut self,
        input: &Input,
        spec: &Spec,
        accounts: &Accounts,
        as_of: NaiveDate,
    ) -> Result<InputReport> {
        let (table, columns) = open(input)?;
        let mut report = InputReport::new(input, &table);
        let topics: Vec<String> = spec
            .intent
            .topics
            .iter()
            .map(|t| t.to_lowercase())
            .collect();
        let window = spec.intent.window_days;
        let (topic_i, score_i, date_i) =
            (columns.of("topic"), columns.of("score"), columns.of("date"));
        super::each_row(
            input,
            &table,
            columns.key,
            &mut report,
            |line, record, domain, report| {
                let date = row_date(input, record, date_i, report);
                let topic = note_text(record, topic_i, "topic", report);
                let raw_score = score_i.and_then(|i| cell(record, i));
                let score = raw_score.and_then(|r| value::parse_number(r, input.decimal));
                match (raw_score, score) {
                    (Some(_), Some(_)) => report.fields["score"].present += 1,
                    (Some(raw), None) => report.fields["score"].failed(raw),
                    _ => {}
                }
                let (date, score) = match (date, score) {
                    (Err(reason), _) => {
                        return report.reject(line, reason, record, table.delimiter)
                    }
                    (_, None) => {
                        let reason = match raw_score {
                            Some(raw) => format!("bad score: '{raw}'"),
                            None => "bad score: empty".to_string(),
                        };
                        return report.reject(line, reason, record, table.delimiter);
                    }
                    (Ok(date), Some(score)) => (date, score),
                };
                let Some(account) = accounts.find(&domain) else {
                    report.rows.unmatched += 1;
                    return;
                };
                let age = (as_of - date).num_days();
                let on_topic = topics.is_empty()
                    || topic
                        .as_ref()
                        .is_some_and(|t| topics.contains(&t.to_lowercase()));
                if !(0..window).contains(&age) || !on_topic {
                    report.rows.out_of_scope += 1;
                    return;
                }
                report.rows.used += 1;
                self.account.push(account);
                self.topic.push(topic);
                self.score.push(score);
                self.date.push(date);
            },
        )?;
        Ok(report)
    }
}

impl Activity {
    pub fn read_input(
        &mut self,
        input: &Input,
        spec: &Spec,
        accounts: &Accounts,
        as_of: NaiveDate,
    ) -> Result<InputReport> {
        let (table, columns) = open(input)?;
        let mut report = InputReport::new(input, &table);
        let window = spec.engagement.window_days;
        let (type_i, persona_i, date_i) = (
            columns.of("type"),
            columns.of("persona"),
            columns.of("date"),
        );
        super::each_row(
            input,
            &table,
            columns.key,
            &mut report,
            |line, record, domain, report| {
                let kind = note_text(record, type_i, "type", report);
                let persona = note_text(record, persona_i, "persona", report);
                let date = match row_date(input, record, date_i, report) {
                    Ok(date) => date,
                    Err(reason) => return report.reject(line, reason, record, table.delimiter),
                };
                if value::is_free_mail(&domain) {
                    report.rows.free_mail += 1;
                    return;
                }
                let Some(account) = accounts.find(&domain) else {
                    report.rows.unmatched += 1;
                    return;
                };
                let age = (as_of - date).num_days();
                if !(0..=window).contains(&age) {
                    report.rows.out_of_scope += 1;
                    return;
                }
                report.rows.used += 1;
                self.account.push(account);
                self.kind.push(kind);
                self.persona.push(persona);
                self.date.push(date);
            },
        )?;
        Ok(report)
    }
}
