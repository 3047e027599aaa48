//! The assessment format: the reference assessment, JSON round trip, JSON Schema, `pia init`.

use std::path::{Path, PathBuf};
use std::process::Command;

use pia::check::{self, Options};
use pia::load;
use pia::model::*;
use pia::schema::{self, Draft};

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assessments/kanto-it-kenpo")
}

fn pia() -> Command {
    Command::new(env!("CARGO_BIN_EXE_pia"))
}

/// The built-in 令和6年10月 様式4.
fn form4() -> std::sync::Arc<pia::form::Form> {
    pia::form::Catalog::builtin().default_form()
}

fn form2() -> std::sync::Arc<pia::form::Form> {
    pia::form::Catalog::builtin()
        .find("R6.10-yoshiki2")
        .unwrap()
}

#[test]
fn reference_assessment_loads_with_concrete_values() {
    let loaded = load::load(&sample()).expect("reference assessment loads");
    let a = &loaded.assessment;
    assert_eq!(a.meta.form_version, "R6.10-yoshiki4");
    assert_eq!(a.meta.org_kind, Some(OrgKind::Gov));
    assert_eq!(a.cover.assessment_number, Some(1));
    assert_eq!(a.cover.published_on, Date::new(2025, 6, 1));
    assert_eq!(a.cover.ppc_approved_on, Date::new(2024, 1, 31));
    assert_eq!(a.basic.affairs.target_population, Some(PopAffair::Ge300k));
    assert_eq!(a.basic.systems.len(), 3);
    assert_eq!(a.basic.info_linkage.status, Some(Linkage::Yes));
    assert_eq!(a.files.len(), 1);
    let f = &a.files[0];
    assert_eq!(f.overview.file_name, "健康保険基幹情報ファイル");
    assert_eq!(f.overview.basic.subject_count, Some(PopFile::K100To1m));
    assert_eq!(f.overview.entrustment.status, Some(Entrust::Entrust));
    assert_eq!(f.overview.entrustment.count, Some(4));
    assert_eq!(f.overview.entrustment.items.len(), 4);
    assert!(
        f.overview.entrustment.items[1]
            .contractor_name
            .contains("支払基金")
    );
    assert_eq!(
        f.overview.entrustment.items[0].subcontract.status,
        Some(Subcontract::No)
    );
    assert_eq!(
        f.overview.entrustment.items[1].subcontract.status,
        Some(Subcontract::Yes)
    );
    assert_eq!(f.overview.provision.status.count("provide"), Some(25));
    assert!(f.overview.acquisition.sources.has("gov"));
    assert!(f.overview.acquisition.methods.has("network"));
    assert_eq!(f.overview.retention.period, Some(RetentionPeriod::Ge20y));
    assert!(f.attachment2.item_total() > 100);
    // Ⅲ
    assert_eq!(f.risk.acquisition.r1.adequacy, Some(Adequacy::Sufficient));
    assert!(f.risk.provision.none);
    assert!(!f.risk.network.no_acquire && !f.risk.network.no_provide);
    assert_eq!(f.risk.retention.r1.serious_incident, Some(Incident::None));
    assert_eq!(f.risk.retention.r1.nisc, Some(Nisc::NotGov));
    assert_eq!(f.risk.retention.r1.deceased_numbers, Some(Deceased::Kept));
    assert_eq!(
        f.risk.entrustment.subcontractor_assurance,
        Some(SubcontractorAssurance::Sufficient)
    );
    // Ⅳ–Ⅵ
    assert_eq!(a.other_risk.training.level, Some(Perform::Sufficient));
    assert_eq!(a.disclosure.request.fee, Some(Fee::Free));
    assert_eq!(
        a.procedure.basic_assessment.threshold_result,
        Some(ThresholdResult::Full)
    );
    assert_eq!(a.procedure.public_comment.period.days(), Some(31));
    assert!(
        a.procedure.ppc_approval.review.contains("(1)")
            || a.procedure.ppc_approval.review.contains("（1）")
            || a.procedure.ppc_approval.review.contains("(１)")
            || a.procedure.ppc_approval.review.contains("（１）")
    );
    // 別添3: every row of the seed, from 令和1年6月3日 to 令和7年5月7日.
    assert_eq!(a.changes.len(), 95);
    assert_eq!(a.changes[0].changed_on, Date::new(2019, 6, 3));
    assert_eq!(a.changes[0].item, "評価書全般");
    assert_eq!(a.changes.last().unwrap().changed_on, Date::new(2025, 5, 7));
    assert!(a.changes.iter().any(|c| c.timing == Some(Timing::Before)));
    assert!(a.changes.iter().any(|c| c.timing == Some(Timing::After)));
    // 別紙１ with all its rows.
    assert_eq!(a.attachments.len(), 1);
    assert_eq!(a.attachments[0].rows.len(), 26);
    // Items remember where they were written (split files).
    let pos = loaded
        .sources
        .locate("files[0].risk.retention.r1.serious_incident")
        .unwrap();
    assert!(pos.file.ends_with("file-kikan.toml"), "{pos:?}");
    assert!(pos.line > 1);
}

