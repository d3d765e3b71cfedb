//! What the intent and activity exports hold: the topics researched most
//! (for `[intent].topics`), the activity types with suggested points (for
//! `[engagement].points`) and the personas worth more (for
//! `persona_weights`).

use crate::value;

use super::headers::{fold, Mapping};
use super::profiles::marketo_activity;
use super::sniff::Sample;
use super::tally::Tally;

/// The drafted `[intent]` section.
#[derive(Debug, Clone, Default)]
pub struct IntentDraft {
    /// The most frequent topics and their row counts.
    pub topics: Vec<(String, usize)>,
    pub distinct_topics: usize,
    pub threshold: f64,
    /// Set when the scores are not on Bombora's 0-100 scale.
    pub threshold_note: Option<String>,
}

/// One activity type found, with its suggested points.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityPoints {
    pub name: String,
    pub rows: usize,
    pub points: f64,
    /// What the points were matched on, e.g. "meeting".
    pub kind: &'static str,
    /// What a type written as a Marketo activity type id is called.
    pub label: Option<&'static str>,
}

/// The drafted `[engagement]` section.
#[derive(Debug, Clone, Default)]
pub struct EngagementDraft {
    pub types: Vec<ActivityPoints>,
    pub distinct_types: usize,
    /// Personas (as spelt in the data) and their multipliers.
    pub personas: Vec<(String, f64)>,
    pub distinct_personas: usize,
}

const TOPICS: usize = 5;
const TYPES: usize = 25;

/// Distinct values of a field, counted case-insensitively, most frequent
/// first.
fn frequencies(files: &[(&Sample, &Mapping)], field: &str) -> Vec<(String, usize)> {
    let mut tally = Tally::default();
    for (sample, mapping) in files {
        if let Some(i) = mapping.index(sample, field) {
            sample.cells(i).for_each(|cell| tally.add(cell));
        }
    }
    tally.ranked()
}

pub fn intent(files: &[(&Sample, &Mapping)]) -> IntentDraft {
    let all = frequencies(files, "topic");
    let mut scores: Vec<f64> = Vec::new();
    for (sample, mapping) in files {
        if let Some(i) = mapping.index(sample, "score") {
            scores.extend(
                sample
                    .cells(i)
                    .filter_map(|c| value::parse_number(c, sample.decimal)),
            );
        }
    }
    scores.sort_by(f64::total_cmp);
    let max = scores.last().copied().unwrap_or(0.0);
    let (threshold, threshold_note) = if scores.is_empty() || max >= 60.0 {
        (60.0, None)
    } else {
        // Not a 0-100 surge score: call the top quarter a surge.
        let p75 = scores[(scores.len() * 3).div_ceil(4).max(1) - 1];
        let t = (p75 * 100.0).round() / 100.0;
        let note = format!(
            "the scores go up to {} only, so the top quarter (>= {t}) counts as intent",
            crate::format::number(max)
        );
        (t, Some(note))
    };
    IntentDraft {
        distinct_topics: all.len(),
        topics: all.into_iter().take(TOPICS).collect(),
        threshold,
        threshold_note,
    }
}

pub fn engagement(files: &[(&Sample, &Mapping)]) -> EngagementDraft {
    let all = frequencies(files, "type");
    let personas = frequencies(files, "persona");
    // Marketo's bulk activity export writes the type as its id.
    let marketo_ids = files.iter().any(|(_, mapping)| {
        mapping
            .column("type")
            .is_some_and(|c| fold(c) == "activitytypeid")
    });
    EngagementDraft {
        distinct_types: all.len(),
        types: all
            .into_iter()
            .take(TYPES)
            .map(|(name, rows)| {
                let marketo = marketo_ids.then(|| marketo_activity(&name)).flatten();
                let (kind, points) = match marketo {
                    Some((_, false)) => ("done to the lead, not by them", 0.0),
                    Some((label, true)) => suggest_points(label),
                    None if marketo_ids => ("not a default Marketo activity type", 1.0),
                    None => suggest_points(&name),
                };
                ActivityPoints {
                    name,
                    rows,
                    points,
                    kind,
                    label: marketo.map(|(label, _)| label),
                }
            })
            .collect(),
        distinct_personas: personas.len(),
        personas: personas
            .into_iter()
            .take(50)
            .filter_map(|(name, _)| persona_weight(&name).map(|w| (name, w)))
            .take(10)
            .collect(),
    }
}

