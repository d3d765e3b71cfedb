//! Splits source text into tokens, each with its line and column (1-based,
//! counted in chars so columns match what an editor shows for non-ASCII
//! text). Keywords are recognised in any case. Strings take single or double
//! quotes, with `\'`, `\"` and `\\` as the only escapes (any other backslash
//! is an error, so a typo never silently changes a value). Numbers are
//! `5`, `5.5`, `.5` and `1e6`; no signs (`-` is an operator), no `_` or `,`
//! separators. Names that are not plain identifiers go in backticks.

use super::ast::{ArithOp, CmpOp, Pos};
use super::ExprError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kw {
    And,
    Or,
    Not,
    In,
    Has,
    HasAny,
    Is,
    Null,
    True,
    False,
}

/// Punctuation; operators reuse the AST's operator enums.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sym {
    Arith(ArithOp),
    Cmp(CmpOp),
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TokKind {
    Num(f64),
    Str(String),
    /// A plain or backtick-quoted name.
    Ident(String),
    Kw(Kw),
    Sym(Sym),
    Eof,
}

#[derive(Clone, Debug)]
pub struct Token {
    pub kind: TokKind,
    pub pos: Pos,
    /// The source text, for messages like "unexpected 'foo'".
    pub text: String,
}

impl Token {
    /// How messages refer to the token.
    pub fn describe(&self) -> String {
        match self.kind {
            TokKind::Eof => "the end of the expression".to_string(),
            _ => format!("'{}'", self.text),
        }
    }
}

/// Tokenises `src`; the last token is always `Eof`, placed just after the
/// last real token so "expected a value after 'and'" points past the `and`.
pub fn lex(src: &str) -> Result<Vec<Token>, ExprError> {
    let mut lx = Lexer {
        chars: src.chars().collect(),
        i: 0,
        pos: Pos { line: 1, col: 1 },
    };
    let mut tokens = Vec::new();
    let mut end = lx.pos;
    loop {
        lx.skip_space();
        let Some(c) = lx.peek(0) else { break };
        let start = (lx.i, lx.pos);
        let kind = lx.token(c)?;
        let text: String = lx.chars[start.0..lx.i].iter().collect();
        tokens.push(Token {
            kind,
            pos: start.1,
            text,
        });
        end = lx.pos;
    }
    tokens.push(Token {
        kind: TokKind::Eof,
        pos: end,
        text: String::new(),
    });
    Ok(tokens)
}

struct Lexer {
    chars: Vec<char>,
    i: usize,
    pos: Pos,
}

