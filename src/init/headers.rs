//! Recognising columns: headers folded (case, accents and punctuation
//! ignored) and compared with the profiles' aliases, each candidate column
//! checked against its values before it is mapped, and the key column found
//! by its values when no header names it.

use crate::value::{self, DecimalMark};

use super::profiles::{self, Check, FieldProfile, Role};
use super::sniff::Sample;

/// A header as compared: lower case, accents dropped, only letters and
/// digits kept (CJK included), so "Funcionários", "FUNCIONARIOS" and
/// "funcionarios_" are one. A Salesforce custom-field suffix `__c` is dropped.
pub fn fold(header: &str) -> String {
    let trimmed = header.trim();
    let base = trimmed
        .strip_suffix("__c")
        .or_else(|| trimmed.strip_suffix("__C"))
        .unwrap_or(trimmed);
    let mut out = String::with_capacity(base.len());
    for c in base.chars().flat_map(char::to_lowercase) {
        if let Some(plain) = unaccent(c) {
            out.push(plain);
        } else if c.is_alphanumeric() {
            out.push(c);
        }
    }
    out
}

/// A looser fold: without a parenthesised part ("Annual Revenue (USD)") or
/// an object prefix ("Account: Website", "Account.Website").
pub fn fold_loose(header: &str) -> String {
    let mut text = String::new();
    let mut depth = 0usize;
    for c in header.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => text.push(c),
            _ => {}
        }
    }
    let text = match text.split_once([':', '.']) {
        Some((prefix, rest)) if !rest.trim().is_empty() && !prefix.contains(' ') => rest,
        _ => text.as_str(),
    };
    fold(text)
}

/// The unaccented letter of the Latin letters used in Portuguese, Spanish,
/// French and German headers.
fn unaccent(c: char) -> Option<char> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ª' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'ī' => 'i',
        'ñ' | 'ń' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'º' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' => 'u',
        'ý' | 'ÿ' => 'y',
        'š' => 's',
        'ž' => 'z',
        _ => return None,
    })
}

/// What was recognised in one file.
#[derive(Debug, Default)]
pub struct Mapping {
    /// The key column, and whether it was found by its values alone.
    pub key: Option<(String, bool)>,
    /// field -> column, in profile order.
    pub fields: Vec<(String, String)>,
    /// Headers not mapped.
    pub unused: Vec<String>,
    /// Number fields whose header names a unit (`Revenue ($M)`): field ->
    /// the `scale` that gives plain amounts.
    pub scales: Vec<(String, f64)>,
}

impl Mapping {
    pub fn column(&self, field: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, c)| c.as_str())
    }

    /// The unit the field's header names, if any.
    pub fn scale(&self, field: &str) -> Option<f64> {
        self.scales
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, scale)| *scale)
    }

    pub fn index(&self, sample: &Sample, field: &str) -> Option<usize> {
        let column = self.column(field)?;
        sample.headers.iter().position(|h| h == column)
    }
}

/// Maps the headers of `sample` read in `role`.
pub fn map_headers(sample: &Sample, role: Role) -> Mapping {
    let mut claimed = vec![false; sample.headers.len()];
    let mut mapping = Mapping::default();
    let keys = profiles::keys_of(role);
    let key = match find(sample, &keys, Check::Key, &claimed) {
        Some(i) => Some((i, false)),
        None => key_by_values(sample)
            .map(|i| (i, true))
            // No values to judge by (a header-only export): the header alone.
            .or_else(|| find(sample, &keys, Check::Text, &claimed).map(|i| (i, false))),
    };
    if let Some((i, by_values)) = key {
        claimed[i] = true;
        mapping.key = Some((sample.headers[i].clone(), by_values));
    }
    for profile in profiles::fields_of(role) {
        if role == Role::Firmographics && profile.field == "account_id" {
            // A vendor's ids are not CRM record ids: never write them back.
            continue;
        }
        if let Some(i) = find_field(sample, profile, &claimed) {
            claimed[i] = true;
            let header = &sample.headers[i];
            mapping
                .fields
                .push((profile.field.to_string(), header.clone()));
            if let Some(scale) = unit_of(header).filter(|_| profile.check == Check::Number) {
                mapping.scales.push((profile.field.to_string(), scale));
            }
        }
    }
    mapping.unused = sample
        .headers
        .iter()
        .zip(&claimed)
        .filter(|(h, used)| !**used && !h.is_empty())
        .map(|(h, _)| h.clone())
        .collect();
    mapping
}

