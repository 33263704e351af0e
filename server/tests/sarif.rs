//! `check --format sarif` validates against the SARIF 2.1.0 schema (vendored from the OASIS
//! TC's repository, see tests/data/README.md), with rules from the catalog and results that
//! point at the findings.
use serde_json::Value;
use std::process::Command;

fn sarif(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_freebusy-lsp"))
        .args(["check", "--format", "sarif", "--fail-on", "any"])
        .args(args)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn fixtures(dir: &str) -> String {
    format!("{}/../tests/fixtures/{dir}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn sarif_of_a_folder_validates_against_the_schema() {
    let schema: Value = serde_json::from_str(include_str!("data/sarif-2.1.0.json")).unwrap();
    let validator = jsonschema::draft4::new(&schema).unwrap();
    let log = sarif(&[&fixtures("script"), &fixtures("scan/errors")]);
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The schema is strict enough to notice a wrong shape.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!validator.is_valid(&broken));

    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert!(results.len() > 20, "{} results", results.len());
    for r in results {
        let rule = &rules[r["ruleIndex"].as_u64().unwrap() as usize];
        assert_eq!(rule["id"], r["ruleId"]);
        assert!(rule["helpUri"].as_str().unwrap().starts_with("https://"));
        assert!(!rule["help"]["text"].as_str().unwrap().is_empty());
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1);
    }
    assert_eq!(run["columnKind"], "utf16CodeUnits");
}

#[test]
fn columns_are_utf16_code_units() {
    let dir = std::env::temp_dir().join(format!("freebusy-sarif-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("astral.log");
    // Two astral characters (2 UTF-16 units, 4 UTF-8 bytes each) before the error text.
    let text = "😀😀 The remote server returned an error: (401) Unauthorized.\n";
    std::fs::write(&file, text).unwrap();
    let log = sarif(&[file.to_str().unwrap()]);
    let region = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 1);
    // The finding starts at "(401)": its column counts each astral character as two units.
    let before = &text[..text.find("(401)").unwrap()];
    assert_eq!(
        region["startColumn"],
        before.encode_utf16().count() + 1,
        "{region}"
    );
    assert_ne!(region["startColumn"], before.chars().count() + 1);
    std::fs::remove_dir_all(&dir).unwrap();
}
