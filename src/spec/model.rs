//! The `tal.toml` model exactly as written by the user: serde structs with
//! unknown keys rejected. Meaning (defaults, compiled expressions, resolved
//! paths) is given to it by `spec::compile`.

use indexmap::IndexMap;
use serde::Deserialize;
use toml::Spanned;

/// The whole spec file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSpec {
    /// Named exports. Names starting with "intent" hold intent rows, names
    /// starting with "engagement" hold activity rows, all others account rows.
    #[serde(default)]
    pub inputs: IndexMap<String, RawInput>,
    #[serde(default)]
    pub fit: RawFit,
    #[serde(default)]
    pub exclude: Vec<RawExclude>,
    #[serde(default)]
    pub intent: RawIntent,
    #[serde(default)]
    pub engagement: RawEngagement,
    #[serde(default)]
    pub acv: RawAcv,
    #[serde(default)]
    pub budget: RawBudget,
    #[serde(default)]
    pub ranking: RawRanking,
    #[serde(default)]
    pub tiers: Vec<RawTier>,
    #[serde(default)]
    pub programs: IndexMap<String, RawProgram>,
    #[serde(default)]
    pub stages: Vec<RawStage>,
    #[serde(default)]
    pub segments: Vec<RawSegment>,
    pub overrides: Option<RawOverrides>,
    pub export: Option<RawExport>,
}

/// One export file and how its headers map to fields.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawInput {
    /// Relative to the spec file's folder (or `table`).
    pub path: Option<Spanned<String>>,
    /// A warehouse table (`schema.name`) `tal sql` reads instead of a file.
    pub table: Option<Spanned<String>>,
    /// A table's column that stands for file order.
    pub order_by: Option<Spanned<String>>,
    /// The column holding the account key (a domain, URL or e-mail).
    pub key: String,
    /// A BOM wins; else UTF-8; else this; else detected.
    pub encoding: Option<Spanned<String>>,
    /// `,` `;` `\t` (or "tab") `|`; sniffed from the header line when absent.
    pub delimiter: Option<Spanned<String>>,
    /// "." (default) or ",".
    pub decimal: Option<Spanned<String>>,
    /// A strftime pattern tried after ISO 8601.
    pub date_format: Option<String>,
    /// An Excel workbook's sheet (default: the first).
    pub sheet: Option<Spanned<String>>,
    /// field name = source header, or `{ column, type }`.
    #[serde(default)]
    pub fields: IndexMap<String, RawField>,
}

/// A mapped column: a header, or a header with an explicit type.
#[derive(Debug)]
pub enum RawField {
    Column(String),
    Typed(RawTypedField),
}

/// By hand rather than `untagged`, so a typo inside `{ column, type }` is
/// reported as the unknown key it is.
impl<'de> Deserialize<'de> for RawField {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FieldVisitor;
        impl<'de> serde::de::Visitor<'de> for FieldVisitor {
            type Value = RawField;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a header name or { column = \"...\", type = \"...\" }")
            }
            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<RawField, E> {
                Ok(RawField::Column(value.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<RawField, A::Error> {
                RawTypedField::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(RawField::Typed)
            }
        }
        deserializer.deserialize_any(FieldVisitor)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTypedField {
    pub column: String,
    #[serde(rename = "type")]
    pub ty: Option<Spanned<String>>,
    /// A number field's unit: every value is multiplied by it
    /// (`scale = 1000000` for a "Revenue ($M)" column).
    pub scale: Option<Spanned<f64>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFit {
    /// `high_fit` is `fit >= high`.
    pub high: Option<f64>,
    /// Grade letters and their lowest fit; below all: D.
    pub grades: Option<IndexMap<String, f64>>,
    #[serde(default)]
    pub criteria: Vec<RawCriterion>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCriterion {
    pub name: String,
    pub points: Option<f64>,
    pub when: Option<Spanned<String>>,
    /// The first band whose `when` holds gives its points.
    pub bands: Option<Vec<RawBand>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBand {
    pub when: Spanned<String>,
    pub points: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExclude {
    pub name: String,
    pub when: Spanned<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIntent {
    #[serde(default)]
    pub topics: Vec<String>,
    pub threshold: Option<f64>,
    pub window_days: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEngagement {
    pub window_days: Option<i64>,
    pub half_life_days: Option<f64>,
    pub threshold: Option<f64>,
    #[serde(default)]
    pub points: IndexMap<String, f64>,
    #[serde(default)]
    pub persona_weights: IndexMap<String, f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAcv {
    pub from: Option<Spanned<String>>,
    pub large: Option<f64>,
    pub medium: Option<f64>,
    #[serde(default)]
    pub estimate: Vec<RawEstimate>,
    pub default: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEstimate {
    pub when: Spanned<String>,
    pub value: f64,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBudget {
    pub period: Option<String>,
    pub currency: Option<String>,
    pub total: Option<f64>,
    pub sellers: Option<u64>,
    pub revenue_goal: Option<f64>,
    #[serde(default)]
    pub enforce: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRanking {
    pub by: Option<Spanned<Vec<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTier {
    pub name: String,
    pub label: Option<String>,
    pub style: Option<String>,
    pub when: Spanned<String>,
    pub per_account: Option<f64>,
    pub accounts_per_seller: Option<u64>,
    pub max_accounts: Option<u64>,
    pub win_rate: Option<f64>,
    pub research: Option<String>,
    pub exec_sponsor: Option<bool>,
    pub personalization: Option<String>,
    #[serde(default)]
    pub programs: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProgram {
    pub label: Option<String>,
    #[serde(default)]
    pub cost: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStage {
    pub name: String,
    pub when: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSegment {
    pub name: String,
    pub when: Option<Spanned<String>>,
    pub group_by: Option<Spanned<String>>,
    #[serde(default)]
    pub tiers: Vec<String>,
    pub objective: Option<String>,
    pub offer: Option<String>,
    #[serde(default)]
    pub channels: IndexMap<String, f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOverrides {
    pub path: Option<Spanned<String>>,
    /// A warehouse table of pins `tal sql` reads instead of a file.
    pub table: Option<Spanned<String>>,
    /// The table's column that stands for file order (the last pin wins).
    pub order_by: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExport {
    pub crm: Option<RawCrmExport>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCrmExport {
    #[serde(default)]
    pub changed_only: bool,
    /// CRM column = TAL column (account_id, tier, tier_code, in_tal, ...).
    pub columns: IndexMap<String, String>,
}
