//! The drafted spec as a commented `tal.toml`, in SPEC.md's format and
//! section order: inputs, fit, excludes, intent, engagement, ACV, budget,
//! ranking, Goldilocks tiers, programs, stages, segments, write-back. Each
//! comment says whether a value was read from the data or is an example.

use chrono::{Datelike, NaiveDate};

use crate::format::{number, toml};
use crate::value::DecimalMark;

use super::icp::{Base, Icp};
use super::profiles::{self, Role};
use super::sniff::Sample;
use super::{Draft, DraftInput};

/// Comments start in this column, as in the demo spec.
const COMMENT_COLUMN: usize = 33;

struct Toml(String);

impl Toml {
    fn line(&mut self, text: &str) {
        self.0.push_str(text);
        self.0.push('\n');
    }

    /// `text` with a `# comment` aligned after it.
    fn note(&mut self, text: &str, comment: &str) {
        if comment.is_empty() {
            return self.line(text);
        }
        let pad = COMMENT_COLUMN.saturating_sub(width(text) + 1).max(1);
        self.line(&format!("{text}{}# {comment}", " ".repeat(pad)));
    }

    fn section(&mut self, title: &str) {
        let rule = "-".repeat(66 - title.len().min(60));
        self.line("");
        self.line(&format!("# {rule} {title}"));
    }
}

/// Columns on a terminal: CJK characters take two.
fn width(text: &str) -> usize {
    let wide = |c: char| {
        matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6)
    };
    text.chars().map(|c| if wide(c) { 2 } else { 1 }).sum()
}

/// A list literal of the expression language: `["a", "b"]`.
fn expr_list(values: &[String]) -> String {
    let items: Vec<String> = values
        .iter()
        .map(|v| format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\"")))
        .collect();
    format!("[{}]", items.join(", "))
}

fn toml_list(values: &[String]) -> String {
    let items: Vec<String> = values.iter().map(|v| toml::basic_string(v)).collect();
    format!("[{}]", items.join(", "))
}

/// The whole spec. `today` names the budget period (the next quarter).
pub fn spec_text(draft: &Draft, today: NaiveDate) -> String {
    let mut t = Toml(String::new());
    header(&mut t, draft);
    t.section("inputs");
    t.line("# Account inputs are joined on the key (normalised to a bare domain); for a");
    t.line("# field found in several, the first input listed here that has a value wins.");
    for input in &draft.inputs {
        write_input(&mut t, input);
    }
    fit(&mut t, draft);
    intent(&mut t, draft);
    engagement(&mut t, draft);
    acv(&mut t, draft);
    budget(&mut t, &draft.icp, today);
    tiers(&mut t);
    stages(&mut t, draft);
    segments(&mut t, draft);
    write_back(&mut t, draft);
    t.0
}

fn header(t: &mut Toml, draft: &Draft) {
    t.line("# A starter Target Account List spec, written by `tal init` from:");
    t.line("#");
    for input in &draft.inputs {
        let from = input
            .vendor
            .map(|v| format!(" ({})", v.name))
            .unwrap_or_default();
        t.line(&format!("#   {:<14} {}{from}", input.name, input.path));
    }
    t.line("#");
    t.line("# The column mapping, the ICP criteria, the intent topics and the activity");
    t.line("# types were read from those files; budgets, entitlements and points are");
    t.line("# examples to replace with your own. Then:");
    t.line("#");
    t.line("#   tal check                      rows read, rejects, field completeness");
    t.line("#   tal score --format table       the tiered Target Account List");
    t.line("#   tal explain DOMAIN             why an account got its tier");
    t.line("#");
    t.line("# Paths are relative to this file, so it runs from any folder.");
}

fn write_input(t: &mut Toml, input: &DraftInput) {
    t.line("");
    t.line(&format!("[inputs.{}]", toml::key(&input.name)));
    t.line(&format!("path = {}", toml::basic_string(&input.path)));
    let (key_column, by_values) = input.mapping.key.clone().unwrap_or_default();
    let key_note = if by_values {
        "found by its values: check it"
    } else {
        "normalised to a bare domain"
    };
    t.note(
        &format!("key = {}", toml::basic_string(&key_column)),
        key_note,
    );
    reading_options(t, &input.sample);
    t.line(&format!("[inputs.{}.fields]", toml::key(&input.name)));
    for (field, column) in &input.mapping.fields {
        match input.mapping.scale(field) {
            Some(scale) => t.note(
                &format!(
                    "{field} = {{ column = {}, type = \"number\", scale = {} }}",
                    toml::basic_string(column),
                    number(scale)
                ),
                "the header names the unit",
            ),
            None => t.line(&format!("{field} = {}", toml::basic_string(column))),
        }
    }
    if !input.mapping.unused.is_empty() {
        let unused: Vec<String> = input
            .mapping
            .unused
            .iter()
            .map(|h| toml::basic_string(h))
            .collect();
        wrap_comment(t, &format!("not mapped: {}", unused.join(", ")));
    }
}

