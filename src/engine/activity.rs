//! Intent and engagement signals from the in-scope rows (the loader has
//! already applied the window, the topic filter and free-mail). Everything
//! done per text value — lower-casing, spelling, points, weights — is done
//! once per distinct value, not per row.

use chrono::NaiveDate;

use crate::format::round;
use crate::input::activity::Interner;
use crate::input::{Activity, IntentRows};
use crate::spec::{EngagementSpec, IntentSpec};

/// Per account intent signals.
#[derive(Debug, Clone, Default)]
pub struct IntentSignal {
    pub score: f64,
    /// Topics at or above threshold, best first.
    pub topics: Vec<String>,
}

/// Per account engagement signals.
#[derive(Debug, Clone, Default)]
pub struct EngagementSignal {
    pub score: f64,
    pub last: Option<NaiveDate>,
    pub personas: Vec<String>,
}

/// Maps each interned value to the id of its case-insensitive group, and
/// gives each group its lower-cased key.
struct Groups {
    of: Vec<u32>,
    lower: Vec<String>,
}

fn groups(interner: &Interner) -> Groups {
    let mut lower: Vec<String> = Vec::new();
    let of = interner
        .names
        .iter()
        .map(|name| {
            let key = name.to_lowercase();
            match lower.iter().position(|l| *l == key) {
                Some(g) => g as u32,
                None => {
                    lower.push(key);
                    lower.len() as u32 - 1
                }
            }
        })
        .collect();
    Groups { of, lower }
}

/// `intent_score` is the best score in scope; topics at or above the
/// threshold are listed by their best score, then name.
pub fn intent_signals(rows: &IntentRows, spec: &IntentSpec, accounts: usize) -> Vec<IntentSignal> {
    let groups = groups(&rows.topics);
    // Each topic's spelling, once per interned topic rather than per account.
    let spelled: Vec<String> = (rows.topics.names.iter().enumerate())
        .map(|(id, name)| spelling(name, &groups.lower[groups.of[id] as usize], &spec.topics))
        .collect();
    let mut best: Vec<Option<f64>> = vec![None; accounts];
    // Per account: (topic group, spelling id, best score), first seen order.
    let mut topics: Vec<Vec<(u32, u32, f64)>> = vec![Vec::new(); accounts];
    for i in 0..rows.account.len() {
        let account = rows.account[i] as usize;
        let score = rows.score[i];
        best[account] = Some(best[account].map_or(score, |s| s.max(score)));
        let Some(topic) = rows.topic[i] else { continue };
        if score < spec.threshold {
            continue;
        }
        let group = groups.of[topic as usize];
        let list = &mut topics[account];
        match list.iter_mut().find(|(g, _, _)| *g == group) {
            Some(found) => found.2 = found.2.max(score),
            None => list.push((group, topic, score)),
        }
    }
    best.into_iter()
        .zip(topics)
        .map(|(score, mut list)| {
            list.sort_by(|a, b| {
                b.2.total_cmp(&a.2)
                    .then_with(|| groups.lower[a.0 as usize].cmp(&groups.lower[b.0 as usize]))
            });
            let topics = (list.into_iter())
                .map(|(_, id, _)| spelled[id as usize].clone())
                .collect();
            IntentSignal {
                score: score.unwrap_or(0.0),
                topics,
            }
        })
        .collect()
}

/// A topic as the spec spells it when listed there, else as first seen.
fn spelling(first_seen: &str, lower: &str, listed: &[String]) -> String {
    listed
        .iter()
        .find(|t| t.to_lowercase() == lower)
        .cloned()
        .unwrap_or_else(|| first_seen.to_string())
}

/// Σ points × persona weight × ½^(age / half-life), rounded to 2 decimals.
pub fn engagement_signals(
    rows: &Activity,
    spec: &EngagementSpec,
    as_of: NaiveDate,
    accounts: usize,
) -> Vec<EngagementSignal> {
    let points: Vec<f64> = rows
        .kinds
        .names
        .iter()
        .map(|k| spec.points.get(&k.to_lowercase()).copied().unwrap_or(0.0))
        .collect();
    let weights: Vec<f64> = rows
        .personas
        .names
        .iter()
        .map(|p| {
            spec.persona_weights
                .get(&p.to_lowercase())
                .copied()
                .unwrap_or(1.0)
        })
        .collect();
    let persona_groups = groups(&rows.personas);
    // The loader keeps rows of the window only: one decay per day of age
    // (ten years of days at most; older ones are computed as met).
    let decays: Vec<f64> = (0..=spec.window_days.clamp(0, 3_660))
        .map(|age| decay(age, spec))
        .collect();
    let mut out = vec![EngagementSignal::default(); accounts];
    // Per account: (persona group, first-seen spelling id).
    let mut personas: Vec<Vec<(u32, u32)>> = vec![Vec::new(); accounts];
    for i in 0..rows.account.len() {
        let account = rows.account[i] as usize;
        let date = rows.date[i];
        let kind_points = rows.kind[i].map_or(0.0, |k| points[k as usize]);
        let weight = rows.persona[i].map_or(1.0, |p| weights[p as usize]);
        let signal = &mut out[account];
        let age = (as_of - date).num_days();
        let decay = usize::try_from(age)
            .ok()
            .and_then(|age| decays.get(age).copied())
            .unwrap_or_else(|| decay(age, spec));
        signal.score += kind_points * weight * decay;
        signal.last = Some(signal.last.map_or(date, |d| d.max(date)));
        if let Some(persona) = rows.persona[i] {
            let group = persona_groups.of[persona as usize];
            let seen = &mut personas[account];
            if !seen.iter().any(|(g, _)| *g == group) {
                seen.push((group, persona));
            }
        }
    }
    for (signal, mut seen) in out.iter_mut().zip(personas) {
        signal.score = round(signal.score, 2);
        seen.sort_by(|a, b| {
            persona_groups.lower[a.0 as usize]
                .cmp(&persona_groups.lower[b.0 as usize])
                .then_with(|| rows.personas.name(a.1).cmp(rows.personas.name(b.1)))
        });
        signal.personas = seen
            .into_iter()
            .map(|(_, id)| rows.personas.name(id).to_string())
            .collect();
    }
    out
}

/// ½^(age / half-life), or 1 without a half-life.
fn decay(age_days: i64, spec: &EngagementSpec) -> f64 {
    spec.half_life_days
        .map_or(1.0, |half_life| 0.5f64.powf(age_days as f64 / half_life))
}
