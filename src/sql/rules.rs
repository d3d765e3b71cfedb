//! The plan's rules in SQL, phase by phase, each CTE adding the signals the
//! next phase may read: the fit criteria's points, the fit (rounded half
//! away from zero to one decimal, as displayed), grade and high fit; the
//! ACV, where it came from and its band; the stage; the first exclude and
//! the first tier rule that hold.

use super::Query;

pub fn write(q: &mut Query) {
    let w = q.cond();
    let plan = q.plan;
    // Fit criteria: the first band that holds gives its points.
    let mut points = vec!["s.*".to_string()];
    for (i, criterion) in plan.criteria.iter().enumerate() {
        let bands: Vec<String> = (criterion.bands.iter())
            .map(|(cond, p)| format!("WHEN {} THEN {}", w.cond(cond), q.number(*p)))
            .collect();
        points.push(format!(
            "CASE {} ELSE {} END AS tal_c{i}",
            bands.join(" "),
            q.number(0.0)
        ));
    }
    q.cte(
        "tal_points",
        format!("SELECT {}\nFROM tal_signals s", points.join(",\n  ")),
    );
    let earned = if plan.criteria.is_empty() {
        q.number(0.0)
    } else {
        let sum: Vec<String> = (0..plan.criteria.len())
            .map(|i| format!("tal_c{i}"))
            .collect();
        format!("({})", sum.join(" + "))
    };
    let fit = if plan.possible > 0.0 {
        q.round(
            &format!(
                "({} * {earned} / {})",
                q.number(100.0),
                q.number(plan.possible)
            ),
            1,
        )
    } else {
        q.number(0.0)
    };
    q.cte(
        "tal_fit",
        format!("SELECT p.*, {fit} AS tal_fit\nFROM tal_points p"),
    );
    let grades: Vec<String> = (plan.grades.iter())
        .map(|(name, min)| format!("WHEN tal_fit >= {} THEN {}", q.number(*min), q.string(name)))
        .collect();
    let grade = if grades.is_empty() {
        q.string(crate::spec::plan::LOWEST_GRADE)
    } else {
        format!(
            "CASE {} ELSE {} END",
            grades.join(" "),
            q.string(crate::spec::plan::LOWEST_GRADE)
        )
    };
    q.cte(
        "tal_grade",
        format!(
            "SELECT f.*, {grade} AS tal_fit_grade, (tal_fit >= {}) AS tal_high_fit\nFROM tal_fit f",
            q.number(plan.high)
        ),
    );
    // ACV: the field when above 0, else the first estimate, else the default.
    let acv = &plan.acv;
    let mut values = Vec::new();
    let mut sources = Vec::new();
    if let Some(from) = &acv.from {
        let field = q.names.column(from);
        values.push(format!("WHEN {field} > {} THEN {field}", q.number(0.0)));
        sources.push(format!("WHEN {field} > {} THEN -1", q.number(0.0)));
    }
    for (i, (cond, value)) in acv.estimates.iter().enumerate() {
        let cond = w.cond(cond);
        values.push(format!("WHEN {cond} THEN {}", q.number(*value)));
        sources.push(format!("WHEN {cond} THEN {i}"));
    }
    let first = |cases: &[String], default: String| {
        if cases.is_empty() {
            default
        } else {
            format!("CASE {} ELSE {default} END", cases.join(" "))
        }
    };
    q.cte(
        "tal_acv0",
        format!(
            "SELECT g.*, {} AS tal_acv, {} AS tal_acv_source\nFROM tal_grade g",
            first(&values, q.number(acv.default)),
            first(&sources, "-2".to_string())
        ),
    );
    q.cte(
        "tal_acv",
        format!(
            "SELECT a.*, CASE WHEN tal_acv >= {} THEN 'large' WHEN tal_acv >= {} THEN 'medium' ELSE 'small' END AS tal_acv_band\nFROM tal_acv0 a",
            q.number(acv.large),
            q.number(acv.medium)
        ),
    );
    let stages: Vec<String> = (plan.stages.iter())
        .map(|(name, cond)| format!("WHEN {} THEN {}", w.cond(cond), q.string(name)))
        .collect();
    q.cte(
        "tal_stage",
        format!(
            "SELECT a.*, {} AS tal_stage\nFROM tal_acv a",
            first(&stages, q.string(crate::spec::plan::NO_STAGE))
        ),
    );
    let index = |conds: &[crate::expr::Cond]| {
        let cases: Vec<String> = (conds.iter().enumerate())
            .map(|(i, cond)| format!("WHEN {} THEN {i}", w.cond(cond)))
            .collect();
        first(&cases, q.null(q.dialect.bigint()))
    };
    q.cte(
        "tal_rules",
        format!(
            "SELECT s.*, {} AS tal_excluded_by, {} AS tal_matched\nFROM tal_stage s",
            index(&plan.excludes),
            index(&plan.tiers)
        ),
    );
}
