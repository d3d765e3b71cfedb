//! Inputs saved as Excel workbooks: a CRM export copied into an `.xlsx` the
//! way a spreadsheet would hold it (typed numbers, dates and bools, a
//! report title and filters above the headers, grand totals below) gives
//! the same TAL as the CSV; `tal check` names the sheet and the header row,
//! rejects carry sheet rows; `tal init` maps a workbook like a CSV.

use std::path::Path;

use crate::util::*;

/// Writes `csv` as the first sheet of `xlsx` with openpyxl (an independent
/// writer): plain numbers, ISO and m/d/Y dates and true/false typed as a
/// spreadsheet types them, `title` rows above the headers and a Salesforce
/// report's footer below when `footer`. A second sheet follows when
/// `second_sheet`.
fn csv_to_xlsx(csv: &Path, xlsx: &Path, title: &[&str], footer: bool, second_sheet: bool) {
    const SCRIPT: &str = r#"
import csv, datetime, json, re, sys
import openpyxl
src, dst, title, footer, second = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4] == "1", sys.argv[5] == "1"
def typed(cell):
    if re.fullmatch(r"-?(0|[1-9][0-9]*)", cell):
        return int(cell)
    if re.fullmatch(r"-?(0|[1-9][0-9]*)\.[0-9]+", cell):
        return float(cell)
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", cell):
        try:
            return datetime.date.fromisoformat(cell)
        except ValueError:
            return cell
    m = re.fullmatch(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})", cell)
    if m:
        try:
            return datetime.date(int(m[3]), int(m[1]), int(m[2]))
        except ValueError:
            return cell
    if cell.lower() in ("true", "false"):
        return cell.lower() == "true"
    return cell if cell != "" else None
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Accounts"
for line in title:
    ws.append([line])
with open(src, encoding="utf-8-sig", newline="") as f:
    rows = list(csv.reader(f))
ws.append(rows[0])
for row in rows[1:]:
    ws.append([typed(c) for c in row])
if footer:
    ws.append([])
    ws.append(["Grand Totals (%d records)" % (len(rows) - 1)])
    ws.append([])
    ws.append(["Confidential Information - Do Not Distribute"])
    ws.append(["Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."])
if second:
    wb.create_sheet("Notes").append(["exported from the CRM"])
wb.save(dst)
"#;
    let title = serde_json::to_string(title).expect("json");
    let output = std::process::Command::new("python3")
        .arg("-c")
        .arg(SCRIPT)
        .arg(csv)
        .arg(xlsx)
        .arg(title)
        .arg(if footer { "1" } else { "0" })
        .arg(if second_sheet { "1" } else { "0" })
        .output();
    match output {
        Ok(output) if output.status.success() => {}
        Ok(output) => panic!(
            "openpyxl could not write {}: {}",
            xlsx.display(),
            String::from_utf8_lossy(&output.stderr)
        ),
        Err(_) => panic!("python3 with openpyxl is needed to write the test workbooks"),
    }
}

/// The demo project with its CRM export as a Salesforce formatted report.
fn demo_with_xlsx_crm() -> Workdir {
    let work = Workdir::new();
    copy_dir(&root().join("examples/demo"), work.path());
    csv_to_xlsx(
        &work.path().join("crm.csv"),
        &work.path().join("crm.xlsx"),
        &[
            "Accounts with owner and pipeline",
            "Filtered By: Account Owner not equal to (blank)",
            "",
        ],
        true,
        false,
    );
    let spec = (work.read("tal.toml")).replace("path = \"crm.csv\"", "path = \"crm.xlsx\"");
    work.write("tal.toml", spec);
    work
}

#[test]
fn an_xlsx_copy_of_the_crm_export_gives_the_same_tal() {
    let csv = Workdir::new();
    copy_dir(&root().join("examples/demo"), csv.path());
    let xlsx = demo_with_xlsx_crm();
    assert_eq!(xlsx.score(&["--all"]), csv.score(&["--all"]));

    // Title and filter rows above, totals and notices below: not data.
    let check = xlsx.check_json();
    let crm = &check["inputs"]["crm"];
    assert_eq!(
        crm["sheet"],
        serde_json::json!({"name": "Accounts", "header_row": 4, "footer_rows": 5})
    );
    assert_eq!(crm["encoding"], "xlsx");
    let from_csv = csv.check_json();
    assert_eq!(crm["rows"], from_csv["inputs"]["crm"]["rows"]);
    // Rejects are numbered as the sheet numbers its rows: 3 rows lower.
    let line = |report: &serde_json::Value| report["rejects"][0]["line"].as_u64().expect("a line");
    assert_eq!(line(crm), line(&from_csv["inputs"]["crm"]) + 3);
    let text = stdout_of(&mut xlsx.cmd(&["check"]), 0);
    assert!(
        text.contains("sheet 'Accounts', headers on row 4; 5 summary rows at the end left out"),
        "{text}"
    );
}

