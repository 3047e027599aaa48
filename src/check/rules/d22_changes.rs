//! D-22 on the rows of （別添３）変更箇所 that one revision can check.

use super::helpers::{squash, to_ascii_digits, wareki};
use crate::check::Ctx;
use crate::check::registry::rule;
use crate::form::{Form, Kind};
use crate::model::*;

rule! {
/// ## 検査内容
/// （別添３）変更箇所の各行を検査します。変更日・項目・変更後の記載・提出時期の欄が必要です（削除した場合は
/// 変更後に「全文削除」等を書きます。変更前だけがある行はエラーです）。「同」「同上」は前の行が必要です。
/// 提出時期に係る説明が「重要な変更」としているのに「事後」の行、説明が空欄の行、評価書の項目を指していない
/// 項目（「（別表２）」等）、同じ変更を記載した行（全ての欄が同じ行は常に）は警告です。
/// `pia check --since <版>` では、その版以降に追加された行のうち※の項目（重要な変更の対象）を除外理由なしに
/// 「事後」とした行をエラーにします。未提出の変更の申告（`[[pending]]`）も検査します。どの変更にも使われない
/// 申告（PIA-E227）、節全体や特定個人情報ファイル全体を重要な変更の対象外とする申告（PIA-E228。除外は項目ごとに
/// 書きます）は適用せず、`pia diff` も比較を中止します。前の版で別添３の行の記録に使われたまま残っている申告は
/// 警告です（PIA-W229。`pia diff --record` は使った申告を削除します）。
///
/// ## 根拠
/// 様式４の（別添３）変更箇所の6欄、番号法第28条（重要な変更は事前に再実施）。仕様 yoshiki4.md §C、§D-22。
///
/// ## 例
/// 令和4年11月1日の行の説明が「公金受取口座情報取得のための重要な変更」なのに提出時期が「事後」（PIA-W222）。
///
/// ## 直し方
/// 欠けた欄を記載し、重複した行を一つにまとめます。重要な変更であれば提出時期を「事前」とし評価を再実施します。
/// 重要な変更に当たらない場合は、説明をそのように書き、`exclusion` で理由を示します。
///
/// ## 確度
/// 欄の有無は確認済みです。説明文の読み取り、重複の判定、項目の照合は推定のため警告です。
    id: "D-22",
    title: "変更箇所の行",
    codes: [
        "PIA-E220" Error Check Stable "変更箇所の行に記載のない欄がある（変更後の記載がない等）",
        "PIA-E221" Error Check Stable "「同」「同上」が指す前の行がない",
        "PIA-W222" Warning Check Stable "「重要な変更」とする行の提出時期が事後",
        "PIA-W223" Warning Check Stable "変更箇所の行が重複している",
        "PIA-W224" Warning Check Unverified "提出時期に係る説明が空欄",
        "PIA-W225" Warning Check Stable "変更箇所の項目が評価書の項目を指していない",
        "PIA-E226" Error Since Stable "※項目の変更（除外理由なし）の行が事前になっていない",
        "PIA-E227" Error Since Stable "未提出の変更の申告（[[pending]]）がどの変更にも使われていない",
        "PIA-E228" Error Since Stable "節又は特定個人情報ファイル全体を重要な変更の対象外とする申告",
        "PIA-W229" Warning Since Stable "記録済みの変更の申告が残っている",
    ],
}

/// What a 項目 cell points at.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    /// 「同」: the item of the row above.
    Same,
    /// 「評価書全般」 and the like.
    General,
    /// An 別添 (1–3).
    Annex(u32),
    /// A section (Ⅰ…Ⅵ) and, if given, its numbered part (「２．」).
    Part(char, Option<u32>),
    /// A 別紙 of this assessment (「別紙１」), by its id.
    Attachment(String),
}

/// Why a 項目 cell does not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unresolved {
    /// 「（別表２）」 written for 「（別添２）」.
    Beppyo(String),
    /// Nothing of the form matches.
    Unknown,
}

const SECTIONS: [char; 6] = ['Ⅰ', 'Ⅱ', 'Ⅲ', 'Ⅳ', 'Ⅴ', 'Ⅵ'];

