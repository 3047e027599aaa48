//! What only a 基礎項目評価書 (様式2) holds, and the answers of its Ⅳ リスク対策: written by the
//! author of a standalone 基礎項目評価書, or, beside a 全項目評価書, derived from its Ⅲ and Ⅳ
//! answers (`crate::basic_report`) unless written here (an override).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::values::choice;
use super::{Adequacy, ChangeRow, Checks, Date, Perform, ThresholdResult};

choice!(
    /// Ⅳ-1 提出する特定個人情報保護評価書の種類.
    ReportKind = "report_kind" { Basic = "basic", Focused = "focused", Full = "full" }
);
choice!(
    /// Ⅳ-11 最も優先度が高いと考えられる対策.
    Priority = "priority" { Acquisition = "acquisition", UseLinking = "use_linking", UseUnauthorized = "use_unauthorized", Entrustment = "entrustment", Provision = "provision", Network = "network", NetworkProvide = "network_provide", Retention = "retention", ManualWork = "manual_work", Audit = "audit", Training = "training" }
);

/// Ⅳ-9 監査 実施の有無 (自己点検 / 内部監査 / 外部監査).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditSet;
impl super::values::CheckSet for AuditSet {
    const SET: &'static str = "audit";
}

/// `[basic_report]`: the 基礎項目評価書.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct BasicReport {
    /// 評価書名 of the 基礎項目評価書 (derived from the 全項目評価書's when empty).
    pub title: String,
    /// 公表日 of the 基礎項目評価書 (the 全項目評価書's when empty).
    pub published_on: Option<Date>,
    /// Ⅲ しきい値判断結果 (computed).
    pub threshold: BasicThreshold,
    pub risk: BasicRisk,
    /// （別添） 変更箇所 of the 基礎項目評価書: its own rows.
    pub changes: Vec<ChangeRow>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct BasicThreshold {
    pub result: Option<ThresholdResult>,
}

/// Ⅳ リスク対策.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct BasicRisk {
    /// 1. (computed).
    pub report_kind: Option<ReportKind>,
    pub acquisition: BasicAdequacy,
    #[serde(rename = "use")]
    pub use_: BasicUse,
    pub entrustment: BasicOptional,
    pub provision: BasicOptional,
    pub network: BasicNetwork,
    pub retention: BasicAdequacy,
    pub manual_work: BasicManualWork,
    pub audit: BasicAudit,
    pub training: BasicTraining,
    pub priority: BasicPriority,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct BasicAdequacy {
    pub adequacy: Option<Adequacy>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct BasicUse {
    pub linking: Option<Adequacy>,
    pub unauthorized: Option<Adequacy>,
}

/// An area that may not apply (「委託しない」, 「提供・移転しない」) and its answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct BasicOptional {
    pub none: Option<bool>,
    pub adequacy: Option<Adequacy>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct BasicNetwork {
    pub no_acquire: Option<bool>,
    pub no_provide: Option<bool>,
    pub acquire: Option<Adequacy>,
    pub provide: Option<Adequacy>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct BasicManualWork {
    pub none: bool,
    pub adequacy: Option<Adequacy>,
    pub rationale: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct BasicAudit {
    pub done: Checks<AuditSet>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct BasicTraining {
    pub level: Option<Perform>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct BasicPriority {
    /// 「全項目評価又は重点項目評価を実施する」 (computed).
    pub full_report: Option<bool>,
    pub measure: Option<Priority>,
    /// 当該対策は十分か【再掲】 (computed from the measure's answer).
    pub adequacy: Option<Adequacy>,
    pub rationale: String,
}