fn err<T>(pos: Pos, message: impl Into<String>) -> Result<T, ExprError> {
    Err(ExprError {
        pos,
        message: message.into(),
    })
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

impl Lexer {
    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.i + ahead).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek(0)?;
        self.i += 1;
        if c == '\n' {
            self.pos.line += 1;
            self.pos.col = 1;
        } else {
            self.pos.col += 1;
        }
        Some(c)
    }

    fn bump_while(&mut self, pred: impl Fn(char) -> bool) {
        while self.peek(0).is_some_and(&pred) {
            self.bump();
        }
    }

    fn skip_space(&mut self) {
        self.bump_while(char::is_whitespace);
    }

    fn token(&mut self, c: char) -> Result<TokKind, ExprError> {
        match c {
            '"' | '\'' => self.string(c),
            '`' => self.quoted_ident(),
            '0'..='9' => self.number(),
            '.' if self.peek(1).is_some_and(|d| d.is_ascii_digit()) => self.number(),
            c if c.is_ascii_alphabetic() || c == '_' => Ok(self.word()),
            _ => self.symbol(c),
        }
    }

    fn word(&mut self) -> TokKind {
        let start = self.i;
        self.bump_while(is_word_char);
        let word: String = self.chars[start..self.i].iter().collect();
        match keyword(&word) {
            Some(kw) => TokKind::Kw(kw),
            None => TokKind::Ident(word),
        }
    }

    fn number(&mut self) -> Result<TokKind, ExprError> {
        let (start, pos) = (self.i, self.pos);
        self.bump_while(|c| c.is_ascii_digit());
        if self.peek(0) == Some('.') {
            self.bump();
            self.bump_while(|c| c.is_ascii_digit());
        }
        self.exponent();
        // `1_000`, `5abc`, `1.2.3`: report the whole run, not a confusing tail.
        let bad = self.peek(0).is_some_and(|c| is_word_char(c) || c == '.');
        self.bump_while(|c| is_word_char(c) || c == '.');
        let text: String = self.chars[start..self.i].iter().collect();
        match text.parse::<f64>() {
            Ok(n) if !bad && n.is_finite() => Ok(TokKind::Num(n)),
            Ok(_) if !bad => err(pos, format!("number '{text}' is too large")),
            _ => err(pos, format!("invalid number '{text}'")),
        }
    }

    /// Consumes `e6`, `E-3`... only when digits follow, so `1e` stays invalid.
    fn exponent(&mut self) {
        if !matches!(self.peek(0), Some('e' | 'E')) {
            return;
        }
        let sign = usize::from(matches!(self.peek(1), Some('+' | '-')));
        if self.peek(1 + sign).is_some_and(|c| c.is_ascii_digit()) {
            for _ in 0..=sign {
                self.bump();
            }
            self.bump_while(|c| c.is_ascii_digit());
        }
    }

    fn string(&mut self, quote: char) -> Result<TokKind, ExprError> {
        let pos = self.pos;
        self.bump();
        let mut out = String::new();
        loop {
            let esc_pos = self.pos;
            match self.bump() {
                None => return err(pos, "unterminated string"),
                Some(c) if c == quote => return Ok(TokKind::Str(out)),
                Some('\\') => match self.bump() {
                    Some(c @ ('\'' | '"' | '\\')) => out.push(c),
                    other => {
                        let shown: String = other.into_iter().collect();
                        let msg = format!(
                            "unknown escape '\\{shown}' in a string (write \\\\ for a backslash)"
                        );
                        return err(esc_pos, msg);
                    }
                },
                Some(c) => out.push(c),
            }
        }
    }

    fn quoted_ident(&mut self) -> Result<TokKind, ExprError> {
        let pos = self.pos;
        self.bump();
        let mut name = String::new();
        loop {
            match self.bump() {
                None => return err(pos, "unterminated name (missing closing '`')"),
                Some('`') if name.is_empty() => return err(pos, "empty name in backticks"),
                Some('`') => return Ok(TokKind::Ident(name)),
                Some(c) => name.push(c),
            }
        }
    }

    fn symbol(&mut self, c: char) -> Result<TokKind, ExprError> {
        let two = self.peek(1) == Some('=');
        let (sym, len) = match (c, two) {
            ('=', true) => (Sym::Cmp(CmpOp::Eq), 2),
            ('!', true) => (Sym::Cmp(CmpOp::Ne), 2),
            ('<', true) => (Sym::Cmp(CmpOp::Le), 2),
            ('>', true) => (Sym::Cmp(CmpOp::Ge), 2),
            ('<', false) => (Sym::Cmp(CmpOp::Lt), 1),
            ('>', false) => (Sym::Cmp(CmpOp::Gt), 1),
            ('+', _) => (Sym::Arith(ArithOp::Add), 1),
            ('-', _) => (Sym::Arith(ArithOp::Sub), 1),
            ('*', _) => (Sym::Arith(ArithOp::Mul), 1),
            ('/', _) => (Sym::Arith(ArithOp::Div), 1),
            ('(', _) => (Sym::LParen, 1),
            (')', _) => (Sym::RParen, 1),
            ('[', _) => (Sym::LBracket, 1),
            (']', _) => (Sym::RBracket, 1),
            (',', _) => (Sym::Comma, 1),
            _ => return err(self.pos, unknown_char(c)),
        };
        for _ in 0..len {
            self.bump();
        }
        Ok(TokKind::Sym(sym))
    }
}

const KEYWORDS: [(&str, Kw); 10] = [
    ("and", Kw::And),
    ("or", Kw::Or),
    ("not", Kw::Not),
    ("in", Kw::In),
    ("has", Kw::Has),
    ("has_any", Kw::HasAny),
    ("is", Kw::Is),
    ("null", Kw::Null),
    ("true", Kw::True),
    ("false", Kw::False),
];

