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
    let by_account = ByAccount::of(&rows.account, accounts);
    // The account's (topic group, spelling id, best score), first seen first.
    let mut topics: Vec<(u32, u32, f64)> = Vec::new();
    (0..accounts)
        .map(|account| {
            let mut best: Option<f64> = None;
            topics.clear();
            for i in by_account.rows(account) {
                let score = rows.score[i];
                best = Some(best.map_or(score, |s| s.max(score)));
                let Some(topic) = rows.topic[i] else { continue };
                if score < spec.threshold {
                    continue;
                }
                let group = groups.of[topic as usize];
                match topics.iter_mut().find(|(g, _, _)| *g == group) {
                    Some(found) => found.2 = found.2.max(score),
                    None => topics.push((group, topic, score)),
                }
            }
            topics.sort_by(|a, b| {
                b.2.total_cmp(&a.2)
                    .then_with(|| groups.lower[a.0 as usize].cmp(&groups.lower[b.0 as usize]))
            });
            IntentSignal {
                score: best.unwrap_or(0.0),
                topics: (topics.iter())
                    .map(|&(_, id, _)| spelled[id as usize].clone())
                    .collect(),
            }
        })
        .collect()
}

/// Each account's rows, in row order: a stable counting sort of the rows
/// by account. The signals are then made one account at a time, with no
/// list of its own per account in the making (at millions of accounts,
/// fresh pages the kernel has to clear; bench/README.md, round 6).
struct ByAccount {
    /// Account `a`'s rows are `rows[starts[a]..starts[a + 1]]`.
    starts: Vec<u32>,
    rows: Vec<u32>,
}

impl ByAccount {
    /// Rows in memory are far fewer than 2^32 (each holds more than 16
    /// bytes), so their numbers fit in 4 bytes.
    fn of(account_of_row: &[u32], accounts: usize) -> Self {
        let mut starts = vec![0u32; accounts + 1];
        for &account in account_of_row {
            starts[account as usize + 1] += 1;
        }
        for a in 0..accounts {
            starts[a + 1] += starts[a];
        }
        // Each account's next free place, from its start on: once every
        // row is placed, `starts[a]` has moved on to where `a + 1` starts.
        let mut rows = vec![0u32; account_of_row.len()];
        for (row, &account) in account_of_row.iter().enumerate() {
            let next = &mut starts[account as usize];
            rows[*next as usize] = row as u32;
            *next += 1;
        }
        starts.rotate_right(1);
        starts[0] = 0;
        ByAccount { starts, rows }
    }

    /// Account `account`'s rows, in row order.
    fn rows(&self, account: usize) -> impl Iterator<Item = usize> + '_ {
        let (from, to) = (self.starts[account], self.starts[account + 1]);
        self.rows[from as usize..to as usize]
            .iter()
            .map(|&row| row as usize)
    }
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
    let earning = Earning::new(rows, spec, as_of);
    let persona_groups = groups(&rows.personas);
    let by_account = ByAccount::of(&rows.account, accounts);
    // The account's (persona group, first-seen spelling id).
    let mut seen: Vec<(u32, u32)> = Vec::new();
    (0..accounts)
        .map(|account| {
            let mut signal = EngagementSignal::default();
            seen.clear();
            // Row order, as the sum is rounded: the same bits every run.
            for i in by_account.rows(account) {
                let date = rows.date[i];
                signal.score += earning.of(rows, i);
                signal.last = Some(signal.last.map_or(date, |d| d.max(date)));
                if let Some(persona) = rows.persona[i] {
                    let group = persona_groups.of[persona as usize];
                    if !seen.iter().any(|(g, _)| *g == group) {
                        seen.push((group, persona));
                    }
                }
            }
            signal.score = round(signal.score, 2);
            seen.sort_by(|a, b| {
                persona_groups.lower[a.0 as usize]
                    .cmp(&persona_groups.lower[b.0 as usize])
                    .then_with(|| rows.personas.name(a.1).cmp(rows.personas.name(b.1)))
            });
            signal.personas = (seen.iter())
                .map(|&(_, id)| rows.personas.name(id).to_string())
                .collect();
            signal
        })
        .collect()
}

/// What an activity row earns: points × persona weight × decay, from
/// tables made once per distinct type, persona and day of age.
struct Earning<'s> {
    points: Vec<f64>,
    weights: Vec<f64>,
    decays: Vec<f64>,
    spec: &'s EngagementSpec,
    as_of: NaiveDate,
}

impl<'s> Earning<'s> {
    fn new(rows: &Activity, spec: &'s EngagementSpec, as_of: NaiveDate) -> Self {
        let points = (rows.kinds.names.iter())
            .map(|k| spec.points.get(&k.to_lowercase()).copied().unwrap_or(0.0))
            .collect();
        let weights = (rows.personas.names.iter())
            .map(|p| {
                (spec.persona_weights.get(&p.to_lowercase()))
                    .copied()
                    .unwrap_or(1.0)
            })
            .collect();
        // The loader keeps rows of the window only: one decay per day of
        // age (ten years of days at most; older ones are computed as met).
        let decays = (0..=spec.window_days.clamp(0, 3_660))
            .map(|age| decay(age, spec))
            .collect();
        Earning {
            points,
            weights,
            decays,
            spec,
            as_of,
        }
    }

