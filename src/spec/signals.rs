//! The signals `tal` computes, their types, and from which point of the
//! pipeline a `when` may read them (SPEC.md: fields; intent and engagement;
//! fit; acv; stage; excludes and tiers; tier columns only in segments).

use indexmap::IndexMap;

use crate::expr::{Column, Scope, Type};

/// Where an expression is evaluated; each phase sees the signals of the
/// phases before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    /// `[[fit.criteria]]`: fields, intent and engagement signals.
    Fit,
    /// `[acv].estimate`: plus fit signals.
    Acv,
    /// `[[stages]]`: plus acv signals.
    Stage,
    /// `[[exclude]]`, `[[tiers]]`, `[ranking]`: plus stage.
    Tier,
    /// `[[segments]]`: plus the tier columns.
    Segment,
}

/// Every signal, its type and the first phase that sees it.
pub const SIGNALS: &[(&str, Type, Phase)] = &[
    ("intent_score", Type::Number, Phase::Fit),
    ("intent", Type::Bool, Phase::Fit),
    ("intent_topics", Type::List, Phase::Fit),
    ("intent_topic_count", Type::Number, Phase::Fit),
    ("engagement_score", Type::Number, Phase::Fit),
    ("engaged", Type::Bool, Phase::Fit),
    ("last_engaged", Type::Date, Phase::Fit),
    ("personas_engaged", Type::List, Phase::Fit),
    ("fit", Type::Number, Phase::Acv),
    ("fit_grade", Type::Text, Phase::Acv),
    ("high_fit", Type::Bool, Phase::Acv),
    ("acv", Type::Number, Phase::Stage),
    ("acv_band", Type::Text, Phase::Stage),
    ("stage", Type::Text, Phase::Tier),
    ("tier", Type::Text, Phase::Segment),
    ("tier_number", Type::Number, Phase::Segment),
    ("tier_code", Type::Text, Phase::Segment),
    ("in_tal", Type::Bool, Phase::Segment),
];

/// The always-present field holding the account's normalised key.
pub const DOMAIN: &str = "domain";

/// Is `name` a signal visible in `phase`? (Then it shadows a field of that name.)
pub fn is_signal_in(name: &str, phase: Phase) -> bool {
    SIGNALS
        .iter()
        .any(|(signal, _, first)| *signal == name && *first <= phase)
}

/// The names a `when` evaluated in `phase` may use, with their types.
pub fn scope(fields: &IndexMap<String, Type>, phase: Phase) -> Scope {
    let mut names: IndexMap<String, Type> = IndexMap::new();
    names.insert(DOMAIN.to_string(), Type::Text);
    for (name, ty) in fields {
        names.insert(name.clone(), *ty);
    }
    let mut later = Vec::new();
    for (name, ty, first) in SIGNALS {
        if *first <= phase {
            names.insert((*name).to_string(), *ty);
        } else if !names.contains_key(*name) {
            later.push(*name);
        }
    }
    Scope::new(names).with_later(
        later,
        &format!("it is computed after {}", phase_name(phase)),
    )
}

/// What a phase is called in messages.
fn phase_name(phase: Phase) -> &'static str {
    match phase {
        Phase::Fit => "the fit criteria",
        Phase::Acv => "the ACV estimate",
        Phase::Stage => "the stages",
        Phase::Tier => "the excludes and tiers; tier columns are only for segments and exports",
        Phase::Segment => "the segments",
    }
}

/// Where `name`'s value comes from, seen from `phase`: a signal when one is
/// visible (it shadows a field of that name), the domain, else the raw field.
pub fn column(name: &str, phase: Phase) -> Column {
    if name == DOMAIN {
        Column::Domain
    } else if is_signal_in(name, phase) {
        Column::Signal(name.to_string())
    } else {
        Column::Field(name.to_string())
    }
}