#[test]
fn json_round_trip_gives_an_equal_model() {
    let loaded = load::load(&sample()).unwrap();
    let json = serde_json::to_string(&loaded.assessment).unwrap();
    let back: Assessment = serde_json::from_str(&json).unwrap();
    assert_eq!(back, loaded.assessment);
    // And the JSON is stable (deterministic).
    assert_eq!(serde_json::to_string(&back).unwrap(), json);
}

#[test]
fn committed_schemas_are_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for form in [form4(), form2()] {
        for draft in [Draft::Draft2020, Draft::Draft07] {
            let file = format!("schema/{}", schema::file_name(&form, draft));
            let committed = std::fs::read_to_string(root.join(&file)).unwrap();
            assert!(
                committed == schema::to_string(&form, draft),
                "{file} is stale: run `cargo run -- schema --form {}{} -o {file}`",
                form.id,
                if draft == Draft::Draft07 {
                    " --draft07"
                } else {
                    ""
                }
            );
        }
    }
    // `pia schema` prints the same text.
    let out = pia().arg("schema").output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        schema::to_string(&form4(), Draft::Draft2020)
    );
}

#[test]
fn schema_titles_are_the_printed_labels() {
    let s = schema::generate(&form4(), Draft::Draft07);
    let adequacy = &s["properties"]["files"]["items"]["properties"]["risk"]["properties"]["acquisition"]
        ["properties"]["r1"]["properties"]["adequacy"];
    assert_eq!(adequacy["title"], "リスクへの対策は十分か");
    let desc = adequacy["description"].as_str().unwrap();
    assert!(
        desc.contains("Ⅲ ２．特定個人情報の入手 リスク１ リスクへの対策は十分か"),
        "{desc}"
    );
    assert!(desc.contains("2） 十分である"));
    assert!(
        adequacy["enum"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("十分である"))
    );
    assert_eq!(s["$schema"], "http://json-schema.org/draft-07/schema#");
}

/// Removes the keys of `value` (at node pattern `pattern`) that the form has no item for.
fn keep_form_items(form: &pia::form::Form, value: &mut serde_json::Value, pattern: &str) {
    match value {
        serde_json::Value::Object(map) => {
            map.retain(|k, _| {
                let p = if pattern.is_empty() {
                    k.clone()
                } else {
                    format!("{pattern}.{k}")
                };
                form.node(&p).is_some() || form.node(&format!("{p}[]")).is_some()
            });
            for (k, v) in map.iter_mut() {
                let p = if pattern.is_empty() {
                    k.clone()
                } else {
                    format!("{pattern}.{k}")
                };
                // A check-list's keys are option texts, not items.
                if form.node(&p).is_some_and(|n| n.k.is_leaf()) {
                    continue;
                }
                let p = if form.node(&format!("{p}[]")).is_some() {
                    format!("{p}[]")
                } else {
                    p
                };
                keep_form_items(form, v, &p);
            }
        }
        serde_json::Value::Array(items) => {
            for v in items {
                keep_form_items(form, v, pattern);
            }
        }
        _ => {}
    }
}

