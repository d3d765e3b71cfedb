//! `tal orders template`: the order sheet, one row per TAL account in rank
//! order. As csv the program cells are empty (tick with `x`) or `n/a`; as
//! xlsx they are real checkboxes (unticked), or a grey `n/a`, and a second
//! sheet lists the menu with its costs and which tiers may order what.

use std::io::Write;

use anyhow::Result;
use rust_xlsxwriter::{Color, Format, FormatAlign, Workbook, Worksheet};

use super::{entitled, menu, MenuItem, FIXED_COLUMNS, NOT_AVAILABLE};
use crate::engine::{Scored, Status};
use crate::format::guard_formula;
use crate::format::number;
use crate::input::Accounts;
use crate::spec::Spec;

/// One account of the sheet.
struct Row {
    rank: u32,
    tier: usize,
    account_id: String,
    name: String,
    domain: String,
}

fn rows(scored: &Scored, accounts: &Accounts) -> Vec<Row> {
    let text = |field: &str, i: usize| {
        accounts
            .columns
            .get(field)
            .and_then(|c| c.text(i))
            .unwrap_or_default()
    };
    scored
        .tal
        .iter()
        .filter_map(|&a| {
            let i = a as usize;
            let Status::Tier(tier) = scored.status[i] else {
                return None;
            };
            Some(Row {
                rank: scored.rank[i].unwrap_or_default(),
                tier,
                account_id: text("account_id", i),
                name: text("name", i),
                domain: accounts.domains[i].to_string(),
            })
        })
        .collect()
}

fn headers(menu: &[MenuItem]) -> Vec<String> {
    let mut headers: Vec<String> = FIXED_COLUMNS.iter().map(|c| c.to_string()).collect();
    headers.extend(menu.iter().map(|i| i.header.clone()));
    headers
}

pub fn write_csv(
    out: &mut dyn Write,
    spec: &Spec,
    scored: &Scored,
    accounts: &Accounts,
) -> Result<()> {
    let menu = menu(spec);
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    writer.write_record(headers(&menu).iter().map(|h| guard_formula(h).into_owned()))?;
    for row in rows(scored, accounts) {
        let tier = &spec.tiers[row.tier];
        let mut cells = vec![
            row.rank.to_string(),
            guard_formula(&tier.name).into_owned(),
            guard_formula(&row.account_id).into_owned(),
            guard_formula(&row.name).into_owned(),
            guard_formula(&row.domain).into_owned(),
            tier.per_account.map(number).unwrap_or_default(),
        ];
        cells.extend(menu.iter().map(|item| {
            if entitled(spec, row.tier, &item.key) {
                String::new()
            } else {
                NOT_AVAILABLE.to_string()
            }
        }));
        writer.write_record(cells)?;
    }
    writer.flush()?;
    Ok(())
}

/// The xlsx sheet: checkboxes where the tier is entitled, grey n/a elsewhere.
pub fn write_xlsx(spec: &Spec, scored: &Scored, accounts: &Accounts) -> Result<Vec<u8>> {
    let menu = menu(spec);
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Orders")?;
    fill_orders(sheet, spec, &menu, &rows(scored, accounts))?;
    let sheet = workbook.add_worksheet();
    sheet.set_name("Menu")?;
    fill_menu(sheet, spec, &menu)?;
    Ok(workbook.save_to_buffer()?)
}

fn fill_orders(sheet: &mut Worksheet, spec: &Spec, menu: &[MenuItem], rows: &[Row]) -> Result<()> {
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color("#E2E8F0")
        .set_align(FormatAlign::Top);
    let money = Format::new().set_num_format("#,##0");
    let not_available = Format::new()
        .set_font_color(Color::Gray)
        .set_background_color("#F1F5F9")
        .set_align(FormatAlign::Center);
    let tick = Format::new().set_align(FormatAlign::Center);
    for (col, name) in headers(menu).iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, name, &header)?;
    }
    let first_program = FIXED_COLUMNS.len() as u16;
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        let tier = &spec.tiers[row.tier];
        sheet.write_number(r, 0, row.rank as f64)?;
        sheet.write_string(r, 1, &tier.name)?;
        for (col, text) in [(2, &row.account_id), (3, &row.name), (4, &row.domain)] {
            if !text.is_empty() {
                sheet.write_string(r, col, text)?;
            }
        }
        if let Some(amount) = tier.per_account {
            sheet.write_number_with_format(r, 5, amount, &money)?;
        }
        for (p, item) in menu.iter().enumerate() {
            let col = first_program + p as u16;
            if entitled(spec, row.tier, &item.key) {
                sheet.insert_checkbox_with_format(r, col, false, &tick)?;
            } else {
                sheet.write_string_with_format(r, col, NOT_AVAILABLE, &not_available)?;
            }
        }
    }
    sheet.set_row_height(0, 32)?;
    sheet.set_freeze_panes(1, first_program)?;
    for (col, width) in [
        (0, 6.0),
        (1, 10.0),
        (2, 20.0),
        (3, 28.0),
        (4, 24.0),
        (5, 12.0),
    ] {
        sheet.set_column_width(col, width)?;
    }
    for p in 0..menu.len() {
        sheet.set_column_width(first_program + p as u16, 14.0)?;
    }
    Ok(())
}

/// The menu for reference: program, label, cost, and each tier's access.
fn fill_menu(sheet: &mut Worksheet, spec: &Spec, menu: &[MenuItem]) -> Result<()> {
    let header = Format::new().set_bold().set_background_color("#E2E8F0");
    let money = Format::new().set_num_format("#,##0");
    let mut headers = vec!["program".to_string(), "label".into(), "cost".into()];
    headers.extend(spec.tiers.iter().map(|t| t.name.clone()));
    for (col, name) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, name, &header)?;
    }
    for (r, item) in menu.iter().enumerate() {
        let r = r as u32 + 1;
        sheet.write_string(r, 0, &item.key)?;
        sheet.write_string(r, 1, &item.label)?;
        sheet.write_number_with_format(r, 2, item.cost, &money)?;
        for t in 0..spec.tiers.len() {
            let access = if entitled(spec, t, &item.key) {
                "yes"
            } else {
                "no"
            };
            sheet.write_string(r, 3 + t as u16, access)?;
        }
    }
    let r = menu.len() as u32 + 2;
    sheet.write_string(r, 0, "per-account entitlement")?;
    for (t, tier) in spec.tiers.iter().enumerate() {
        if let Some(amount) = tier.per_account {
            sheet.write_number_with_format(r, 3 + t as u16, amount, &money)?;
        }
    }
    sheet.set_column_width(0, 24)?;
    sheet.set_column_width(1, 32)?;
    Ok(())
}