/// Resolves the 項目 cell of a 別添3 row against the form.
pub fn resolve(form: &Form, attachments: &[Attachment], item: &str) -> Result<Target, Unresolved> {
    let t = to_ascii_digits(&squash(item));
    // 「別紙１…」: one of the assessment's 別紙 (they are printed after 別添３ and belong to it).
    if let Some(a) = attachments.iter().find(|a| {
        let id = to_ascii_digits(&squash(&a.id));
        !id.is_empty()
            && t.starts_with(&id)
            && !t[id.len()..].starts_with(|c: char| c.is_ascii_digit())
    }) {
        return Ok(Target::Attachment(a.id.trim().to_string()));
    }
    if t.starts_with('同') && !t.starts_with("同上") || t == "同上" {
        return Ok(Target::Same);
    }
    if t.contains("全般") {
        return Ok(Target::General);
    }
    let mut rest = t.as_str();
    let mut section = None;
    if let Some(c) = rest.chars().next().filter(|c| SECTIONS.contains(c)) {
        section = Some(c);
        rest = rest[c.len_utf8()..].trim_start_matches(['-', 'ー', '－', '‐', '・', '−']);
    }
    for open in ["（", "("] {
        if let Some(after) = rest.strip_prefix(open) {
            if let Some(d) = after.strip_prefix("別添") {
                return match d.chars().next().and_then(|c| c.to_digit(10)) {
                    Some(n @ 1..=3) => Ok(Target::Annex(n)),
                    _ => Err(Unresolved::Unknown),
                };
            }
            if let Some(d) = after.strip_prefix("別表") {
                let n: String = d.chars().take_while(|c| c.is_ascii_digit()).collect();
                return Err(Unresolved::Beppyo(n));
            }
        }
    }
    let Some(sec) = section else {
        return Err(Unresolved::Unknown);
    };
    let Some(node) = form
        .nodes
        .iter()
        .find(|n| n.k == Kind::Section && n.l.starts_with(sec))
    else {
        return Err(Unresolved::Unknown);
    };
    let numbers = part_numbers(form, &node.p);
    match first_number(rest) {
        Some(n) if numbers.contains(&n) => Ok(Target::Part(sec, Some(n))),
        Some(_) => Err(Unresolved::Unknown),
        None => {
            let title = node.t.as_deref().map(squash).unwrap_or_default();
            if rest.is_empty()
                || (!title.is_empty() && rest.starts_with(&title))
                || rest.starts_with("リスク対策")
            {
                Ok(Target::Part(sec, None))
            } else {
                Err(Unresolved::Unknown)
            }
        }
    }
}

/// The numbers of the numbered parts (「２．基本情報」) of a section.
fn part_numbers(form: &Form, section: &str) -> Vec<u32> {
    let prefix = format!("{section}.");
    form.nodes
        .iter()
        .filter(|n| n.p.starts_with(&prefix))
        .filter_map(|n| {
            let l = to_ascii_digits(&n.l);
            let digits: String = l.chars().take_while(|c| c.is_ascii_digit()).collect();
            let after = &l[digits.len()..];
            (!digits.is_empty() && (after.starts_with('．') || after.starts_with('.')))
                .then(|| digits.parse().ok())
                .flatten()
        })
        .collect()
}

/// The first 「N．」 of a text.
fn first_number(s: &str) -> Option<u32> {
    let chars: Vec<char> = s.chars().collect();
    for i in 0..chars.len() {
        if !chars[i].is_ascii_digit() || (i > 0 && chars[i - 1].is_ascii_digit()) {
            continue;
        }
        let mut j = i;
        while j < chars.len() && chars[j].is_ascii_digit() {
            j += 1;
        }
        if j < chars.len() && (chars[j] == '．' || chars[j] == '.') {
            return chars[i..j].iter().collect::<String>().parse().ok();
        }
    }
    None
}

/// The risk number and the first circled item number of a 項目 cell (「リスク1ー⑥」 → (1, ⑥)).
fn detail(item: &str) -> (Option<u32>, Option<char>) {
    let t = to_ascii_digits(&squash(item));
    let risk = t.find("リスク").and_then(|p| {
        let d: String = t[p + "リスク".len()..]
            .chars()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        d.parse().ok()
    });
    let circled = t.chars().find(|c| ('①'..='⑳').contains(c));
    (risk, circled)
}

/// The first line of a cell, without its indentation.
fn first_line(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default()
        .to_string()
}

fn is_same_as_above(reason: &str) -> bool {
    squash(reason) == "同上"
}

/// A reason that calls the change 「重要な変更」 without denying it.
fn says_important(reason: &str) -> bool {
    const NEGATIONS: &[&str] = &[
        "に当たらない",
        "にあたらない",
        "に該当しない",
        "ではない",
        "でない",
        "が生じない",
        "は生じない",
        "の対象外",
        "の対象項目ではない",
    ];
    let t = squash(reason);
    let key = "重要な変更";
    let mut found = false;
    let mut from = 0;
    while let Some(pos) = t[from..].find(key) {
        let at = from + pos + key.len();
        let tail = &t[at..];
        if !NEGATIONS.iter().any(|n| tail.starts_with(n)) {
            found = true;
        }
        from = at;
    }
    found
}

