//! `pia threshold`.

use std::path::PathBuf;

use pia::model::Choice;
use pia::threshold::{self, Inputs};

use super::{Context, INPUT, OK, fail};

#[derive(clap::Args)]
pub struct Args {
    /// 評価書（[threshold] の値で判断します）。数値を指定する場合は省略します。
    path: Option<PathBuf>,
    /// 対象人数（人）。
    #[arg(long, value_name = "人数", conflicts_with = "path")]
    population: Option<u64>,
    /// 取扱者数（人）。
    #[arg(long, value_name = "人数", requires = "population")]
    handlers: Option<u64>,
    /// 過去1年以内に特定個人情報に関する重大事故があった。
    #[arg(long, requires = "population")]
    incident: bool,
}

pub fn run(args: Args, ctx: &Context) -> u8 {
    let (form, inputs, source) = if let Some(n) = args.population {
        let handlers = args.handlers.unwrap_or(0);
        (
            ctx.catalog(std::path::Path::new(".")).default_form(),
            Inputs {
                population: threshold::population_band(n),
                handlers_ge_500: handlers >= 500,
                incident_1y: args.incident,
            },
            format!(
                "対象人数 {n}人、取扱者数 {handlers}人、重大事故{}",
                if args.incident { "あり" } else { "なし" }
            ),
        )
    } else {
        let path = args.path.unwrap_or_else(|| PathBuf::from("."));
        let loaded = match ctx.load(&path) {
            Ok(l) => l,
            Err(e) => {
                err!(
                    "{}",
                    pia::diag::render_human(&e.diagnostics, &e.sources, pia::diag::Color::Auto)
                );
                return INPUT;
            }
        };
        let t = &loaded.assessment.threshold;
        let (Some(population), Some(handlers), Some(incident)) =
            (t.population, t.handlers, t.serious_incident_1y)
        else {
            return fail(
                "[threshold] の population（対象人数）、handlers（取扱者数）、serious_incident_1y（重大事故）のいずれかが未記入です",
                Some(
                    "評価書の [threshold] を記入するか、--population 等で数値を指定してください。",
                ),
            );
        };
        (
            loaded.form.clone(),
            Inputs {
                population,
                handlers_ge_500: handlers == pia::model::Handlers::Ge500,
                incident_1y: incident,
            },
            format!(
                "対象人数 {}、取扱者数 {}、重大事故{}",
                loaded.form.text(population),
                loaded.form.text(handlers),
                if incident { "あり" } else { "なし" }
            ),
        )
    };
    let d = threshold::decide(&form, inputs);
    outln!("しきい値判断: {}", d.obliged.japanese());
    outln!("理由: {}", d.reason);
    outln!("入力: {source}");
    // Where the form prints the result (全項目評価書 Ⅵ １．②, 基礎項目評価書 Ⅲ), as numbered there.
    let option = d.obliged.result_option();
    let set = <pia::model::ThresholdResult as pia::model::Choice>::SET;
    if let Some(node) = form
        .nodes
        .iter()
        .find(|n| n.c.as_deref() == Some(set) && n.k == pia::form::Kind::Choice)
        && let Some(i) = form.options_of(node).and_then(|s| s.index_of(option.id()))
    {
        outln!(
            "{}の {}: {}{} {}",
            pia::basic_report::report_name(&form),
            form.printed_path(&node.p, &[]),
            i + 1,
            form.numbering(&node.p),
            form.text(option)
        );
    }
    OK
}
