//! The spec's numbers checked against what they mean, before anything is
//! compiled: every number finite and of a size a plan can hold (`nan`,
//! `inf` and `1e308` are not), money, weights and days never negative,
//! windows at least a day long, rates between 0 and 1, grades written
//! from the highest down. Each error names the key and its line.
//!
//! The check reads the spanned TOML document (so it knows every value's
//! line) against a table of key patterns; keys it does not list need only
//! be finite.

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::load::line_of;
use super::SpecError;

/// The largest magnitude a spec number may have: far above any budget or
/// score, far below where sums overflow to infinity.
const LARGEST: f64 = 1e15;

/// What a key's number must be.
#[derive(Debug, Clone, Copy)]
enum Rule {
    /// Money, weights: zero or more.
    NotNegative,
    /// Days of a window: a whole day or more.
    AtLeastOne,
    /// A half-life, a unit: more than zero.
    Positive,
    /// A share: 0 to 1.
    Rate,
}

/// Key patterns: `[]` any array item, `*` any table key.
const RULES: &[(&str, Rule)] = &[
    ("budget.total", Rule::NotNegative),
    ("budget.revenue_goal", Rule::NotNegative),
    ("budget.sellers", Rule::NotNegative),
    ("tiers[].per_account", Rule::NotNegative),
    ("tiers[].accounts_per_seller", Rule::NotNegative),
    ("tiers[].max_accounts", Rule::NotNegative),
    ("tiers[].win_rate", Rule::Rate),
    ("programs.*.cost", Rule::NotNegative),
    ("segments[].channels.*", Rule::NotNegative),
    ("acv.large", Rule::NotNegative),
    ("acv.medium", Rule::NotNegative),
    ("acv.default", Rule::NotNegative),
    ("acv.estimate[].value", Rule::NotNegative),
    ("intent.window_days", Rule::AtLeastOne),
    ("engagement.window_days", Rule::AtLeastOne),
    ("engagement.half_life_days", Rule::Positive),
    ("engagement.persona_weights.*", Rule::NotNegative),
    ("fields.*.scale", Rule::Positive),
];

/// Checks every number of the spec text (already known to parse).
pub fn check(text: &str, file: &str) -> Result<(), SpecError> {
    let Ok(doc) = DeTable::parse(text) else {
        return Ok(());
    };
    let mut walk = Walk {
        text,
        file,
        path: Vec::new(),
    };
    walk.table(doc.get_ref())
}

struct Walk<'a> {
    text: &'a str,
    file: &'a str,
    /// The key so far: names and 0-based array indices.
    path: Vec<Step>,
}

#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Item(usize),
}

impl Walk<'_> {
    fn table(&mut self, table: &DeTable<'_>) -> Result<(), SpecError> {
        for (key, value) in table.iter() {
            self.path.push(Step::Key(key.get_ref().to_string()));
            self.value(value)?;
            self.path.pop();
        }
        if self.matches("fit.grades") {
            self.grades(table)?;
        }
        Ok(())
    }

    fn value(&mut self, value: &Spanned<DeValue<'_>>) -> Result<(), SpecError> {
        let number = match value.get_ref() {
            DeValue::Table(table) => return self.table(table),
            DeValue::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.path.push(Step::Item(i));
                    self.value(item)?;
                    self.path.pop();
                }
                return Ok(());
            }
            DeValue::Float(float) => parse_float(float.as_str()),
            DeValue::Integer(integer) => parse_integer(integer.as_str(), integer.radix()),
            _ => return Ok(()),
        };
        let Some(number) = number else {
            return Ok(());
        };
        let line = line_of(self.text, value.span().start);
        if !number.is_finite() {
            return Err(self.error(
                line,
                format!(
                    "{} is not a number a plan can use; write a finite number",
                    show(number)
                ),
            ));
        }
        if number.abs() > LARGEST {
            return Err(self.error(
                line,
                format!(
                    "{} is too large; spec numbers are at most 1e15 in size",
                    show(number)
                ),
            ));
        }
        let Some(rule) = self.rule() else {
            return Ok(());
        };
        let problem = match rule {
            Rule::NotNegative if number < 0.0 => Some("must not be negative"),
            Rule::AtLeastOne if number < 1.0 => Some("must be at least 1 (a window of whole days)"),
            Rule::Positive if number <= 0.0 => Some("must be more than 0"),
            Rule::Rate if !(0.0..=1.0).contains(&number) => {
                Some("must be a rate between 0 and 1 (write 0.30 for 30%)")
            }
            _ => None,
        };
        match problem {
            Some(problem) => Err(self.error(line, format!("{} {problem}", show(number)))),
            None => Ok(()),
        }
    }

    /// `[fit].grades` from the highest lowest-fit down, as the letters go.
    fn grades(&self, table: &DeTable<'_>) -> Result<(), SpecError> {
        let mut previous: Option<(String, f64)> = None;
        for (key, value) in table.iter() {
            let number = match value.get_ref() {
                DeValue::Float(f) => parse_float(f.as_str()),
                DeValue::Integer(i) => parse_integer(i.as_str(), i.radix()),
                _ => None,
            };
            let Some(number) = number else { continue };
            let name = key.get_ref().to_string();
            if let Some((above, bound)) = &previous {
                if number >= *bound {
                    let line = line_of(self.text, value.span().start);
                    return Err(SpecError {
                        file: self.file.to_string(),
                        line: Some(line),
                        key: format!("fit.grades.{name}"),
                        message: format!(
                            "grades go from the highest down: {name} = {} must be below {above} = {}",
                            show(number),
                            show(*bound)
                        ),
                    });
                }
            }
            previous = Some((name, number));
        }
        Ok(())
    }

    fn rule(&self) -> Option<Rule> {
        RULES
            .iter()
            .find(|(pattern, _)| self.matches(pattern))
            .map(|(_, rule)| *rule)
    }

    /// Whether the path is `pattern` (see [`RULES`]).
    fn matches(&self, pattern: &str) -> bool {
        let mut steps = self.path.iter();
        for part in pattern.split('.') {
            let (name, items) = match part.strip_suffix("[]") {
                Some(name) => (name, true),
                None => (part, false),
            };
            match steps.next() {
                Some(Step::Key(key)) if name == "*" || key == name => {}
                _ => return false,
            }
            if items && !matches!(steps.next(), Some(Step::Item(_))) {
                return false;
            }
        }
        steps.next().is_none()
    }

    /// The key as errors name it: `tiers[2].per_account`, 1-based.
    fn key(&self) -> String {
        let mut key = String::new();
        for step in &self.path {
            match step {
                Step::Key(name) => {
                    if !key.is_empty() {
                        key.push('.');
                    }
                    key.push_str(name);
                }
                Step::Item(i) => key.push_str(&format!("[{}]", i + 1)),
            }
        }
        key
    }

    fn error(&self, line: usize, message: String) -> SpecError {
        SpecError {
            file: self.file.to_string(),
            line: Some(line),
            key: self.key(),
            message,
        }
    }
}

