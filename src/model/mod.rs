//! The assessment model: one 全項目評価書 (様式4) as typed data.
//!
//! Field names are the TOML keys (spec `yoshiki4.md` §A ids). Every field may be absent in the TOML:
//! completeness is the job of `pia check`, not of the loader, so that a half-written assessment
//! still loads and can be checked item by item. Printed labels live in the form definition
//! ([`crate::form`]), never here.

pub mod basic_report;
pub mod values;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use basic_report::*;
use values::choice;
pub use values::{CheckSet, CheckValue, Checks, Choice, Date, Period};

// ---------------------------------------------------------------- 選択肢

choice!(
    /// Ⅰ-1③ 対象人数 and しきい値判断の対象人数.
    PopAffair = "pop_affair" { Lt1k = "lt_1k", K1To10k = "k1_10k", K10To100k = "k10_100k", K100To300k = "k100_300k", Ge300k = "ge_300k" }
);
choice!(PopFile = "pop_file" { Lt10k = "lt_10k", K10To100k = "k10_100k", K100To1m = "k100_1m", M1To10m = "m1_10m", Ge10m = "ge_10m" });
choice!(Staff = "staff" { Lt10 = "lt_10", P10To50 = "p10_50", P50To100 = "p50_100", P100To500 = "p100_500", P500To1000 = "p500_1000", Ge1000 = "ge_1000" });
choice!(ItemCount = "items" { Lt10 = "lt_10", I10To50 = "i10_50", I50To100 = "i50_100", Ge100 = "ge_100" });
choice!(FileKind = "file_kind" { System = "system", OtherElectronic = "other_electronic" });
choice!(Linkage = "linkage" { Yes = "yes", No = "no", Undecided = "undecided" });
choice!(Entrust = "entrust" { Entrust = "entrust", None = "none" });
choice!(EntrustScope = "entrust_scope" { Whole = "whole", Part = "part" });
choice!(Subcontract = "subcontract" { Yes = "yes", No = "no" });
choice!(Adequacy = "adequacy" { Especially = "especially", Sufficient = "sufficient", IssuesRemain = "issues_remain" });
choice!(Doing = "doing" { Doing = "doing", NotDoing = "not_doing" });
choice!(Record = "record" { Kept = "kept", NotKept = "not_kept" });
choice!(Restrict = "restrict" { Restricted = "restricted", NotRestricted = "not_restricted" });
choice!(Defined = "defined" { Defined = "defined", NotDefined = "not_defined" });
choice!(SubcontractorAssurance = "subcontractor_assurance" { Especially = "especially", Sufficient = "sufficient", Insufficient = "insufficient", NoSubcontract = "no_subcontract" });
choice!(Nisc = "nisc" { Especially = "especially", Sufficient = "sufficient", Insufficient = "insufficient", NotGov = "not_gov" });
choice!(Maintain = "maintain" { Especially = "especially", Sufficient = "sufficient", Insufficient = "insufficient" });
choice!(Inform = "inform" { Especially = "especially", Sufficient = "sufficient", Insufficient = "insufficient" });
choice!(Perform = "perform" { Especially = "especially", Sufficient = "sufficient", Insufficient = "insufficient" });
choice!(Incident = "incident" { Occurred = "occurred", None = "none" });
choice!(Deceased = "deceased" { Kept = "kept", NotKept = "not_kept" });
choice!(Fee = "fee" { Paid = "paid", Free = "free" });
choice!(Register = "register" { Published = "published", NotPublished = "not_published" });
choice!(
    /// Ⅵ-1② しきい値判断結果, in the form's order 1)–4).
    ThresholdResult = "threshold_result" { Full = "full", Focused = "focused", Basic = "basic", None = "none" }
);
choice!(Timing = "timing" { Before = "before", After = "after" });
choice!(Handlers = "handlers" { Ge500 = "ge_500", Lt500 = "lt_500" });
choice!(OrgKind = "org_kind" { Gov = "gov", LocalGov = "local_gov" });
choice!(
    /// `meta.stage`: where the document stands in its publication cycle. A missing stage is
    /// 最終 ([`Meta::stage`]).
    Stage = "stage" { Draft = "draft", Consultation = "consultation", Final = "final" }
);
choice!(
    /// Why a change to a ※ item is not a 重要な変更 (spec §C.3).
    Exclusion = "exclusion" { Typo = "typo", Formal = "formal", LawAmendment = "law_amendment", RiskReducing = "risk_reducing", DescriptionFix = "description_fix", ThirdPartyMeasure = "third_party_measure" }
);

