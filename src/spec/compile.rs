//! From the raw model to a checked [`Spec`]: defaults, resolved paths, field
//! types, and every `when` compiled in the scope of its phase.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use toml::Spanned;

use super::inputs::{compile_inputs, type_name};
use super::load::line_of;
use super::model::*;
use super::signals::{self, Phase};
use super::*;
use crate::expr::{self, Type};

pub(super) struct Compiler<'a> {
    text: &'a str,
    file: String,
    pub(super) fields: IndexMap<String, Type>,
}

impl Compiler<'_> {
    pub(super) fn error(
        &self,
        key: impl Into<String>,
        line: Option<usize>,
        message: impl Into<String>,
    ) -> SpecError {
        SpecError {
            file: self.file.clone(),
            line,
            key: key.into(),
            message: message.into(),
        }
    }

    pub(super) fn line<T>(&self, spanned: &Spanned<T>) -> usize {
        line_of(self.text, spanned.span().start)
    }

    /// Parses and type-checks one `when` in the scope of `phase`.
    pub(super) fn condition(
        &self,
        key: String,
        when: &Spanned<String>,
        phase: Phase,
    ) -> Result<Condition, SpecError> {
        let scope = signals::scope(&self.fields, phase);
        let expr = expr::compile_condition(when.get_ref(), &scope)
            .map_err(|err| self.error(key.clone(), Some(self.line(when)), err.to_string()))?;
        Ok(Condition::new(key, when.get_ref().clone(), expr, phase))
    }
}

/// Compiles a parsed spec. `text` is the file's text (for line numbers).
pub fn compile(raw: RawSpec, text: &str, path: &Path) -> Result<Spec, SpecError> {
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut compiler = Compiler {
        text,
        file: path.display().to_string(),
        fields: IndexMap::new(),
    };
    let inputs = compile_inputs(&mut compiler, &raw.inputs, &dir)?;
    let fit = compile_fit(&compiler, &raw.fit)?;
    let excludes = raw
        .exclude
        .iter()
        .enumerate()
        .map(|(i, rule)| {
            let when =
                compiler.condition(format!("exclude[{}].when", i + 1), &rule.when, Phase::Tier)?;
            Ok(Named {
                name: rule.name.clone(),
                when,
            })
        })
        .collect::<Result<_, SpecError>>()?;
    let stages = raw
        .stages
        .iter()
        .enumerate()
        .map(|(i, stage)| {
            let when =
                compiler.condition(format!("stages[{}].when", i + 1), &stage.when, Phase::Stage)?;
            Ok(Named {
                name: stage.name.clone(),
                when,
            })
        })
        .collect::<Result<_, SpecError>>()?;
    let mut warnings = Vec::new();
    let tiers = compile_tiers(&compiler, &raw.tiers, &raw.programs, &mut warnings)?;
    let segments = compile_segments(&compiler, &raw.segments, &tiers)?;
    let ranking = compile_ranking(&compiler, &raw.ranking)?;
    let acv = compile_acv(&compiler, &raw.acv)?;
    let (overrides_path, overrides_table) =
        compile_overrides(&compiler, raw.overrides.as_ref(), &dir)?;
    Ok(Spec {
        path: path.to_path_buf(),
        text: text.to_string(),
        inputs,
        fit,
        excludes,
        intent: compile_intent(&raw.intent),
        engagement: compile_engagement(&compiler, &raw.engagement)?,
        acv,
        budget: compile_budget(&raw.budget),
        ranking,
        tiers,
        programs: raw
            .programs
            .iter()
            .map(|(key, program)| {
                let label = program.label.clone().unwrap_or_else(|| key.clone());
                (
                    key.clone(),
                    Program {
                        label,
                        cost: program.cost,
                    },
                )
            })
            .collect(),
        stages,
        segments,
        overrides: overrides_path,
        overrides_table,
        crm_export: compile_export(&compiler, raw.export.as_ref())?,
        warnings,
        fields: compiler.fields,
    })
}