pub fn run(ctx: &mut Ctx) {
    let a = ctx.a;
    let rows = &a.changes;
    let form = ctx.form;
    let cn = &form.changes_name;
    let mut targets: Vec<Option<Target>> = Vec::with_capacity(rows.len());
    let mut same: Vec<bool> = Vec::with_capacity(rows.len());
    for (k, row) in rows.iter().enumerate() {
        let at = |column: &str| format!("changes[{k}].{column}");
        let n = k + 1;
        // All columns present.
        if row.changed_on.is_none() {
            ctx.report(
                "PIA-E220",
                &at("changed_on"),
                format!("{cn}の{n}行目に変更日がありません"),
                "変更日（changed_on）を YYYY-MM-DD で書いてください。",
            );
        }
        if row.item.trim().is_empty() {
            ctx.report("PIA-E220", &at("item"), format!("{cn}の{n}行目に項目がありません"), "変更した評価書の項目を書いてください（例:「Ⅱ ３．特定個人情報の入手・使用 ①入手元」）。");
        }
        if row.after.trim().is_empty() {
            let message = if row.before.trim().is_empty() {
                format!("{cn}の{n}行目に変更前の記載も変更後の記載もありません")
            } else {
                format!("{cn}の{n}行目に変更前の記載だけがあり、変更後の記載がありません")
            };
            ctx.report(
                "PIA-E220",
                &at("after"),
                message,
                "変更後の記載（追加の場合は追加した内容、削除の場合は「全文削除」等）を書いてください。",
            );
        }
        if row.timing.is_none() {
            ctx.report(
                "PIA-E220",
                &at("timing"),
                format!("{cn}の{n}行目に提出時期がありません"),
                format!(
                    "提出時期は「{}」又は「{}」です。",
                    ctx.text(Timing::Before),
                    ctx.text(Timing::After)
                ),
            );
        }
        // 「同」「同上」 need a row above.
        let target = resolve(form, &a.attachments, &row.item);
        same.push(target == Ok(Target::Same));
        if k == 0 && (target == Ok(Target::Same) || is_same_as_above(&row.timing_reason)) {
            let p = if target == Ok(Target::Same) {
                at("item")
            } else {
                at("timing_reason")
            };
            ctx.report(
                "PIA-E221",
                &p,
                format!("{cn}の最初の行に「同」「同上」があります"),
                "参照する前の行がありません。項目又は説明を具体的に書いてください。",
            );
        }
        // Reason.
        if row.timing_reason.trim().is_empty() {
            ctx.report(
                "PIA-W224",
                &at("timing_reason"),
                format!("{cn}の{n}行目（{}）の提出時期に係る説明が空欄です", row.changed_on.map(wareki).unwrap_or_default()),
                format!("事前・事後とした理由（重要な変更か、重要な変更に当たらない理由）を記載してください。空欄が認められるかは記載要領で確認できていません{}。", super::UNVERIFIED_HELP),
            );
        } else if row.timing == Some(Timing::After) && says_important(&row.timing_reason) {
            ctx.report(
                "PIA-W222",
                &at("timing"),
                format!(
                    "{cn}の{n}行目（{}、{}）は提出時期に係る説明で「重要な変更」としていますが、提出時期が「{}」です",
                    row.changed_on.map(wareki).unwrap_or_default(),
                    first_line(&row.item),
                    ctx.text(Timing::After)
                ),
                "重要な変更は事前に評価を再実施して提出します（番号法第28条）。重要な変更に当たらない変更（条項の番号の変更等）であれば、説明をそのように直してください。",
            );
        }
        // The item names a part of the form.
        match &target {
            Err(Unresolved::Beppyo(_)) => {
                let first = row
                    .item
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_string();
                let fixed = first.replacen("別表", "別添", 1);
                ctx.report(
                    "PIA-W225",
                    &at("item"),
                    format!("{cn}の{n}行目の項目「{first}」は評価書の項目を指していません"),
                    format!("評価書の別添は（別添１）～（{cn}）です。「{fixed}」の誤りではないか確認してください。"),
                );
            }
            Err(Unresolved::Unknown) => {
                let first = row
                    .item
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_string();
                ctx.report(
                    "PIA-W225",
                    &at("item"),
                    format!("{cn}の{n}行目の項目「{first}」が評価書のどの項目かわかりません"),
                    "項目は評価書の見出しのとおり「Ⅱ ３．特定個人情報の入手・使用 ①入手元」のように書いてください。",
                );
            }
            _ => {}
        }
        let resolved = match target {
            Ok(Target::Same) => targets.last().cloned().flatten(),
            Ok(t) => Some(t),
            Err(_) => None,
        };
        targets.push(resolved);
    }
    let mut details: Vec<(Option<u32>, Option<char>)> = Vec::with_capacity(rows.len());
    for (row, same) in rows.iter().zip(same) {
        let d = if same {
            details.last().copied().unwrap_or_default()
        } else {
            detail(&row.item)
        };
        details.push(d);
    }
    duplicates(ctx, rows, &targets, &details);
}