fn find_field(sample: &Sample, profile: &FieldProfile, claimed: &[bool]) -> Option<usize> {
    let found = find(sample, profile.aliases, profile.check, claimed);
    if found.is_some() || profile.field != "date" {
        return found;
    }
    // Intent and activity exports name their timestamp in many ways: take
    // the column whose values are dates.
    (0..sample.headers.len()).find(|&i| !claimed[i] && share(sample, i, Check::Date) >= 0.8)
}

/// The first unclaimed column, by alias order (exact fold, then loose),
/// whose values pass `check`.
fn find(sample: &Sample, aliases: &[&str], check: Check, claimed: &[bool]) -> Option<usize> {
    let strict: Vec<String> = sample.headers.iter().map(|h| fold(h)).collect();
    let loose: Vec<String> = sample.headers.iter().map(|h| fold_loose(h)).collect();
    for folded in [&strict, &loose] {
        for alias in aliases {
            let wanted = fold(alias);
            let hit = (0..folded.len()).find(|&i| {
                !claimed[i]
                    && !folded[i].is_empty()
                    && folded[i] == wanted
                    && passes(sample, i, check)
            });
            if hit.is_some() {
                return hit;
            }
        }
    }
    None
}

/// The unit a header names for its numbers, as a multiplier: `Revenue
/// ($M)`, `Revenue (USD millions)`, `Revenue in millions`, `Sales ($K)`,
/// `Receita (R$ mil)`, `Faturamento (em milhões)`, `Revenue ($B)`. Only a
/// unit in parentheses or after "in"/"em"/"en" counts: `Revenue` alone, or
/// `Employees (#)`, names none.
pub fn unit_of(header: &str) -> Option<f64> {
    let lower = header.to_lowercase();
    let unit = match (lower.find('('), lower.rfind(')')) {
        (Some(open), Some(close)) if open < close => &lower[open + 1..close],
        _ => [" in ", " em ", " en "]
            .iter()
            .find_map(|w| lower.rsplit_once(w).map(|(_, unit)| unit))?,
    };
    let brazilian = unit.contains("r$") || unit.contains("reais");
    let words: Vec<String> = unit
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(fold)
        .collect();
    let scale = |w: &str| -> Option<f64> {
        Some(match w {
            "k" | "thousand" | "thousands" | "milhares" | "miles" => 1e3,
            // "mil" is a thousand in Portuguese and Spanish (`R$ mil`), but
            // an abbreviation of million in English (`$ mil`).
            "mil" if brazilian => 1e3,
            "mil" | "m" | "mm" | "mn" | "mio" | "million" | "millions" | "mi" | "milhao"
            | "milhoes" | "millon" | "millones" => 1e6,
            "b" | "bn" | "bi" | "billion" | "billions" | "bilhao" | "bilhoes" => 1e9,
            _ => return None,
        })
    };
    let found: Vec<f64> = words.iter().filter_map(|w| scale(w)).collect();
    match found.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

/// A column whose values are mostly domains, URLs or e-mails, preferring a
/// header that says so.
fn key_by_values(sample: &Sample) -> Option<usize> {
    let hinted = |i: &usize| {
        let h = fold(&sample.headers[*i]);
        ["mail", "domain", "web", "site", "url"]
            .iter()
            .any(|w| h.contains(w))
    };
    let good: Vec<usize> = (0..sample.headers.len())
        .filter(|&i| share(sample, i, Check::Key) >= 0.8)
        .collect();
    good.iter().copied().find(hinted).or(good.first().copied())
}

/// Does column `i` hold what `check` wants? An empty column contradicts
/// nothing, except as the key.
fn passes(sample: &Sample, i: usize, check: Check) -> bool {
    let needed = match check {
        Check::Text | Check::List => return true,
        // An empty key column would reject every row: look further.
        Check::Key => return share(sample, i, check) >= 0.6,
        Check::Number | Check::Date => 0.6,
        Check::Bool => 0.8,
    };
    sample.cells(i).next().is_none() || share(sample, i, check) >= needed
}

/// The share of column `i`'s non-empty cells (up to 1000) that pass `check`.
pub fn share(sample: &Sample, i: usize, check: Check) -> f64 {
    let (mut seen, mut good) = (0usize, 0usize);
    for cell in sample.cells(i).take(1000) {
        seen += 1;
        if cell_passes(cell, check, sample.decimal, sample.date_pattern()) {
            good += 1;
        }
    }
    if seen == 0 {
        0.0
    } else {
        good as f64 / seen as f64
    }
}

fn cell_passes(cell: &str, check: Check, decimal: DecimalMark, dates: Option<&str>) -> bool {
    match check {
        Check::Text | Check::List => true,
        Check::Key => is_domain_like(cell),
        Check::Number => value::parse_number(cell, decimal).is_some(),
        Check::Bool => value::parse_bool(cell).is_some(),
        Check::Date => value::parse_date(cell, dates).is_some(),
    }
}

/// A domain, URL or e-mail: it normalises to a name whose last label is
/// letters (so `1.5` or `v2.0` is not one).
pub fn is_domain_like(cell: &str) -> bool {
    if cell.contains(char::is_whitespace) {
        return false;
    }
    value::normalize_domain(cell).is_some_and(|domain| {
        let tld = domain.rsplit('.').next().unwrap_or_default();
        tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic)
    })
}

