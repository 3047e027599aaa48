//! Loading errors (implemented in `load` and `diff::git`).

use crate::check::registry::rule;

rule! {
/// ## 検査内容
/// 評価書の TOML ファイルを読み込むときの誤りです。読み込めない場合、`pia` は他の検査を行わず終了コード 2 で
/// 終わります。
/// ・PIA-L001 TOML の構文の誤り（閉じていない引用符、同じキーの二度書き 等）。
/// ・PIA-L002 様式にないキー（似たキーがあれば候補を示します）。
/// ・PIA-L003 値の型の誤り（日付に引用符、件数に文字列 等）。
/// ・PIA-L004 選択肢にない値（番号を付けて写した場合も示します）。
/// ・PIA-L005 include した複数のファイルで同じ項目を定義している。
/// ・PIA-L006 include の誤り（評価書ディレクトリの外、メインファイル以外での include）。
/// ・PIA-L007 ファイルが見つからない、読み込めない（評価書ディレクトリの外を指すシンボリックリンク、
///   通常のファイルでないもの、上限を超える大きさ・数のファイルを含む。上限は docs/limits.md）。
/// ・PIA-L008 ファイルが UTF-8 ではない（Shift_JIS 等で保存されている）。
/// ・PIA-L009 pia の内部の誤り（報告してください）。
/// ・PIA-L010 meta.form_version の様式が見つからない、又はその様式の定義（form.toml）に誤りがある。
/// ・PIA-L011 pia が計算して印刷する項目（基礎項目評価書のしきい値判断結果 等）を書いている。
/// ・PIA-L020 比較する版（git のリビジョン）を読み込めない。
///
/// ## 根拠
/// 評価書の形式（docs/format.md）と様式定義。
///
/// ## 例
/// `head_titel = "総務事務局長"`（PIA-L002: `head_title` の誤りではありませんか？）。
///
/// ## 直し方
/// メッセージの位置（ファイル:行:列）を直します。エディタで JSON Schema（`#:schema` 行）を使うと入力時に
/// 誤りが分かります。Shift_JIS のファイルは UTF-8 で保存し直します（メモ帳では「名前を付けて保存」で
/// 文字コードに UTF-8 を選びます）。
///
/// ## 確度
/// 確認済みです。
    id: "L",
    title: "評価書の読み込み",
    codes: [
        "PIA-L001" Error Load Stable "TOML の構文エラー",
        "PIA-L002" Error Load Stable "様式にないキー",
        "PIA-L003" Error Load Stable "値の型の誤り",
        "PIA-L004" Error Load Stable "選択肢にない値",
        "PIA-L005" Error Load Stable "複数のファイルで同じ項目を定義している",
        "PIA-L006" Error Load Stable "include の誤り",
        "PIA-L007" Error Load Stable "ファイルが見つからない・読み込めない",
        "PIA-L008" Error Load Stable "ファイルが UTF-8 ではない",
        "PIA-L009" Error Load Stable "pia の内部の誤り",
        "PIA-L010" Error Load Stable "様式が見つからない・様式の定義に誤りがある",
        "PIA-L011" Error Load Stable "pia が計算する項目を書いている",
        "PIA-L020" Error Load Stable "比較する版を読み込めない",
    ],
}
