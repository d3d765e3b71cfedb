//! `tal orders check`: the ticks read back and checked, per account and per
//! tier, against the tier menus, the per-account entitlements and the
//! budget. Every order that breaks a rule is a [`Problem`] with a stable
//! code; the command exits 1 when there is any.
//!
//! The tier an account is checked against is its tier in the TAL now, not
//! the `tier` column of the sheet (a note says when they differ). Rows
//! without a tick are skipped, so a sheet may keep accounts nobody ordered
//! for. A tick is `x`, `✓`, yes, true, 1 or a ticked checkbox; an empty cell,
//! `n/a`, no, false or 0 is no order; anything else is a problem, as the
//! sheet does not say what sales wanted.

use std::collections::HashMap;
use std::path::Path;

use anyhow::Result;
use serde::Serialize;

use super::read::{read_sheet, Sheet, Value};
use super::{entitled, find_program, menu, MenuItem, FIXED_COLUMNS, NOT_AVAILABLE};
use crate::engine::explain::find_account;
use crate::engine::{Scored, Status};
use crate::format::money;
use crate::format::round;
use crate::input::Accounts;
use crate::report::num;
use crate::spec::Spec;
use crate::value::normalize_domain;

/// An order that breaks the rules.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    pub row: Option<u64>,
    pub code: &'static str,
    pub message: String,
}

/// What one account ordered.
#[derive(Debug, Clone, Serialize)]
pub struct AccountOrder {
    pub row: u64,
    pub domain: String,
    pub name: Option<String>,
    pub tier: String,
    pub programs: Vec<String>,
    #[serde(serialize_with = "num::one")]
    pub cost: f64,
    #[serde(serialize_with = "num::opt")]
    pub entitlement: Option<f64>,
}

/// The orders of one tier against what it is entitled to.
#[derive(Debug, Clone, Serialize)]
pub struct TierOrders {
    pub name: String,
    pub accounts: usize,
    /// Accounts with at least one order.
    pub ordering: usize,
    pub orders: usize,
    #[serde(serialize_with = "num::one")]
    pub cost: f64,
    /// kept × per_account: what the tier's accounts may spend in all.
    #[serde(serialize_with = "num::opt")]
    pub entitled: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OrdersCheck {
    pub file: String,
    pub currency: String,
    pub tiers: Vec<TierOrders>,
    pub accounts: Vec<AccountOrder>,
    #[serde(serialize_with = "num::one")]
    pub cost: f64,
    #[serde(serialize_with = "num::opt")]
    pub budget: Option<f64>,
    pub notes: Vec<String>,
    pub problems: Vec<Problem>,
}

/// What a sheet column holds.
enum Column<'a> {
    Fixed(&'static str),
    Program(&'a MenuItem),
    Other(String),
}

fn columns<'a>(sheet: &Sheet, menu: &'a [MenuItem]) -> Vec<Column<'a>> {
    sheet
        .headers
        .iter()
        .map(|header| {
            let fixed = FIXED_COLUMNS
                .iter()
                .find(|c| c.eq_ignore_ascii_case(header.trim()));
            match (fixed, find_program(menu, header)) {
                (Some(name), _) => Column::Fixed(name),
                (None, Some(item)) => Column::Program(item),
                (None, None) => Column::Other(header.clone()),
            }
        })
        .collect()
}

/// A program cell: ticked, not ticked, or unreadable.
enum Tick {
    Yes,
    No,
    Unclear(String),
}

fn tick(value: &Value) -> Tick {
    match value {
        Value::Empty | Value::Bool(false) => Tick::No,
        Value::Bool(true) => Tick::Yes,
        Value::Number(n) if *n == 1.0 => Tick::Yes,
        Value::Number(n) if *n == 0.0 => Tick::No,
        Value::Number(n) => Tick::Unclear(crate::format::number(*n)),
        Value::Text(text) => match text.trim().to_lowercase().as_str() {
            "x" | "✓" | "✔" | "☑" | "✅" | "yes" | "y" | "true" | "1" | "sim" | "是" => {
                Tick::Yes
            }
            "no" | "n" | "false" | "0" | "-" | "–" | "—" | "☐" | "na" | "n/a" | "not available" => {
                Tick::No
            }
            _ if text.eq_ignore_ascii_case(NOT_AVAILABLE) => Tick::No,
            _ => Tick::Unclear(text.clone()),
        },
    }
}

/// Everything the check needs from the scored project.
pub struct Context<'a> {
    pub spec: &'a Spec,
    pub scored: &'a Scored,
    pub accounts: &'a Accounts,
}