fn parse_float(text: &str) -> Option<f64> {
    text.replace('_', "").parse().ok()
}

fn parse_integer(text: &str, radix: u32) -> Option<f64> {
    let digits = text.replace('_', "");
    let digits = match radix {
        10 => digits.as_str(),
        _ => digits.get(2..)?,
    };
    i128::from_str_radix(digits, radix).ok().map(|n| n as f64)
}

/// A number as the spec would write it.
fn show(number: f64) -> String {
    if number.is_nan() {
        "nan".to_string()
    } else if number.is_infinite() {
        if number > 0.0 { "inf" } else { "-inf" }.to_string()
    } else if number.abs() >= 1e15 {
        format!("{number:e}")
    } else {
        crate::format::number(number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(text: &str) -> Option<(usize, String, String)> {
        check(text, "tal.toml")
            .err()
            .map(|e| (e.line.unwrap_or(0), e.key, e.message))
    }

    #[test]
    fn nan_inf_and_huge_numbers_are_refused_anywhere() {
        let (line, key, message) = problem("[intent]\nthreshold = nan\n").unwrap();
        assert_eq!((line, key.as_str()), (2, "intent.threshold"));
        assert!(message.starts_with("nan is not a number"), "{message}");
        let (_, key, _) = problem("[acv]\ndefault = -inf\n").unwrap();
        assert_eq!(key, "acv.default");
        let text = "[fit]\n[[fit.criteria]]\nname = \"x\"\nwhen = \"true\"\npoints = 1e308\n";
        let (line, key, message) = problem(text).unwrap();
        assert_eq!((line, key.as_str()), (5, "fit.criteria[1].points"));
        assert!(message.contains("too large"), "{message}");
    }

    #[test]
    fn money_weights_and_days_have_their_ranges() {
        let cases = [
            (
                "[budget]\ntotal = -5\n",
                "budget.total",
                "must not be negative",
            ),
            (
                "[[tiers]]\nname = \"T\"\nper_account = -1\n",
                "tiers[1].per_account",
                "must not be negative",
            ),
            (
                "[intent]\nwindow_days = 0\n",
                "intent.window_days",
                "at least 1",
            ),
            (
                "[engagement]\nwindow_days = -3\n",
                "engagement.window_days",
                "at least 1",
            ),
            (
                "[engagement]\nhalf_life_days = 0\n",
                "engagement.half_life_days",
                "more than 0",
            ),
            (
                "[engagement]\npersona_weights = { cfo = -2 }\n",
                "engagement.persona_weights.cfo",
                "must not be negative",
            ),
            (
                "[[segments]]\nname = \"S\"\nchannels = { ads = -100 }\n",
                "segments[1].channels.ads",
                "must not be negative",
            ),
            (
                "[programs]\ndinner = { cost = -1 }\n",
                "programs.dinner.cost",
                "must not be negative",
            ),
            (
                "[[tiers]]\nname = \"T\"\nwin_rate = 30\n",
                "tiers[1].win_rate",
                "between 0 and 1",
            ),
        ];
        for (text, key, words) in cases {
            let (_, got, message) = problem(text).unwrap_or_else(|| panic!("{text} passed"));
            assert_eq!(got, key, "{text}");
            assert!(message.contains(words), "{text}: {message}");
        }
        // Points may be negative (a penalty); thresholds anything finite.
        assert_eq!(
            problem("[engagement]\npoints = { unsubscribe = -10 }\nthreshold = -1\n"),
            None
        );
        assert_eq!(problem("[intent]\nwindow_days = 1\n"), None);
    }

    #[test]
    fn grades_go_from_the_highest_down() {
        assert_eq!(
            problem("[fit]\ngrades = { A = 80, B = 60, C = 40 }\n"),
            None
        );
        let (line, key, message) = problem("[fit]\ngrades = { A = 60, B = 80 }\n").unwrap();
        assert_eq!((line, key.as_str()), (2, "fit.grades.B"));
        assert!(message.contains("B = 80 must be below A = 60"), "{message}");
    }
}