fn compile_fit(c: &Compiler, raw: &RawFit) -> Result<Fit, SpecError> {
    let mut grades: Vec<(String, f64)> = match &raw.grades {
        Some(grades) => grades.iter().map(|(k, v)| (k.clone(), *v)).collect(),
        None => vec![("A".into(), 80.0), ("B".into(), 60.0), ("C".into(), 40.0)],
    };
    grades.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut criteria = Vec::new();
    for (i, criterion) in raw.criteria.iter().enumerate() {
        let key = format!("fit.criteria[{}]", i + 1);
        let rule = match (&criterion.when, &criterion.bands, criterion.points) {
            (Some(when), None, Some(points)) => CriterionRule::Points {
                points,
                when: c.condition(format!("{key}.when"), when, Phase::Fit)?,
            },
            (None, Some(bands), None) => {
                let bands = bands
                    .iter()
                    .enumerate()
                    .map(|(j, band)| {
                        Ok((
                            c.condition(
                                format!("{key}.bands[{}].when", j + 1),
                                &band.when,
                                Phase::Fit,
                            )?,
                            band.points,
                        ))
                    })
                    .collect::<Result<_, SpecError>>()?;
                CriterionRule::Bands(bands)
            }
            _ => {
                return Err(c.error(
                    key,
                    None,
                    format!(
                        "criterion '{}' needs either `points` and `when`, or `bands`",
                        criterion.name
                    ),
                ))
            }
        };
        criteria.push(Criterion {
            name: criterion.name.clone(),
            rule,
        });
    }
    Ok(Fit {
        high: raw.high.unwrap_or(70.0),
        grades,
        criteria,
    })
}

fn compile_intent(raw: &RawIntent) -> IntentSpec {
    IntentSpec {
        topics: raw
            .topics
            .iter()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect(),
        threshold: raw.threshold.unwrap_or(60.0),
        window_days: raw.window_days.unwrap_or(28),
    }
}

fn compile_engagement(c: &Compiler, raw: &RawEngagement) -> Result<EngagementSpec, SpecError> {
    if let Some(h) = raw.half_life_days {
        if h <= 0.0 {
            return Err(c.error(
                "engagement.half_life_days",
                None,
                "must be a positive number of days",
            ));
        }
    }
    let lower = |m: &IndexMap<String, f64>| {
        m.iter()
            .map(|(k, v)| (k.trim().to_lowercase(), *v))
            .collect()
    };
    Ok(EngagementSpec {
        window_days: raw.window_days.unwrap_or(90),
        half_life_days: raw.half_life_days,
        threshold: raw.threshold,
        points: lower(&raw.points),
        persona_weights: lower(&raw.persona_weights),
    })
}

fn compile_acv(c: &Compiler, raw: &RawAcv) -> Result<AcvSpec, SpecError> {
    if let Some(spanned) = &raw.from {
        let (from, line) = (spanned.get_ref(), Some(c.line(spanned)));
        match c.fields.get(from) {
            Some(Type::Number) => {}
            Some(ty) => {
                return Err(c.error(
                    "acv.from",
                    line,
                    format!("'{from}' is {}; ACV needs a number field", type_name(*ty)),
                ))
            }
            None => return Err(c.error("acv.from", line, unknown_field_message(c, from))),
        }
    }
    let estimate = raw
        .estimate
        .iter()
        .enumerate()
        .map(|(i, e)| {
            Ok((
                c.condition(format!("acv.estimate[{}].when", i + 1), &e.when, Phase::Acv)?,
                e.value,
            ))
        })
        .collect::<Result<_, SpecError>>()?;
    Ok(AcvSpec {
        from: raw.from.as_ref().map(|f| f.get_ref().clone()),
        large: raw.large.unwrap_or(100_000.0),
        medium: raw.medium.unwrap_or(30_000.0),
        estimate,
        default: raw.default.unwrap_or(0.0),
    })
}

fn unknown_field_message(c: &Compiler, name: &str) -> String {
    let mut message = format!("unknown field '{name}'");
    if let Some(best) = crate::suggest::closest(name, c.fields.keys().map(String::as_str)) {
        message.push_str(&format!(" (did you mean '{best}'?)"));
    }
    message
}

fn compile_budget(raw: &RawBudget) -> Budget {
    Budget {
        period: raw.period.clone(),
        currency: raw.currency.clone().unwrap_or_else(|| "USD".into()),
        total: raw.total,
        sellers: raw.sellers,
        revenue_goal: raw.revenue_goal,
        enforce: raw.enforce,
    }
}

const DEFAULT_RANKING: &[&str] = &[
    "fit desc",
    "acv desc",
    "intent_score desc",
    "engagement_score desc",
];

