//! The rules of the Programs dimension: channels_named, digital_programs,
//! persona_programs, channel_mix.

use super::{contains_word, mentioning, met, na, plural, Context, Found, Owner};

const DIGITAL: &[&str] = &[
    "ads", "display", "linkedin", "social", "email", "web", "search", "retarget", "digital",
];
const ANALOG: &[&str] = &["mail", "gift", "dinner", "event", "field", "print", "box"];

/// pg1: a `[programs]` menu, or segment channels.
pub fn channels_named(cx: &Context) -> Found {
    let spec = cx.spec;
    if !spec.programs.is_empty() {
        return met(format!(
            "{} in [programs]",
            plural(spec.programs.len() as u64, "program")
        ));
    }
    match spec.segments.iter().find(|s| !s.channels.is_empty()) {
        Some(segment) => met(format!(
            "segment {} has {}",
            segment.name,
            plural(segment.channels.len() as u64, "channel")
        )),
        None => na("no [programs], and no segment has channels"),
    }
}

/// A tier's program (its key and, from `[programs]`, its label) or a
/// segment's channel.
struct Named {
    key: String,
    label: Option<String>,
}

impl Named {
    /// Whether the key or the label holds one of `words`.
    fn has(&self, words: &[&str]) -> bool {
        contains_word(&self.key, words).is_some()
            || (self.label.as_deref()).is_some_and(|l| contains_word(l, words).is_some())
    }

    /// "account_ads (Account-targeted LinkedIn ads)".
    fn shown(&self) -> String {
        match &self.label {
            Some(label) if label != &self.key => format!("{} ({label})", self.key),
            _ => self.key.clone(),
        }
    }
}

/// The tiers' programs and the segments' channels, without repeats.
fn program_names(cx: &Context) -> Vec<Named> {
    let spec = cx.spec;
    let mut names: Vec<Named> = Vec::new();
    for tier in &spec.tiers {
        for key in &tier.programs {
            if !names.iter().any(|n| &n.key == key) {
                let label = spec.programs.get(key).map(|p| p.label.clone());
                names.push(Named {
                    key: key.clone(),
                    label,
                });
            }
        }
    }
    for segment in &spec.segments {
        for channel in segment.channels.keys() {
            if !names.iter().any(|n| &n.key == channel) {
                names.push(Named {
                    key: channel.clone(),
                    label: None,
                });
            }
        }
    }
    names
}

/// The names with one of `words`, as shown.
fn with_words(names: &[Named], words: &[&str]) -> Vec<String> {
    (names.iter())
        .filter(|name| name.has(words))
        .map(Named::shown)
        .collect()
}

fn listed(names: &[String]) -> String {
    let mut shown: Vec<&str> = names.iter().take(3).map(String::as_str).collect();
    if names.len() > 3 {
        shown.push("...");
    }
    shown.join(", ")
}

/// pg2: a tier program or segment channel named like a digital channel.
pub fn digital_programs(cx: &Context) -> Found {
    let digital = with_words(&program_names(cx), DIGITAL);
    if digital.is_empty() {
        return na("no tier program or segment channel is digital (ads, display, linkedin, social, email, web, search, retarget, digital)");
    }
    met(format!("digital: {}", listed(&digital)))
}

/// pg3: a segment that uses the personas engaged.
pub fn persona_programs(cx: &Context) -> Found {
    let users = mentioning(cx.spec, &[Owner::Segment], &["personas_engaged"]);
    if users.is_empty() {
        return na("no segment rule uses personas_engaged");
    }
    met(format!("personas_engaged used in {}", users.join(", ")))
}

