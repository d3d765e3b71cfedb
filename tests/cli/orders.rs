//! `tal orders template` and `tal orders check`: the order sheet written,
//! ticked (by hand in csv, with openpyxl in xlsx) and checked back.

use serde_json::{json, Value};

use crate::report::{project, read_xlsx, sheet_values, BOUND};
use crate::util::*;

#[test]
fn template_lists_the_tal_with_each_tiers_menu() {
    let work = project(BOUND);
    let out = stdout_of(
        work.tal()
            .args(["orders", "template", "--as-of", "2026-11-20"]),
        0,
    );
    assert_eq!(
        out,
        "\
rank,tier,account_id,name,domain,entitlement,Executive dinner,Direct mail,LinkedIn ads
1,Tier 1,,Alpha One,a1.com,10000,,n/a,
2,Tier 1,,Alpha Two,a2.com,10000,,n/a,
3,Tier 2,,Alpha Three,a3.com,4000,n/a,,
4,Tier 2,,Beta One,b1.com,4000,n/a,,
5,Tier 3,,Beta Two,b2.com,1000,n/a,n/a,
6,Tier 3,,Beta Three,b3.com,1000,n/a,n/a,
7,Tier 3,,Beta Four,b4.com,1000,n/a,n/a,
8,Tier 3,,Gamma One,c1.com,1000,n/a,n/a,
"
    );
}

#[test]
fn orders_within_the_rules_pass() {
    let work = project(BOUND);
    work.write(
        "orders.csv",
        "rank,tier,account_id,name,domain,entitlement,Executive dinner,Direct mail,LinkedIn ads\n\
1,Tier 1,,Alpha One,a1.com,10000,x,n/a,x\n\
4,Tier 2,,Beta One,b1.com,4000,n/a,✓,\n\
8,Tier 3,,Gamma One,c1.com,1000,n/a,n/a,TRUE\n\
6,Tier 3,,Beta Three,b3.com,1000,n/a,n/a,\n",
    );
    let out = stdout_of(
        work.tal().args([
            "orders",
            "check",
            "orders.csv",
            "--as-of",
            "2026-11-20",
            "--format",
            "json",
        ]),
        0,
    );
    let result: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(result["problems"], json!([]));
    assert_eq!(result["cost"], json!(3780));
    assert_eq!(
        result["tiers"],
        json!([
            {"name": "Tier 1", "accounts": 2, "ordering": 1, "orders": 2, "cost": 3100, "entitled": 20000},
            {"name": "Tier 2", "accounts": 2, "ordering": 1, "orders": 1, "cost": 80, "entitled": 8000},
            {"name": "Tier 3", "accounts": 4, "ordering": 1, "orders": 1, "cost": 600, "entitled": 4000},
        ])
    );
    let text = stdout_of(
        work.tal()
            .args(["orders", "check", "orders.csv", "--as-of", "2026-11-20"]),
        0,
    );
    assert!(
        text.ends_with("Every order is on its tier's menu and within its entitlement.\n"),
        "{text}"
    );
}

#[test]
fn orders_that_break_the_rules_are_listed_and_exit_1() {
    let work = project(BOUND);
    work.write(
        "orders.csv",
        "rank,tier,account_id,name,domain,entitlement,Executive dinner,Direct mail,LinkedIn ads,Podcast\n\
1,Tier 1,,Alpha One,a1.com,10000,x,n/a,x,\n\
2,Tier 1,,Alpha Two,https://www.A2.com/,10000,yes,n/a,,\n\
3,Tier 2,,Alpha Three,a3.com,4000,x,,,\n\
5,Tier 3,,Beta Two,b2.com,1000,n/a,n/a,maybe,\n\
,,,,c2.com,,,,x,\n\
,,,,nobody.com,,,,x,\n\
8,Tier 3,,Gamma One,c1.com,1000,n/a,n/a,x,x\n\
4,Tier 2,,Beta One,b1.com,4000,n/a,x,x,\n\
1,Tier 1,,Alpha One,a1.com,10000,x,,,\n\
6,Tier 3,,Beta Three,b3.com,1000,x,,x,\n",
    );
    let out = stdout_of(
        work.tal().args([
            "orders",
            "check",
            "orders.csv",
            "--as-of",
            "2026-11-20",
            "--format",
            "json",
        ]),
        3,
    );
    let result: Value = serde_json::from_str(&out).expect("json");
    let problems: Vec<(Value, &str)> = result["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|p| (p["row"].clone(), p["code"].as_str().expect("code")))
        .collect();
    assert_eq!(
        problems,
        [
            (json!(4), "not_on_menu"),
            (json!(5), "not_a_tick"),
            (json!(6), "not_in_tal"),
            (json!(7), "unknown_account"),
            (json!(10), "duplicate_account"),
            (json!(11), "not_on_menu"),
            (json!(11), "over_entitlement"),
            (Value::Null, "unknown_program"),
        ]
    );
    let messages: Vec<&str> = result["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|p| p["message"].as_str().expect("message"))
        .collect();
    assert_eq!(messages[2], "c2.com is not in the TAL (Waitlist), so it is entitled to no programs: 1 order (LinkedIn ads)");
    assert_eq!(
        messages[6],
        "b3.com's orders cost $3,100, over Tier 3's per-account entitlement of $1,000 by $2,100"
    );
    assert_eq!(
        messages[7],
        "'Podcast' is not a program in [programs], yet it is ticked on row 8"
    );
    let tiers: Vec<(u64, u64, f64)> = result["tiers"]
        .as_array()
        .expect("tiers")
        .iter()
        .map(|t| {
            (
                t["ordering"].as_u64().expect("n"),
                t["orders"].as_u64().expect("n"),
                t["cost"].as_f64().expect("cost"),
            )
        })
        .collect();
    assert_eq!(tiers, [(2, 4, 8100.0), (2, 3, 3180.0), (2, 3, 3700.0)]);
    assert_eq!(result["cost"], json!(14980));

    let output = work
        .tal()
        .args(["orders", "check", "orders.csv", "--as-of", "2026-11-20"])
        .output()
        .expect("tal runs");
    // Orders that break the rules have their own exit status, not a crash's.
    assert_eq!(output.status.code(), Some(3));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("ORDERS THAT BREAK THE RULES (8)\nrow 4: a3.com is in Tier 2, whose menu has no 'Executive dinner' [not_on_menu]\n"), "{text}");
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "tal: 8 order problems in orders.csv\n"
    );
}

