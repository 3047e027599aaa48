//! D-1 (every item answered) and D-2 (check-lists with their （　） text), generic over the form
//! definition: every leaf of the form must hold a value unless it is optional or a conditional
//! rule makes it absent ([`exempt`]).

use serde_json::Value;

use super::{Ctx, is_filled, lookup, placeholder};
use crate::form::{Kind, Node, join_key};
use crate::model::*;

pub fn run(ctx: &mut Ctx) {
    let nodes: Vec<&Node> = ctx
        .form
        .nodes
        .iter()
        .filter(|n| n.k.is_leaf() && !n.tool)
        .collect();
    for node in nodes {
        for path in expand(&ctx.json, &node.p) {
            let value = lookup(&ctx.json, &path).cloned();
            let filled = is_filled(value.as_ref());
            if !filled {
                let required = ctx.form.required_by_sibling(node, &path, |p| {
                    lookup(&ctx.json, p).and_then(Value::as_str)
                });
                if !required || exempt(ctx.a, &path) || node.k == Kind::Check {
                    continue;
                }
                if node.opt {
                    if node.advised {
                        let item = ctx.item(&path);
                        ctx.warning(
                            "PIA-W013",
                            &path,
                            format!("「{item}」が空欄です"),
                            "様式はこの項目の記載を求めています。該当がなければ「なし」と書きます。空欄が認められるかは記載要領で確認できていない（UNVERIFIED）ため、警告としています。",
                        );
                    }
                    continue;
                }
                let item = ctx.item(&path);
                let (what, help) = missing_help(ctx, node);
                if refers_to_attachment(ctx, &path) {
                    ctx.warning(
                        "PIA-W012",
                        &path,
                        format!("「{item}」が{what}です（別紙を参照する集約した提供先・移転先）"),
                        format!("{help}集約した提供先の記載方法は記載要領で確認できていない（UNVERIFIED）ため、警告としています。"),
                    );
                } else {
                    ctx.error("PIA-E010", &path, format!("「{item}」が{what}です"), help);
                }
                continue;
            }
            if let Some(Value::String(s)) = &value
                && let Some(word) = placeholder(s)
            {
                let item = ctx.item(&path);
                ctx.error(
                    "PIA-E011",
                    &path,
                    format!("「{item}」に仮の記載（{word}）が残っています"),
                    "公表する評価書です。確定した内容に書き換えてください。",
                );
            }
            if node.k == Kind::Checks {
                check_list_texts(ctx, node, &path, value.as_ref());
            }
        }
    }
}

fn missing_help(ctx: &Ctx, node: &Node) -> (&'static str, String) {
    match node.k {
        Kind::Choice => {
            let set = ctx.form.options_of(node);
            let close = crate::load::node_numbering(ctx.form, &node.p.replace("[]", "[0]"));
            (
                "未回答",
                set.map(|s| {
                    format!(
                        "選択肢から一つ選んで書きます: {}",
                        crate::load::numbered(s, close)
                    )
                })
                .unwrap_or_default(),
            )
        }
        Kind::Checks => (
            "未回答",
            "該当する選択肢を一つ以上チェックしてください。".to_string(),
        ),
        Kind::Date | Kind::Period => (
            "未記入",
            node.n
                .clone()
                .unwrap_or_else(|| "日付を YYYY-MM-DD で書きます。".into()),
        ),
        _ => (
            "未記入",
            node.n.clone().unwrap_or_else(|| {
                "該当がない場合も空欄にせず、その旨（例:「なし」）を記載してください。".into()
            }),
        ),
    }
}

/// D-2: checked 「（　）」 options carry their text.
fn check_list_texts(ctx: &mut Ctx, node: &Node, path: &str, value: Option<&Value>) {
    let Some(set) = ctx.form.options_of(node) else {
        return;
    };
    let Some(Value::Object(m)) = value else {
        return;
    };
    for (text, v) in m {
        let Some(opt) = set.by_text(text) else {
            continue;
        };
        if opt.free && matches!(v, Value::Bool(true)) {
            let p = join_key(path, text);
            let item = ctx.item(&p);
            ctx.error(
                "PIA-E020",
                &p,
                format!("「{item}」がチェックされていますが（　）の内容がありません"),
                format!("\"{text}\" = \"…\" のように（　）に入る内容を書いてください。"),
            );
        }
        if opt.free
            && let Value::String(s) = v
            && s.trim().is_empty()
        {
            let p = join_key(path, text);
            let item = ctx.item(&p);
            ctx.error(
                "PIA-E020",
                &p,
                format!("「{item}」の（　）の内容が空です"),
                "チェックしない場合はこの行を削除し、する場合は内容を書いてください。",
            );
        }
    }
}