/// Reads the sheet at `path` and checks every order in it.
pub fn check(cx: &Context, path: &Path) -> Result<OrdersCheck> {
    let sheet = read_sheet(path)?;
    let menu = menu(cx.spec);
    let columns = columns(&sheet, &menu);
    let mut result = OrdersCheck {
        file: path.display().to_string(),
        currency: cx.spec.budget.currency.clone(),
        tiers: Vec::new(),
        accounts: Vec::new(),
        cost: 0.0,
        budget: cx.spec.budget.total,
        notes: Vec::new(),
        problems: Vec::new(),
    };
    let mut seen: HashMap<usize, u64> = HashMap::new();
    let mut unknown: HashMap<String, Vec<u64>> = HashMap::new();
    for (line, cells) in &sheet.rows {
        let row = RowView {
            sheet: &sheet,
            columns: &columns,
            cells,
            line: *line,
        };
        for header in row.unknown_ticks() {
            unknown.entry(header).or_default().push(*line);
        }
        check_row(cx, &row, &mut seen, &mut result);
    }
    unknown_programs(&columns, unknown, &mut result);
    result.tiers = tier_totals(cx, &result.accounts);
    result.cost = round(result.accounts.iter().map(|a| a.cost).sum(), 2);
    over_budget(&mut result);
    Ok(result)
}

/// One data row with its columns.
struct RowView<'a> {
    sheet: &'a Sheet,
    columns: &'a [Column<'a>],
    cells: &'a [Value],
    line: u64,
}

impl RowView<'_> {
    fn fixed(&self, name: &str) -> Option<String> {
        let col = self
            .columns
            .iter()
            .position(|c| matches!(c, Column::Fixed(n) if *n == name))?;
        match self.sheet.cell(self.cells, col) {
            Value::Text(text) => Some(text.clone()),
            Value::Number(n) => Some(crate::format::number(*n)),
            _ => None,
        }
    }

    /// Programs ticked, and cells that are neither a tick nor empty.
    fn ticks(&self) -> (Vec<&MenuItem>, Vec<(String, String)>) {
        let mut ticked = Vec::new();
        let mut unclear = Vec::new();
        for (col, column) in self.columns.iter().enumerate() {
            if let Column::Program(item) = column {
                match tick(self.sheet.cell(self.cells, col)) {
                    Tick::Yes => ticked.push(*item),
                    Tick::No => {}
                    Tick::Unclear(text) => unclear.push((self.sheet.headers[col].clone(), text)),
                }
            }
        }
        (ticked, unclear)
    }

    /// Headers of unknown columns this row ticks.
    fn unknown_ticks(&self) -> Vec<String> {
        self.columns
            .iter()
            .enumerate()
            .filter_map(|(col, column)| match column {
                Column::Other(header)
                    if matches!(tick(self.sheet.cell(self.cells, col)), Tick::Yes) =>
                {
                    Some(header.clone())
                }
                _ => None,
            })
            .collect()
    }

    /// The account the row names: its domain, else its account id.
    fn account(&self, accounts: &Accounts) -> (Option<usize>, String) {
        let domain = self.fixed("domain");
        let id = self.fixed("account_id");
        let shown = domain.clone().or(id.clone()).unwrap_or_default();
        let by_domain = domain
            .as_deref()
            .and_then(normalize_domain)
            .and_then(|d| accounts.find(&d))
            .map(|i| i as usize);
        let found = by_domain.or_else(|| id.as_deref().and_then(|id| find_account(accounts, id)));
        (found, shown)
    }
}

fn problem(result: &mut OrdersCheck, row: Option<u64>, code: &'static str, message: String) {
    result.problems.push(Problem { row, code, message });
}

