//! The rules of spec §D, one file per rule (or per small family), each declaring its codes and
//! its Japanese explanation with [`rule!`](crate::check::registry::rule). Codes: the first two
//! digits are the rule number (D-5 → `PIA-E050`, `PIA-W051` …).

pub mod basic_report;
pub mod config;
pub mod d01_completeness;
pub mod d02_option_text;
pub mod d03_entrustment;
pub mod d04_subcontract;
pub mod d05_provision;
pub mod d06_provision_risk;
pub mod d07_network;
pub mod d08_incident;
pub mod d09_deceased;
pub mod d10_negative;
pub mod d11_disclosure;
pub mod d12_public_comment;
pub mod d13_date_order;
pub mod d14_org_kind;
pub mod d15_threshold;
pub mod d16_bands;
pub mod d17_handlers;
pub mod d18_item_count;
pub mod d19_retention_period;
pub mod d20_file_names;
pub mod d21_repetition;
pub mod d22_changes;
pub mod d23_dates;
pub mod d24_rows;
pub mod d25_procedure;
pub mod d26_review;
pub mod d27_ended;
pub mod d28_purpose;
pub mod d29_number;
pub mod d30_form_marks;
pub mod figure;
pub(crate) mod helpers;
pub mod load;
pub mod personal;
pub mod stage;

use super::Ctx;
use super::registry::Rule;

/// Appended to the help of rules whose source the spec marks UNVERIFIED.
pub const UNVERIFIED_HELP: &str = "（UNVERIFIED: 記載要領で未確認のため警告としています）";

/// Every rule in registry order: loading, then spec §D in order, then personal data.
pub static ALL: &[&Rule] = &[
    &load::RULE,
    &config::RULE,
    &d01_completeness::RULE,
    &d02_option_text::RULE,
    &d03_entrustment::RULE,
    &d04_subcontract::RULE,
    &d05_provision::RULE,
    &d06_provision_risk::RULE,
    &d07_network::RULE,
    &d08_incident::RULE,
    &d09_deceased::RULE,
    &d10_negative::RULE,
    &d11_disclosure::RULE,
    &d12_public_comment::RULE,
    &d13_date_order::RULE,
    &d14_org_kind::RULE,
    &d15_threshold::RULE,
    &d16_bands::RULE,
    &d17_handlers::RULE,
    &d18_item_count::RULE,
    &d19_retention_period::RULE,
    &d20_file_names::RULE,
    &d21_repetition::RULE,
    &d22_changes::RULE,
    &d23_dates::RULE,
    &d24_rows::RULE,
    &d25_procedure::RULE,
    &d26_review::RULE,
    &d27_ended::RULE,
    &d28_purpose::RULE,
    &d29_number::RULE,
    &d30_form_marks::RULE,
    &figure::RULE,
    &basic_report::RULE,
    &personal::RULE,
    &stage::RULE,
];

/// The one-revision rules, in spec order, each with its registry entry: a rule runs only on the
/// documents of a form that has the items it reads ([`Rule::applies_to`]). When the context has
/// no printed document yet (`ctx.json` is null), it is made here while the rules that read only
/// the model run.
pub fn run(ctx: &mut Ctx) {
    type Run = fn(&mut Ctx);
    // (rule, run, whether it reads the printed document `ctx.json`)
    const RUN: &[(&Rule, Run, bool)] = &[
        (&d01_completeness::RULE, d01_completeness::run, true),
        (&d02_option_text::RULE, d02_option_text::run, true),
        (&d03_entrustment::RULE, d03_entrustment::run, true),
        (&d04_subcontract::RULE, d04_subcontract::run, true),
        (&d05_provision::RULE, d05_provision::run, true),
        (&d06_provision_risk::RULE, d06_provision_risk::run, true),
        (&d07_network::RULE, d07_network::run, true),
        (&d08_incident::RULE, d08_incident::run, true),
        (&d09_deceased::RULE, d09_deceased::run, true),
        (&d10_negative::RULE, d10_negative::run, true),
        (&d11_disclosure::RULE, d11_disclosure::run, true),
        (&d12_public_comment::RULE, d12_public_comment::run, false),
        (&d13_date_order::RULE, d13_date_order::run, false),
        (&d14_org_kind::RULE, d14_org_kind::run, true),
        (&d15_threshold::RULE, d15_threshold::run, false),
        (&d16_bands::RULE, d16_bands::run, false),
        (&d17_handlers::RULE, d17_handlers::run, false),
        (&d18_item_count::RULE, d18_item_count::run, false),
        (
            &d19_retention_period::RULE,
            d19_retention_period::run,
            false,
        ),
        (&d20_file_names::RULE, d20_file_names::run, false),
        (&d21_repetition::RULE, d21_repetition::run, false),
        (&d22_changes::RULE, d22_changes::run, false),
        (&d23_dates::RULE, d23_dates::run, false),
        (&d26_review::RULE, d26_review::run, false),
        (&d27_ended::RULE, d27_ended::run, false),
        (&d29_number::RULE, d29_number::run, false),
        (&d30_form_marks::RULE, d30_form_marks::run, false),
        (&figure::RULE, figure::run, false),
        (&basic_report::RULE, basic_report::run, false),
        (&stage::RULE, stage::run, false),
    ];
    // The rules are independent: each runs on its own context, on the threads available, and
    // the findings are joined in spec order (the output does not depend on the scheduling).
    use rayon::prelude::*;
    let applies = |ctx: &Ctx, json: bool| -> Vec<usize> {
        (0..RUN.len())
            .filter(|&i| RUN[i].2 == json && RUN[i].0.applies_to(ctx.form))
            .collect()
    };
    let run_all = |ctx: &Ctx, which: Vec<usize>| -> Vec<(usize, Vec<crate::diag::Diagnostic>)> {
        which
            .into_par_iter()
            .map(|i| {
                let mut own = ctx.fork();
                (RUN[i].1)(&mut own);
                (i, own.out)
            })
            .collect()
    };
    let mut found = if ctx.json.is_null() {
        let shared = &*ctx;
        let (json, found) = rayon::join(
            || shared.form.texts_of(shared.a),
            || run_all(shared, applies(shared, false)),
        );
        ctx.json = std::sync::Arc::new(json);
        found
    } else {
        run_all(ctx, applies(ctx, false))
    };
    found.extend(run_all(ctx, applies(ctx, true)));
    found.sort_by_key(|(i, _)| *i);
    ctx.out.extend(found.into_iter().flat_map(|(_, out)| out));
}