#[test]
fn reference_assessment_validates_against_the_schema() {
    let loaded = load::load(&sample()).unwrap();
    // The model as the TOML spells it (option texts).
    let mut instance = loaded.form.texts_of(&loaded.assessment);
    schema::strip_nulls(&mut instance);
    // The model is shared by the forms: keep what this form has (its schema offers nothing else).
    keep_form_items(&loaded.form, &mut instance, "");
    for draft in [Draft::Draft2020, Draft::Draft07] {
        let validator = jsonschema::validator_for(&schema::generate(&form4(), draft)).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&instance)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
}

#[test]
fn every_sample_file_starts_with_a_schema_line() {
    for entry in std::fs::read_dir(sample()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(
                text.starts_with("#:schema ../../schema/R6.10-yoshiki4.draft07.schema.json\n"),
                "{}",
                path.display()
            );
        }
    }
}

#[test]
fn init_writes_a_skeleton_that_loads_with_every_item_empty() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("new");
    let out = pia().arg("init").arg(&target).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(target.join("assessment.toml")).unwrap();
    // The schema is written once for the repository (here: the directory above), not copied
    // into each assessment, and is the committed draft-07 schema.
    assert!(text.starts_with("#:schema ../schema/R6.10-yoshiki4.draft07.schema.json\n"));
    // A new assessment starts as a 素案 (the form's `start` value of 評価書の段階).
    assert!(text.contains("\nstage = \"素案\"\n"), "{text}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("schema/R6.10-yoshiki4.draft07.schema.json"))
            .unwrap(),
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/R6.10-yoshiki4.draft07.schema.json")
        )
        .unwrap()
    );
    assert!(!target.join("assessment.schema.json").exists());
    // Comments name the items as printed.
    assert!(text.contains("# リスクへの対策は十分か"));
    assert!(text.contains("# ①事務の名称"));
    assert!(text.contains(
        "# Ⅲ　特定個人情報ファイルの取扱いプロセスにおけるリスク対策 ※（７．リスク１⑨を除く。）"
    ));
    let loaded = load::load(&target).expect("skeleton loads");
    assert_eq!(loaded.assessment.files.len(), 1);
    // Every leaf of the form that is not tool-only is written in the skeleton …
    let form = pia::form::Catalog::builtin().default_form();
    for node in form.nodes.iter().filter(|n| n.k.is_leaf() && !n.tool) {
        if node.p.starts_with("changes")
            || node.p.starts_with("pending")
            || node.p.starts_with("attachments")
            || node.p == "meta.ended_on"
        {
            continue;
        }
        let concrete = node.p.replace("[]", "[0]");
        assert!(
            loaded.sources.loc(&concrete).is_some(),
            "skeleton lacks {concrete}"
        );
    }
    // … and empty: the check reports the unanswered risks.
    let diags = check::check(&loaded, &Options::default());
    assert!(diags.iter().any(|d| d.code == "PIA-E010"
        && d.item == "Ⅲ ２．特定個人情報の入手 リスク１ リスクへの対策は十分か"));
    assert!(
        diags
            .iter()
            .any(|d| d.code == "PIA-E010" && d.item == "評価書名")
    );
    // A second init refuses to overwrite.
    let again = pia().arg("init").arg(&target).output().unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("既に存在します"));
}

