//! A starter ICP drawn from the account exports: the accounts joined on their
//! key like `tal` joins them, then the industries, countries and
//! technologies most common among customers (or among all accounts when no
//! customer flag tells them apart), size bands from the employee quantiles
//! and a revenue floor at the median.

use std::collections::HashMap;

use crate::format::nice;
use crate::value::{self, DecimalMark};

use super::headers::{fold, Mapping};
use super::sniff::Sample;
use super::tally::Tally;

/// An account input as read by `tal init`.
pub struct AccountFile<'a> {
    pub sample: &'a Sample,
    pub mapping: &'a Mapping,
}

/// How customers are told apart, and the `[[exclude]]` rule that keeps
/// them out of the TAL.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerRule {
    pub field: &'static str,
    /// For a text field: the values, as spelt in the data, that mean customer.
    pub values: Vec<String>,
}

/// Where a criterion's values were learnt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    Customers(usize),
    All(usize),
}

/// The drafted ICP.
#[derive(Debug, Clone, Default)]
pub struct Icp {
    pub accounts: usize,
    pub customers: Option<(CustomerRule, usize)>,
    pub industries: Option<(Vec<String>, Base)>,
    pub countries: Option<(Vec<String>, Base)>,
    /// Employee thresholds, largest first, and where they came from (None:
    /// too few values, generic bands).
    pub size_bands: Option<(Vec<f64>, Option<Base>)>,
    pub revenue_floor: Option<(f64, Base)>,
    pub technologies: Option<(Vec<String>, Base)>,
    pub currency: Option<&'static str>,
    /// Opportunity stages found that mean a decision is near.
    pub decision_stages: Vec<String>,
}

/// One account, joined across the inputs (first value wins).
#[derive(Debug, Default)]
struct Account {
    industry: Option<String>,
    country: Option<String>,
    employees: Option<f64>,
    revenue: Option<f64>,
    technologies: Option<Vec<String>>,
    customer: Option<bool>,
}

/// Whose values a criterion is learnt from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Learn {
    FromCustomersElseAll,
    FromCustomersOnly,
}

/// Fewer values than this and a quantile or a "most common" says little.
const MIN_BASE: usize = 3;

pub fn draft(files: &[AccountFile]) -> Icp {
    let rule = customer_rule(files);
    let accounts = join(files, rule.as_ref());
    let customers = accounts.iter().filter(|a| a.customer == Some(true)).count();
    let mut icp = Icp {
        accounts: accounts.len(),
        customers: rule.map(|r| (r, customers)),
        currency: currency(files),
        decision_stages: decision_stages(files),
        ..Icp::default()
    };
    let mapped = |field: &str| files.iter().any(|f| f.mapping.column(field).is_some());
    if mapped("industry") {
        let industry = |a: &Account| a.industry.clone().map(|v| vec![v]);
        icp.industries = common(&accounts, industry, Learn::FromCustomersElseAll);
    }
    if mapped("country") {
        let country = |a: &Account| a.country.clone().map(|v| vec![v]);
        icp.countries = common(&accounts, country, Learn::FromCustomersElseAll);
    }
    if mapped("technologies") {
        // Popular tools across the whole market say nothing about fit.
        let tools = |a: &Account| a.technologies.clone();
        icp.technologies = common(&accounts, tools, Learn::FromCustomersOnly);
    }
    if mapped("employees") {
        icp.size_bands = Some(match numbers(&accounts, |a| a.employees) {
            Some((values, base)) => (bands(&values), Some(base)),
            None => (vec![1000.0, 200.0, 50.0], None),
        });
    }
    if mapped("revenue") {
        icp.revenue_floor =
            numbers(&accounts, |a| a.revenue).map(|(v, base)| (nice(quantile(&v, 0.5)), base));
    }
    icp
}

/// `is_customer` when mapped, else a lifecycle stage or account type whose
/// values include a customer one.
fn customer_rule(files: &[AccountFile]) -> Option<CustomerRule> {
    if files
        .iter()
        .any(|f| f.mapping.column("is_customer").is_some())
    {
        return Some(CustomerRule {
            field: "is_customer",
            values: Vec::new(),
        });
    }
    for field in ["lifecycle_stage", "account_type"] {
        let mut values: Vec<String> = Vec::new();
        for file in files {
            let Some(i) = file.mapping.index(file.sample, field) else {
                continue;
            };
            for cell in file.sample.cells(i) {
                if means_customer(cell) && !values.iter().any(|v| v.eq_ignore_ascii_case(cell)) {
                    values.push(cell.to_string());
                }
            }
        }
        if !values.is_empty() {
            return Some(CustomerRule { field, values });
        }
    }
    None
}