/// The tool a file of `role` with these headers comes from, if they tell.
pub fn vendor(headers: &[String], role: Role) -> Option<&'static profiles::Vendor> {
    let folded: Vec<String> = headers.iter().map(|h| fold(h)).collect();
    let mut candidates = profiles::VENDORS.iter().filter(|v| v.roles.contains(&role));
    candidates.find(|vendor| {
        vendor.exact.iter().any(|m| headers.iter().any(|h| h == m))
            || vendor.folded.iter().any(|m| folded.contains(&fold(m)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_accents_and_punctuation() {
        assert_eq!(fold("Funcionários"), "funcionarios");
        assert_eq!(fold("NUMBER_OF_EMPLOYEES"), "numberofemployees");
        assert_eq!(fold("Number of Employees"), "numberofemployees");
        assert_eq!(fold("Country/Region"), "countryregion");
        assert_eq!(fold("País"), "pais");
        assert_eq!(fold("Is_Customer__c"), "iscustomer");
        assert_eq!(fold("员工人数"), "员工人数");
        assert_eq!(fold("Nº de empleados"), "nodeempleados");
        // macOS writes accents as combining marks.
        assert_eq!(fold("Funciona\u{301}rios"), "funcionarios");
    }

    #[test]
    fn loose_fold_drops_units_and_object_prefixes() {
        assert_eq!(fold_loose("Annual Revenue (USD)"), "annualrevenue");
        assert_eq!(fold_loose("Account: Website"), "website");
        assert_eq!(fold_loose("Account.Website"), "website");
    }

    #[test]
    fn units_named_in_headers() {
        let cases = [
            ("Revenue ($M)", Some(1e6)),
            ("Revenue (USD millions)", Some(1e6)),
            ("Revenue ($MM)", Some(1e6)),
            ("Revenue in millions", Some(1e6)),
            ("Annual Revenue (in $ billions)", Some(1e9)),
            ("Sales ($K)", Some(1e3)),
            ("Revenue (thousands)", Some(1e3)),
            ("Receita (R$ mil)", Some(1e3)),
            ("Receita (R$ mi)", Some(1e6)),
            ("Faturamento (em milhões)", Some(1e6)),
            ("Faturamento em milhões", Some(1e6)),
            ("Revenue ($ mil)", Some(1e6)),
            ("Revenue", None),
            ("Annual Revenue (USD)", None),
            ("Employees (#)", None),
            ("_ - revenue", None),
            ("Revenue (M or K)", None),
        ];
        for (header, want) in cases {
            assert_eq!(unit_of(header), want, "{header}");
        }
    }

    #[test]
    fn domain_like_cells() {
        assert!(is_domain_like("https://www.Acme.com/"));
        assert!(is_domain_like("jane@acme.co.uk"));
        assert!(!is_domain_like("1.5"));
        assert!(!is_domain_like("Acme, Inc."));
        assert!(!is_domain_like("n/a"));
    }
}
