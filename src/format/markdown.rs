//! Text from data inside Markdown: in a table cell, a heading or a line,
//! it reads as the text itself and never as markup or HTML (an account
//! named `<img src=x onerror=...>` is shown, not rendered). One rule for
//! every Markdown output: the report, `tal diff`, `tal icp discover`,
//! `tal maturity`.

/// `text` for a Markdown line or pipe-table cell: `&`, `<` and `>` as
/// entities; `\`, `*`, `[`, `]`, `~`, `|` and `_` (but inside a word, as
/// in `over_budget`) backslash-escaped; line breaks as spaces; control
/// characters shown escaped. Backticks stay: the outputs' own code spans
/// use them.
pub fn inline(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let word = |j: Option<&char>| j.is_some_and(|c| c.is_alphanumeric());
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' | '\r' => out.push(' '),
            '*' | '[' | ']' | '\\' | '~' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '_' => {
                let before = i.checked_sub(1).and_then(|j| chars.get(j));
                if !(word(before) && word(chars.get(i + 1))) {
                    out.push('\\');
                }
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    super::terminal::printable(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_reads_as_text() {
        assert_eq!(
            inline("<script>alert(1)</script> & co"),
            "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"
        );
        assert_eq!(
            inline("a|b *c* [x](y) _z_ over_budget"),
            "a\\|b \\*c\\* \\[x\\](y) \\_z\\_ over_budget"
        );
        assert_eq!(inline("two\nlines\u{1b}[2J"), "two lines\\x1b\\[2J");
    }
}