fn compile_ranking(c: &Compiler, raw: &RawRanking) -> Result<Vec<RankKey>, SpecError> {
    let line = raw.by.as_ref().map(|by| c.line(by));
    let entries: Vec<String> = match &raw.by {
        Some(by) => by.get_ref().clone(),
        None => DEFAULT_RANKING.iter().map(|s| s.to_string()).collect(),
    };
    let scope = signals::scope(&c.fields, Phase::Tier);
    let mut keys = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let key = format!("ranking.by[{}]", i + 1);
        let mut words = entry.split_whitespace();
        let name = words
            .next()
            .unwrap_or_default()
            .trim_matches('`')
            .to_string();
        let descending = match words.next().map(|w| w.to_ascii_lowercase()) {
            None => false,
            Some(w) if w == "asc" => false,
            Some(w) if w == "desc" => true,
            Some(w) => {
                return Err(c.error(
                    key,
                    line,
                    format!("'{w}' after '{name}': write \"{name} asc\" or \"{name} desc\""),
                ))
            }
        };
        if words.next().is_some() {
            return Err(c.error(
                key,
                line,
                format!("'{entry}': write one signal and asc or desc"),
            ));
        }
        let ty = scope.get(&name).ok_or_else(|| {
            let mut message = format!("unknown field or signal '{name}'");
            if let Some(best) = crate::suggest::closest(&name, scope.names()) {
                message.push_str(&format!(" (did you mean '{best}'?)"));
            }
            c.error(key.clone(), line, message)
        })?;
        keys.push(RankKey {
            name,
            ty,
            descending,
        });
    }
    Ok(keys)
}

fn compile_tiers(
    c: &Compiler,
    raw: &[RawTier],
    programs: &IndexMap<String, RawProgram>,
    warnings: &mut Vec<String>,
) -> Result<Vec<Tier>, SpecError> {
    let mut tiers: Vec<Tier> = Vec::new();
    for (i, tier) in raw.iter().enumerate() {
        let key = format!("tiers[{}]", i + 1);
        let name = tier.name.trim().to_string();
        if name.is_empty()
            || ["excluded", "unassigned", "waitlist"].contains(&name.to_lowercase().as_str())
        {
            return Err(c.error(
                format!("{key}.name"),
                None,
                format!(
                    "'{name}' cannot name a tier (Excluded, Unassigned and Waitlist are statuses)"
                ),
            ));
        }
        if tiers
            .iter()
            .any(|t| t.name.to_lowercase() == name.to_lowercase())
        {
            return Err(c.error(
                format!("{key}.name"),
                None,
                format!("two tiers are named '{name}'"),
            ));
        }
        for program in &tier.programs {
            if !programs.contains_key(program) {
                // A warning, not an error: a menu item without a price is
                // still an entitlement (it costs 0 in the report).
                let mut message = format!(
                    "{key}.programs: '{program}' is not in [programs], so it has no label or cost"
                );
                if let Some(best) =
                    crate::suggest::closest(program, programs.keys().map(String::as_str))
                {
                    message.push_str(&format!(" (did you mean '{best}'?)"));
                }
                warnings.push(message);
            }
        }
        if let Some(rate) = tier.win_rate {
            if !(0.0..=1.0).contains(&rate) {
                return Err(c.error(
                    format!("{key}.win_rate"),
                    None,
                    format!("{rate} is not a rate between 0 and 1 (write 0.30 for 30%)"),
                ));
            }
        }
        let when = c.condition(format!("{key}.when"), &tier.when, Phase::Tier)?;
        tiers.push(Tier {
            name,
            label: tier.label.clone().unwrap_or_default(),
            style: tier.style.clone().unwrap_or_default(),
            when,
            per_account: tier.per_account,
            accounts_per_seller: tier.accounts_per_seller,
            max_accounts: tier.max_accounts,
            win_rate: tier.win_rate.unwrap_or(0.0),
            research: tier.research.clone(),
            exec_sponsor: tier.exec_sponsor,
            personalization: tier.personalization.clone(),
            programs: tier.programs.clone(),
        });
    }
    Ok(tiers)
}

