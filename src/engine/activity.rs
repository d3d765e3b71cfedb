//! Intent and engagement signals from the in-scope rows (the loader has
//! already applied the window, the topic filter and free-mail).

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::input::{Activity, IntentRows};
use crate::output::format::round;
use crate::spec::{EngagementSpec, IntentSpec};

/// Per account intent signals.
#[derive(Debug, Clone, Default)]
pub struct IntentSignal {
    pub score: f64,
    /// Topics at or above threshold: (spelling, best score).
    pub topics: Vec<String>,
}

/// Per account engagement signals.
#[derive(Debug, Clone, Default)]
pub struct EngagementSignal {
    pub score: f64,
    pub last: Option<NaiveDate>,
    pub personas: Vec<String>,
}

/// `intent_score` is the best score in scope; topics at or above the
/// threshold are listed by their best score, then name.
pub fn intent_signals(rows: &IntentRows, spec: &IntentSpec, accounts: usize) -> Vec<IntentSignal> {
    let mut best: Vec<Option<f64>> = vec![None; accounts];
    // account -> lower topic -> (spelling, best score), first seen order
    let mut topics: HashMap<u32, Vec<(String, String, f64)>> = HashMap::new();
    for i in 0..rows.account.len() {
        let account = rows.account[i];
        let score = rows.score[i];
        let slot = &mut best[account as usize];
        *slot = Some(slot.map_or(score, |s: f64| s.max(score)));
        let Some(topic) = &rows.topic[i] else {
            continue;
        };
        if score < spec.threshold {
            continue;
        }
        let lower = topic.to_lowercase();
        let entry = topics.entry(account).or_default();
        match entry.iter_mut().find(|(l, _, _)| *l == lower) {
            Some(found) => found.2 = found.2.max(score),
            None => entry.push((lower, spelling(topic, &spec.topics), score)),
        }
    }
    let mut out: Vec<IntentSignal> = best
        .into_iter()
        .map(|score| IntentSignal {
            score: score.unwrap_or(0.0),
            topics: Vec::new(),
        })
        .collect();
    for (account, mut list) in topics {
        list.sort_by(|a, b| {
            b.2.total_cmp(&a.2)
                .then_with(|| a.1.to_lowercase().cmp(&b.1.to_lowercase()))
                .then_with(|| a.1.cmp(&b.1))
        });
        out[account as usize].topics = list.into_iter().map(|(_, spelling, _)| spelling).collect();
    }
    out
}

/// A topic as the spec spells it when listed there, else as first seen.
fn spelling(topic: &str, listed: &[String]) -> String {
    listed
        .iter()
        .find(|t| t.to_lowercase() == topic.to_lowercase())
        .cloned()
        .unwrap_or_else(|| topic.to_string())
}

/// Σ points × persona weight × ½^(age / half-life), rounded to 2 decimals.
pub fn engagement_signals(
    rows: &Activity,
    spec: &EngagementSpec,
    as_of: NaiveDate,
    accounts: usize,
) -> Vec<EngagementSignal> {
    let mut out = vec![EngagementSignal::default(); accounts];
    let mut personas: HashMap<u32, Vec<String>> = HashMap::new();
    for i in 0..rows.account.len() {
        let account = rows.account[i] as usize;
        let date = rows.date[i];
        let signal = &mut out[account];
        signal.score += activity_points(
            rows.kind[i].as_deref(),
            rows.persona[i].as_deref(),
            (as_of - date).num_days(),
            spec,
        );
        signal.last = Some(signal.last.map_or(date, |d| d.max(date)));
        if let Some(persona) = &rows.persona[i] {
            let seen = personas.entry(rows.account[i]).or_default();
            if !seen
                .iter()
                .any(|p| p.to_lowercase() == persona.to_lowercase())
            {
                seen.push(persona.clone());
            }
        }
    }
    for signal in &mut out {
        signal.score = round(signal.score, 2);
    }
    for (account, mut list) in personas {
        list.sort_by(|a, b| {
            a.to_lowercase()
                .cmp(&b.to_lowercase())
                .then_with(|| a.cmp(b))
        });
        out[account as usize].personas = list;
    }
    out
}

/// One activity's contribution.
pub fn activity_points(
    kind: Option<&str>,
    persona: Option<&str>,
    age_days: i64,
    spec: &EngagementSpec,
) -> f64 {
    let points = kind
        .and_then(|k| spec.points.get(&k.to_lowercase()))
        .copied()
        .unwrap_or(0.0);
    let weight = persona
        .and_then(|p| spec.persona_weights.get(&p.to_lowercase()))
        .copied()
        .unwrap_or(1.0);
    let decay = spec
        .half_life_days
        .map_or(1.0, |half_life| 0.5f64.powf(age_days as f64 / half_life));
    points * weight * decay
}