/// encoding, delimiter, decimal and date_format, each only when it is not
/// what `tal` would assume.
fn reading_options(t: &mut Toml, s: &Sample) {
    if let Some(sheet) = &s.sheet {
        t.note(
            &format!("sheet = {}", toml::basic_string(sheet)),
            "the workbook's first sheet",
        );
    }
    if s.detected {
        t.note(
            &format!("encoding = {}", toml::basic_string(&s.encoding)),
            "detected",
        );
    }
    if s.delimiter != b',' {
        let delimiter = char::from(s.delimiter).to_string();
        t.line(&format!("delimiter = {}", toml::basic_string(&delimiter)));
    }
    if s.decimal == DecimalMark::Comma {
        t.note("decimal = \",\"", "numbers are written 1.234,56");
    }
    if let Some(dates) = &s.dates {
        let note = if dates.ambiguous {
            "a guess: no day above 12 told day and month apart"
        } else {
            ""
        };
        t.note(
            &format!("date_format = {}", toml::basic_string(&dates.pattern)),
            note,
        );
    }
}

/// A long comment over several `# ` lines.
fn wrap_comment(t: &mut Toml, text: &str) {
    let mut line = String::from("#");
    for word in text.split(' ') {
        if line.len() + word.len() > 78 && line.len() > 1 {
            t.line(&line);
            line = String::from("#  ");
        }
        line.push(' ');
        line.push_str(word);
    }
    t.line(&line);
}

fn base_note(base: Base, what: &str) -> String {
    match base {
        Base::Customers(n) => format!("{what} among your {n} customers"),
        Base::All(n) => format!("{what} among all {n} accounts"),
    }
}

fn fit(t: &mut Toml, draft: &Draft) {
    let icp = &draft.icp;
    t.section("ICP fit");
    t.line("# Fit is 100 x points earned / points possible. A starter ICP drawn from the");
    t.line("# data: keep what describes your best customers, change the rest.");
    t.line("[fit]");
    t.note("high = 60", "the `high_fit` signal: fit >= 60");
    t.line("grades = { A = 80, B = 60, C = 40 }");
    if let Some((values, base)) = &icp.industries {
        criterion(
            t,
            "Target industry",
            &base_note(*base, "the most common industries"),
        );
        t.line("points = 30");
        t.line(&format!(
            "when = {}",
            toml::string(&format!("industry in {}", expr_list(values)))
        ));
    }
    if let Some((bands, base)) = &icp.size_bands {
        let note = match base {
            Some(base) => base_note(*base, "the 75th/50th/25th percentile headcount"),
            None => "too few headcounts to learn from: generic bands".to_string(),
        };
        size_bands(t, bands, &note);
    }
    if let Some((floor, base)) = &icp.revenue_floor {
        criterion(
            t,
            "Revenue",
            &base_note(*base, "at least the median revenue"),
        );
        t.line("points = 15");
        t.line(&format!("when = \"revenue >= {}\"", number(*floor)));
    }
    if let Some((values, base)) = &icp.countries {
        criterion(
            t,
            "Core geography",
            &base_note(*base, "the most common countries"),
        );
        t.line("points = 20");
        t.line(&format!(
            "when = {}",
            toml::string(&format!("country in {}", expr_list(values)))
        ));
    }
    if let Some((values, base)) = &icp.technologies {
        criterion(t, "Technologies", &base_note(*base, "the most used tools"));
        t.line("points = 10");
        t.line(&format!(
            "when = {}",
            toml::string(&format!("technologies has_any {}", expr_list(values)))
        ));
    }
    if icp.industries.is_none() && icp.size_bands.is_none() && icp.countries.is_none() {
        t.line("");
        t.line("# No industry, size or country column was found, so there are no criteria");
        t.line("# yet and no account is high fit. Map one (see [inputs]) and add, e.g.:");
        t.line("# [[fit.criteria]]");
        t.line("# name = \"Target industry\"");
        t.line("# points = 30");
        t.line("# when = 'industry in [\"Software\", \"Financial Services\"]'");
    }
    exclude(t, icp);
}