    /// What row `i` earns.
    fn of(&self, rows: &Activity, i: usize) -> f64 {
        let kind_points = rows.kind[i].map_or(0.0, |k| self.points[k as usize]);
        let weight = rows.persona[i].map_or(1.0, |p| self.weights[p as usize]);
        let age = (self.as_of - rows.date[i]).num_days();
        let decay = usize::try_from(age)
            .ok()
            .and_then(|age| self.decays.get(age).copied())
            .unwrap_or_else(|| decay(age, self.spec));
        kind_points * weight * decay
    }
}

/// ½^(age / half-life), or 1 without a half-life.
fn decay(age_days: i64, spec: &EngagementSpec) -> f64 {
    spec.half_life_days
        .map_or(1.0, |half_life| 0.5f64.powf(age_days as f64 / half_life))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    // The signals made the plain way: one list per account, filled row by
    // row, the accounts' signals read off at the end.

    /// [`intent_signals`], row by row.
    fn plain_intent_signals(
        rows: &IntentRows,
        spec: &IntentSpec,
        accounts: usize,
    ) -> Vec<IntentSignal> {
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

    /// [`engagement_signals`] of `n` accounts, row by row.
    fn plain_engagement_signals(
        rows: &Activity,
        spec: &EngagementSpec,
        as_of: NaiveDate,
        n: usize,
    ) -> Vec<EngagementSignal> {
        let earning = Earning::new(rows, spec, as_of);
        let persona_groups = groups(&rows.personas);
        let mut out = vec![EngagementSignal::default(); n];
        // Per account: (persona group, first-seen spelling id).
        let mut personas: Vec<Vec<(u32, u32)>> = vec![Vec::new(); n];
        for i in 0..rows.account.len() {
            let account = rows.account[i] as usize;
            let date = rows.date[i];
            let signal = &mut out[account];
            signal.score += earning.of(rows, i);
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

    fn interned(names: &[&str]) -> Interner {
        let mut interner = Interner::default();
        for name in names {
            interner.id(name);
        }
        interner
    }

    proptest! {
        /// Signals made account by account (rows sorted by account) are
        /// those made row by row, bits and spellings alike.
        #[test]
        fn signals_by_account_are_the_plain_ones(
            rows in prop::collection::vec(
                (0u32..6, prop::option::of(0u32..4), prop::option::of(0u32..4), 0i64..40, 0.0..100.0f64),
                0..60,
            ),
            accounts in 6usize..9,
        ) {
            let as_of = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
            let intent = IntentRows {
                account: rows.iter().map(|r| r.0).collect(),
                topic: rows.iter().map(|r| r.1).collect(),
                score: rows.iter().map(|r| r.4.round()).collect(),
                date: rows.iter().map(|r| as_of - chrono::Duration::days(r.3)).collect(),
                topics: interned(&["ABM", "abm", "Intent Data", "CDP"]),
            };
            let intent_spec = IntentSpec {
                topics: vec!["abm".to_string(), "CDP".to_string()],
                threshold: 50.0,
                window_days: 28,
            };
            let got = intent_signals(&intent, &intent_spec, accounts);
            let want = plain_intent_signals(&intent, &intent_spec, accounts);
            prop_assert_eq!(got.len(), want.len());
            for (got, want) in got.iter().zip(&want) {
                prop_assert_eq!(got.score.to_bits(), want.score.to_bits());
                prop_assert_eq!(&got.topics, &want.topics);
            }
            let activity = Activity {
                account: rows.iter().map(|r| r.0).collect(),
                kind: rows.iter().map(|r| r.1).collect(),
                persona: rows.iter().map(|r| r.2).collect(),
                date: rows.iter().map(|r| as_of - chrono::Duration::days(r.3)).collect(),
                kinds: interned(&["meeting", "Web_Visit", "form_fill", "other"]),
                personas: interned(&["CMO", "cmo", "RevOps", "VP Sales"]),
            };
            let engagement_spec = EngagementSpec {
                window_days: 90,
                half_life_days: Some(14.0),
                threshold: Some(10.0),
                points: [("meeting", 25.0), ("web_visit", 1.0), ("form_fill", 10.0)]
                    .map(|(k, v)| (k.to_string(), v))
                    .into_iter()
                    .collect(),
                persona_weights: [("cmo".to_string(), 1.5)].into_iter().collect(),
            };
            let got = engagement_signals(&activity, &engagement_spec, as_of, accounts);
            let want = plain_engagement_signals(&activity, &engagement_spec, as_of, accounts);
            prop_assert_eq!(got.len(), want.len());
            for (got, want) in got.iter().zip(&want) {
                prop_assert_eq!(got.score.to_bits(), want.score.to_bits());
                prop_assert_eq!(got.last, want.last);
                prop_assert_eq!(&got.personas, &want.personas);
            }
        }
    }
}