/// How many earlier rows of the same group a row is compared with (keeps the near-duplicate
/// search linear on very long 別添3 tables).
const NEAR_DUPLICATE_WINDOW: usize = 16;

/// W223: a row that repeats another. Identical rows (every printed column equal, white space
/// ignored) always; near duplicates (same date, same part of the form, same 変更前, one 変更後
/// contained in the other, as the seed's repeated 暗号化処理 row) within a group. Linear, and
/// without a copy of the texts: rows are found by a hash of their columns and compared when the
/// hashes meet. The hash is keyed at random for each run (the rows are user input: rows made to
/// meet under a fixed hash would make the search quadratic).
fn duplicates(
    ctx: &mut Ctx,
    rows: &[ChangeRow],
    targets: &[Option<Target>],
    details: &[(Option<u32>, Option<char>)],
) {
    use std::collections::HashMap;
    let keyed = std::collections::hash_map::RandomState::new();
    // Keyed hash of a row's columns → the last row with that hash; `chain[j]` is the row before
    // `j` with the same hash (hashes that meet for different rows are followed down the chain).
    // The keys are already hashes: the map hashes them again with the fast hash.
    let mut identical: rustc_hash::FxHashMap<u64, usize> = rustc_hash::FxHashMap::default();
    identical.reserve(rows.len());
    let mut chain: Vec<usize> = vec![usize::MAX; rows.len()];
    let mut groups: HashMap<GroupKey, Vec<usize>> = HashMap::new();
    for (j, b) in rows.iter().enumerate() {
        let h = row_hash(&keyed, b);
        let mut k = identical.get(&h).copied().unwrap_or(usize::MAX);
        while k != usize::MAX && !same_row(&rows[k], b) {
            k = chain[k];
        }
        if k != usize::MAX {
            report_duplicate(ctx, rows, k, j);
            continue;
        }
        if let Some(last) = identical.insert(h, j) {
            chain[j] = last;
        }
        if let Some(k) = near_duplicate(&keyed, rows, targets, details, &mut groups, j) {
            report_duplicate(ctx, rows, k, j);
        }
    }
}

/// The columns of a row as 別添３ prints them, white space ignored (see [`same_row`]).
fn row_hash(keyed: &impl std::hash::BuildHasher, row: &ChangeRow) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = keyed.build_hasher();
    row.changed_on.hash(&mut h);
    row.timing.hash(&mut h);
    for text in [&row.item, &row.before, &row.after, &row.timing_reason] {
        hash_squashed(text, &mut h);
    }
    h.finish()
}

fn hash_squashed(text: &str, h: &mut impl std::hash::Hasher) {
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        h.write_u32(c as u32);
    }
    // Column separator (not a character): "ab" + "c" differs from "a" + "bc".
    h.write_u32(u32::MAX);
}

/// Whether two texts are equal with white space ignored.
fn same_squashed(a: &str, b: &str) -> bool {
    a.chars()
        .filter(|c| !c.is_whitespace())
        .eq(b.chars().filter(|c| !c.is_whitespace()))
}

/// Whether two rows print the same (white space ignored).
fn same_row(a: &ChangeRow, b: &ChangeRow) -> bool {
    a.changed_on == b.changed_on
        && a.timing == b.timing
        && same_squashed(&a.item, &b.item)
        && same_squashed(&a.before, &b.before)
        && same_squashed(&a.after, &b.after)
        && same_squashed(&a.timing_reason, &b.timing_reason)
}

/// A group of rows that may repeat each other: date, part of the form, detail, and the hash of
/// the 変更前 (rows of a group are compared on their 変更前 as well).
type GroupKey = (Date, Target, (Option<u32>, Option<char>), u64);