fn criterion(t: &mut Toml, name: &str, note: &str) {
    t.line("");
    t.line("[[fit.criteria]]");
    t.note(&format!("name = {}", toml::basic_string(name)), note);
}

fn size_bands(t: &mut Toml, bands: &[f64], note: &str) {
    criterion(t, "Company size", note);
    let points = [25, 15, 5];
    let lines: Vec<String> = bands
        .iter()
        .zip(points)
        .map(|(min, p)| {
            format!(
                "{{ when = \"employees >= {}\", points = {p} }}",
                number(*min)
            )
        })
        .collect();
    t.line(&format!("bands = [ {} ]", lines.join(",\n          ")));
}

fn exclude(t: &mut Toml, icp: &Icp) {
    let Some((rule, n)) = &icp.customers else {
        return;
    };
    t.line("");
    t.line("# Knock-outs: never in the TAL, listed with the reason under `tal score --all`.");
    t.line("[[exclude]]");
    t.note(
        "name = \"Existing customer\"",
        &format!("{n} found: expansion is not new-logo ABM"),
    );
    let expr = if rule.values.is_empty() {
        rule.field.to_string()
    } else {
        format!("{} in {}", rule.field, expr_list(&rule.values))
    };
    t.line(&format!("when = {}", toml::string(&expr)));
}

fn intent(t: &mut Toml, draft: &Draft) {
    let Some(intent) = &draft.intent else {
        return;
    };
    t.section("intent");
    let topics: Vec<String> = intent
        .topics
        .iter()
        .map(|(topic, _)| topic.clone())
        .collect();
    t.line("# The topics researched most in the intent file; keep the ones your product");
    t.line("# answers (an empty list counts every topic).");
    t.line("[intent]");
    t.note(
        &format!("topics = {}", toml_list(&topics)),
        &format!("{} of {} topics", topics.len(), intent.distinct_topics),
    );
    let note = intent
        .threshold_note
        .clone()
        .unwrap_or_else(|| "a Bombora surge is 60+".into());
    t.note(&format!("threshold = {}", number(intent.threshold)), &note);
    t.note("window_days = 28", "only the last four weeks count");
}

fn engagement(t: &mut Toml, draft: &Draft) {
    let Some(engagement) = &draft.engagement else {
        return;
    };
    t.section("engagement");
    t.line("# Activity is worth its points, halved every half_life_days.");
    t.line("[engagement]");
    t.line("window_days = 90");
    t.line("half_life_days = 14");
    t.note(
        "threshold = 10",
        "`engaged`: a recent form fill, or a meeting",
    );
    let hidden = engagement.distinct_types - engagement.types.len();
    let title = if hidden > 0 {
        format!("{hidden} rarer types are not listed: unlisted types earn 0")
    } else {
        "activity type, as written in the export = points".to_string()
    };
    t.note("[engagement.points]", &title);
    for activity in &engagement.types {
        let rows = plural(activity.rows, "row");
        let note = match activity.label {
            Some(label) => format!("{label}: {}; {rows}", activity.kind),
            None => format!("{}; {rows}", activity.kind),
        };
        t.note(
            &format!(
                "{} = {}",
                toml::key(&activity.name),
                number(activity.points)
            ),
            &note,
        );
    }
    if !engagement.personas.is_empty() {
        t.note(
            "[engagement.persona_weights]",
            "leaders' activity counts more",
        );
        for (persona, weight) in &engagement.personas {
            t.line(&format!("{} = {weight:.1}", toml::key(persona)));
        }
    }
}

fn acv(t: &mut Toml, draft: &Draft) {
    t.section("deal size");
    t.line("# The open opportunity when there is one, else an estimate from headcount.");
    t.line("# Example amounts: replace them with your own deal sizes.");
    t.line("[acv]");
    if draft.has_field("acv") {
        t.line("from = \"acv\"");
    }
    t.line("large = 100000");
    t.line("medium = 30000");
    if draft.has_field("employees") {
        t.line("estimate = [ { when = \"employees >= 5000\", value = 150000 },");
        t.line("             { when = \"employees >= 1000\", value = 60000 },");
        t.line("             { when = \"employees >= 200\",  value = 25000 } ]");
    }
    t.line("default = 10000");
}

