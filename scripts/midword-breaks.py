#!/usr/bin/env python3
"""Lists the line breaks inside the TOML strings of an assessment that look like a visual wrap of the
printed PDF left in the data: a newline with kanji/kana/digits on both sides (looking through the
indentation of the next line) where the next line does not start with a kept marker (bullet, numbered
step, heading, ※ note, an item level of a 別添3 item cell) and the break is not one of the logical
breaks listed in KEPT (checked against the seed by hand).

    python3 scripts/midword-breaks.py [DIR]      (default: assessments/kanto-it-kenpo)

Prints one line per break and `count N` (the breaks that are neither marked nor listed) last; exit 1
when N > 0. Written for issue 11 (the reflow of the reference transcription)."""
import glob
import os
import re
import sys
import tomllib

JP = re.compile(r'[\u3041-\u309f\u30a0-\u30fa\u30fc-\u30ff\u4e00-\u9fff\u3005\uff10-\uff190-9]')
WS = ' \u3000'
# The next line starts a new logical line: bullet, step 「１－①」, 「1.」, 「（1）」, ①, heading, ※ note, or an
# item level of a 別添3 項目 cell (「リスク２：…」, 「［システム１］」, 「委託事項2」, 「提供先１」).
MARKER = re.compile(r'^([・●○〇※＊＃#【＜<［\[『]|[①-⑳]|[0-9０-９]+\s*[－ー\-]\s*[①-⑳]|[0-9０-９]+[\.．]|'
                    r'[（(][0-9０-９ⅰ-ⅻ※#＃付]+[）)]|[ⅰ-ⅻⅠ-Ⅵ]|リスク[0-9０-９]|委託事項|提供先)')
# Logical breaks between two kanji/kana/digits that the seed prints as new lines (prefix of the line
# before the break's end, start of the next line) — kept on purpose.
KEPT = [
    # 別紙１: 「番号法第19条第8号」/「別表第2　第N項」 in every row.
    (r'第8号$', r'^別表第2', 'two citations, printed on two lines in every row of 別紙１'),
    # 別添3 項目 cells: the part heading, then the item inside it on its own line.
    (r'^Ⅲ[-－ー]?[0-9０-９]．?特定個人情報の(使用|保管・消去|入手)$|^[0-9０-９]．特定個人情報の(使用|保管・消去)$|'
     r'特定個人情報ファイルの取扱いの委託$|^Ⅰ[-－]５．個人番号の利用$|^Ⅰ （別添１）事務の内容$|'
     r'^Ⅲ ６．情報提供ネットワークシステムとの接続$',
     r'.', 'part heading, then the item (別添3 項目 cell)'),
    (r'^②保管期間$', r'^その妥当性', 'item, then its sub-item (別添3 項目 cell)'),
    (r'リスク$', r'.', 'risk, then its item (別添3 項目 cell)'),
    (r'^[（(]([0-9０-９]+|[ⅰ-ⅻ]+)[）)][^、。]{1,30}$', r'.', 'a numbered heading, then its text'),
    (r'^同$', r'^特定個人情報の正確性確保', '「同」 (same part), then the item'),
    (r'記載文中の$', r'.', '「記載文中の」, then the quoted term on its own line'),
    # lists without bullets
    (r'(監視|記録管理|必要とする|事前申請とする)$', r'^(組合|データセンター)', 'table of places and measures (Ⅱ-6 ①保管場所)'),
    (r'(分離|確認)$', r'^(等により|条件に見合う)', 'the seed starts a new line after the list / bullet'),
    (r'の説明を追加$', r'^適用事務', 'two additions, one per line (別添3 cell)'),
    (r'未納管理$', r'^(の事務処理で|で、)', 'the sentence resumes after a numbered list'),
    (r'(別表第1項番2|別表　項番2|109、120)$', r'^番号法別表第', 'a second citation on its own line'),
    # kitakasumi-city (written for pia, never wrapped): logical lines only.
    (r'番号法第19条第8号$', r'^命令第2条の表', 'two citations, one per line (別紙１ ①法令上の根拠)'),
    (r'(に関する事務|への提供)$', r'^番号法第', 'an affair, then its legal basis on the next line'),
    (r'^[0-9０-９]．[^、。]{1,20}ファイル$', r'.', 'a numbered file heading, then its text'),
    (r'[0-9０-９]．特定個人情報の提供・移転$', r'^移転先', 'part heading, then the item (別添3 項目 cell)'),
    (r'^発生あり$', r'^その内容', 'an answer, then its details (別添3 cell)'),
    (r'(回収年月日|終了年月日|カナ氏名|振り仮名|郵便番号|住民票住所|交付年月日|銀行コード|支店コード|口座種別|口座番号)$', r'.',
     'a list of record items, one per line (別添3 cells)'),
]


def strings(text):
    """(value, line) of every string literal (basic and multi-line basic; the files use no others)."""
    i, n, line = 0, len(text), 1
    while i < n:
        c = text[i]
        if c == '\n':
            line += 1
        elif c == '#':
            j = text.find('\n', i)
            i = n if j < 0 else j
            continue
        elif text.startswith('"""', i):
            k = text.find('"""', i + 3)
            body = text[i + 3:k]
            yield tomllib.loads(f'v = """{body}"""')['v'], line + (1 if body.startswith('\n') else 0)
            line += body.count('\n')
            i = k + 3
            continue
        elif c == '"':
            j = i + 1
            while text[j] != '"':
                j += 2 if text[j] == '\\' else 1
            yield tomllib.loads(f'v = {text[i:j + 1]}')['v'], line
            i = j + 1
            continue
        i += 1


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else 'assessments/kanto-it-kenpo'
    unexplained = kept = 0
    for path in sorted(glob.glob(os.path.join(d, '*.toml'))):
        text = open(path, encoding='utf-8').read()
        for value, line in strings(text):
            lines = value.split('\n')
            for k in range(len(lines) - 1):
                a, b = lines[k].rstrip(WS), lines[k + 1].lstrip(WS)
                if not a or not b or not (JP.match(a[-1]) and JP.match(b[0])) or MARKER.match(b):
                    continue
                at = f'{path}:{line + k}: …{a[-14:]}⏎{b[:14]}…'
                why = next((w for pa, pb, w in KEPT if re.search(pa, a.lstrip(WS)) and re.search(pb, b)), None)
                if why:
                    kept += 1
                    print(f'kept  {at}  ({why})')
                else:
                    unexplained += 1
                    print(f'WRAP  {at}')
    print(f'kept {kept}')
    print(f'count {unexplained}')
    return 1 if unexplained else 0


if __name__ == '__main__':
    sys.exit(main())
