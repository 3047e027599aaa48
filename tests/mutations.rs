//! The mutation suite: single-defect edits of the reference assessments (`tests/mutations.toml`),
//! each expected to produce exactly its code (plus any listed companions) at the expected item.
//! One test runs them all and prints `caught N of M`; a mutation the checker misses fails the
//! suite unless the table lists it as missed with the reason.

mod support;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use pia::check::{Options, check};
use pia::diag::Diagnostic;
use pia::model::Date;
use serde::Deserialize;
use support::Copy;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    mutation: Vec<Mutation>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Mutation {
    name: String,
    /// The spec rule it exercises (「D-7」) or the loader error class (「L002」).
    rule: String,
    /// `assessments/<reference>`.
    reference: String,
    #[serde(default)]
    edit: Vec<Edit>,
    /// Edits of the FORM (`form.toml` of a copy of the built-in 様式4, under another id that the
    /// assessment then names): mutations of the 様式 itself (D-30).
    #[serde(default)]
    form_edit: Vec<Edit>,
    /// The code the defect must produce.
    expect: String,
    /// The item as printed (one finding with `expect` must name it).
    #[serde(default)]
    item: Option<String>,
    /// The TOML path of that finding.
    #[serde(default)]
    path: Option<String>,
    /// Other codes the same defect legitimately produces.
    #[serde(default)]
    also: Vec<String>,
    /// 「today」 for the date rules (default 2026-12-01).
    #[serde(default)]
    today: Option<String>,
    /// Compare with the unmutated reference as the previous revision (`check --since`).
    #[serde(default)]
    since: bool,
    /// Known miss and why (the mutation then must NOT be caught: a stale listing fails).
    #[serde(default)]
    missed: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Edit {
    file: String,
    #[serde(default)]
    find: String,
    #[serde(default)]
    replace: String,
    /// 0-based occurrence of `find`.
    #[serde(default)]
    nth: usize,
    /// Text appended to the file (instead of find/replace).
    #[serde(default)]
    append: Option<String>,
    /// `key = ` text whose whole value (one-line, or a multi-line string) becomes `value`.
    #[serde(default)]
    key: String,
    #[serde(default)]
    value: String,
}

/// Replaces the value after the `nth` occurrence of `key` (one line, or a `"""` string).
fn set_value(text: &str, key: &str, value: &str, nth: usize) -> String {
    let at = text
        .match_indices(key)
        .nth(nth)
        .unwrap_or_else(|| panic!("no occurrence {nth} of {key:?}"))
        .0
        + key.len();
    let end = if text[at..].starts_with("\"\"\"") {
        at + 3 + text[at + 3..].find("\"\"\"").expect("closing quotes") + 3
    } else {
        at + text[at..].find('\n').unwrap_or(text.len() - at)
    };
    let mut out = text.to_string();
    out.replace_range(at..end, value);
    out
}

fn table() -> Table {
    let text = std::fs::read_to_string(support::root().join("tests/mutations.toml")).unwrap();
    toml::from_str(&text).unwrap_or_else(|e| panic!("tests/mutations.toml: {e}"))
}

fn options(today: Option<&str>) -> Options {
    let today: Date = today.unwrap_or("2026-12-01").parse().unwrap();
    Options {
        strict: false,
        today: Some(today),
        ..Default::default()
    }
}

/// Findings of one directory: the loader's errors, or the checker's diagnostics (and the
/// two-revision rules against `old` when given).
fn findings(
    dir: &std::path::Path,
    opts: &Options,
    old: Option<&pia::load::Loaded>,
) -> Vec<Diagnostic> {
    findings_in(dir, opts, old, &pia::form::Catalog::builtin())
}

fn findings_in(
    dir: &std::path::Path,
    opts: &Options,
    old: Option<&pia::load::Loaded>,
    catalog: &pia::form::Catalog,
) -> Vec<Diagnostic> {
    match pia::load::load_in(dir, catalog) {
        Err(e) => e.diagnostics,
        Ok(new) => {
            let mut out = check(&new, opts);
            if let Some(old) = old {
                out.extend(pia::check::since::check(old, &new, "base"));
            }
            out
        }
    }
}

type Key = (String, String);

fn keys(diags: &[Diagnostic]) -> BTreeMap<Key, usize> {
    let mut m = BTreeMap::new();
    for d in diags {
        *m.entry((d.code.to_string(), d.path.clone())).or_default() += 1;
    }
    m
}

/// Outcome of one mutation.
enum Outcome {
    Caught,
    /// Not caught: what was found instead.
    Missed(String),
}

/// The id of the copied form that form mutations edit.
const MUTATED_FORM: &str = "MUTATED-yoshiki4";

/// A forms directory with the built-in 様式4 under [`MUTATED_FORM`], `edits` applied.
fn mutated_forms(edits: &[Edit]) -> (tempfile::TempDir, pia::form::Catalog) {
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("mutated");
    support::copy_dir(&support::root().join("forms/r6-10-yoshiki4"), &folder);
    let p = folder.join("form.toml");
    let mut text = std::fs::read_to_string(&p).unwrap().replacen(
        "id = \"R6.10-yoshiki4\"",
        &format!("id = \"{MUTATED_FORM}\""),
        1,
    );
    for e in edits {
        let at = text
            .match_indices(&e.find)
            .nth(e.nth)
            .unwrap_or_else(|| panic!("form.toml: no occurrence {} of {:?}", e.nth, e.find))
            .0;
        text.replace_range(at..at + e.find.len(), &e.replace);
    }
    std::fs::write(&p, text).unwrap();
    let catalog = pia::form::Catalog {
        dirs: vec![tmp.path().to_path_buf()],
    };
    (tmp, catalog)
}

/// A mutation of the form: the reference under the copied form, before and after the edits.
fn run_form_mutation(m: &Mutation) -> (BTreeMap<Key, usize>, Vec<Diagnostic>) {
    let opts = options(m.today.as_deref());
    let copy = Copy::of(&m.reference);
    copy.replace(
        "assessment.toml",
        "form_version = \"R6.10-yoshiki4\"",
        &format!("form_version = \"{MUTATED_FORM}\""),
    );
    let (_a, plain) = mutated_forms(&[]);
    let base = keys(&findings_in(&copy.dir, &opts, None, &plain));
    let (_b, edited) = mutated_forms(&m.form_edit);
    (base, findings_in(&copy.dir, &opts, None, &edited))
}

fn run(
    m: &Mutation,
    baselines: &mut HashMap<(String, String, bool), BTreeMap<Key, usize>>,
) -> Outcome {
    if !m.form_edit.is_empty() {
        let (base, diags) = run_form_mutation(m);
        return judge(m, &base, &diags);
    }
    let opts = options(m.today.as_deref());
    let reference = support::reference(&m.reference);
    let old = m
        .since
        .then(|| pia::load::load(&reference).expect("reference loads"));
    let base = baselines
        .entry((
            m.reference.clone(),
            m.today.clone().unwrap_or_default(),
            m.since,
        ))
        .or_insert_with(|| keys(&findings(&reference, &opts, old.as_ref())))
        .clone();
    let copy = Copy::of(&m.reference);
    assert!(!m.edit.is_empty(), "{}: no edit", m.name);
    // A valid 個人番号 is computed, never written in the table.
    let fill = |s: &str| s.replace("{MYNUMBER}", &support::my_number("12345678901"));
    for e in &m.edit {
        let (append, replace, value) = (
            e.append.as_deref().map(fill),
            fill(&e.replace),
            fill(&e.value),
        );
        match &append {
            Some(text) => {
                let mut t = copy.read(&e.file);
                t.push_str(text);
                copy.write(&e.file, &t);
            }
            None if !e.key.is_empty() => {
                let t = set_value(&copy.read(&e.file), &e.key, &value, e.nth);
                copy.write(&e.file, &t);
            }
            None => copy.replace_nth(&e.file, &e.find, &replace, e.nth),
        }
    }
    let diags = findings(&copy.dir, &opts, old.as_ref());
    judge(m, &base, &diags)
}

/// Whether the findings new against `base` are the expected one(s).
fn judge(m: &Mutation, base: &BTreeMap<Key, usize>, diags: &[Diagnostic]) -> Outcome {
    let mut new: Vec<&Diagnostic> = Vec::new();
    let mut seen = base.clone();
    for d in diags {
        let k = (d.code.to_string(), d.path.clone());
        match seen.get_mut(&k) {
            Some(n) if *n > 0 => *n -= 1,
            _ => new.push(d),
        }
    }
    let describe = |ds: &[&Diagnostic]| {
        ds.iter()
            .map(|d| format!("{} {} 「{}」", d.code, d.path, d.item))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let hit = new.iter().any(|d| {
        d.code == m.expect
            && m.item.as_ref().is_none_or(|i| &d.item == i)
            && m.path.as_ref().is_none_or(|p| &d.path == p)
    });
    let allowed: BTreeSet<&str> = std::iter::once(m.expect.as_str())
        .chain(m.also.iter().map(String::as_str))
        .collect();
    let stray: Vec<&Diagnostic> = new
        .iter()
        .copied()
        .filter(|d| !allowed.contains(d.code))
        .collect();
    if std::env::var_os("PIA_MUTATION_DUMP").is_some()
        && let Some(d) = new.iter().find(|d| d.code == m.expect)
    {
        println!("DUMP\t{}\t{}\t{}", m.name, d.path, d.item);
    }
    if hit && stray.is_empty() {
        Outcome::Caught
    } else if hit {
        Outcome::Missed(format!(
            "expected code found, but also: {}",
            describe(&stray)
        ))
    } else if new.is_empty() {
        Outcome::Missed("nothing new was reported".into())
    } else {
        Outcome::Missed(format!("found instead: {}", describe(&new)))
    }
}

#[test]
fn mutation_suite() {
    let t = table();
    let mut baselines = HashMap::new();
    let mut caught = 0;
    let mut listed_misses = Vec::new();
    let mut failures = Vec::new();
    let mut names = BTreeSet::new();
    for m in &t.mutation {
        assert!(
            names.insert(m.name.clone()),
            "duplicate mutation name {}",
            m.name
        );
        match (run(m, &mut baselines), &m.missed) {
            (Outcome::Caught, None) => caught += 1,
            (Outcome::Caught, Some(_)) => failures.push(format!(
                "{}: listed as missed but now caught — remove `missed`",
                m.name
            )),
            (Outcome::Missed(_), Some(reason)) => {
                listed_misses.push(format!("{} ({}): {reason}", m.name, m.expect))
            }
            (Outcome::Missed(why), None) => {
                failures.push(format!("{} ({} {}): {why}", m.name, m.rule, m.expect))
            }
        }
    }
    let total = t.mutation.len();
    println!("caught {caught} of {total}");
    for l in &listed_misses {
        println!("  missed by design: {l}");
    }
    assert!(
        failures.is_empty(),
        "mutations not caught:\n{}",
        failures.join("\n")
    );
    assert!(
        total >= 80,
        "the suite has {total} mutations (at least 80 wanted)"
    );
    assert!(
        caught * 100 >= total * 95,
        "caught {caught} of {total} (< 95 %)"
    );
}

/// Every rule D-1 … D-30 and every loader error class has at least one mutation, on both
/// references where the rule applies to both kinds of body.
#[test]
fn mutations_cover_every_rule_and_loader_error() {
    let t = table();
    let rules: BTreeSet<&str> = t.mutation.iter().map(|m| m.rule.as_str()).collect();
    let mut missing = Vec::new();
    for n in 1..=30 {
        let r = format!("D-{n}");
        if !rules.contains(r.as_str()) {
            missing.push(r);
        }
    }
    for l in [
        "L001", "L002", "L003", "L004", "L005", "L006", "L007", "L011", "基礎",
    ] {
        if !rules.contains(l) {
            missing.push(l.to_string());
        }
    }
    assert!(missing.is_empty(), "no mutation for {missing:?}");
    let refs: BTreeSet<&str> = t.mutation.iter().map(|m| m.reference.as_str()).collect();
    assert!(
        refs.contains(support::KANTO)
            && refs.contains(support::CITY)
            && refs.contains(support::TOWN),
        "{refs:?}"
    );
}