/// Suggested points by what the activity is: a meeting 25, a demo request or
/// form 10, a webinar 8, a content download 5, an e-mail click 3, a web
/// visit 1; something sent to the person (not done by them) 0; anything
/// else 1.
pub fn suggest_points(activity: &str) -> (&'static str, f64) {
    #[rustfmt::skip]
    const KINDS: &[(&str, f64, &[&str])] = &[
        ("sent to them, not done by them", 0.0,
         &["sent", "send", "deliver", "bounce", "unsubscrib", "enviad", "entregue", "rebot", "发送", "退订"]),
        ("meeting", 25.0, &["meeting", "reuniao", "reunion", "会议", "会面"]),
        ("demo request or form", 10.0,
         &["demo", "form", "trial", "formulario", "表单", "演示", "试用"]),
        ("webinar or event", 8.0, &["webinar", "event", "evento", "研讨会"]),
        ("content download", 5.0,
         &["download", "ebook", "whitepaper", "白皮书", "下载"]),
        ("e-mail click", 3.0, &["click", "clique", "clic", "点击"]),
        ("web visit", 1.0, &["visit", "pageview", "page", "web", "site", "visita", "访问", "浏览"]),
    ];
    let words = words(activity);
    let folded = fold(activity);
    let found = |keyword: &&str| {
        if keyword.is_ascii() {
            words.iter().any(|w| w.starts_with(keyword))
        } else {
            folded.contains(keyword)
        }
    };
    KINDS
        .iter()
        .find(|(_, _, keywords)| keywords.iter().any(found))
        .map(|(kind, points, _)| (*kind, *points))
        .unwrap_or(("other", 1.0))
}

/// Folded words: split at anything not a letter or digit and where a
/// lower-case letter meets an upper-case one (`EmailClick`).
fn words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in text.chars() {
        let boundary = !c.is_alphanumeric() || (previous_lower && c.is_uppercase());
        if boundary && !current.is_empty() {
            words.push(fold(&std::mem::take(&mut current)));
        }
        if c.is_alphanumeric() {
            current.push(c);
        }
        previous_lower = c.is_lowercase();
    }
    if !current.is_empty() {
        words.push(fold(&current));
    }
    words
}

/// Executives count double, directors and heads of a function half again.
fn persona_weight(persona: &str) -> Option<f64> {
    const EXECUTIVE: &[&str] = &[
        "chief",
        "vp",
        "svp",
        "evp",
        "president",
        "presidente",
        "executive",
        "founder",
        "cofounder",
    ];
    const LEADER: &[&str] = &["director", "diretor", "directora", "diretora", "head"];
    let words = words(persona);
    let has = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    // CEO, CMO, CTO, CFO, COO, CIO, CRO...
    let c_level = words
        .iter()
        .any(|w| w.len() == 3 && w.starts_with('c') && w.ends_with('o'));
    if c_level || has(EXECUTIVE) {
        Some(2.0)
    } else if has(LEADER) {
        Some(1.5)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_by_activity_kind() {
        assert_eq!(suggest_points("meeting").1, 25.0);
        assert_eq!(suggest_points("Meeting Booked").1, 25.0);
        assert_eq!(suggest_points("Fill Out Form").1, 10.0);
        assert_eq!(suggest_points("form_fill").1, 10.0);
        assert_eq!(suggest_points("Demo Request").1, 10.0);
        assert_eq!(suggest_points("Webinar Attended").1, 8.0);
        assert_eq!(suggest_points("Click Link in Email").1, 3.0);
        assert_eq!(suggest_points("email_click").1, 3.0);
        assert_eq!(suggest_points("Visit Web Page").1, 1.0);
        assert_eq!(suggest_points("web_visit").1, 1.0);
        assert_eq!(suggest_points("Email Delivered").1, 0.0);
        assert_eq!(suggest_points("Open Email").1, 1.0);
        assert_eq!(suggest_points("Reunião").1, 25.0);
        assert_eq!(suggest_points("EmailClick").1, 3.0);
        assert_eq!(suggest_points("Platform Login").1, 1.0);
        assert_eq!(suggest_points("Page View").1, 1.0);
        assert_eq!(suggest_points("Download e-book ABM").1, 5.0);
        assert_eq!(suggest_points("Whitepaper Download").1, 5.0);
        assert_eq!(suggest_points("Reunião agendada").1, 25.0);
        assert_eq!(suggest_points("Solicitação de demonstração").1, 10.0);
    }

    #[test]
    fn persona_weights_for_leaders() {
        assert_eq!(persona_weight("CMO"), Some(2.0));
        assert_eq!(persona_weight("Chief Marketing Officer"), Some(2.0));
        assert_eq!(persona_weight("VP Marketing"), Some(2.0));
        assert_eq!(persona_weight("Director of Demand Gen"), Some(1.5));
        assert_eq!(persona_weight("Head of Growth"), Some(1.5));
        assert_eq!(persona_weight("Marketing Ops"), None);
        assert_eq!(persona_weight("Coordinator"), None);
        assert_eq!(persona_weight("CMO / executive"), Some(2.0));
    }
}