/// "Customer", "Customer - Direct", "Cliente", "客户" — not "Cliente
/// potencial" or "Former Customer".
fn means_customer(value: &str) -> bool {
    let v = fold(value);
    let negated = [
        "potenc",
        "potential",
        "prospect",
        "former",
        "antigo",
        "perdido",
        "潜在",
    ]
    .iter()
    .any(|w| v.contains(w));
    let customer =
        v.starts_with("customer") || v.starts_with("cliente") || v == "客户" || v == "现有客户";
    customer && !negated
}

fn join(files: &[AccountFile], rule: Option<&CustomerRule>) -> Vec<Account> {
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut accounts: Vec<Account> = Vec::new();
    for file in files {
        let Some((key, _)) = &file.mapping.key else {
            continue;
        };
        let sample = file.sample;
        let key = sample.headers.iter().position(|h| h == key);
        let column = |field: &str| file.mapping.index(sample, field);
        let cols = [
            column("industry"),
            column("country"),
            column("employees"),
            column("revenue"),
            column("technologies"),
            rule.and_then(|r| column(r.field)),
        ];
        let units = Units {
            employees: file.mapping.scale("employees"),
            revenue: file.mapping.scale("revenue"),
        };
        for row in &sample.rows {
            let Some(domain) = key
                .and_then(|k| row.get(k))
                .and_then(value::normalize_domain)
            else {
                continue;
            };
            let next = accounts.len();
            let i = *index.entry(domain).or_insert(next);
            if i == next {
                accounts.push(Account::default());
            }
            fill(&mut accounts[i], row, &cols, sample.decimal, &units, rule);
        }
    }
    accounts
}

/// The units a file's headers name for its number fields (see
/// `headers::unit_of`).
struct Units {
    employees: Option<f64>,
    revenue: Option<f64>,
}

fn fill(
    account: &mut Account,
    row: &csv::StringRecord,
    cols: &[Option<usize>; 6],
    decimal: DecimalMark,
    units: &Units,
    rule: Option<&CustomerRule>,
) {
    let cell = |i: Option<usize>| i.and_then(|i| row.get(i)).and_then(value::clean_text);
    let text = |i| cell(i).map(str::to_string);
    let number = |i, unit: Option<f64>| {
        let n = cell(i).and_then(|c| value::parse_number(c, decimal))?;
        Some(unit.map_or(n, |unit| n * unit))
    };
    account.industry = account.industry.take().or_else(|| text(cols[0]));
    account.country = account.country.take().or_else(|| text(cols[1]));
    account.employees = account
        .employees
        .or_else(|| number(cols[2], units.employees));
    account.revenue = account.revenue.or_else(|| number(cols[3], units.revenue));
    if account.technologies.is_none() {
        account.technologies = cell(cols[4])
            .map(value::parse_list)
            .filter(|l| !l.is_empty());
    }
    if account.customer.is_none() {
        account.customer = cell(cols[5]).and_then(|c| match rule {
            Some(r) if r.values.is_empty() => value::parse_bool(c),
            Some(r) => Some(r.values.iter().any(|v| v.eq_ignore_ascii_case(c))),
            None => None,
        });
    }
}

/// The customers' values, when enough customers have one; else (unless
/// `learn` says customers only) every account's.
fn base<T>(
    accounts: &[Account],
    get: impl Fn(&Account) -> Option<T>,
    learn: Learn,
) -> Option<(Vec<T>, Base)> {
    let customers: Vec<T> = accounts
        .iter()
        .filter(|a| a.customer == Some(true))
        .filter_map(&get)
        .collect();
    if customers.len() >= MIN_BASE {
        let n = customers.len();
        return Some((customers, Base::Customers(n)));
    }
    if learn == Learn::FromCustomersOnly {
        return None;
    }
    let all: Vec<T> = accounts.iter().filter_map(get).collect();
    let n = all.len();
    (n > 0).then_some((all, Base::All(n)))
}

/// The most common values (case-insensitively, first spelling kept) that
/// together cover 80% of the base, at most five.
fn common(
    accounts: &[Account],
    get: impl Fn(&Account) -> Option<Vec<String>>,
    learn: Learn,
) -> Option<(Vec<String>, Base)> {
    let (lists, base) = base(accounts, get, learn)?;
    let mut tally = Tally::default();
    for list in &lists {
        let mut seen: Vec<String> = Vec::new();
        for item in list {
            // An account counts once per value, however its list repeats it.
            if !seen.contains(&item.to_lowercase()) {
                seen.push(item.to_lowercase());
                tally.add(item);
            }
        }
    }
    let wanted = (lists.len() as f64 * 0.8).ceil() as usize;
    let mut covered = 0;
    let mut values = Vec::new();
    for (spelling, n) in tally.ranked().into_iter().take(5) {
        if covered >= wanted {
            break;
        }
        covered += n;
        values.push(spelling);
    }
    (!values.is_empty()).then_some((values, base))
}

