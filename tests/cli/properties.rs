//! Property tests of the invariants SPEC.md promises, on generated projects:
//! shuffling input rows changes no output byte; every input row lands in
//! exactly one bucket; every account appears exactly once under `--all`;
//! no tier holds more than its capacity, and the budget is never overspent.
//!
//! Running the binary per case would be slow, so these call the library
//! (spec, input, engine, output) on files in a temporary folder — the same
//! path `tal score --all` takes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::NaiveDate;
use proptest::prelude::*;
use proptest::sample::{select, subsequence};

use crate::util::csv_rows;

const INDUSTRIES: &[&str] = &["Software", "software", "Retail", "Healthcare", ""];
const TECH: &[&str] = &["Marketo", "HubSpot", "RivalCRM", "Snowflake"];
const TOPICS: &[&str] = &[
    "Marketing Analytics",
    "marketing analytics",
    "Data Warehouse",
    "Cloud",
    "",
];
const TYPES: &[&str] = &["meeting", "Webinar", "web_visit", "chat"];
const PERSONAS: &[&str] = &["CMO", "Ops", ""];
const TIERS: [&str; 3] = ["Tier 1", "Tier 2", "Tier 3"];
const PER_ACCOUNT: [u32; 3] = [5000, 1000, 300];

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).expect("a date")
}

fn day(offset: i64) -> String {
    (as_of() + chrono::Duration::days(offset)).to_string()
}

/// One company of the CRM.
#[derive(Debug, Clone)]
struct Company {
    industry: &'static str,
    employees: Option<u32>,
    acv: Option<u32>,
    customer: bool,
    tech: Vec<&'static str>,
    /// How its website is written: plain, URL, e-mail, upper case.
    form: u8,
    /// Also listed again, identically, under another form of the key.
    duplicate: bool,
}

fn company() -> impl Strategy<Value = Company> {
    (
        select(INDUSTRIES),
        proptest::option::of(0u32..20_000),
        proptest::option::of(0u32..300_000),
        prop::bool::weighted(0.15),
        subsequence(TECH, 0..=3),
        0u8..4,
        prop::bool::weighted(0.15),
    )
        .prop_map(
            |(industry, employees, acv, customer, tech, form, duplicate)| Company {
                industry,
                employees,
                acv,
                customer,
                tech,
                form,
                duplicate,
            },
        )
}

/// An intent or activity row: which company (past the end: an unknown
/// domain), what, a day relative to as-of, and whether a cell is broken.
#[derive(Debug, Clone)]
struct Signal {
    company: usize,
    what: usize,
    persona: usize,
    score: u32,
    offset: i64,
    broken: bool,
    free_mail: bool,
}

fn signal() -> impl Strategy<Value = Signal> {
    (
        0usize..24,
        0usize..5,
        0usize..3,
        0u32..100,
        -100i64..4,
        prop::bool::weighted(0.05),
        prop::bool::weighted(0.05),
    )
        .prop_map(
            |(company, what, persona, score, offset, broken, free_mail)| Signal {
                company,
                what,
                persona,
                score,
                offset,
                broken,
                free_mail,
            },
        )
}

/// The spec's sizing knobs.
#[derive(Debug, Clone)]
struct Sizing {
    max_accounts: [Option<u32>; 3],
    accounts_per_seller: [Option<u32>; 3],
    sellers: Option<u32>,
    total: Option<u32>,
    enforce: bool,
}

fn sizing() -> impl Strategy<Value = Sizing> {
    (
        [
            proptest::option::of(0u32..6),
            proptest::option::of(0u32..6),
            proptest::option::of(0u32..12),
        ],
        [
            proptest::option::of(1u32..3),
            proptest::option::of(1u32..4),
            proptest::option::of(1u32..6),
        ],
        proptest::option::of(1u32..4),
        proptest::option::of(0u32..20_000),
        any::<bool>(),
    )
        .prop_map(
            |(max_accounts, accounts_per_seller, sellers, total, enforce)| Sizing {
                max_accounts,
                accounts_per_seller,
                sellers,
                total,
                enforce,
            },
        )
}

#[derive(Debug, Clone)]
struct Project {
    companies: Vec<Company>,
    /// Rows that must be rejected: 0 empty key, 1 `n/a`, 2 ragged.
    bad_rows: Vec<u8>,
    intent: Vec<Signal>,
    activity: Vec<Signal>,
    /// (company, tier index or 3 for Excluded): unique companies, so their
    /// order does not matter.
    pins: Vec<(usize, usize)>,
    sizing: Sizing,
}