/// The keyword `word` spells, in any case.
pub fn keyword(word: &str) -> Option<Kw> {
    KEYWORDS
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(word))
        .map(|&(_, kw)| kw)
}

/// The message for a character no token starts with, with a hint for the
/// operators people bring from other languages.
fn unknown_char(c: char) -> String {
    let hint = match c {
        '=' => " (compare with '==')",
        '!' => " (write '!=' or 'not')",
        '&' => " (write 'and')",
        '|' => " (write 'or')",
        c if c.is_alphanumeric() => " (write names with other characters in backticks: `Name`)",
        _ => "",
    };
    format!("unexpected character '{c}'{hint}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<TokKind> {
        lex(src).unwrap().into_iter().map(|t| t.kind).collect()
    }

    fn lex_err(src: &str) -> String {
        lex(src).unwrap_err().to_string()
    }

    #[test]
    fn numbers() {
        use TokKind::Num;
        assert_eq!(kinds("5 5.5 .5 1e6 2.5E-3 7."), {
            let v = [5.0, 5.5, 0.5, 1e6, 2.5e-3, 7.0];
            let mut k: Vec<_> = v.into_iter().map(Num).collect();
            k.push(TokKind::Eof);
            k
        });
        assert_eq!(lex_err("1_000"), "1:1: invalid number '1_000'");
        assert_eq!(lex_err("x > 5abc"), "1:5: invalid number '5abc'");
        assert_eq!(lex_err("1.2.3"), "1:1: invalid number '1.2.3'");
        assert_eq!(lex_err("1e"), "1:1: invalid number '1e'");
        assert_eq!(lex_err("1e999"), "1:1: number '1e999' is too large");
    }

    #[test]
    fn strings_and_escapes() {
        assert_eq!(
            kinds(r#"'it\'s' "say \"hi\"" 'a\\b' "it's""#),
            vec![
                TokKind::Str("it's".into()),
                TokKind::Str("say \"hi\"".into()),
                TokKind::Str("a\\b".into()),
                TokKind::Str("it's".into()),
                TokKind::Eof
            ]
        );
        assert_eq!(
            lex_err(r#"x == "C:\dir""#),
            "1:9: unknown escape '\\d' in a string (write \\\\ for a backslash)"
        );
        assert_eq!(lex_err("x == 'abc"), "1:6: unterminated string");
    }

    #[test]
    fn keywords_any_case_and_names() {
        assert_eq!(
            kinds("AND Has_Any `Annual Revenue` `and` is_customer"),
            vec![
                TokKind::Kw(Kw::And),
                TokKind::Kw(Kw::HasAny),
                TokKind::Ident("Annual Revenue".into()),
                TokKind::Ident("and".into()),
                TokKind::Ident("is_customer".into()),
                TokKind::Eof
            ]
        );
        assert_eq!(
            lex_err("`abc"),
            "1:1: unterminated name (missing closing '`')"
        );
        assert_eq!(lex_err("a == ``"), "1:6: empty name in backticks");
    }

    #[test]
    fn positions_count_chars_and_lines() {
        let toks = lex("«x» == 1\n  and\tb").unwrap_err();
        assert_eq!(toks.to_string(), "1:1: unexpected character '«'");
        let toks = lex("`é` == 1\n  and b  ").unwrap();
        let at: Vec<_> = toks.iter().map(|t| (t.pos.line, t.pos.col)).collect();
        assert_eq!(at, [(1, 1), (1, 5), (1, 8), (2, 3), (2, 7), (2, 8)]);
    }

    #[test]
    fn unknown_characters_have_hints() {
        assert_eq!(
            lex_err("a = 1"),
            "1:3: unexpected character '=' (compare with '==')"
        );
        assert_eq!(
            lex_err("a && b"),
            "1:3: unexpected character '&' (write 'and')"
        );
        assert_eq!(
            lex_err("país == 1"),
            "1:3: unexpected character 'í' (write names with other characters in backticks: `Name`)"
        );
    }
}