fn numbers(
    accounts: &[Account],
    get: impl Fn(&Account) -> Option<f64>,
) -> Option<(Vec<f64>, Base)> {
    let positive = |a: &Account| get(a).filter(|v| *v > 0.0);
    let (mut values, base) = base(accounts, positive, Learn::FromCustomersElseAll)?;
    if values.len() < MIN_BASE {
        return None;
    }
    values.sort_by(f64::total_cmp);
    Some((values, base))
}

/// Size bands at the 75th, 50th and 25th percentiles, rounded, distinct.
fn bands(sorted: &[f64]) -> Vec<f64> {
    let mut out: Vec<f64> = Vec::new();
    for q in [0.75, 0.5, 0.25] {
        let v = nice(quantile(sorted, q));
        if v >= 1.0 && out.last().is_none_or(|last| v < *last) {
            out.push(v);
        }
    }
    out
}

/// Nearest-rank quantile of sorted values.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// The currency the revenue and ACV cells are written in, if they say.
fn currency(files: &[AccountFile]) -> Option<&'static str> {
    const MARKERS: &[(&str, &str)] = &[
        ("R$", "BRL"),
        ("BRL", "BRL"),
        ("US$", "USD"),
        ("USD", "USD"),
        ("€", "EUR"),
        ("EUR", "EUR"),
        ("£", "GBP"),
        ("GBP", "GBP"),
        ("￥", "CNY"),
        ("¥", "CNY"),
        ("元", "CNY"),
        ("RMB", "CNY"),
        ("CNY", "CNY"),
        ("万", "CNY"),
        ("亿", "CNY"),
        ("₹", "INR"),
        ("INR", "INR"),
        ("$", "USD"),
    ];
    let mut counts: Vec<(&'static str, usize)> = Vec::new();
    for file in files {
        for field in ["revenue", "acv"] {
            let Some(i) = file.mapping.index(file.sample, field) else {
                continue;
            };
            for cell in file.sample.cells(i).take(1000) {
                if let Some((_, code)) = MARKERS.iter().find(|(m, _)| cell.contains(m)) {
                    match counts.iter_mut().find(|(c, _)| c == code) {
                        Some((_, n)) => *n += 1,
                        None => counts.push((code, 1)),
                    }
                }
            }
        }
    }
    counts.into_iter().max_by_key(|(_, n)| *n).map(|(c, _)| c)
}

/// Opportunity stages that mean a proposal is out or a deal is near.
fn decision_stages(files: &[AccountFile]) -> Vec<String> {
    const LATE: &[&str] = &[
        "proposal",
        "quote",
        "negotiat",
        "contract",
        "commit",
        "closing",
        "proposta",
        "negocia",
        "contrato",
        "cotizacion",
        "propuesta",
        "谈判",
        "报价",
        "合同",
    ];
    let mut found: Vec<(String, usize)> = Vec::new();
    for file in files {
        let Some(i) = file.mapping.index(file.sample, "opportunity_stage") else {
            continue;
        };
        for cell in file.sample.cells(i) {
            let folded = fold(cell);
            if folded.contains("lost")
                || folded.contains("won")
                || !LATE.iter().any(|w| folded.contains(w))
            {
                continue;
            }
            match found.iter_mut().find(|(v, _)| v.eq_ignore_ascii_case(cell)) {
                Some((_, n)) => *n += 1,
                None => found.push((cell.to_string(), 1)),
            }
        }
    }
    found.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    found.into_iter().map(|(v, _)| v).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_numbers_and_bands() {
        assert_eq!(nice(347.0), 350.0);
        assert_eq!(nice(48_123_000.0), 48_000_000.0);
        assert_eq!(nice(4.4), 4.0);
        let sorted: Vec<f64> = (1..=100).map(|v| v as f64 * 10.0).collect();
        assert_eq!(bands(&sorted), vec![750.0, 500.0, 250.0]);
        assert_eq!(bands(&[100.0, 100.0, 100.0]), vec![100.0]);
    }

    #[test]
    fn customer_values() {
        assert!(means_customer("Customer"));
        assert!(means_customer("Customer - Direct"));
        assert!(means_customer("cliente"));
        assert!(means_customer("客户"));
        assert!(!means_customer("Cliente potencial"));
        assert!(!means_customer("Former Customer"));
        assert!(!means_customer("Prospect"));
    }
}
