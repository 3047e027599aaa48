//! D-30: 様式定義の※.

use crate::check::Ctx;
use crate::check::registry::rule;
use crate::form::Form;
use crate::form::Kind;

rule! {
/// ## 検査内容
/// 様式定義の※（重要な変更の対象）の印字を検査します。※のある見出しは「※」を、除外のある見出しは
/// 「※（７．リスク１⑨を除く。）」のような注記を印字し、除外される項目には※が付かないことを確かめます。
/// 様式定義を変えた場合（`--forms-dir`）に誤りを見つけるための規則です。
///
/// ## 根拠
/// 様式４の見出し「Ⅲ　特定個人情報ファイルの取扱いプロセスにおけるリスク対策　※（７．リスク１⑨を除く。）」
/// 「Ⅳ　その他のリスク対策 ※」。仕様 yoshiki4.md §D-30。
///
/// ## 例
/// 様式定義でⅢ７．リスク１⑨に除外（`x = true`）がない（PIA-E300）。
///
/// ## 直し方
/// 様式定義の `m`（※）、`x`（除外）、`ms`（見出しの注記）を様式に合わせます。
///
/// ## 確度
/// 確認済みです。
    id: "D-30",
    title: "様式定義の※の印字",
    codes: [
        "PIA-E300" Error Check Stable "様式定義の※の表示が様式と異なる",
    ],
}

/// The headings the form in use prints with their ※ (spec §A.5, §A.6).
pub fn star_headings(form: &Form) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for n in form.nodes.iter().filter(|n| n.k == Kind::Section && n.m) {
        let heading = match &n.ms {
            Some(ms) => format!("{} {ms}", n.heading()),
            None => format!("{} ※", n.heading()),
        };
        out.push((n.p.clone(), heading));
    }
    out
}

/// What the document's form prints wrongly about ※: a section marked ※ whose heading note
/// (`ms`) does not print the ※, or does not name an item the form excludes (`x`) inside it in
/// the 様式's wording 「※（７．リスク１⑨を除く。）」 (the group's number, the risk, the item's
/// number); an excluded item that is still ※.
pub fn problems(form: &Form) -> Vec<String> {
    let mut out = Vec::new();
    for section in form.nodes.iter().filter(|n| n.k == Kind::Section && n.m) {
        let heading = section.heading();
        if let Some(ms) = &section.ms
            && !ms.contains('※')
        {
            out.push(format!(
                "「{heading}」の見出しの注記「{ms}」に※がありません"
            ));
        }
        let prefix = format!("{}.", section.p);
        let excluded: Vec<_> = form
            .nodes
            .iter()
            .filter(|n| n.x && n.p.starts_with(&prefix))
            .collect();
        if excluded.is_empty()
            && let Some(ms) = section.ms.as_deref().filter(|ms| ms.contains("除く"))
        {
            out.push(format!(
                "「{heading}」の見出しの注記「{ms}」は※の対象外の項目を示していますが、様式の定義に対象外（x）の項目がありません"
            ));
        }
        for x in excluded {
            // A sub-row excluded with its row: the row itself must be excluded too.
            if let Some(pl) = &x.pl {
                let parent = crate::path::parent_pattern(&x.p);
                let row = form.children(parent).find(|n| &n.l == pl && n.pl.is_none());
                if let Some(row) = row.filter(|r| !r.x) {
                    out.push(format!(
                        "「{}」は※の対象外ですが、その行「{}」が※の対象外になっていません",
                        x.full_label(),
                        row.l
                    ));
                }
            }
            if form.is_star(&x.p.replace("[]", "[0]")) {
                out.push(format!(
                    "除外した「{}」が※の対象になっています",
                    x.full_label()
                ));
            }
            // The parts of the exclusion note: the top group's number, the risk, the item's
            // number, from the labels of the item and its ancestors.
            let mut parts: Vec<String> = Vec::new();
            let mut p = crate::path::parent_pattern(&x.p);
            while p.len() > section.p.len() {
                if let Some(g) = form.node(p) {
                    let number: String =
                        g.l.chars()
                            .take_while(|c| !c.is_whitespace() && *c != '：')
                            .collect();
                    if g.risk || g.l.contains('．') {
                        let part = if g.risk {
                            number
                        } else {
                            g.l.split_inclusive('．').next().unwrap_or("").to_string()
                        };
                        parts.insert(0, part);
                    }
                }
                p = crate::path::parent_pattern(p);
            }
            if let Some(c) = x
                .full_label()
                .chars()
                .next()
                .filter(|c| ('①'..='⑳').contains(c))
            {
                parts.push(c.to_string());
            }
            let note = section.ms.as_deref().unwrap_or("");
            let missing: Vec<&String> = parts
                .iter()
                .filter(|s| !note.contains(s.as_str()))
                .collect();
            if !note.contains("除く") || !missing.is_empty() {
                out.push(format!(
                    "「{heading}」の見出しの注記「{note}」が、※の対象外の「{}」を「{}を除く」のように示していません",
                    x.full_label(),
                    parts.concat()
                ));
            }
        }
    }
    out
}

pub fn run(ctx: &mut Ctx) {
    for problem in problems(ctx.form) {
        let origin = ctx.form.origin.clone();
        ctx.report(
            "PIA-E300",
            "meta.form_version",
            format!("様式の定義（{origin}）: {problem}"),
            "様式の定義（form.toml）の※の設定（m: ※、x: ※の対象外、ms: 見出しの注記）を様式に合わせて直してください。",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_form_prints_its_marks() {
        let form = crate::form::Catalog::builtin().default_form();
        assert_eq!(problems(&form), Vec::<String>::new());
        let headings = star_headings(&form);
        assert!(
            headings.iter().any(|(p, h)| p == "files[].risk"
                && h.ends_with("リスク対策 ※（７．リスク１⑨を除く。）"))
        );
        assert!(
            headings
                .iter()
                .any(|(p, h)| p == "other_risk" && h == "Ⅳ　その他のリスク対策 ※")
        );
    }
}