#[test]
fn a_sheet_is_chosen_by_name() {
    let work = demo_with_xlsx_crm();
    csv_to_xlsx(
        &work.path().join("crm.csv"),
        &work.path().join("crm.xlsx"),
        &[],
        false,
        true,
    );
    let spec = work.read("tal.toml");
    work.write(
        "tal.toml",
        spec.replace(
            "path = \"crm.xlsx\"",
            "path = \"crm.xlsx\"\nsheet = \"Notes\"",
        ),
    );
    // The Notes sheet has no Website column: the error lists what it has.
    let stderr = stderr_of(&mut work.cmd(&["check"]), 1);
    assert!(stderr.contains("'exported from the CRM'"), "{stderr}");
    work.write(
        "tal.toml",
        spec.replace(
            "path = \"crm.xlsx\"",
            "path = \"crm.xlsx\"\nsheet = \"Nope\"",
        ),
    );
    let stderr = stderr_of(&mut work.cmd(&["check"]), 1);
    assert!(
        stderr.contains("no sheet named 'Nope'; the workbook's sheets are 'Accounts', 'Notes'"),
        "{stderr}"
    );
    work.write(
        "tal.toml",
        spec.replace(
            "path = \"crm.xlsx\"",
            "path = \"crm.xlsx\"\nsheet = \"accounts\"",
        ),
    );
    stdout_of(&mut work.cmd(&["check"]), 0);
}

#[test]
fn reading_options_that_do_not_apply_are_spec_errors() {
    let work = demo_with_xlsx_crm();
    let spec = work.read("tal.toml");
    work.write(
        "tal.toml",
        spec.replace(
            "path = \"crm.xlsx\"",
            "path = \"crm.xlsx\"\ndelimiter = \";\"",
        ),
    );
    let stderr = stderr_of(&mut work.cmd(&["check"]), 1);
    assert!(
        stderr.contains("inputs.crm.delimiter: `delimiter` does not apply to an Excel workbook (path = \"crm.xlsx\"): remove it"),
        "{stderr}"
    );
    work.write(
        "tal.toml",
        spec.replace(
            "path = \"crm.xlsx\"",
            "path = \"crm.csv\"\nsheet = \"Accounts\"",
        ),
    );
    let stderr = stderr_of(&mut work.cmd(&["check"]), 1);
    assert!(stderr.contains("inputs.crm.sheet: `sheet` names a sheet of an Excel workbook, and \"crm.csv\" is not an .xlsx file: remove it"), "{stderr}");
}

#[test]
fn init_maps_a_workbook_like_its_csv() {
    let work = demo_with_xlsx_crm();
    std::fs::remove_file(work.path().join("tal.toml")).expect("remove the spec");
    stdout_of(
        work.tal()
            .args(["init", "--crm", "crm.xlsx", "--intent", "intent.csv"]),
        0,
    );
    let spec: toml::Table = toml::from_str(&work.read("tal.toml")).expect("TOML");
    let crm = &spec["inputs"]["crm"];
    assert_eq!(crm["path"].as_str(), Some("crm.xlsx"));
    assert_eq!(crm["key"].as_str(), Some("Website"));
    assert!(crm.get("sheet").is_none(), "one sheet: no need to name it");
    let fields = crm["fields"].as_table().expect("fields");
    assert_eq!(fields["employees"].as_str(), Some("Employees"));
    assert_eq!(fields["revenue"].as_str(), Some("Annual Revenue"));
    assert_eq!(fields["is_customer"].as_str(), Some("Is Customer"));
    stdout_of(work.tal().args(["check", "--as-of", AS_OF]), 0);
    let tal = stdout_of(work.tal().args(["score", "--as-of", AS_OF]), 0);
    assert!(tal.starts_with("rank,tier,"), "{tal}");
}
