//! `tal init` on exports shaped like each profile it knows (fixtures/init/):
//! the written mapping exactly, then `tal check` and `tal score` on the spec
//! as written.

use std::fs;

use crate::util::*;

/// A work folder with copies of fixtures/init/ files, at the same paths.
fn project(files: &[&str]) -> Workdir {
    let work = Workdir::new();
    for file in files {
        let target = work.path().join(file);
        fs::create_dir_all(target.parent().expect("a folder")).expect("create folder");
        fs::copy(fixture("init").join(file), target).expect("copy fixture");
    }
    work
}

/// `tal init ARGS` in the folder; the written tal.toml, parsed.
fn init(work: &Workdir, args: &[&str]) -> toml::Table {
    stdout_of(work.tal().arg("init").args(args), 0);
    toml::from_str(&work.read("tal.toml")).expect("tal.toml is TOML")
}

/// What one `[inputs.NAME]` table must hold, exactly.
struct Expected<'a> {
    path: &'a str,
    key: &'a str,
    /// (encoding, delimiter, decimal, date_format) when declared.
    reading: [Option<&'a str>; 4],
    fields: &'a [(&'a str, &'a str)],
}

fn assert_input(spec: &toml::Table, name: &str, expected: Expected) {
    let mut table = toml::Table::new();
    table.insert("path".into(), expected.path.into());
    table.insert("key".into(), expected.key.into());
    let options = ["encoding", "delimiter", "decimal", "date_format"];
    for (option, value) in options.iter().zip(expected.reading) {
        if let Some(value) = value {
            table.insert(option.to_string(), value.into());
        }
    }
    let fields: toml::Table = expected
        .fields
        .iter()
        .map(|(f, c)| (f.to_string(), (*c).into()))
        .collect();
    table.insert("fields".into(), fields.into());
    assert_eq!(
        spec["inputs"][name],
        toml::Value::Table(table),
        "inputs.{name}"
    );
}

/// `tal check` and `tal score` accept the spec as written.
fn check_and_score(work: &Workdir) {
    stdout_of(work.tal().args(["check", "--as-of", "2026-11-20"]), 0);
    let tal = stdout_of(work.tal().args(["score", "--as-of", "2026-11-20"]), 0);
    assert!(tal.starts_with("rank,tier,"), "{tal}");
}

/// Every mapped value of `input` parsed (the reading options were right).
fn assert_nothing_unparseable(check_json: &str, input: &str) {
    let json: serde_json::Value = serde_json::from_str(check_json).expect("json");
    let counts = json["inputs"][input]["unparseable"]
        .as_object()
        .expect("unparseable");
    assert!(counts.values().all(|n| n == 0), "{check_json}");
}

fn strings(value: &toml::Value) -> Vec<&str> {
    value
        .as_array()
        .expect("an array")
        .iter()
        .map(|v| v.as_str().expect("a string"))
        .collect()
}

const SALESFORCE_LABELS: &[(&str, &str)] = &[
    ("account_id", "Account ID"),
    ("name", "Account Name"),
    ("industry", "Industry"),
    ("employees", "Employees"),
    ("revenue", "Annual Revenue"),
    ("country", "Billing Country"),
    ("acv", "Open Opportunity Amount"),
    ("opportunity_stage", "Opportunity Stage"),
    ("owner", "Account Owner"),
    ("is_customer", "Is Customer"),
    ("customer_since", "Customer Since"),
    ("account_type", "Type"),
];