fn compile_segments(
    c: &Compiler,
    raw: &[RawSegment],
    tiers: &[Tier],
) -> Result<Vec<Segment>, SpecError> {
    let scope = signals::scope(&c.fields, Phase::Segment);
    let mut segments = Vec::new();
    for (i, segment) in raw.iter().enumerate() {
        let key = format!("segments[{}]", i + 1);
        let rule = match (&segment.when, &segment.group_by) {
            (Some(when), None) => {
                SegmentRule::When(c.condition(format!("{key}.when"), when, Phase::Segment)?)
            }
            (None, Some(group_by)) => {
                let name = group_by.get_ref().trim().trim_matches('`').to_string();
                let ty = scope.get(&name).ok_or_else(|| {
                    let mut message = format!("unknown field or signal '{name}'");
                    if let Some(best) = crate::suggest::closest(&name, scope.names()) {
                        message.push_str(&format!(" (did you mean '{best}'?)"));
                    }
                    c.error(format!("{key}.group_by"), Some(c.line(group_by)), message)
                })?;
                SegmentRule::GroupBy { name, ty }
            }
            _ => {
                return Err(c.error(
                    key,
                    None,
                    format!(
                        "segment '{}' needs either `when` or `group_by`",
                        segment.name
                    ),
                ))
            }
        };
        let mut canonical = Vec::new();
        for tier in &segment.tiers {
            match tiers
                .iter()
                .find(|t| t.name.to_lowercase() == tier.trim().to_lowercase())
            {
                Some(t) => canonical.push(t.name.clone()),
                None => {
                    let mut message = format!("unknown tier '{tier}'");
                    if let Some(best) =
                        crate::suggest::closest(tier, tiers.iter().map(|t| t.name.as_str()))
                    {
                        message.push_str(&format!(" (did you mean '{best}'?)"));
                    }
                    return Err(c.error(format!("{key}.tiers"), None, message));
                }
            }
        }
        segments.push(Segment {
            name: segment.name.clone(),
            rule,
            tiers: canonical,
            objective: segment.objective.clone(),
            offer: segment.offer.clone(),
            channels: segment.channels.clone(),
        });
    }
    Ok(segments)
}

/// `[overrides]`: a file of pins, or (for `tal sql`) a warehouse table.
fn compile_overrides(
    c: &Compiler,
    raw: Option<&RawOverrides>,
    dir: &Path,
) -> Result<(Option<PathBuf>, Option<Table>), SpecError> {
    let Some(raw) = raw else {
        return Ok((None, None));
    };
    match (&raw.path, &raw.table) {
        (Some(path), None) => {
            if let Some(order_by) = &raw.order_by {
                return Err(c.error(
                    "overrides.order_by",
                    Some(c.line(order_by)),
                    "`order_by` does not apply to a file (its rows are in file order): remove it",
                ));
            }
            Ok((Some(dir.join(path.get_ref())), None))
        }
        (None, Some(table)) => Ok((
            None,
            Some(Table {
                name: table.get_ref().trim().to_string(),
                order_by: raw
                    .order_by
                    .as_ref()
                    .map(|o| o.get_ref().trim().to_string()),
            }),
        )),
        (Some(path), Some(_)) => Err(c.error(
            "overrides.table",
            Some(c.line(path)),
            "give either `path` (a file) or `table` (a warehouse table), not both",
        )),
        (None, None) => Err(c.error(
            "overrides",
            None,
            "missing `path` (the pins file) or `table` (a warehouse table, for tal sql)",
        )),
    }
}

/// TAL columns a CRM export may name.
pub const EXPORT_COLUMNS: &[&str] = &[
    "account_id",
    "domain",
    "name",
    "rank",
    "tier",
    "tier_label",
    "tier_number",
    "tier_code",
    "in_tal",
    "style",
    "fit",
    "fit_grade",
    "acv",
    "acv_band",
    "intent_score",
    "intent_topics",
    "intent_topic_count",
    "engagement_score",
    "last_engaged",
    "personas_engaged",
    "stage",
    "segments",
    "demoted_from",
    "status",
    "reasons",
];

fn compile_export(c: &Compiler, raw: Option<&RawExport>) -> Result<Option<CrmExport>, SpecError> {
    let Some(crm) = raw.and_then(|e| e.crm.as_ref()) else {
        return Ok(None);
    };
    for (crm_column, tal_column) in &crm.columns {
        if !EXPORT_COLUMNS.contains(&tal_column.as_str()) && !c.fields.contains_key(tal_column) {
            let candidates = EXPORT_COLUMNS
                .iter()
                .copied()
                .chain(c.fields.keys().map(String::as_str));
            let mut message = format!("'{crm_column}' maps to unknown column '{tal_column}'");
            if let Some(best) = crate::suggest::closest(tal_column, candidates) {
                message.push_str(&format!(" (did you mean '{best}'?)"));
            }
            return Err(c.error("export.crm.columns", None, message));
        }
    }
    Ok(Some(CrmExport {
        changed_only: crm.changed_only,
        columns: crm.columns.clone(),
    }))
}
