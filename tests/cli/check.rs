//! `tal check` on the demo project and the fixture exports.

use crate::util::*;

#[test]
fn demo_project_rows_add_up() {
    let out = stdout_of(
        tal()
            .args([
                "check",
                "--format",
                "json",
                "--as-of",
                "2026-11-20",
                "--spec",
            ])
            .arg(root().join("examples/demo/tal.toml")),
        0,
    );
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    for (name, input) in json["inputs"].as_object().expect("inputs") {
        let rows = &input["rows"];
        let sum: u64 = [
            "used",
            "merged",
            "rejected",
            "unmatched",
            "out_of_scope",
            "free_mail",
        ]
        .iter()
        .map(|k| rows[k].as_u64().expect("count"))
        .sum();
        assert_eq!(sum, rows["read"].as_u64().expect("read"), "{name}");
    }
}
