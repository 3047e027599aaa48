//! The assessment's own `[meta.check]` configuration.

use crate::check::Ctx;
use crate::check::registry::{self, rule};

rule! {
    /// ## 検査内容
    /// 評価書の `[meta.check]`（検査の設定）を検査します。select・ignore・error・warning・acknowledge に
    /// 登録されていないコードを書いた場合（前方一致でも一つも当たらない場合）は警告です（PIA-W001）。確認済みの
    /// 指摘（acknowledge）に理由がない場合、又はどの指摘にも当たらない場合も警告です（PIA-W002）。指摘が
    /// 直ったのに確認済みの記載が残っていると、同じ箇所に後で生じた別の問題を見落とすためです。
    ///
    /// ## 根拠
    /// pia の設定です（様式の規則ではありません）。
    ///
    /// ## 例
    /// `ignore = ["PIA-W999"]`（PIA-W001）。理由のない `[[meta.check.acknowledge]]`（PIA-W002）。
    ///
    /// ## 直し方
    /// `pia check --list-codes` でコードを確認します。確認済みの指摘には、このままとした理由を `reason` に
    /// 書き、直った指摘の記載は削除します。
    ///
    /// ## 確度
    /// 確認済みです。
    id: "設定",
    title: "検査の設定",
    codes: [
        "PIA-W001" Warning Check Stable "検査の設定に登録されていないコードがある",
        "PIA-W002" Warning Check Stable "確認済みの指摘に理由がない、又はどの指摘にも当たらない",
    ],
}

/// `used[k]`: whether acknowledgement `k` suppressed a finding in this run.
pub fn run(ctx: &mut Ctx, used: &[bool]) {
    let cfg = &ctx.a.meta.check;
    let known = |s: &str| {
        let s = s.trim().to_ascii_uppercase();
        registry::codes().any(|(_, c)| !s.is_empty() && c.code.starts_with(&s))
    };
    let mut unknown = Vec::new();
    for (key, list) in [
        ("select", &cfg.select),
        ("ignore", &cfg.ignore),
        ("error", &cfg.error),
        ("warning", &cfg.warning),
    ] {
        for (i, s) in list.iter().enumerate() {
            if !known(s) {
                unknown.push((format!("meta.check.{key}[{i}]"), s.clone()));
            }
        }
    }
    for (k, a) in cfg.acknowledge.iter().enumerate() {
        let base = format!("meta.check.acknowledge[{k}]");
        if !known(&a.code) {
            unknown.push((format!("{base}.code"), a.code.clone()));
        } else if a.reason.trim().is_empty() {
            let item = ctx.item(&format!("{base}.reason"));
            ctx.report(
                "PIA-W002",
                &base,
                format!("確認済みの指摘（{}）に「{item}」がありません", a.code.trim()),
                "指摘を確認し、このままとした理由を reason に書いてください。理由のない確認済みの記載は適用しません。",
            );
        } else if !used.get(k).copied().unwrap_or(false) {
            let target = if a.path.trim().is_empty() {
                String::new()
            } else {
                format!("（{}）", a.path.trim())
            };
            ctx.report(
                "PIA-W002",
                &base,
                format!(
                    "確認済みの指摘 {}{target} に当たる指摘がありません",
                    a.code.trim()
                ),
                "指摘が直った場合は、この確認済みの記載を削除してください。",
            );
        }
    }
    for (path, code) in unknown {
        ctx.report(
            "PIA-W001",
            &path,
            format!("検査の設定のコード「{}」は登録されていません", code.trim()),
            "`pia check --list-codes` で登録されているコードを確認してください。",
        );
    }
}
