//! The empty answers file `tal maturity --template` writes: all 25 ids in
//! grid order with `""` answers, each with its dimension, its stage names
//! (English and Portuguese) and its practice as comments — in the chosen
//! language first, the other one below. A `.csv` destination gets the CSV
//! form instead: one row per practice with its dimension, stage and
//! practice beside the empty answer columns (read past when answered).

use std::io::Write;

use anyhow::Result;

use super::model::{Lang, Practice, DIMENSIONS, PRACTICES, STAGES};

fn other(lang: Lang) -> Lang {
    match lang {
        Lang::En => Lang::Pt,
        Lang::Pt => Lang::En,
    }
}

/// "Aware / Consciente", in the chosen language first.
fn stage_names(stage: usize, lang: Lang) -> String {
    let name = &STAGES[stage];
    format!("{} / {}", name.get(lang), name.get(other(lang)))
}

fn derived_mark(practice: &Practice) -> &'static str {
    if practice.derived {
        " (*)"
    } else {
        ""
    }
}

/// The TOML template.
pub fn write_toml(out: &mut dyn Write, lang: Lang) -> Result<()> {
    let header = match lang {
        Lang::En => HEADER_EN,
        Lang::Pt => HEADER_PT,
    };
    out.write_all(header.as_bytes())?;
    let stages: Vec<String> = (1..=5)
        .map(|s| format!("{s} {}", stage_names(s, lang)))
        .collect();
    writeln!(out, "#   {}", stages[..3].join(", "))?;
    writeln!(out, "#   {}", stages[3..].join(", "))?;
    writeln!(out)?;
    writeln!(out, "[meta]")?;
    writeln!(out, "organization = \"\"")?;
    writeln!(out, "respondent = \"\"")?;
    writeln!(out, "date = \"\"              # YYYY-MM-DD")?;
    writeln!(out)?;
    writeln!(out, "[answers]")?;
    let word = lang.pick("stage", "estágio");
    for (d, dimension) in DIMENSIONS.iter().enumerate() {
        writeln!(out)?;
        let title = format!(
            "{} / {}",
            dimension.name.get(lang),
            dimension.name.get(other(lang))
        );
        writeln!(
            out,
            "# ── {title} {}",
            "─".repeat(60_usize.saturating_sub(title.chars().count()))
        )?;
        for practice in PRACTICES.iter().filter(|p| p.dimension == d) {
            writeln!(
                out,
                "# {} · {word} {} {}{}",
                practice.id,
                practice.stage,
                stage_names(practice.stage, lang),
                derived_mark(practice)
            )?;
            writeln!(out, "#   {}", capitalized(practice.text.get(lang)))?;
            writeln!(
                out,
                "#   {}: {}",
                other(lang).code(),
                capitalized(practice.text.get(other(lang)))
            )?;
            writeln!(out, "{} = \"\"", practice.id)?;
        }
    }
    Ok(())
}

fn capitalized(text: &str) -> String {
    super::model::capitalized(text)
}

/// The CSV template.
pub fn write_csv(out: &mut dyn Write, lang: Lang) -> Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record([
        "id",
        "dimension",
        "stage",
        "practice",
        "answer",
        "outside_tal",
        "note",
    ])?;
    for practice in &PRACTICES {
        let stage = format!("{} {}", practice.stage, STAGES[practice.stage].get(lang));
        writer.write_record([
            practice.id,
            practice.dimension().name.get(lang),
            &stage,
            &format!(
                "{}{}",
                capitalized(practice.text.get(lang)),
                derived_mark(practice)
            ),
            "",
            "",
            "",
        ])?;
    }
    writer.flush()?;
    Ok(())
}

const HEADER_EN: &str = r#"# ABM maturity self-assessment, for `tal maturity --answers FILE`.
#
# Answer each practice "yes", "partly" or "no" (or "sim", "parcial", "não").
# Leave "" where you cannot say: tal then takes the data's word. tal checks
# every answer against the spec, the exports and the build history; a "yes"
# the data contradicts counts as partly. A practice run with a tool tal does
# not read can say so:
#   da3 = { answer = "yes", outside_tal = true, note = "6sense intent, not in tal" }
#
# A dimension's stage is the highest stage whose practices, and those of every
# stage below it, are all met. (*) marks the practices derived from the model's
# narrative rather than its stage lists.
#
# Stages:
"#;

const HEADER_PT: &str = r#"# Autoavaliação de maturidade em Marketing Baseado em Contas (MBC), para
# `tal maturity --answers ARQUIVO`.
#
# Responda cada prática com "sim", "parcial" ou "não" (ou "yes", "partly", "no").
# Deixe "" quando não souber: o tal usa então o que os dados mostram. O tal
# confere cada resposta com a spec, os exports e o histórico de builds; um
# "sim" que os dados contradizem conta como parcial. Uma prática feita com uma
# ferramenta que o tal não lê pode dizer isso:
#   da3 = { answer = "sim", outside_tal = true, note = "intenção da 6sense, fora do tal" }
#
# O estágio de uma dimensão é o mais alto cujas práticas, e as de todos os
# estágios abaixo dele, estão todas atendidas. (*) marca as práticas derivadas
# da narrativa do modelo, e não das suas listas por estágio.
#
# Estágios:
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::maturity::answers;

    /// The template reads back as 25 unanswered practices, in both forms
    /// and both languages.
    #[test]
    fn templates_read_back_unanswered() {
        for lang in [Lang::En, Lang::Pt] {
            let mut toml = Vec::new();
            write_toml(&mut toml, lang).unwrap();
            let text = String::from_utf8(toml).unwrap();
            let read = answers::parse_toml(&text, "t.toml").unwrap();
            assert_eq!(read, answers::Answers::default());
            let ids: Vec<&str> = text
                .lines()
                .filter_map(|l| l.strip_suffix(" = \"\""))
                .filter(|l| l.len() == 3)
                .collect();
            assert_eq!(ids, super::super::model::ids().collect::<Vec<_>>());
            let mut csv = Vec::new();
            write_csv(&mut csv, lang).unwrap();
            let text = String::from_utf8(csv).unwrap();
            assert_eq!(text.lines().count(), 26);
            let read = answers::parse_csv(&text, "t.csv").unwrap();
            assert_eq!(read, answers::Answers::default());
        }
    }

    #[test]
    fn template_comments_name_practice_and_stages() {
        let mut out = Vec::new();
        write_toml(&mut out, Lang::Pt).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains(
            "# da1 · estágio 1 Consciente / Aware\n#   Identificando que tipo de contas e características chaves fazem sentido para o negócio\n#   en: Account types and key traits identified\nda1 = \"\"\n"
        ), "{text}");
        assert!(text.contains("# ── Dados & Contas / Data & Accounts"));
        assert!(text.contains("# mc4 · estágio 4 Maduro / Mature (*)\n"));
    }
}