fn budget(t: &mut Toml, icp: &Icp, today: NaiveDate) {
    t.section("budget");
    t.line("# Example numbers. With enforce = true each tier holds only as many accounts");
    t.line("# as the budget left can pay for: turn it on once `total` is real.");
    t.line("[budget]");
    let quarter = (today.month0() / 3 + 1) % 4 + 1;
    let year = if quarter == 1 {
        today.year() + 1
    } else {
        today.year()
    };
    t.note(&format!("period = \"{year}-Q{quarter}\""), "next quarter");
    t.line(&format!(
        "currency = {}",
        toml::basic_string(icp.currency.unwrap_or("USD"))
    ));
    t.line("total = 500000");
    t.note("sellers = 5", "who work the list");
    t.line("revenue_goal = 3000000");
    t.line("enforce = false");
    t.line("");
    t.line("# Inside a tier, who keeps a seat first (then the domain, A to Z).");
    t.line("[ranking]");
    t.line("by = [\"fit desc\", \"acv desc\", \"intent_score desc\", \"engagement_score desc\"]");
}

fn tiers(t: &mut Toml) {
    t.section("Goldilocks tiers");
    t.line("# Ordered: the first tier whose rule holds wins. Each tier gets 2-5x the");
    t.line("# per-account resources of the tier below (15,000 / 4,000 / 1,000).");
    t.line(include_str!("tiers.toml").trim_end());
}

fn stages(t: &mut Toml, draft: &Draft) {
    t.section("buying stage");
    t.line("# Ordered, first match; otherwise \"Target\".");
    let stages = &draft.icp.decision_stages;
    if !stages.is_empty() {
        t.line("[[stages]]");
        t.line("name = \"Decision\"");
        t.line(&format!(
            "when = {}",
            toml::string(&format!("opportunity_stage in {}", expr_list(stages)))
        ));
        t.line("");
    }
    t.line("[[stages]]");
    t.line("name = \"Consideration\"");
    t.line("when = \"engaged\"");
    t.line("");
    t.line("[[stages]]");
    t.line("name = \"Awareness\"");
    t.line("when = \"intent\"");
}

fn segments(t: &mut Toml, draft: &Draft) {
    t.section("sub-segments");
    if draft.has_field("industry") {
        t.line("[[segments]]");
        t.note(
            "name = \"Industry\"",
            "one sub-segment per value: \"Industry: Software\"",
        );
        t.line("group_by = \"industry\"");
        t.line("");
    }
    t.line("# Manual pins agreed between sales and marketing:");
    t.line("# [overrides]");
    t.line("# path = \"overrides.csv\"       # domain, tier, owner, reason, expires");
}

fn write_back(t: &mut Toml, draft: &Draft) {
    let Some(crm) = draft
        .inputs
        .iter()
        .find(|i| i.role == Role::Crm && i.mapping.column("account_id").is_some())
    else {
        return;
    };
    let id = crm.mapping.column("account_id").unwrap_or_default();
    let columns = crm.vendor.map_or(profiles::LABEL_WRITE_BACK, |v| {
        if v.write_back.is_empty() {
            profiles::LABEL_WRITE_BACK
        } else {
            v.write_back
        }
    });
    let mut pairs = vec![format!("{} = \"account_id\"", toml::basic_string(id))];
    pairs.extend(
        columns
            .iter()
            .map(|(crm, tal)| format!("{} = {}", toml::basic_string(crm), toml::basic_string(tal))),
    );
    t.section("CRM write-back");
    t.line("# `tal build` writes crm_update.csv for an import into the CRM.");
    t.line("[export.crm]");
    t.line("changed_only = true");
    t.line(&format!("columns = {{ {} }}", pairs.join(", ")));
}

/// "1 row", "2 rows".
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_strings_are_quoted_when_needed() {
        assert_eq!(toml::key("web_visit"), "web_visit");
        assert_eq!(toml::key("Fill Out Form"), "\"Fill Out Form\"");
        assert_eq!(toml::basic_string("a \"b\" \\ c"), "\"a \\\"b\\\" \\\\ c\"");
        assert_eq!(toml::string("industry in [\"A\"]"), "'industry in [\"A\"]'");
        assert_eq!(
            toml::string("name in [\"O'Neil\"]"),
            "\"name in [\\\"O'Neil\\\"]\""
        );
        assert_eq!(
            expr_list(&["Café \"Bar\"".into()]),
            "[\"Café \\\"Bar\\\"\"]"
        );
    }
}