/// The xlsx template has real checkboxes where the tier is entitled and n/a
/// elsewhere; ticks set by another program are read back.
#[test]
fn xlsx_order_sheet_round_trips() {
    let work = project(BOUND);
    stdout_of(
        work.tal().args([
            "orders",
            "template",
            "--as-of",
            "2026-11-20",
            "--format",
            "xlsx",
            "-o",
            "orders.xlsx",
        ]),
        0,
    );
    let Some(book) = read_xlsx(&work.path().join("orders.xlsx")) else {
        return;
    };
    let orders = sheet_values(&book, "Orders");
    assert_eq!(
        orders[0],
        [
            "rank",
            "tier",
            "account_id",
            "name",
            "domain",
            "entitlement",
            "Executive dinner",
            "Direct mail",
            "LinkedIn ads"
        ]
        .map(|h| json!(h))
    );
    assert_eq!(
        orders[1],
        [
            json!(1),
            json!("Tier 1"),
            Value::Null,
            json!("Alpha One"),
            json!("a1.com"),
            json!(10000),
            json!(false),
            json!("n/a"),
            json!(false)
        ]
    );
    assert_eq!(orders[3][6..], [json!("n/a"), json!(false), json!(false)]);
    assert_eq!(orders.len(), 9);
    let menu = sheet_values(&book, "Menu");
    assert_eq!(
        menu[1][..6],
        [
            json!("exec_dinner"),
            json!("Executive dinner"),
            json!(2500),
            json!("yes"),
            json!("no"),
            json!("no")
        ]
    );

    let tick = "import sys, openpyxl\n\
wb = openpyxl.load_workbook(sys.argv[1])\n\
ws = wb['Orders']\n\
ws['G2'] = True\n\
ws['G4'] = True\n\
ws['I9'] = 'x'\n\
wb.save(sys.argv[2])\n";
    let status = std::process::Command::new("python3")
        .arg("-c")
        .arg(tick)
        .arg(work.path().join("orders.xlsx"))
        .arg(work.path().join("ticked.xlsx"))
        .status()
        .expect("python3 runs");
    assert!(status.success());
    let out = stdout_of(
        work.tal().args([
            "orders",
            "check",
            "ticked.xlsx",
            "--as-of",
            "2026-11-20",
            "--format",
            "json",
        ]),
        3,
    );
    let result: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(
        result["problems"],
        json!([{"row": 4, "code": "not_on_menu", "message": "a3.com is in Tier 2, whose menu has no 'Executive dinner'"}])
    );
    let accounts: Vec<(&str, Value)> = result["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .map(|a| (a["domain"].as_str().expect("domain"), a["programs"].clone()))
        .collect();
    assert_eq!(
        accounts,
        [
            ("a1.com", json!(["exec_dinner"])),
            ("a3.com", json!(["exec_dinner"])),
            ("c1.com", json!(["ads"]))
        ]
    );
}

#[test]
fn xlsx_template_needs_a_file() {
    let work = project(BOUND);
    let output = work
        .tal()
        .args(["orders", "template", "--format", "xlsx"])
        .output()
        .expect("tal runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("name the file with -o FILE.xlsx"));
}
