//! Reading CSV answers: the header `id,answer,outside_tal,note` (any order
//! and case), one practice per row, each id once.

use super::{error, parse_word, unknown_id, Answers, Response};
use crate::input::read;
use crate::maturity::model::{self, PRACTICES};
use crate::spec::SpecError;
use crate::value;

/// Columns of a CSV answers file; the last three are the template's aids.
const CSV_COLUMNS: &[&str] = &[
    "id",
    "answer",
    "outside_tal",
    "note",
    "dimension",
    "stage",
    "practice",
];

/// Parses CSV answers. `file` is only used in messages.
pub fn parse_csv(text: &str, file: &str) -> Result<Answers, SpecError> {
    let mut rdr = read::reader(text, read::sniff_delimiter(text));
    let mut record = csv::StringRecord::new();
    let csv_error = |err: csv::Error| error(file, None, "", err.to_string());
    if !rdr.read_record(&mut record).map_err(csv_error)? {
        return Err(error(
            file,
            Some(1),
            "",
            "the file is empty: it needs the header id,answer,outside_tal,note",
        ));
    }
    let headers: Vec<String> = record
        .iter()
        .map(|h| {
            h.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
                .to_lowercase()
        })
        .collect();
    for header in &headers {
        if !CSV_COLUMNS.contains(&header.as_str()) {
            let mut message = format!("unknown column '{header}'");
            match crate::suggest::closest(header, CSV_COLUMNS[..4].iter().copied()) {
                Some(best) => message.push_str(&format!(" (did you mean '{best}'?)")),
                None => message.push_str(" (the columns are id, answer, outside_tal, note)"),
            }
            return Err(error(file, Some(1), "header", message));
        }
    }
    let column = |name: &str| headers.iter().position(|h| h == name);
    let (Some(id_col), Some(answer_col)) = (column("id"), column("answer")) else {
        return Err(error(
            file,
            Some(1),
            "header",
            format!(
                "the columns id and answer are needed (and optionally outside_tal, note); the header is: {}",
                headers.join(",")
            ),
        ));
    };
    let (outside_col, note_col) = (column("outside_tal"), column("note"));
    let mut answers = Answers::default();
    // The line each practice was answered on.
    let mut seen: Vec<Option<u64>> = vec![None; PRACTICES.len()];
    while rdr.read_record(&mut record).map_err(csv_error)? {
        if read::is_blank(&record) {
            continue;
        }
        let at = read::record_line(text, &record);
        let line = Some(at as usize);
        let cell = |i: usize| read::cell(&record, i).unwrap_or_default();
        let id = cell(id_col);
        if id.is_empty() {
            return Err(error(file, line, "id", "no question id on this line"));
        }
        let Some(index) = model::practice_index(id) else {
            return Err(error(file, line, "id", unknown_id(id)));
        };
        if let Some(first) = seen[index] {
            return Err(error(
                file,
                line,
                "id",
                format!("'{id}' is answered twice: on line {first} and on line {at}"),
            ));
        }
        seen[index] = Some(at);
        let answer =
            parse_word(cell(answer_col)).map_err(|message| error(file, line, "answer", message))?;
        let outside_tal = match outside_col.map(cell).unwrap_or_default() {
            "" => false,
            raw => value::parse_bool(raw).ok_or_else(|| {
                error(
                    file,
                    line,
                    "outside_tal",
                    format!("'{raw}' is not true or false"),
                )
            })?,
        };
        let note = note_col
            .map(cell)
            .filter(|n| !n.is_empty())
            .map(str::to_string);
        answers.responses[index] = Response {
            answer,
            outside_tal,
            note,
        };
    }
    Ok(answers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::maturity::answers::Answer;

    fn csv_err(text: &str) -> String {
        parse_csv(text, "answers.csv").unwrap_err().to_string()
    }

    #[test]
    fn csv_answers() {
        let text = "id;answer;outside_tal;note\nda1;yes;;\n\nda3;sim;true;6sense\nmt2;;;\n";
        let answers = parse_csv(text, "a.csv").unwrap();
        assert_eq!(answers.responses[0].answer, Some(Answer::Yes));
        assert_eq!(
            answers.responses[2],
            Response {
                answer: Some(Answer::Yes),
                outside_tal: true,
                note: Some("6sense".into())
            }
        );
        assert_eq!(answers.responses[16], Response::default());
        // The template's aid columns are read past; columns in any order.
        let text = "dimension,stage,practice,id,answer\nData,1,x,da2,no\n";
        let answers = parse_csv(text, "a.csv").unwrap();
        assert_eq!(answers.responses[1].answer, Some(Answer::No));
    }

    #[test]
    fn csv_mistakes() {
        assert_eq!(
            csv_err("id,answer\nda1,yes\nmc2,no\nda1,no\n"),
            "answers.csv line 4: id: 'da1' is answered twice: on line 2 and on line 4"
        );
        assert_eq!(
            csv_err("id,answer\nmc7,yes\n"),
            "answers.csv line 2: id: unknown question id 'mc7' (did you mean 'mc5'?)"
        );
        assert_eq!(
            csv_err("id,answer\nmc1,partially\n"),
            "answers.csv line 2: answer: unknown answer 'partially': write yes, partly or no (or sim, parcial, não), or \"\" to leave it unanswered (did you mean 'partly'?)"
        );
        assert_eq!(
            csv_err("id,anwser\n"),
            "answers.csv line 1: header: unknown column 'anwser' (did you mean 'answer'?)"
        );
        assert_eq!(
            csv_err("id,note\n"),
            "answers.csv line 1: header: the columns id and answer are needed (and optionally outside_tal, note); the header is: id,note"
        );
        assert_eq!(
            csv_err("id,answer,outside_tal\nda1,yes,maybe\n"),
            "answers.csv line 2: outside_tal: 'maybe' is not true or false"
        );
    }
}
