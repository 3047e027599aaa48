//! The rule registry: every code `pia` emits is registered with its rule's Japanese explanation,
//! `pia check --explain` prints it, and the docs' code table is generated from it.

mod support;

use std::collections::BTreeSet;
use std::process::Command;

use pia::check::registry::{self, SECTIONS};

/// Every `"PIA-…"` literal in the sources.
fn emitted_codes() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![support::root().join("src")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                // Code only: explanations in doc comments may show codes as examples.
                let text: String = std::fs::read_to_string(&p)
                    .unwrap()
                    .lines()
                    .filter(|l| !l.trim_start().starts_with("//"))
                    .collect::<Vec<_>>()
                    .join("\n");
                for (pos, _) in text.match_indices("\"PIA-") {
                    let code = &text[pos + 1..pos + 9];
                    if code[5..].chars().all(|c| c.is_ascii_digit()) {
                        out.insert(code.to_string());
                    }
                }
            }
        }
    }
    out
}

#[test]
fn every_emitted_code_is_registered() {
    let missing: Vec<String> = emitted_codes()
        .into_iter()
        .filter(|c| registry::lookup(c).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "codes used in src/ but not registered: {missing:?}"
    );
}

#[test]
fn codes_are_unique_and_levels_match_their_letter() {
    let mut seen = BTreeSet::new();
    for (_, c) in registry::codes() {
        assert!(seen.insert(c.code), "{} registered twice", c.code);
        let letter = &c.code[4..5];
        let level = match c.level {
            pia::diag::Severity::Error => ["E", "L"].contains(&letter),
            pia::diag::Severity::Warning => letter == "W",
        };
        assert!(level, "{} has level {:?}", c.code, c.level);
    }
}

#[test]
fn every_rule_explains_itself_in_the_fixed_sections() {
    for rule in registry::rules() {
        let doc = registry::doc_text(rule.doc);
        let mut at = 0;
        for s in SECTIONS {
            let heading = format!("## {s}\n");
            let pos = doc[at..]
                .find(&heading)
                .unwrap_or_else(|| panic!("{}: no section {s} (in order)", rule.id));
            at += pos + heading.len();
            let body = doc[at..].split("\n## ").next().unwrap().trim();
            assert!(!body.is_empty(), "{}: section {s} is empty", rule.id);
        }
        assert!(!rule.codes.is_empty(), "{}: no codes", rule.id);
    }
}

#[test]
fn explain_prints_every_code() {
    for (rule, c) in registry::codes() {
        let out = Command::new(env!("CARGO_BIN_EXE_pia"))
            .args(["check", "--explain", c.code])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", c.code);
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.starts_with(&format!("{}: {}", c.code, c.title)),
            "{text}"
        );
        assert!(
            text.contains(rule.title) && text.contains("## 直し方"),
            "{text}"
        );
    }
    let out = Command::new(env!("CARGO_BIN_EXE_pia"))
        .args(["check", "--explain", "PIA-E999"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("PIA-E999") && err.contains("登録されていません"),
        "{err}"
    );
}

#[test]
fn docs_code_table_is_generated_from_the_registry() {
    let docs = std::fs::read_to_string(support::root().join("docs/check-json.md")).unwrap();
    let table = registry::markdown_table();
    assert!(
        docs.contains(&table),
        "docs/check-json.md is stale: replace its code table with the output of \
         `pia check --list-codes`:\n{table}"
    );
}

/// A rule declares the items it reads; on the 全項目評価書 form every one of them exists, so no rule
/// is switched off there by a misspelt item, and the 基礎項目評価書 form leaves out exactly the
/// rules about what it does not have.
#[test]
fn rules_read_items_of_the_forms() {
    let catalog = pia::form::Catalog::builtin();
    let full = catalog.find("R6.10-yoshiki4").unwrap();
    let basic = catalog.find("R6.10-yoshiki2").unwrap();
    for rule in pia::check::registry::rules() {
        for item in rule.reads {
            assert!(
                full.node(item).is_some(),
                "{}: reads {item}, which the 様式4 form does not have",
                rule.id
            );
        }
        assert!(rule.applies_to(&full), "{}", rule.id);
    }
    let skipped: Vec<&str> = pia::check::registry::rules()
        .iter()
        .filter(|r| !r.applies_to(&basic))
        .map(|r| r.id)
        .collect();
    assert_eq!(
        skipped,
        [
            "D-3", "D-4", "D-5", "D-6", "D-7", "D-8", "D-9", "D-10", "D-11", "D-12", "D-13",
            "D-14", "D-15", "D-16", "D-17", "D-18", "D-19", "D-20", "別添1", "段階"
        ]
    );
}
