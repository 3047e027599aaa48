//! D-16: 対象となる本人の数の区分.

use super::helpers::*;
use crate::check::Ctx;
use crate::check::registry::rule;
use crate::model::*;

rule! {
/// ## 検査内容
/// 対象人数の区分の矛盾を検査します。ファイルの②対象となる本人の数は事務全体のⅠ１．③対象人数を超えず、
/// 事務全体の対象人数は各ファイルの本人の数の合計を超えません。委託・提供・移転する情報の対象となる本人の数は
/// ファイルの本人の数を超えません。ファイルの全体を委託する委託事項は、通常ファイルと同じ区分です（警告）。
///
/// ## 根拠
/// 様式４のⅠ１．③、Ⅱ２．②、Ⅱ４．②、Ⅱ５．④の区分。区分の包含関係から導いた規則です。仕様 yoshiki4.md §D-16。
///
/// ## 例
/// Ⅰ１．③が「30万人以上」なのに、唯一のファイルの本人の数が「1万人未満」（PIA-E160）。
///
/// ## 直し方
/// 区分を見直します。
///
/// ## 確度
/// 区分の包含関係は確認済みです。全体の委託で区分が異なる場合は警告です。
    id: "D-16",
    title: "対象人数・対象となる本人の数の区分",
    reads: ["files[]"],
    codes: [
        "PIA-E160" Error Check Stable "対象となる本人の数の区分が矛盾している",
        "PIA-W161" Warning Check Stable "ファイル全体を委託するのに対象となる本人の数の区分が異なる",
    ],
}

pub fn run(ctx: &mut Ctx) {
    let a = ctx.a;
    let files: Vec<(usize, PopFile)> = a
        .files
        .iter()
        .enumerate()
        .filter_map(|(i, f)| f.overview.basic.subject_count.map(|b| (i, b)))
        .collect();
    if let Some(affair) = a.basic.affairs.target_population {
        let (alo, ahi) = pop_affair_range(affair);
        for &(i, b) in &files {
            let (flo, _) = pop_file_range(b);
            if ahi.is_some_and(|h| flo >= h) {
                let p = format!("files[{i}].overview.basic.subject_count");
                let item = ctx.item(&p);
                ctx.report(
                    "PIA-E160",
                    &p,
                    format!("「{item}」（{}）が事務全体の対象人数（「{}」 {}）を超えています", ctx.text(b), ctx.item("basic.affairs.target_population"), ctx.text(affair)),
                    "ファイルの対象となる本人の数は、事務全体の対象人数を超えません。どちらかの区分を見直してください。",
                );
            }
        }
        if files.len() == a.files.len() && !files.is_empty() {
            let sum: Option<u64> = files.iter().try_fold(0u64, |acc, &(_, b)| {
                pop_file_range(b).1.map(|h| acc + h - 1)
            });
            if let Some(s) = sum
                && alo > s
            {
                let item = ctx.item("basic.affairs.target_population");
                ctx.report(
                        "PIA-E160",
                        "basic.affairs.target_population",
                        format!("「{item}」が「{}」ですが、各ファイルの対象となる本人の数を合計しても最大{s}人です", ctx.text(affair)),
                        format!("事務全体の対象人数と各ファイルの「{}」の区分を見直してください。", ctx.label("files[].overview.basic.subject_count")),
                    );
            }
        }
    }
    for (i, f) in a.files.iter().enumerate() {
        let Some(fb) = f.overview.basic.subject_count else {
            continue;
        };
        let (flo, fhi) = pop_file_range(fb);
        let _ = flo;
        let file_item = ctx.item(&format!("files[{i}].overview.basic.subject_count"));
        let mut subs: Vec<(String, PopFile, bool)> = Vec::new();
        if f.overview.entrustment.status != Some(Entrust::None) {
            for (j, it) in f.overview.entrustment.items.iter().enumerate() {
                if let Some(b) = it.subject_count {
                    subs.push((
                        format!("files[{i}].overview.entrustment.items[{j}].subject_count"),
                        b,
                        it.scope == Some(EntrustScope::Whole),
                    ));
                }
            }
        }
        for (j, r) in f.overview.provision.recipients.iter().enumerate() {
            if let Some(b) = r.subject_count {
                subs.push((
                    format!("files[{i}].overview.provision.recipients[{j}].subject_count"),
                    b,
                    false,
                ));
            }
        }
        for (j, t) in f.overview.provision.transferees.iter().enumerate() {
            if let Some(b) = t.subject_count {
                subs.push((
                    format!("files[{i}].overview.provision.transferees[{j}].subject_count"),
                    b,
                    false,
                ));
            }
        }
        for (p, b, whole) in subs {
            let (lo, _) = pop_file_range(b);
            let item = ctx.item(&p);
            if fhi.is_some_and(|h| lo >= h) {
                ctx.report(
                    "PIA-E160",
                    &p,
                    format!("「{item}」（{}）が「{file_item}」（{}）を超えています", ctx.text(b), ctx.text(fb)),
                    "委託・提供・移転する情報の本人の数は、ファイルの対象となる本人の数を超えません。区分を見直してください。",
                );
            } else if whole && b != fb {
                ctx.report(
                    "PIA-W161",
                    &p,
                    format!("ファイルの全体を委託していますが、「{item}」（{}）が「{file_item}」（{}）と異なります", ctx.text(b), ctx.text(fb)),
                    "②取扱いを委託する特定個人情報ファイルの範囲が全体であれば、対象となる本人の数は通常ファイルと同じ区分です。",
                );
            }
        }
    }
}