/// The earlier row of the group of row `j` (same date, part of the form and 変更前) whose 変更後
/// contains the other one, if any; else row `j` joins its group.
fn near_duplicate(
    keyed: &impl std::hash::BuildHasher,
    rows: &[ChangeRow],
    targets: &[Option<Target>],
    details: &[(Option<u32>, Option<char>)],
    groups: &mut std::collections::HashMap<GroupKey, Vec<usize>>,
    j: usize,
) -> Option<usize> {
    use std::hash::Hasher;
    let (Some(date), Some(target)) = (rows[j].changed_on, targets[j].clone()) else {
        return None;
    };
    if target == Target::General {
        return None;
    }
    let row = &rows[j];
    // Ten characters at least (white space ignored).
    row.after.chars().filter(|c| !c.is_whitespace()).nth(9)?;
    let after = squash(&row.after);
    let mut h = keyed.build_hasher();
    hash_squashed(&row.before, &mut h);
    let group = groups
        .entry((date, target, details[j], h.finish()))
        .or_default();
    let earlier = group
        .iter()
        .rev()
        .take(NEAR_DUPLICATE_WINDOW)
        .copied()
        .find(|&k| {
            let aa = squash(&rows[k].after);
            same_squashed(&rows[k].before, &row.before)
                && aa.chars().count() >= 10
                && (aa.contains(&after) || after.contains(&aa))
        });
    if earlier.is_none() {
        group.push(j);
    }
    earlier
}

fn report_duplicate(ctx: &mut Ctx, rows: &[ChangeRow], k: usize, j: usize) {
    let line = ctx
        .sources
        .locate(&format!("changes[{k}].item"))
        .map(|p| {
            format!(
                "（{} の{}行）",
                p.file
                    .file_name()
                    .map(|f| f.to_string_lossy().to_string())
                    .unwrap_or_default(),
                p.line
            )
        })
        .unwrap_or_default();
    ctx.report(
        "PIA-W223",
        &format!("changes[{j}].item"),
        format!(
            "{}の{}行目は{}行目{line}と同じ変更（{}）を記載しています",
            ctx.form.changes_name,
            j + 1,
            k + 1,
            rows[j].changed_on.map(wareki).unwrap_or_default()
        ),
        "同じ変更は一行にまとめ、提出時期に係る説明を揃えてください。",
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_seed_items() {
        let f = &*crate::form::Catalog::builtin().default_form();
        assert_eq!(
            resolve(f, &[], "Ⅲ-７．特定個人情報の保管・消去\nリスク1ー⑥"),
            Ok(Target::Part('Ⅲ', Some(7)))
        );
        assert_eq!(
            resolve(f, &[], "Ⅲリスク対策（プロセス）\n２．個人情報の入手"),
            Ok(Target::Part('Ⅲ', Some(2)))
        );
        assert_eq!(
            resolve(f, &[], "Ⅳその他のリスク対策"),
            Ok(Target::Part('Ⅳ', None))
        );
        assert_eq!(
            resolve(f, &[], "Ⅰ （別添１）事務の内容"),
            Ok(Target::Annex(1))
        );
        assert_eq!(
            resolve(f, &[], "（別添2）特定個人情報ファイル記録項目"),
            Ok(Target::Annex(2))
        );
        assert_eq!(resolve(f, &[], "同"), Ok(Target::Same));
        assert_eq!(resolve(f, &[], "（全項目評価書)全般"), Ok(Target::General));
        assert_eq!(
            resolve(f, &[], "（別表２）特定個人情報ファイル記録項目"),
            Err(Unresolved::Beppyo("2".into()))
        );
        assert_eq!(resolve(f, &[], "Ⅱ ９．なにか"), Err(Unresolved::Unknown));
        assert_eq!(resolve(f, &[], "表紙の特記事項"), Err(Unresolved::Unknown));
        let attachments = [Attachment {
            id: "別紙１".into(),
            ..Default::default()
        }];
        assert_eq!(
            resolve(
                f,
                &attachments,
                "別紙１　特定個人情報の提供先一覧　①法令上の根拠"
            ),
            Ok(Target::Attachment("別紙１".into()))
        );
        assert_eq!(resolve(f, &attachments, "別紙２"), Err(Unresolved::Unknown));
        assert_eq!(
            resolve(f, &attachments, "別紙１２"),
            Err(Unresolved::Unknown)
        );
    }

    #[test]
    fn important_reasons() {
        assert!(says_important("公金受取口座情報取得のための重要な変更"));
        assert!(!says_important("重要な変更に当たらない形式的な変更"));
        assert!(!says_important(
            "重要な変更の対象項目ではないが、サーバー間接続開始に係る事項のため事前に変更"
        ));
        assert!(!says_important(
            "当組合が行う事務、リスク対策等に重要な変更が生じない修正のため、事後に提出"
        ));
    }
}