/// pg4: digital programs and analog ones.
pub fn channel_mix(cx: &Context) -> Found {
    let names = program_names(cx);
    let digital = with_words(&names, DIGITAL);
    let analog = with_words(&names, ANALOG);
    match (digital.is_empty(), analog.is_empty()) {
        (false, false) => met(format!(
            "digital: {}; analog: {}",
            listed(&digital),
            listed(&analog)
        )),
        (true, false) => na(format!("analog: {}; but no digital program", listed(&analog))),
        (_, true) => na("no tier program or segment channel is analog (mail, gift, dinner, event, field, print, box)"),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{outcome, run, spec, ENGAGEMENT_INPUT};
    use super::super::Outcome::{Met, NotApplicable as Na};
    use crate::maturity::facts::Facts;

    fn tier(programs: &str) -> String {
        format!("[[tiers]]\nname = \"Tier 1\"\nwhen = \"employees > 5\"\nprograms = [{programs}]\n")
    }

    #[test]
    fn channels_named() {
        let facts = Facts::default();
        let menu = spec("[programs]\nexec_dinner = { cost = 2500 }\n");
        assert_eq!(
            run("channels_named", &menu, &facts),
            (Met, "1 program in [programs]".into())
        );
        let channels =
            spec("[[segments]]\nname = \"Rivals\"\nwhen = 'industry == \"x\"'\nchannels = { webinar = 4000 }\n");
        assert_eq!(
            run("channels_named", &channels, &facts),
            (Met, "segment Rivals has 1 channel".into())
        );
        assert_eq!(outcome("channels_named", &spec(&tier("")), &facts), Na);
    }

    #[test]
    fn digital_programs() {
        let facts = Facts::default();
        let ads = spec(&tier("\"account_ads\""));
        assert_eq!(
            run("digital_programs", &ads, &facts),
            (Met, "digital: account_ads".into())
        );
        // The label counts, in any case.
        let labelled = spec(&format!(
            "{}[programs]\nli = {{ label = \"LinkedIn sponsored content\", cost = 1 }}\n",
            tier("\"li\"")
        ));
        assert_eq!(
            run("digital_programs", &labelled, &facts),
            (Met, "digital: li (LinkedIn sponsored content)".into())
        );
        let channel =
            spec("[[segments]]\nname = \"Rivals\"\nwhen = 'industry == \"x\"'\nchannels = { Email_Nurture = 10 }\n");
        assert_eq!(outcome("digital_programs", &channel, &facts), Met);
        // A program on the menu but on no tier does not count.
        let menu_only = spec(&format!(
            "{}[programs]\naccount_ads = {{ cost = 1 }}\n",
            tier("\"exec_dinner\"")
        ));
        assert_eq!(outcome("digital_programs", &menu_only, &facts), Na);
    }

    #[test]
    fn persona_programs() {
        let facts = Facts::default();
        let s = spec(&format!(
            "{ENGAGEMENT_INPUT}[[segments]]\nname = \"Execs\"\nwhen = 'personas_engaged has \"CFO\"'\n"
        ));
        assert_eq!(
            run("persona_programs", &s, &facts),
            (Met, "personas_engaged used in segment Execs".into())
        );
        let tier_only =
            spec("[[tiers]]\nname = \"Tier 1\"\nwhen = 'personas_engaged has \"CFO\"'\n");
        assert_eq!(outcome("persona_programs", &tier_only, &facts), Na);
    }

    #[test]
    fn channel_mix() {
        let facts = Facts::default();
        let both = spec(&tier("\"account_ads\", \"dimensional_mail\""));
        assert_eq!(
            run("channel_mix", &both, &facts),
            (Met, "digital: account_ads; analog: dimensional_mail".into())
        );
        assert_eq!(
            outcome("channel_mix", &spec(&tier("\"account_ads\"")), &facts),
            Na
        );
        assert_eq!(
            outcome("channel_mix", &spec(&tier("\"exec_dinner\"")), &facts),
            Na
        );
        // Substrings, as the contract writes: "email" holds "mail".
        assert_eq!(
            outcome("channel_mix", &spec(&tier("\"email\"")), &facts),
            Met
        );
    }
}