/// A TOML file as editors validate it: the TOML tree as JSON, dates as strings.
fn toml_as_json(text: &str) -> serde_json::Value {
    fn conv(v: toml::Value) -> serde_json::Value {
        match v {
            toml::Value::String(s) => s.into(),
            toml::Value::Integer(i) => i.into(),
            toml::Value::Float(f) => f.into(),
            toml::Value::Boolean(b) => b.into(),
            toml::Value::Datetime(d) => d.to_string().into(),
            toml::Value::Array(a) => a.into_iter().map(conv).collect(),
            toml::Value::Table(t) => t.into_iter().map(|(k, v)| (k, conv(v))).collect(),
        }
    }
    conv(toml::Value::Table(text.parse::<toml::Table>().unwrap()))
}

/// The `pia init` skeleton and every file of both references validate against the committed
/// schemas of their form, as an editor validates them (each file on its own).
#[test]
fn skeleton_and_references_validate_as_editors_see_them() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (form, references) in [
        (form4(), &["kanto-it-kenpo", "kitakasumi-city"][..]),
        (form2(), &["sumikawa-town"][..]),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("new");
        assert!(
            pia()
                .args(["init", "--form", &form.id])
                .arg(&target)
                .output()
                .unwrap()
                .status
                .success()
        );
        let mut files = vec![target.join("assessment.toml")];
        for r in references {
            for e in std::fs::read_dir(root.join("assessments").join(r)).unwrap() {
                let p = e.unwrap().path();
                if p.extension().is_some_and(|x| x == "toml") {
                    let text = std::fs::read_to_string(&p).unwrap();
                    // Each file names its form's schema.
                    assert!(
                        text.starts_with(&format!(
                            "#:schema ../../schema/{}\n",
                            schema::file_name(&form, Draft::Draft07)
                        )),
                        "{}",
                        p.display()
                    );
                    files.push(p);
                }
            }
        }
        for draft in [Draft::Draft2020, Draft::Draft07] {
            let name = schema::file_name(&form, draft);
            let committed: serde_json::Value = serde_json::from_str(
                &std::fs::read_to_string(root.join("schema").join(&name)).unwrap(),
            )
            .unwrap();
            assert_eq!(committed, schema::generate(&form, draft));
            let validator = jsonschema::validator_for(&committed).unwrap();
            for f in &files {
                let instance = toml_as_json(&std::fs::read_to_string(f).unwrap());
                let errors: Vec<String> = validator
                    .iter_errors(&instance)
                    .map(|e| format!("{} at {}", e, e.instance_path()))
                    .collect();
                assert!(errors.is_empty(), "{} ({name}): {errors:#?}", f.display());
            }
        }
    }
    // The 基礎項目評価書's schema offers only its form's items, as its loader accepts them: no
    // 特定個人情報ファイル, no computed しきい値判断結果.
    let validator = jsonschema::validator_for(&schema::generate(&form2(), Draft::Draft07)).unwrap();
    for extra in [
        "[[files]]\n",
        "[basic_report.threshold]\nresult = \"基礎項目評価の実施が義務付けられる\"\n",
        "[procedure.public_comment]\nmain_opinions = \"なし\"\n",
    ] {
        let instance = toml_as_json(&format!(
            "[meta]\nform_version = \"R6.10-yoshiki2\"\n{extra}"
        ));
        assert!(!validator.is_valid(&instance), "{extra}");
    }
}

/// A quoted date is a date for pia as for the schema; an impossible date is refused by both.
#[test]
fn quoted_dates_are_accepted_by_pia_and_the_schema_alike() {
    let validator = jsonschema::validator_for(&schema::generate(&form4(), Draft::Draft07)).unwrap();
    for (value, ok) in [
        ("2025-06-01", true),
        ("2024-02-29", true),
        ("2025-02-29", false),
        ("2025-13-01", false),
        ("2025-6-1", false),
        ("", true),
    ] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("assessment.toml"),
            format!("[cover]\npublished_on = \"{value}\"\n"),
        )
        .unwrap();
        let loads = load::load(dir.path()).is_ok();
        let instance = serde_json::json!({ "cover": { "published_on": value } });
        assert_eq!(loads, ok, "pia on {value:?}");
        assert_eq!(validator.is_valid(&instance), ok, "schema on {value:?}");
    }
}