macro_rules! check_set {
    ($($name:ident = $set:literal),+ $(,)?) => {
        $(
            #[derive(Debug, Clone, Copy, PartialEq, Eq)]
            pub struct $name;
            impl CheckSet for $name { const SET: &'static str = $set; }
        )+
    };
}
check_set!(
    ConnectSet = "connect",
    MainItemsSet = "main_items",
    SourcesSet = "sources",
    AcqMethodsSet = "acq_methods",
    EntrustMethodsSet = "entrust_methods",
    ProvideMethodsSet = "provide_methods",
    TransferMethodsSet = "transfer_methods",
    ProvisionStatusSet = "provision_status",
);

// ---------------------------------------------------------------- the document

/// One 全項目評価書.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Assessment {
    /// Further TOML files of this assessment, merged by the loader (relative to this file).
    pub include: Vec<String>,
    pub meta: Meta,
    pub threshold: Threshold,
    pub cover: Cover,
    pub basic: Basic,
    pub files: Vec<SpFile>,
    pub other_risk: OtherRisk,
    pub disclosure: Disclosure,
    pub procedure: Procedure,
    pub changes: Vec<ChangeRow>,
    pub pending: Vec<PendingNote>,
    pub attachments: Vec<Attachment>,
    /// The 基礎項目評価書 (様式2): its own items, and overrides of what is derived.
    pub basic_report: BasicReport,
}