fn project() -> impl Strategy<Value = Project> {
    (
        prop::collection::vec(company(), 1..20),
        prop::collection::vec(0u8..3, 0..3),
        prop::collection::vec(signal(), 0..30),
        prop::collection::vec(signal(), 0..30),
        prop::collection::btree_map(0usize..20, 0usize..4, 0..3),
        sizing(),
    )
        .prop_map(
            |(companies, bad_rows, intent, activity, pins, sizing)| Project {
                companies,
                bad_rows,
                intent,
                activity,
                pins: pins.into_iter().collect(),
                sizing,
            },
        )
}

fn domain(i: usize) -> String {
    format!("co{i}.com")
}

fn key(i: usize, form: u8) -> String {
    match form {
        0 => domain(i),
        1 => format!("https://www.CO{i}.com/about"),
        2 => format!("jane@co{i}.com"),
        _ => format!("CO{i}.COM."),
    }
}

impl Project {
    /// Data rows of each file (without the header), in a canonical order.
    fn files(&self) -> Files {
        let mut crm = Vec::new();
        for (i, c) in self.companies.iter().enumerate() {
            let row = |form: u8| {
                format!(
                    "{i:03},{},{},{},{},{},{},{}",
                    key(i, form),
                    c.industry,
                    c.employees.map(|e| e.to_string()).unwrap_or_default(),
                    c.acv.map(|a| a.to_string()).unwrap_or_default(),
                    c.customer,
                    c.tech.join(";"),
                    if i % 3 == 0 { "Proposal" } else { "" },
                )
            };
            crm.push(row(c.form));
            if c.duplicate {
                crm.push(row((c.form + 1) % 4));
            }
        }
        for (n, bad) in self.bad_rows.iter().enumerate() {
            crm.push(match bad {
                0 => format!("x{n},,Software,10,,false,,"),
                1 => format!("x{n},n/a,Software,10,,false,,"),
                _ => format!("x{n},ragged{n}.com,Software"),
            });
        }
        let target = |s: &Signal| {
            if s.free_mail {
                "someone@gmail.com".to_string()
            } else if s.company < self.companies.len() {
                key(s.company, (s.what % 3) as u8)
            } else {
                format!("unknown{}.com", s.company)
            }
        };
        let intent = self
            .intent
            .iter()
            .map(|s| {
                let score = if s.broken {
                    "n/a".to_string()
                } else {
                    s.score.to_string()
                };
                format!(
                    "{},{},{score},{}",
                    target(s),
                    TOPICS[s.what],
                    day(s.offset / 3)
                )
            })
            .collect();
        let activity = self
            .activity
            .iter()
            .map(|s| {
                let date = if s.broken {
                    "2026-02-30".to_string()
                } else {
                    day(s.offset)
                };
                format!(
                    "{},{},{date},{}",
                    target(s),
                    TYPES[s.what % TYPES.len()],
                    PERSONAS[s.persona]
                )
            })
            .collect();
        let overrides = self
            .pins
            .iter()
            .map(|(c, t)| {
                format!(
                    "{},{},Owner {c},pinned,",
                    domain(*c),
                    TIERS.get(*t).copied().unwrap_or("Excluded")
                )
            })
            .collect();
        Files {
            crm,
            intent,
            activity,
            overrides,
        }
    }

    fn spec(&self) -> String {
        let s = &self.sizing;
        let mut spec = String::from(SPEC_HEAD);
        if let Some(total) = s.total {
            spec.push_str(&format!("total = {total}\n"));
        }
        if let Some(sellers) = s.sellers {
            spec.push_str(&format!("sellers = {sellers}\n"));
        }
        spec.push_str(&format!("enforce = {}\n", s.enforce));
        let rules = [
            r#"high_fit and acv_band == "large""#,
            "high_fit and (intent or engaged)",
            "fit >= 20",
        ];
        for t in 0..3 {
            spec.push_str(&format!(
                "\n[[tiers]]\nname = \"{}\"\nwhen = '{}'\nper_account = {}\n",
                TIERS[t], rules[t], PER_ACCOUNT[t]
            ));
            if let Some(max) = s.max_accounts[t] {
                spec.push_str(&format!("max_accounts = {max}\n"));
            }
            if let Some(aps) = s.accounts_per_seller[t] {
                spec.push_str(&format!("accounts_per_seller = {aps}\n"));
            }
        }
        spec.push_str(SPEC_TAIL);
        spec
    }
}

