//! The result of `tal orders check` for people (tables and a list of the
//! problems) and for programs (JSON).

use std::io::Write;

use anyhow::Result;
use tabled::builder::Builder;
use tabled::settings::object::Columns;
use tabled::settings::{Alignment, Style};

use super::check::OrdersCheck;
use crate::format::{count, money, percent};

fn boxed(headers: &[&str], rows: Vec<Vec<String>>, right_from: usize) -> String {
    let mut builder = Builder::default();
    builder.push_record(headers.iter().map(|h| h.to_string()));
    for row in rows {
        builder.push_record(row);
    }
    let mut table = builder.build();
    table.with(Style::sharp());
    table.modify(Columns::new(right_from..), Alignment::right());
    table.to_string()
}

fn tier_table(result: &OrdersCheck) -> String {
    let cur = &result.currency;
    let rows = result
        .tiers
        .iter()
        .map(|t| {
            let left = t.entitled.map(|e| money(e - t.cost, cur));
            vec![
                t.name.clone(),
                count(t.accounts),
                count(t.ordering),
                count(t.orders),
                money(t.cost, cur),
                t.entitled.map_or("–".into(), |e| money(e, cur)),
                left.unwrap_or_else(|| "–".into()),
            ]
        })
        .collect();
    let headers = [
        "tier", "accounts", "ordering", "orders", "cost", "entitled", "left",
    ];
    boxed(&headers, rows, 1)
}

fn account_table(result: &OrdersCheck) -> String {
    let cur = &result.currency;
    let rows = result
        .accounts
        .iter()
        .map(|a| {
            vec![
                a.row.to_string(),
                a.domain.clone(),
                a.tier.clone(),
                a.programs.join(", "),
                money(a.cost, cur),
                a.entitlement.map_or("–".into(), |e| money(e, cur)),
            ]
        })
        .collect();
    let headers = ["row", "domain", "tier", "programs", "cost", "entitlement"];
    boxed(&headers, rows, 4)
}

pub fn write_text(out: &mut dyn Write, result: &OrdersCheck) -> Result<()> {
    let cur = &result.currency;
    writeln!(out, "Orders in {}", result.file)?;
    writeln!(out)?;
    writeln!(out, "BY TIER")?;
    writeln!(out, "{}", tier_table(result))?;
    match result.budget {
        Some(budget) if budget > 0.0 => writeln!(
            out,
            "The orders cost {} of the {} budget ({}).",
            money(result.cost, cur),
            money(budget, cur),
            percent(result.cost / budget)
        )?,
        _ => writeln!(out, "The orders cost {}.", money(result.cost, cur))?,
    }
    if !result.accounts.is_empty() {
        writeln!(out)?;
        writeln!(out, "BY ACCOUNT")?;
        writeln!(out, "{}", account_table(result))?;
    }
    if !result.notes.is_empty() {
        writeln!(out)?;
        writeln!(out, "NOTES")?;
        for note in &result.notes {
            writeln!(out, "{note}")?;
        }
    }
    writeln!(out)?;
    if result.problems.is_empty() {
        writeln!(
            out,
            "Every order is on its tier's menu and within its entitlement."
        )?;
    } else {
        writeln!(
            out,
            "ORDERS THAT BREAK THE RULES ({})",
            result.problems.len()
        )?;
        for p in &result.problems {
            let row = p.row.map(|r| format!("row {r}: ")).unwrap_or_default();
            writeln!(out, "{row}{} [{}]", p.message, p.code)?;
        }
    }
    Ok(())
}

pub fn write_json(out: &mut dyn Write, result: &OrdersCheck) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, result)?;
    out.write_all(b"\n")?;
    Ok(())
}