/// Concrete paths of a pattern in the document: `files[].x` → `files[0].x`, `files[1].x`.
pub fn expand(root: &Value, pattern: &str) -> Vec<String> {
    let mut paths = vec![String::new()];
    let mut rest = pattern;
    while !rest.is_empty() {
        let (head, tail) = match rest.find("[]") {
            Some(i) => (&rest[..i], &rest[i + 2..]),
            None => (rest, ""),
        };
        let mut next = Vec::new();
        for p in &paths {
            let base = format!("{p}{head}");
            if tail.is_empty() && !rest.contains("[]") {
                next.push(base);
                continue;
            }
            let n = lookup(root, &base)
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            for i in 0..n {
                next.push(format!("{base}[{i}]"));
            }
        }
        paths = next;
        rest = if rest.contains("[]") { tail } else { "" };
    }
    paths
}

/// Whether a conditional rule of spec §D makes a whole part absent, so that its items may stay
/// empty. (An item that depends on one sibling answer, such as 具体的な管理方法 on 行っている,
/// says so in the form definition: `when`.)
pub fn exempt(a: &Assessment, path: &str) -> bool {
    let p = crate::form::pattern_of(path);
    let p = p.as_str();
    // 別添3 and 別紙 rows are checked by their own rules.
    if p.starts_with("changes[]") || p.starts_with("pending[]") || p.starts_with("attachments[]") {
        return true;
    }
    // Ⅵ-3 only for 地方公共団体等, Ⅵ-4 only for 行政機関等 (D-14).
    let third_party = p.starts_with("procedure.third_party_review.");
    let approval = p.starts_with("procedure.ppc_approval.");
    match a.meta.org_kind {
        Some(OrgKind::Gov) if third_party => return true,
        Some(OrgKind::LocalGov) if approval => return true,
        None if third_party || approval => return true,
        _ => {}
    }
    let Some(f) = file_of(a, path) else {
        return false;
    };
    let risk = &f.risk;
    // 委託しない ⇒ no count, Ⅲ-4 empty (D-3).
    if f.overview.entrustment.status == Some(Entrust::None)
        && (p == "files[].overview.entrustment.count" || p.starts_with("files[].risk.entrustment."))
    {
        return true;
    }
    // 提供・移転しない ⇒ Ⅲ-5 empty (D-6).
    if p.starts_with("files[].risk.provision.") && risk.provision.none {
        return true;
    }
    // 接続しない（入手） ⇒ リスク１～４ empty, 接続しない（提供） ⇒ リスク５～７ empty (D-7).
    if let Some(rest) = p.strip_prefix("files[].risk.network.r") {
        let n = rest
            .chars()
            .next()
            .and_then(|c| c.to_digit(10))
            .unwrap_or(0);
        if ((1..=4).contains(&n) && risk.network.no_acquire)
            || ((5..=7).contains(&n) && risk.network.no_provide)
        {
            return true;
        }
    }
    // 提供・移転を行っていない ⇒ no 提供先/移転先 blocks (D-5).
    p.starts_with("files[].overview.provision.")
        && p != "files[].overview.provision.status"
        && f.overview.provision.status.has("none")
}

fn file_of<'a>(a: &'a Assessment, path: &str) -> Option<&'a SpFile> {
    let i = index_after(path, "files[")?;
    a.files.get(i)
}

fn index_after(path: &str, marker: &str) -> Option<usize> {
    let start = path.find(marker)? + marker.len();
    let end = path[start..].find(']')? + start;
    path[start..end].parse().ok()
}

/// Whether `path` lies in a 提供先/移転先 block whose texts refer to a 別紙 table (the block
/// aggregates several recipients, as the seed's 提供先1 does).
fn refers_to_attachment(ctx: &Ctx, path: &str) -> bool {
    let Some(end) = path
        .find("recipients[")
        .or_else(|| path.find("transferees["))
    else {
        return false;
    };
    let Some(close) = path[end..].find(']') else {
        return false;
    };
    let block = &path[..end + close + 1];
    match lookup(&ctx.json, block) {
        Some(Value::Object(m)) => m
            .values()
            .any(|v| v.as_str().is_some_and(|s| s.contains("別紙"))),
        _ => false,
    }
}