struct Files {
    crm: Vec<String>,
    intent: Vec<String>,
    activity: Vec<String>,
    overrides: Vec<String>,
}

const SPEC_HEAD: &str = r#"
[inputs.crm]
path = "crm.csv"
key = "Website"
fields = { account_id = "Id", industry = "Industry", employees = "Employees", acv = "Amount", is_customer = "Customer", technologies = "Tech", opportunity_stage = "Stage" }

[inputs.intent]
path = "intent.csv"
key = "Domain"
fields = { topic = "Topic", score = "Score", date = "Week" }

[inputs.engagement]
path = "engagement.csv"
key = "Email"
fields = { type = "Type", date = "Date", persona = "Persona" }

[fit]
high = 50

[[fit.criteria]]
name = "Industry"
points = 40
when = 'industry in ["Software", "Healthcare"]'

[[fit.criteria]]
name = "Size"
bands = [ { when = "employees >= 5000", points = 30 }, { when = "employees >= 500", points = 15 } ]

[[fit.criteria]]
name = "Stack"
points = 30
when = 'technologies has_any ["Marketo", "HubSpot"]'

[[exclude]]
name = "Customer"
when = "is_customer"

[intent]
topics = ["Marketing Analytics", "Data Warehouse"]

[engagement]
half_life_days = 14
threshold = 10
points = { meeting = 25, webinar = 8, web_visit = 1 }
persona_weights = { cmo = 2 }

[acv]
from = "acv"
estimate = [ { when = "employees >= 5000", value = 150000 }, { when = "employees >= 500", value = 40000 } ]
default = 10000

[[stages]]
name = "Decision"
when = 'opportunity_stage == "Proposal"'
[[stages]]
name = "Consideration"
when = "engaged"

[budget]
"#;

const SPEC_TAIL: &str = r#"
[[segments]]
name = "Rivals"
when = 'technologies has "RivalCRM"'
tiers = ["Tier 2", "Tier 3"]

[[segments]]
name = "Industry"
group_by = "industry"

[[segments]]
name = "Stack"
group_by = "technologies"

[overrides]
path = "overrides.csv"
"#;

/// What one run gave.
struct Outcome {
    csv: String,
    buckets: BTreeMap<String, tal::input::Buckets>,
    accounts: usize,
}

fn write(dir: &Path, name: &str, header: &str, rows: &[String]) {
    let mut text = format!("{header}\n");
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    std::fs::write(dir.join(name), text).expect("write");
}

/// Writes the project with `order` applied to each file's rows and runs
/// what `tal score --all` runs.
fn run(project: &Project, files: &Files) -> Outcome {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path();
    std::fs::write(path.join("tal.toml"), project.spec()).expect("write spec");
    write(
        path,
        "crm.csv",
        "Id,Website,Industry,Employees,Amount,Customer,Tech,Stage",
        &files.crm,
    );
    write(path, "intent.csv", "Domain,Topic,Score,Week", &files.intent);
    write(
        path,
        "engagement.csv",
        "Email,Type,Date,Persona",
        &files.activity,
    );
    write(
        path,
        "overrides.csv",
        "domain,tier,owner,reason,expires",
        &files.overrides,
    );
    let spec = tal::spec::load(&path.join("tal.toml")).expect("the spec compiles");
    let loaded = tal::input::load(&spec, as_of()).expect("the inputs load");
    let pins = tal::input::overrides::read_overrides(spec.overrides.as_ref().expect("overrides"))
        .expect("overrides load");
    let scored = tal::engine::score(&spec, &loaded, &pins, as_of()).expect("scoring works");
    let selection = tal::output::tal::Selection {
        all: true,
        tiers: Vec::new(),
    };
    let rows = tal::output::tal::rows(&spec, &scored, &loaded.accounts, &selection);
    let mut out = Vec::new();
    tal::output::write_tal(&mut out, tal::output::TalFormat::Csv, &rows, false).expect("csv");
    Outcome {
        csv: String::from_utf8(out).expect("utf-8"),
        buckets: loaded
            .reports
            .iter()
            .map(|r| (r.name.clone(), r.rows.clone()))
            .collect(),
        accounts: loaded.accounts.len(),
    }
}