#[test]
fn salesforce_report_with_labels() {
    let work = project(&["salesforce_labels/crm.csv"]);
    let spec = init(&work, &["--crm", "salesforce_labels/crm.csv"]);
    let reading = [None, None, None, Some("%m/%d/%Y")];
    assert_input(
        &spec,
        "crm",
        Expected {
            path: "salesforce_labels/crm.csv",
            key: "Website",
            reading,
            fields: SALESFORCE_LABELS,
        },
    );
    // The ICP is learnt from the four customers, who are then excluded.
    let criteria = spec["fit"]["criteria"].as_array().expect("criteria");
    assert_eq!(
        criteria[0]["when"].as_str(),
        Some(r#"industry in ["Software", "Financial Services", "Healthcare"]"#)
    );
    assert_eq!(spec["exclude"][0]["when"].as_str(), Some("is_customer"));
    assert_eq!(
        spec["stages"][0]["when"].as_str(),
        Some(r#"opportunity_stage in ["Negotiation", "Proposal"]"#)
    );
    assert_eq!(
        spec["export"]["crm"]["columns"]["Account ID"].as_str(),
        Some("account_id")
    );
    check_and_score(&work);
}

#[test]
fn salesforce_data_loader_api_names() {
    let work = project(&["salesforce_api/Account.csv"]);
    let spec = init(&work, &["--crm", "salesforce_api/Account.csv"]);
    let fields = [
        ("account_id", "Id"),
        ("name", "Name"),
        ("industry", "Industry"),
        ("employees", "NumberOfEmployees"),
        ("revenue", "AnnualRevenue"),
        ("country", "BillingCountry"),
        ("owner", "OwnerId"),
        ("account_type", "Type"),
    ];
    assert_input(
        &spec,
        "crm",
        Expected {
            path: "salesforce_api/Account.csv",
            key: "Website",
            reading: [None; 4],
            fields: &fields,
        },
    );
    // Customers are told by Type, as spelt in the data.
    assert_eq!(
        spec["exclude"][0]["when"].as_str(),
        Some(r#"account_type in ["Customer - Direct", "Customer - Channel"]"#)
    );
    assert_eq!(
        spec["export"]["crm"]["columns"]["ABM_Tier__c"].as_str(),
        Some("tier_code")
    );
    check_and_score(&work);
}

#[test]
fn hubspot_companies_with_labels() {
    let work = project(&["hubspot_labels/companies.csv"]);
    let spec = init(&work, &["--crm", "hubspot_labels/companies.csv"]);
    let fields = [
        ("account_id", "Record ID"),
        ("name", "Company name"),
        ("industry", "Industry"),
        ("employees", "Number of Employees"),
        ("revenue", "Annual Revenue"),
        ("country", "Country/Region"),
        ("owner", "Company owner"),
        ("lifecycle_stage", "Lifecycle Stage"),
    ];
    // "Company Domain Name" wins over "Website URL" for the key.
    assert_input(
        &spec,
        "crm",
        Expected {
            path: "hubspot_labels/companies.csv",
            key: "Company Domain Name",
            reading: [None; 4],
            fields: &fields,
        },
    );
    assert_eq!(
        spec["exclude"][0]["when"].as_str(),
        Some(r#"lifecycle_stage in ["Customer"]"#)
    );
    assert_eq!(
        spec["export"]["crm"]["columns"]["hs_ideal_customer_profile"].as_str(),
        Some("tier_code")
    );
    check_and_score(&work);
}

#[test]
fn hubspot_companies_with_internal_names() {
    let work = project(&["hubspot_internal/companies.csv"]);
    let spec = init(&work, &["--crm", "hubspot_internal/companies.csv"]);
    let fields = [
        ("account_id", "hs_object_id"),
        ("name", "name"),
        ("industry", "industry"),
        ("employees", "numberofemployees"),
        ("revenue", "annualrevenue"),
        ("country", "country"),
        ("owner", "hubspot_owner_id"),
        ("lifecycle_stage", "lifecyclestage"),
    ];
    assert_input(
        &spec,
        "crm",
        Expected {
            path: "hubspot_internal/companies.csv",
            key: "domain",
            reading: [None; 4],
            fields: &fields,
        },
    );
    check_and_score(&work);
}

#[test]
fn hubspot_windows_1252_semicolon_portuguese_decimal_comma() {
    let work = project(&["hubspot_pt_1252/empresas.csv"]);
    let spec = init(&work, &["--crm", "hubspot_pt_1252/empresas.csv"]);
    let fields = [
        ("account_id", "ID do registro"),
        ("name", "Empresa"),
        ("industry", "Setor"),
        ("employees", "Funcionários"),
        ("revenue", "Receita anual"),
        ("country", "País"),
        ("owner", "Proprietário da empresa"),
        ("lifecycle_stage", "Fase do ciclo de vida"),
    ];
    let reading = [Some("windows-1252"), Some(";"), Some(","), Some("%d/%m/%Y")];
    assert_input(
        &spec,
        "crm",
        Expected {
            path: "hubspot_pt_1252/empresas.csv",
            key: "Site",
            reading,
            fields: &fields,
        },
    );
    assert_eq!(spec["budget"]["currency"].as_str(), Some("BRL"));
    // With the decimal comma declared, `R$ 3.000.000.000,00` and `1.200` parse.
    let out = stdout_of(work.tal().args(["check", "--format", "json"]), 0);
    assert_nothing_unparseable(&out, "crm");
    check_and_score(&work);
}

#[test]
fn gbk_tab_separated_chinese_headers() {
    let work = project(&["china_gbk/crm.csv"]);
    let spec = init(&work, &["--crm", "china_gbk/crm.csv"]);
    let fields = [
        ("name", "公司名称"),
        ("industry", "行业"),
        ("employees", "员工人数"),
        ("revenue", "年收入"),
        ("country", "国家"),
        ("owner", "负责人"),
        ("is_customer", "是否客户"),
    ];
    let reading = [Some("gbk"), Some("\t"), None, None];
    assert_input(
        &spec,
        "crm",
        Expected {
            path: "china_gbk/crm.csv",
            key: "网站",
            reading,
            fields: &fields,
        },
    );
    assert_eq!(spec["budget"]["currency"].as_str(), Some("CNY"));
    check_and_score(&work);
}

#[test]
fn spanish_headers_and_customers_by_account_type() {
    let work = project(&["spanish_crm/cuentas.csv"]);
    let spec = init(&work, &["--crm", "spanish_crm/cuentas.csv"]);
    let fields = [
        ("name", "Nombre de la cuenta"),
        ("industry", "Industria"),
        ("employees", "Empleados"),
        ("revenue", "Ingresos anuales"),
        ("country", "País"),
        ("owner", "Propietario de la cuenta"),
        ("account_type", "Tipo de cuenta"),
    ];
    let reading = [None, None, Some(","), Some("%d/%m/%Y")];
    assert_input(
        &spec,
        "crm",
        Expected {
            path: "spanish_crm/cuentas.csv",
            key: "Sitio web",
            reading,
            fields: &fields,
        },
    );
    assert_eq!(
        spec["exclude"][0]["when"].as_str(),
        Some(r#"account_type in ["Cliente"]"#)
    );
    check_and_score(&work);
}

#[test]
fn bombora_company_surge_intent() {
    let work = project(&["salesforce_labels/crm.csv", "bombora/surge.csv"]);
    let spec = init(
        &work,
        &[
            "--crm",
            "salesforce_labels/crm.csv",
            "--intent",
            "bombora/surge.csv",
        ],
    );
    let fields = [
        ("topic", "Topic"),
        ("score", "Composite Score"),
        ("date", "Date"),
    ];
    assert_input(
        &spec,
        "intent",
        Expected {
            path: "bombora/surge.csv",
            key: "Domain",
            reading: [None; 4],
            fields: &fields,
        },
    );
    let topics = strings(&spec["intent"]["topics"]);
    assert_eq!(topics.len(), 5);
    assert_eq!(topics[0], "Account Based Marketing");
    assert_eq!(spec["intent"]["threshold"].as_integer(), Some(60));
    check_and_score(&work);
}

#[test]
fn demandbase_account_export() {
    let work = project(&["demandbase/accounts.csv"]);
    let spec = init(&work, &["--firmographics", "demandbase/accounts.csv"]);
    // A vendor file's ids are never written back: no account_id.
    let fields = [
        ("name", "Account Name"),
        ("industry", "Industry"),
        ("employees", "Employees"),
        ("revenue", "Annual Revenue"),
        ("country", "Country"),
        ("buying_stage", "Journey Stage"),
    ];
    assert_input(
        &spec,
        "firmographics",
        Expected {
            path: "demandbase/accounts.csv",
            key: "Domain",
            reading: [None; 4],
            fields: &fields,
        },
    );
    assert!(spec.get("export").is_none());
    check_and_score(&work);
}

#[test]
fn sixsense_account_export_with_ranges() {
    let work = project(&["sixsense/accounts.csv"]);
    let spec = init(&work, &["--firmographics", "sixsense/accounts.csv"]);
    let fields = [
        ("name", "Company Name"),
        ("industry", "Industry"),
        ("employees", "6sense Employee Range"),
        ("revenue", "6sense Revenue Range"),
        ("country", "Country"),
        ("buying_stage", "6sense Buying Stage"),
    ];
    assert_input(
        &spec,
        "firmographics",
        Expected {
            path: "sixsense/accounts.csv",
            key: "Domain",
            reading: [None; 4],
            fields: &fields,
        },
    );
    let out = stdout_of(work.tal().args(["check", "--format", "json"]), 0);
    assert_nothing_unparseable(&out, "firmographics");
    check_and_score(&work);
}

#[test]
fn marketo_activity_export_with_suggested_points() {
    let work = project(&["salesforce_labels/crm.csv", "marketo/activities.csv"]);
    let spec = init(
        &work,
        &[
            "--crm",
            "salesforce_labels/crm.csv",
            "--engagement",
            "marketo/activities.csv",
        ],
    );
    let fields = [
        ("type", "Activity Type"),
        ("date", "Activity Date"),
        ("persona", "Job Title"),
    ];
    let reading = [None, None, None, Some("%m/%d/%Y")];
    assert_input(
        &spec,
        "engagement",
        Expected {
            path: "marketo/activities.csv",
            key: "Email Address",
            reading,
            fields: &fields,
        },
    );
    let points = spec["engagement"]["points"].as_table().expect("points");
    let expected = [
        ("Meeting Booked", 25),
        ("Fill Out Form", 10),
        ("Attended Webinar", 8),
        ("Click Link in Email", 3),
        ("Visit Web Page", 1),
        ("Open Email", 1),
        ("Email Delivered", 0),
    ];
    assert_eq!(points.len(), expected.len(), "{points:?}");
    for (activity, value) in expected {
        assert_eq!(points[activity].as_integer(), Some(value), "{activity}");
    }
    assert_eq!(
        spec["engagement"]["persona_weights"]["Chief Marketing Officer"].as_float(),
        Some(2.0)
    );
    check_and_score(&work);
}

#[test]
fn eloqua_activity_export() {
    let work = project(&["salesforce_labels/crm.csv", "eloqua/activity.csv"]);
    let spec = init(
        &work,
        &[
            "--crm",
            "salesforce_labels/crm.csv",
            "--engagement",
            "eloqua/activity.csv",
        ],
    );
    let fields = [
        ("type", "Activity Type"),
        ("date", "Activity Date"),
        ("persona", "Title"),
    ];
    assert_input(
        &spec,
        "engagement",
        Expected {
            path: "eloqua/activity.csv",
            key: "Email Address",
            reading: [None; 4],
            fields: &fields,
        },
    );
    let points = spec["engagement"]["points"].as_table().expect("points");
    assert_eq!(points["FormSubmit"].as_integer(), Some(10));
    assert_eq!(points["EmailClickthrough"].as_integer(), Some(3));
    assert_eq!(points["EmailSend"].as_integer(), Some(0));
    check_and_score(&work);
}

#[test]
fn every_export_at_once() {
    let files = [
        "salesforce_labels/crm.csv",
        "sixsense/accounts.csv",
        "bombora/surge.csv",
        "marketo/activities.csv",
    ];
    let work = project(&files);
    let spec = init(
        &work,
        &[
            "--crm",
            files[0],
            "--firmographics",
            files[1],
            "--intent",
            files[2],
            "--engagement",
            files[3],
        ],
    );
    let names: Vec<&String> = spec["inputs"].as_table().expect("inputs").keys().collect();
    assert_eq!(names, ["crm", "firmographics", "intent", "engagement"]);
    check_and_score(&work);
}

#[test]
fn never_overwrites_without_force() {
    let work = project(&["salesforce_labels/crm.csv"]);
    work.write("tal.toml", "# mine\n");
    let output = work
        .tal()
        .args(["init", "--crm", "salesforce_labels/crm.csv"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr, "error: tal.toml already exists: pass --force to overwrite it, or -o to write the spec elsewhere\n");
    assert_eq!(work.read("tal.toml"), "# mine\n");
    init(&work, &["--crm", "salesforce_labels/crm.csv", "--force"]);
}

#[test]
fn paths_are_relative_to_the_spec_folder() {
    let work = project(&["salesforce_labels/crm.csv"]);
    stdout_of(
        work.tal().args([
            "init",
            "--crm",
            "salesforce_labels/crm.csv",
            "-o",
            "abm/q1/tal.toml",
        ]),
        0,
    );
    let spec: toml::Table = toml::from_str(&work.read("abm/q1/tal.toml")).expect("toml");
    assert_eq!(
        spec["inputs"]["crm"]["path"].as_str(),
        Some("../../salesforce_labels/crm.csv")
    );
    stdout_of(work.tal().args(["check", "--spec", "abm/q1/tal.toml"]), 0);
}

#[test]
fn a_folder_as_output_gets_a_tal_toml() {
    let work = project(&["salesforce_labels/crm.csv"]);
    fs::create_dir(work.path().join("abm")).expect("create folder");
    stdout_of(
        work.tal()
            .args(["init", "--crm", "salesforce_labels/crm.csv", "-o", "abm"]),
        0,
    );
    let spec: toml::Table = toml::from_str(&work.read("abm/tal.toml")).expect("toml");
    assert_eq!(
        spec["inputs"]["crm"]["path"].as_str(),
        Some("../salesforce_labels/crm.csv")
    );
}

#[test]
fn dash_writes_the_spec_to_stdout() {
    let work = project(&["salesforce_labels/crm.csv"]);
    let out = stdout_of(
        work.tal()
            .args(["init", "--crm", "salesforce_labels/crm.csv", "-o", "-"]),
        0,
    );
    let spec: toml::Table = toml::from_str(&out).expect("toml");
    assert_eq!(spec["inputs"]["crm"]["key"].as_str(), Some("Website"));
    assert!(!work.path().join("tal.toml").exists());
}

#[test]
fn says_what_it_recognised_and_what_to_run_next() {
    let work = project(&["salesforce_labels/crm.csv"]);
    let output = work
        .tal()
        .args(["init", "--crm", "salesforce_labels/crm.csv"])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.starts_with("crm ← salesforce_labels/crm.csv (Salesforce (labels); utf-8, ',', dates %m/%d/%Y; 12 rows)\n  key                Website\n"), "{stderr}");
    assert!(stderr.ends_with("wrote tal.toml: review the comments, then run\n  tal check\n  tal score --format table\n"), "{stderr}");
}

#[test]
fn an_account_file_needs_a_key_column() {
    let work = Workdir::new();
    work.write("crm.csv", "Account Name,Industry\nAcme,Software\n");
    let output = work
        .tal()
        .args(["init", "--crm", "crm.csv"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("crm.csv: found no key column (one holding domains or websites); the headers are 'Account Name', 'Industry'"), "{stderr}");
    assert!(!work.path().join("tal.toml").exists());
}

#[test]
fn an_intent_file_without_scores_is_left_out() {
    let work = project(&["salesforce_labels/crm.csv"]);
    work.write(
        "intent.csv",
        "Domain,Topic,Week Of\nhooli.com,ABM,2026-11-16\n",
    );
    let output = work
        .tal()
        .args([
            "init",
            "--crm",
            "salesforce_labels/crm.csv",
            "--intent",
            "intent.csv",
        ])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("left out intent.csv: found no score column"),
        "{stderr}"
    );
    let spec: toml::Table = toml::from_str(&work.read("tal.toml")).expect("toml");
    assert!(spec["inputs"].get("intent").is_none());
    check_and_score(&work);
}

#[test]
fn the_key_is_found_by_its_values_when_no_header_names_it() {
    let work = Workdir::new();
    work.write(
        "crm.csv",
        "Account Name,Homepage,Employees\nAcme,https://acme.com,120\nGlobex,globex.com,4000\n",
    );
    let spec = init(&work, &["--crm", "crm.csv"]);
    assert_eq!(spec["inputs"]["crm"]["key"].as_str(), Some("Homepage"));
    check_and_score(&work);
}

#[test]
fn a_header_only_export_is_mapped_by_its_headers() {
    let work = Workdir::new();
    work.write("crm.csv", "Website,Account Name,Employees\n");
    let spec = init(&work, &["--crm", "crm.csv"]);
    assert_eq!(spec["inputs"]["crm"]["key"].as_str(), Some("Website"));
    check_and_score(&work);
}

#[test]
fn an_account_file_is_required() {
    let work = Workdir::new();
    let output = work
        .tal()
        .args(["init", "--intent", "surge.csv"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn marketo_bulk_activity_extract_with_type_ids() {
    let work = project(&["salesforce_labels/crm.csv", "marketo_bulk/activities.csv"]);
    let spec = init(
        &work,
        &[
            "--crm",
            "salesforce_labels/crm.csv",
            "--engagement",
            "marketo_bulk/activities.csv",
        ],
    );
    assert_input(
        &spec,
        "engagement",
        Expected {
            path: "marketo_bulk/activities.csv",
            key: "email",
            reading: [None; 4],
            fields: &[("type", "activityTypeId"), ("date", "activityDate")],
        },
    );
    // Ids with Adobe's names as comments; what Marketo does to a lead
    // (sends, delivers, scores) earns nothing.
    let points = spec["engagement"]["points"].as_table().expect("points");
    let expected = [
        ("1", 1),
        ("2", 10),
        ("6", 0),
        ("7", 0),
        ("10", 1),
        ("11", 3),
        ("22", 0),
        ("104", 0),
    ];
    assert_eq!(points.len(), expected.len(), "{points:?}");
    for (id, value) in expected {
        assert_eq!(points[id].as_integer(), Some(value), "{id}");
    }
    let text = work.read("tal.toml");
    assert!(
        text.contains(
            "2 = 10                          # Fill Out Form: demo request or form; 2 rows"
        ),
        "{text}"
    );
    assert!(text.contains("# Email Delivered: done to the lead, not by them"));
    // The repeated header line is a reject that says what it is.
    let check = work.check_json();
    let engagement = &check["inputs"]["engagement"];
    assert_eq!(engagement["rows"]["rejected"], 1);
    assert_eq!(
        engagement["rejects"][0]["reason"],
        "the header line again (exports joined end to end?)"
    );
    check_and_score(&work);
}

#[test]
fn rd_station_conversions_export() {
    let work = project(&["salesforce_labels/crm.csv", "rd_station/conversoes.csv"]);
    let spec = init(
        &work,
        &[
            "--crm",
            "salesforce_labels/crm.csv",
            "--engagement",
            "rd_station/conversoes.csv",
        ],
    );
    assert_input(
        &spec,
        "engagement",
        Expected {
            path: "rd_station/conversoes.csv",
            key: "Email",
            reading: [None, None, None, Some("%d/%m/%Y")],
            fields: &[
                ("type", "Evento"),
                ("date", "Data do evento"),
                ("persona", "Cargo"),
            ],
        },
    );
    let points = spec["engagement"]["points"].as_table().expect("points");
    assert_eq!(points["Reunião agendada"].as_integer(), Some(25));
    assert_eq!(points["Solicitação de demonstração"].as_integer(), Some(10));
    assert_eq!(points["Download e-book ABM"].as_integer(), Some(5));
    assert!(work
        .read("tal.toml")
        .contains("(RD Station conversions export)"));
    let check = stdout_of(
        work.tal()
            .args(["check", "--as-of", "2026-11-20", "--format", "json"]),
        0,
    );
    assert_nothing_unparseable(&check, "engagement");
    check_and_score(&work);
}

/// Headers such as `_ - revenue`, `_ - workers` and `url`, and revenue in
/// words (`36.9 Million`), as a list like the Inc. 5000 writes them.
#[test]
fn company_list_with_prefixed_headers_and_number_words() {
    let work = project(&["inc_list/companies.csv"]);
    let spec = init(&work, &["--crm", "inc_list/companies.csv"]);
    assert_input(
        &spec,
        "crm",
        Expected {
            path: "inc_list/companies.csv",
            key: "url",
            reading: [None; 4],
            fields: &[
                ("name", "name"),
                ("industry", "_ - industry"),
                ("employees", "_ - workers"),
                ("revenue", "_ - revenue"),
            ],
        },
    );
    let check = stdout_of(
        work.tal()
            .args(["check", "--as-of", "2026-11-20", "--format", "json"]),
        0,
    );
    assert_nothing_unparseable(&check, "crm");
    check_and_score(&work);
}

/// `Revenue ($M)` names its unit: the field gets `scale = 1000000`, and the
/// drafted revenue floor is in dollars.
#[test]
fn a_header_that_names_its_unit_gets_a_scale() {
    let work = project(&["revenue_millions/companies.csv"]);
    let spec = init(&work, &["--crm", "revenue_millions/companies.csv"]);
    let fields = spec["inputs"]["crm"]["fields"].as_table().expect("fields");
    assert_eq!(fields["employees"].as_str(), Some("num. of employees"));
    assert_eq!(fields["industry"].as_str(), Some("sector"));
    let revenue = fields["revenue"].as_table().expect("a typed field");
    assert_eq!(revenue["column"].as_str(), Some("Revenue ($M)"));
    assert_eq!(revenue["type"].as_str(), Some("number"));
    assert_eq!(revenue["scale"].as_integer(), Some(1_000_000));
    let text = work.read("tal.toml");
    assert!(text.contains("when = \"revenue >= 1200000000\""), "{text}");
    check_and_score(&work);
    let out = stdout_of(
        work.tal()
            .args(["explain", "tyrell.com", "--as-of", "2026-11-20"]),
        0,
    );
    assert!(out.contains("revenue = 28052000000"), "{out}");
}