fn check_row(
    cx: &Context,
    row: &RowView,
    seen: &mut HashMap<usize, u64>,
    result: &mut OrdersCheck,
) {
    let (ticked, unclear) = row.ticks();
    let line = Some(row.line);
    for (header, text) in &unclear {
        let message =
            format!("'{text}' under '{header}' is not a tick: write x to order, or leave it empty");
        problem(result, line, "not_a_tick", message);
    }
    if ticked.is_empty() {
        return;
    }
    let what = orders_text(&ticked);
    let (found, shown) = row.account(cx.accounts);
    let Some(i) = found else {
        let message = if shown.is_empty() {
            format!("{what} on a row with no domain or account_id")
        } else {
            format!("'{shown}' is not an account in the inputs: {what} cannot be placed")
        };
        return problem(result, line, "unknown_account", message);
    };
    let domain = cx.accounts.domains[i].to_string();
    let Status::Tier(t) = cx.scored.status[i] else {
        let status = cx.scored.status[i].name(cx.spec);
        let message = format!(
            "{domain} is not in the TAL ({status}), so it is entitled to no programs: {what}"
        );
        return problem(result, line, "not_in_tal", message);
    };
    if let Some(first) = seen.insert(i, row.line) {
        let message = format!("{domain} is also on row {first}: order each account on one row");
        problem(result, line, "duplicate_account", message);
    }
    let tier = &cx.spec.tiers[t];
    if let Some(written) = row
        .fixed("tier")
        .filter(|w| !w.eq_ignore_ascii_case(&tier.name))
    {
        result.notes.push(format!(
            "row {}: the sheet says {written}, the TAL now puts {domain} in {}: checked against {}",
            row.line, tier.name, tier.name
        ));
    }
    for item in ticked
        .iter()
        .filter(|item| !entitled(cx.spec, t, &item.key))
    {
        let message = format!(
            "{domain} is in {}, whose menu has no '{}'",
            tier.name, item.label
        );
        problem(result, line, "not_on_menu", message);
    }
    let cost = round(ticked.iter().map(|item| item.cost).sum(), 2);
    if let Some(allowed) = tier.per_account.filter(|allowed| cost > *allowed) {
        let cur = &cx.spec.budget.currency;
        let message = format!(
            "{domain}'s orders cost {}, over {}'s per-account entitlement of {} by {}",
            money(cost, cur),
            tier.name,
            money(allowed, cur),
            money(cost - allowed, cur)
        );
        problem(result, line, "over_entitlement", message);
    }
    result.accounts.push(AccountOrder {
        row: row.line,
        name: cx.accounts.columns.get("name").and_then(|c| c.text(i)),
        domain,
        tier: tier.name.clone(),
        programs: ticked.iter().map(|item| item.key.clone()).collect(),
        cost,
        entitlement: tier.per_account,
    });
}

/// "2 orders (Executive dinner, Direct mail)".
fn orders_text(ticked: &[&MenuItem]) -> String {
    let labels: Vec<&str> = ticked.iter().map(|item| item.label.as_str()).collect();
    let noun = if ticked.len() == 1 { "order" } else { "orders" };
    format!("{} {noun} ({})", ticked.len(), labels.join(", "))
}

/// One problem per ticked column that names no program.
fn unknown_programs(
    columns: &[Column],
    mut unknown: HashMap<String, Vec<u64>>,
    result: &mut OrdersCheck,
) {
    for column in columns {
        let Column::Other(header) = column else {
            continue;
        };
        let Some(rows) = unknown.remove(header) else {
            continue;
        };
        let shown: Vec<String> = rows.iter().take(10).map(|r| r.to_string()).collect();
        let more = if rows.len() > 10 {
            format!(" and {} more", rows.len() - 10)
        } else {
            String::new()
        };
        let message = format!(
            "'{header}' is not a program in [programs], yet it is ticked on row{} {}{more}",
            if rows.len() == 1 { "" } else { "s" },
            shown.join(", ")
        );
        problem(result, None, "unknown_program", message);
    }
}

fn tier_totals(cx: &Context, accounts: &[AccountOrder]) -> Vec<TierOrders> {
    cx.spec
        .tiers
        .iter()
        .enumerate()
        .map(|(t, tier)| {
            let mine: Vec<&AccountOrder> =
                accounts.iter().filter(|a| a.tier == tier.name).collect();
            let kept = cx.scored.tiers[t].kept;
            TierOrders {
                name: tier.name.clone(),
                accounts: kept,
                ordering: mine
                    .iter()
                    .map(|a| &a.domain)
                    .collect::<std::collections::HashSet<_>>()
                    .len(),
                orders: mine.iter().map(|a| a.programs.len()).sum(),
                cost: round(mine.iter().map(|a| a.cost).sum(), 2),
                entitled: tier.per_account.map(|p| round(p * kept as f64, 2)),
            }
        })
        .collect()
}

fn over_budget(result: &mut OrdersCheck) {
    if let Some(budget) = result.budget.filter(|b| result.cost > *b) {
        let cur = &result.currency;
        let message = format!(
            "all orders together cost {}, over the {} budget by {}",
            money(result.cost, cur),
            money(budget, cur),
            money(result.cost - budget, cur)
        );
        problem(result, None, "over_budget", message);
    }
}