/// Applies a permutation (given as sort keys) to rows.
fn shuffled(rows: &[String], keys: &[u32]) -> Vec<String> {
    let mut keyed: Vec<(u32, usize, &String)> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (keys.get(i).copied().unwrap_or(0), i, r))
        .collect();
    keyed.sort();
    keyed.into_iter().map(|(_, _, r)| r.clone()).collect()
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 24,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// Same rows in any order: the same bytes out.
    #[test]
    fn shuffling_rows_changes_no_output_byte(
        project in project(),
        keys in prop::collection::vec([any::<u32>(); 4], 64),
    ) {
        let files = project.files();
        let key = |k: usize| keys.iter().map(|row| row[k]).collect::<Vec<_>>();
        let reordered = Files {
            crm: shuffled(&files.crm, &key(0)),
            intent: shuffled(&files.intent, &key(1)),
            activity: shuffled(&files.activity, &key(2)),
            overrides: shuffled(&files.overrides, &key(3)),
        };
        let a = run(&project, &files);
        let b = run(&project, &reordered);
        prop_assert_eq!(a.csv, b.csv);
        prop_assert_eq!(a.buckets, b.buckets);
    }

    /// Every row is in exactly one bucket; every account is listed once.
    #[test]
    fn every_row_and_every_account_is_accounted_for(project in project()) {
        let files = project.files();
        let outcome = run(&project, &files);
        let written = [("crm", files.crm.len()), ("intent", files.intent.len()), ("engagement", files.activity.len())];
        for (name, rows) in written {
            let b = &outcome.buckets[name];
            prop_assert_eq!(b.read, rows as u64, "{} read", name);
            prop_assert_eq!(b.used + b.merged + b.rejected + b.unmatched + b.out_of_scope + b.free_mail, b.read, "{}: {:?}", name, b);
        }
        let crm = &outcome.buckets["crm"];
        prop_assert_eq!(crm.rejected, project.bad_rows.len() as u64);
        prop_assert_eq!(crm.used, project.companies.len() as u64);
        prop_assert_eq!(crm.merged, project.companies.iter().filter(|c| c.duplicate).count() as u64);
        let rows = csv_rows(&outcome.csv);
        let domains: Vec<&str> = rows[1..].iter().map(|r| r[6].as_str()).collect();
        let unique: BTreeSet<&str> = domains.iter().copied().collect();
        prop_assert_eq!(unique.len(), domains.len(), "an account listed twice");
        let expected: BTreeSet<String> = (0..project.companies.len()).map(domain).collect();
        prop_assert_eq!(unique, expected.iter().map(String::as_str).collect::<BTreeSet<_>>());
        prop_assert_eq!(outcome.accounts, project.companies.len());
    }

    /// Each tier holds at most its capacity (unless its pins alone exceed
    /// it: then it holds exactly its pins), and an enforced budget is never
    /// overspent by ranked accounts.
    #[test]
    fn capacity_and_budget_are_never_exceeded(project in project()) {
        let files = project.files();
        let rows = csv_rows(&run(&project, &files).csv);
        let s = &project.sizing;
        let mut left = s.total.map(f64::from);
        let mut spent = 0.0;
        let mut pinned_spend = 0.0;
        for t in 0..3 {
            let kept = rows[1..].iter().filter(|r| r[1] == TIERS[t]).count() as u64;
            // Pins of companies that exist (the others are warnings).
            let pinned = project
                .pins
                .iter()
                .filter(|(c, tier)| *tier == t && *c < project.companies.len())
                .count() as u64;
            let mut limits = Vec::new();
            if let Some(max) = s.max_accounts[t] {
                limits.push(u64::from(max));
            }
            if let (Some(aps), Some(sellers)) = (s.accounts_per_seller[t], s.sellers) {
                limits.push(u64::from(aps * sellers));
            }
            if let (true, Some(left)) = (s.enforce, left) {
                limits.push((left.max(0.0) / f64::from(PER_ACCOUNT[t])).floor() as u64);
            }
            if let Some(&capacity) = limits.iter().min() {
                if pinned >= capacity {
                    prop_assert_eq!(kept, pinned, "{}: pins beyond capacity all stay, no one else", TIERS[t]);
                } else {
                    prop_assert!(kept <= capacity, "{} holds {} > capacity {}", TIERS[t], kept, capacity);
                }
            }
            let spend = kept as f64 * f64::from(PER_ACCOUNT[t]);
            spent += spend;
            pinned_spend += pinned as f64 * f64::from(PER_ACCOUNT[t]);
            left = left.map(|l| l - spend);
        }
        if let (true, Some(total)) = (s.enforce, s.total) {
            // Only pins may take the spend past the budget.
            prop_assert!(spent <= f64::from(total) + pinned_spend, "spent {} of {} ({} on pins)", spent, total, pinned_spend);
        }
    }
}
