//! Reading a TAL-shaped file back: the columns a comparison needs, keyed by
//! the normalised domain.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{bail, Context, Result};

use crate::input::read;
use crate::{format, value};

/// The statuses of accounts outside the TAL.
const STATUSES: [&str; 3] = ["excluded", "unassigned", "waitlist"];

/// One account of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct ListRow {
    pub domain: String,
    pub name: String,
    pub account_id: String,
    /// A tier name, or a status outside the TAL.
    pub tier: String,
    pub in_tal: bool,
    pub reasons: String,
}

/// The accounts of one file, in file order; the first row of a domain wins.
#[derive(Debug, Clone, Default)]
pub struct TalList {
    pub rows: Vec<ListRow>,
    index: HashMap<String, usize>,
    /// Rows left out: no domain, or a domain seen before.
    pub skipped: usize,
}

impl TalList {
    pub fn from_rows(rows: Vec<ListRow>) -> Self {
        let mut list = TalList::default();
        for row in rows {
            list.push(row);
        }
        list
    }

    fn push(&mut self, row: ListRow) {
        if row.domain.is_empty() || self.index.contains_key(&row.domain) {
            self.skipped += 1;
            return;
        }
        self.index.insert(row.domain.clone(), self.rows.len());
        self.rows.push(row);
    }

    pub fn get(&self, domain: &str) -> Option<&ListRow> {
        self.index.get(domain).map(|&i| &self.rows[i])
    }

    pub fn tal_len(&self) -> usize {
        self.rows.iter().filter(|r| r.in_tal).count()
    }

    /// The TAL's tiers in the order they first appear.
    pub fn tier_sequence(&self) -> Vec<String> {
        let mut tiers: Vec<String> = Vec::new();
        for row in self.rows.iter().filter(|r| r.in_tal) {
            if !tiers.iter().any(|t| t.eq_ignore_ascii_case(&row.tier)) {
                tiers.push(row.tier.clone());
            }
        }
        tiers
    }
}

/// Reads a TAL file (csv or tsv, any encoding `tal` reads).
pub fn read_file(path: &Path) -> Result<TalList> {
    let bytes =
        crate::file::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    parse(bytes).with_context(|| format!("{}", path.display()))
}

/// Parses the bytes of a TAL file.
pub fn parse(bytes: Vec<u8>) -> Result<TalList> {
    let (text, _) = read::decode(bytes, None)?;
    let delimiter = read::sniff_delimiter(&text);
    let mut records = read::reader(&text, delimiter).into_records();
    let Some(header) = records.next() else {
        bail!("the file is empty: a TAL file has a header line (rank, tier, ..., domain, ...)");
    };
    let headers: Vec<String> = header?
        .iter()
        .map(|h| {
            h.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
                .to_string()
        })
        .collect();
    let columns = Columns::find(&headers)?;
    let mut list = TalList::default();
    for record in records {
        let record = record?;
        if read::is_blank(&record) {
            continue;
        }
        list.push(columns.row(&record));
    }
    Ok(list)
}

/// The key of a list's `domain` cell (trimmed): its domain, else the cell
/// lower-cased.
pub fn domain_key(cell: &str) -> String {
    value::normalize_domain(cell).unwrap_or_else(|| cell.to_lowercase())
}

/// Where the columns a comparison reads are.
struct Columns {
    domain: usize,
    tier: usize,
    rank: Option<usize>,
    name: Option<usize>,
    account_id: Option<usize>,
    reasons: Option<usize>,
}

impl Columns {
    fn find(headers: &[String]) -> Result<Columns> {
        let required = |name: &str| {
            read::find_column(headers, name).ok_or_else(|| {
                anyhow::anyhow!(
                    "no '{name}' column: this is not a TAL file (its headers are: {})",
                    headers.join(", ")
                )
            })
        };
        Ok(Columns {
            domain: required("domain")?,
            tier: required("tier")?,
            rank: read::find_column(headers, "rank"),
            name: read::find_column(headers, "name"),
            account_id: read::find_column(headers, "account_id"),
            reasons: read::find_column(headers, "reasons"),
        })
    }

    fn row(&self, record: &csv::StringRecord) -> ListRow {
        // A guarded cell is the value it guards (`'=x` is `=x`).
        let text = |i: Option<usize>| {
            i.and_then(|i| record.get(i))
                .map(|v| format::unguard_formula(v.trim()).to_string())
                .unwrap_or_default()
        };
        let domain = domain_key(&text(Some(self.domain)));
        let tier = text(Some(self.tier));
        let in_tal = match self.rank {
            Some(_) => !text(self.rank).is_empty(),
            None => !tier.is_empty() && !STATUSES.contains(&tier.to_lowercase().as_str()),
        };
        ListRow {
            domain,
            name: text(self.name),
            account_id: text(self.account_id),
            tier,
            in_tal,
            reasons: text(self.reasons),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tal_and_all_rows() {
        let text = "rank,tier,name,domain,reasons\n1,Tier 1,Acme,https://www.Acme.com/,fit 90\n,Waitlist,Beta,beta.com,pushed\n";
        let list = parse(text.as_bytes().to_vec()).expect("parses");
        assert_eq!(list.rows.len(), 2);
        assert_eq!(list.rows[0].domain, "acme.com");
        assert!(list.rows[0].in_tal);
        assert!(!list.rows[1].in_tal);
        assert_eq!(list.tier_sequence(), vec!["Tier 1".to_string()]);
    }

    #[test]
    fn without_rank_a_status_is_outside_the_tal() {
        let text = "domain\ttier\na.com\tTier 2\nb.com\texcluded\n";
        let list = parse(text.as_bytes().to_vec()).expect("parses");
        assert!(list.get("a.com").expect("a").in_tal);
        assert!(!list.get("b.com").expect("b").in_tal);
    }

    #[test]
    fn a_file_without_domain_is_refused() {
        let err = parse(b"rank,tier,name\n1,Tier 1,Acme\n".to_vec()).expect_err("no domain");
        assert!(err.to_string().contains("no 'domain' column"), "{err}");
    }
}