impl Assessment {
    /// A copy without the rows of the table of changes (別添３), for work that never reads them
    /// (deriving the 基礎項目評価書): a long history is not copied and serialised for nothing.
    /// Every field is named, so a new field is a compile error here rather than silently lost.
    pub fn without_changes(&self) -> Assessment {
        Assessment {
            include: self.include.clone(),
            meta: self.meta.clone(),
            threshold: self.threshold.clone(),
            cover: self.cover.clone(),
            basic: self.basic.clone(),
            files: self.files.clone(),
            other_risk: self.other_risk.clone(),
            disclosure: self.disclosure.clone(),
            procedure: self.procedure.clone(),
            changes: Vec::new(),
            pending: self.pending.clone(),
            attachments: self.attachments.clone(),
            basic_report: self.basic_report.clone(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Meta {
    pub form_version: String,
    pub org_kind: Option<OrgKind>,
    /// 素案 / 案（意見聴取） / 最終; `None` is 最終 (use [`Meta::stage`]).
    pub stage: Option<Stage>,
    pub ended_on: Option<Date>,
    /// `[[meta.reviews]]`: the yearly reviews (見直し) of the published document, oldest first.
    pub reviews: Vec<Review>,
    pub check: CheckConfig,
}

impl Meta {
    /// The stage of the document; a document that names none is 最終 (the published form).
    pub fn stage(&self) -> Stage {
        self.stage.unwrap_or(Stage::Final)
    }
}

/// One yearly review (見直し) of the document: when, what came of it, and who did it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Review {
    pub date: Option<Date>,
    /// 「変更なし」, or what changed.
    pub result: String,
    pub reviewer: String,
}

/// `[meta.check]`: which codes `pia check` reports for this assessment, at which level, and the
/// findings its authors reviewed and accepted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CheckConfig {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub error: Vec<String>,
    pub warning: Vec<String>,
    pub acknowledge: Vec<Acknowledgement>,
}

/// A finding reviewed and accepted, with the reason.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Acknowledgement {
    pub code: String,
    pub path: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Threshold {
    pub population: Option<PopAffair>,
    pub population_as_of: Option<Date>,
    pub handlers: Option<Handlers>,
    pub handlers_as_of: Option<Date>,
    pub serious_incident_1y: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Cover {
    pub assessment_number: Option<u32>,
    pub title: String,
    pub declaration: String,
    pub special_notes: String,
    pub organization_name: String,
    pub ppc_approved_on: Option<Date>,
    pub published_on: Option<Date>,
}

// ---------------------------------------------------------------- Ⅰ

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Basic {
    pub affairs: Affairs,
    pub systems: Vec<System>,
    pub file_names: Vec<String>,
    pub reasons: Reasons,
    pub number_use: NumberUse,
    pub info_linkage: InfoLinkage,
    pub department: Department,
    pub other_orgs: String,
    pub attachment1: Attachment1,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Affairs {
    pub name: String,
    /// ②事務の概要 of the 基礎項目評価書 (shorter than ②事務の内容).
    pub summary: String,
    pub description: String,
    pub target_population: Option<PopAffair>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct System {
    pub name: String,
    pub functions: String,
    pub connections: Checks<ConnectSet>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Reasons {
    pub necessity: String,
    pub benefits: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NumberUse {
    pub legal_basis: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct InfoLinkage {
    pub status: Option<Linkage>,
    pub legal_basis: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Department {
    pub name: String,
    pub head_title: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Attachment1 {
    /// Path of the figure, relative to the assessment directory.
    pub figure: String,
    pub notes: String,
}

// ---------------------------------------------------------------- Ⅱ and Ⅲ, per file

/// One 特定個人情報ファイル: its Ⅱ overview, its 別添2 record items and its Ⅲ risk measures.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SpFile {
    pub overview: Overview,
    pub attachment2: Attachment2,
    pub risk: Risk,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Overview {
    pub file_name: String,
    pub basic: FileBasic,
    pub acquisition: Acquisition,
    #[serde(rename = "use")]
    pub use_: Use,
    pub entrustment: Entrustment,
    pub provision: Provision,
    pub retention: Retention,
    pub remarks: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct FileBasic {
    pub file_kind: Option<FileKind>,
    pub subject_count: Option<PopFile>,
    pub subject_scope: String,
    pub subject_scope_necessity: String,
    pub item_count: Option<ItemCount>,
    pub main_items: Checks<MainItemsSet>,
    pub main_items_rationale: String,
    pub holding_start: Option<Date>,
    pub department: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Acquisition {
    pub sources: Checks<SourcesSet>,
    pub methods: Checks<AcqMethodsSet>,
    pub timing: String,
    pub validity: String,
    pub notice: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Use {
    pub purpose: String,
    pub purpose_change_validity: String,
    pub departments: String,
    pub user_count: Option<Staff>,
    pub method: String,
    pub matching: String,
    pub statistics: String,
    pub decisions: String,
    pub start: Option<Date>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Entrustment {
    pub status: Option<Entrust>,
    pub count: Option<u32>,
    pub items: Vec<EntrustItem>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct EntrustItem {
    /// Optional stable key for `pia diff` (not printed).
    pub id: String,
    pub title: String,
    pub content: String,
    pub scope: Option<EntrustScope>,
    pub subject_count: Option<PopFile>,
    pub subject_scope: String,
    pub scope_rationale: String,
    pub handler_count: Option<Staff>,
    pub transfer_methods: Checks<EntrustMethodsSet>,
    pub name_disclosure: String,
    pub contractor_name: String,
    pub subcontract: SubcontractInfo,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SubcontractInfo {
    pub status: Option<Subcontract>,
    pub permission: String,
    pub matters: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Provision {
    pub status: Checks<ProvisionStatusSet>,
    pub recipients: Vec<Recipient>,
    pub transferees: Vec<Transferee>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Recipient {
    pub id: String,
    pub name: String,
    pub legal_basis: String,
    pub purpose: String,
    pub info: String,
    pub subject_count: Option<PopFile>,
    pub subject_scope: String,
    pub methods: Checks<ProvideMethodsSet>,
    pub timing: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Transferee {
    pub id: String,
    pub name: String,
    pub legal_basis: String,
    pub purpose: String,
    pub info: String,
    pub subject_count: Option<PopFile>,
    pub subject_scope: String,
    pub methods: Checks<TransferMethodsSet>,
    pub timing: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Retention {
    pub location: String,
    pub period: Option<RetentionPeriod>,
    pub period_rationale: String,
    pub erasure: String,
}

choice!(
    /// Ⅱ-6② 保管期間 (named apart from the section struct [`Retention`]).
    RetentionPeriod = "retention" { Lt1y = "lt_1y", Y1 = "y1", Y2 = "y2", Y3 = "y3", Y4 = "y4", Y5 = "y5", Y6To10 = "y6_10", Y10To20 = "y10_20", Ge20y = "ge_20y", Undefined = "undefined" }
);

/// 別添2: record items grouped by 【file】 and ＜table＞.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Attachment2 {
    pub groups: Vec<RecordGroup>,
    pub notes: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RecordGroup {
    /// The 【…】 heading, without brackets.
    pub file: String,
    /// The ＜…＞ heading, without brackets ("" when none).
    pub table: String,
    pub items: Vec<String>,
    pub notes: String,
}

impl Attachment2 {
    pub fn item_total(&self) -> usize {
        self.groups.iter().map(|g| g.items.len()).sum()
    }
}

// ---------------------------------------------------------------- Ⅲ

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Risk {
    pub file_name: String,
    pub acquisition: RiskAcquisition,
    #[serde(rename = "use")]
    pub use_: RiskUse,
    pub entrustment: RiskEntrustment,
    pub provision: RiskProvision,
    pub network: RiskNetwork,
    pub retention: RiskRetention,
}

/// A risk answered by one measures text and the adequacy choice.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Measures {
    pub measures: String,
    pub adequacy: Option<Adequacy>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RiskAcquisition {
    pub r1: AcqR1,
    pub r2: Measures,
    pub r3: AcqR3,
    pub r4: Measures,
    pub other_risks: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct AcqR1 {
    pub non_target_measures: String,
    pub excess_measures: String,
    pub other_measures: String,
    pub adequacy: Option<Adequacy>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct AcqR3 {
    pub identity_check: String,
    pub number_authenticity: String,
    pub accuracy: String,
    pub other_measures: String,
    pub adequacy: Option<Adequacy>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RiskUse {
    pub r1: UseR1,
    pub r2: UseR2,
    pub r3: Measures,
    pub r4: Measures,
    pub other_risks: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct UseR1 {
    pub atena_measures: String,
    pub other_system_measures: String,
    pub other_measures: String,
    pub adequacy: Option<Adequacy>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct UseR2 {
    pub user_auth: Option<Doing>,
    pub user_auth_detail: String,
    pub grant_revoke: Option<Doing>,
    pub grant_revoke_detail: String,
    pub access_mgmt: Option<Doing>,
    pub access_mgmt_detail: String,
    pub usage_log: Option<Record>,
    pub usage_log_detail: String,
    pub other_measures: String,
    pub adequacy: Option<Adequacy>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RiskEntrustment {
    pub not_entrusted: bool,
    pub protection_check: String,
    pub access_restriction: Option<Restrict>,
    pub access_restriction_detail: String,
    pub handling_log: Option<Record>,
    pub handling_log_detail: String,
    pub provision_rule: Option<Defined>,
    pub provision_rule_to_others: String,
    pub provision_rule_between: String,
    pub erasure_rule: Option<Defined>,
    pub erasure_rule_detail: String,
    pub contract_clause: Option<Defined>,
    pub contract_clause_detail: String,
    pub subcontractor_assurance: Option<SubcontractorAssurance>,
    pub subcontractor_assurance_detail: String,
    pub other_measures: String,
    pub adequacy: Option<Adequacy>,
    pub other_risks: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RiskProvision {
    pub none: bool,
    pub r1: ProvR1,
    pub r2: Measures,
    pub r3: Measures,
    pub other_risks: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ProvR1 {
    pub record: Option<Record>,
    pub record_detail: String,
    pub rule: Option<Defined>,
    pub rule_detail: String,
    pub other_measures: String,
    pub adequacy: Option<Adequacy>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RiskNetwork {
    pub no_acquire: bool,
    pub no_provide: bool,
    pub r1: Measures,
    pub r2: Measures,
    pub r3: Measures,
    pub r4: Measures,
    pub r5: Measures,
    pub r6: Measures,
    pub r7: Measures,
    pub other_risks: String,
}

impl RiskNetwork {
    /// (key, risk) for リスク１～７.
    pub fn risks(&self) -> [(&'static str, &Measures); 7] {
        [
            ("r1", &self.r1),
            ("r2", &self.r2),
            ("r3", &self.r3),
            ("r4", &self.r4),
            ("r5", &self.r5),
            ("r6", &self.r6),
            ("r7", &self.r7),
        ]
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RiskRetention {
    pub r1: RetR1,
    pub r2: Measures,
    pub r3: RetR3,
    pub other_risks: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RetR1 {
    pub nisc: Option<Nisc>,
    pub security_system: Option<Maintain>,
    pub security_rules: Option<Maintain>,
    pub staff_awareness: Option<Inform>,
    pub physical: Option<Perform>,
    pub physical_detail: String,
    pub technical: Option<Perform>,
    pub technical_detail: String,
    pub backup: Option<Perform>,
    pub incident_procedure: Option<Perform>,
    pub serious_incident: Option<Incident>,
    pub serious_incident_detail: String,
    pub recurrence_prevention: String,
    pub deceased_numbers: Option<Deceased>,
    pub deceased_numbers_method: String,
    pub other_measures: String,
    pub adequacy: Option<Adequacy>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RetR3 {
    pub erasure_procedure: Option<Defined>,
    pub erasure_procedure_detail: String,
    pub other_measures: String,
    pub adequacy: Option<Adequacy>,
}

// ---------------------------------------------------------------- Ⅳ Ⅴ Ⅵ

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct OtherRisk {
    pub audit: Audit,
    pub training: Training,
    pub other: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Audit {
    pub self_check: Option<Perform>,
    pub self_check_detail: String,
    pub audit: Option<Perform>,
    pub audit_detail: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Training {
    pub level: Option<Perform>,
    pub detail: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Disclosure {
    pub request: DisclosureRequest,
    pub inquiry: Inquiry,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct DisclosureRequest {
    pub contact: String,
    pub method: String,
    pub notes: String,
    pub fee: Option<Fee>,
    pub fee_detail: String,
    pub register_published: Option<Register>,
    pub register_file_name: String,
    pub register_place: String,
    pub special_procedure: String,
    pub register_omission: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Inquiry {
    pub contact: String,
    pub handling: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Procedure {
    pub basic_assessment: BasicAssessment,
    pub public_comment: PublicComment,
    pub third_party_review: ThirdPartyReview,
    pub ppc_approval: PpcApproval,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct BasicAssessment {
    pub date: Option<Date>,
    pub threshold_result: Option<ThresholdResult>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct PublicComment {
    pub method: String,
    pub period: Period,
    pub shortening_reason: String,
    pub main_opinions: String,
    pub reflection: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ThirdPartyReview {
    pub date: Option<Date>,
    pub method: String,
    pub result: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct PpcApproval {
    pub submitted_on: Option<Date>,
    pub review: String,
}

// ---------------------------------------------------------------- 別添3, notes, 別紙

/// One row of （別添３）変更箇所.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ChangeRow {
    pub changed_on: Option<Date>,
    pub item: String,
    pub before: String,
    pub after: String,
    pub timing: Option<Timing>,
    pub timing_reason: String,
    /// Tool-only: why a ※ change is not 重要 (§C.3).
    pub exclusion: Option<Exclusion>,
    /// Tool-only: the revision that added the row.
    pub revision: String,
    /// Tool-only: TOML paths the row covers (written by `pia diff --record`).
    pub paths: Vec<String>,
}

/// An author's note about a change not yet recorded in 別添3: an exclusion from 重要な変更
/// (→ 事後) or a voluntary 事前 submission.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct PendingNote {
    pub path: String,
    pub exclusion: Option<Exclusion>,
    pub timing: Option<Timing>,
    pub reason: String,
}

/// A 別紙 table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Attachment {
    /// 「別紙１」.
    pub id: String,
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub notes: String,
}
