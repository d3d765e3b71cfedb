//! Recursive-descent parser for the grammar in SPEC.md "Expressions", one
//! function per rule. Comparisons do not chain (`a < b < c` is an error that
//! says so), a list may end with a trailing comma, and `-` directly before a
//! number is folded into the literal. Nesting and size are capped so that no
//! input can overflow the stack here or in the recursive passes that follow.

use super::ast::{ArithOp, Expr, Ident, Literal, Pos};
use super::lexer::{lex, Kw, Sym, TokKind, Token};
use super::ExprError;

/// Deepest nesting of parentheses, `not` and `-` (each costs several stack frames).
const MAX_NESTING: usize = 64;
/// Most operator nodes in one expression. This bounds the depth of the tree,
/// and so the recursion of every pass over it (checking, printing, lowering),
/// which in debug builds takes a few KB of stack per level.
const MAX_NODES: usize = 256;

/// Parses one expression; the whole input must be consumed.
pub fn parse(src: &str) -> Result<Expr, ExprError> {
    let mut p = Parser {
        toks: lex(src)?,
        i: 0,
        nesting: 0,
        nodes: 0,
    };
    if p.peek().kind == TokKind::Eof {
        return Err(p.error_at("empty expression".into()));
    }
    let expr = p.or()?;
    let tok = p.peek();
    if tok.kind != TokKind::Eof {
        let msg = format!(
            "unexpected {} after the end of the expression",
            tok.describe()
        );
        return Err(p.error_at(msg));
    }
    Ok(expr)
}

struct Parser {
    toks: Vec<Token>,
    i: usize,
    nesting: usize,
    nodes: usize,
}

impl Parser {
    fn peek(&self) -> &Token {
        // `lex` always ends with Eof and `bump` never moves past it.
        &self.toks[self.i.min(self.toks.len() - 1)]
    }

    fn peek_kind(&self, ahead: usize) -> &TokKind {
        let i = (self.i + ahead).min(self.toks.len() - 1);
        &self.toks[i].kind
    }

    fn bump(&mut self) -> Token {
        let tok = self.peek().clone();
        if tok.kind != TokKind::Eof {
            self.i += 1;
        }
        tok
    }

    fn eat(&mut self, kind: TokKind) -> bool {
        let hit = *self.peek_kind(0) == kind;
        if hit {
            self.bump();
        }
        hit
    }

    fn eat_kw(&mut self, kw: Kw) -> bool {
        self.eat(TokKind::Kw(kw))
    }

    fn eat_sym(&mut self, sym: Sym) -> bool {
        self.eat(TokKind::Sym(sym))
    }

    fn error_at(&self, message: String) -> ExprError {
        ExprError {
            pos: self.peek().pos,
            message,
        }
    }

    /// "expected X after 'prev', found Y", leaving out the parts that do not apply.
    fn expected(&self, what: &str) -> ExprError {
        let mut msg = format!("expected {what}");
        if let Some(prev) = self.i.checked_sub(1).map(|i| &self.toks[i]) {
            msg += &format!(" after '{}'", prev.text);
        }
        self.found(msg)
    }

    /// "expected X, found Y" for a missing closing bracket, where the token
    /// before says nothing useful.
    fn unclosed(&self, what: &str) -> ExprError {
        self.found(format!("expected {what}"))
    }

    fn found(&self, mut msg: String) -> ExprError {
        if self.peek().kind != TokKind::Eof {
            msg += &format!(", found {}", self.peek().describe());
        }
        self.error_at(msg)
    }

    /// Counts an operator node, failing once the expression is absurdly large.
    fn node(&mut self, e: Expr) -> Result<Expr, ExprError> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            let msg = format!("expression is too long (more than {MAX_NODES} operators); use 'in [...]' for long lists");
            return Err(self.error_at(msg));
        }
        Ok(e)
    }

    /// Runs `f` one nesting level deeper, failing past [`MAX_NESTING`].
    fn nested<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<T, ExprError>,
    ) -> Result<T, ExprError> {
        if self.nesting >= MAX_NESTING {
            let msg = format!("expression is nested too deeply (more than {MAX_NESTING} levels)");
            return Err(self.error_at(msg));
        }
        self.nesting += 1;
        let out = f(self);
        self.nesting -= 1;
        out
    }

    fn or(&mut self) -> Result<Expr, ExprError> {
        self.logic(Self::and, Kw::Or, Expr::Or)
    }

    fn and(&mut self) -> Result<Expr, ExprError> {
        self.logic(Self::not, Kw::And, Expr::And)
    }

    /// A left-associative chain of `operand`s joined by the keyword `kw`.
    fn logic(
        &mut self,
        operand: fn(&mut Self) -> Result<Expr, ExprError>,
        kw: Kw,
        make: fn(Box<Expr>, Box<Expr>) -> Expr,
    ) -> Result<Expr, ExprError> {
        let mut left = operand(self)?;
        while self.eat_kw(kw) {
            let right = operand(self)?;
            left = self.node(make(Box::new(left), Box::new(right)))?;
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Expr, ExprError> {
        if !self.eat_kw(Kw::Not) {
            return self.cmp();
        }
        let inner = self.nested(Self::not)?;
        self.node(Expr::Not(Box::new(inner)))
    }

    fn cmp(&mut self) -> Result<Expr, ExprError> {
        let left = self.sum()?;
        if !self.at_comparison() {
            return Ok(left);
        }
        let e = self.cmp_tail(Box::new(left))?;
        let e = self.node(e)?;
        if self.at_comparison() {
            let msg = format!(
                "comparisons cannot be chained: {} follows a comparison; join them with 'and'",
                self.peek().describe()
            );
            return Err(self.error_at(msg));
        }
        Ok(e)
    }

    /// The comparison after `left`; only called when [`Self::at_comparison`].
    fn cmp_tail(&mut self, left: Box<Expr>) -> Result<Expr, ExprError> {
        let tok = self.bump();
        Ok(match tok.kind {
            TokKind::Kw(Kw::In) => self.in_list(left, false)?,
            TokKind::Kw(Kw::Not) => {
                self.bump(); // the `in`
                self.in_list(left, true)?
            }
            TokKind::Kw(Kw::Has) => Expr::Has(left, self.literal("a text, number, true or false")?),
            TokKind::Kw(Kw::HasAny) => Expr::HasAny(left, self.list()?),
            TokKind::Kw(Kw::Is) => self.is_null(left)?,
            TokKind::Sym(Sym::Cmp(op)) => Expr::Compare(op, left, Box::new(self.sum()?)),
            _ => return Err(self.expected("a comparison")),
        })
    }

    fn at_comparison(&self) -> bool {
        match self.peek_kind(0) {
            TokKind::Sym(Sym::Cmp(_)) | TokKind::Kw(Kw::In | Kw::Has | Kw::HasAny | Kw::Is) => true,
            TokKind::Kw(Kw::Not) => *self.peek_kind(1) == TokKind::Kw(Kw::In),
            _ => false,
        }
    }

    fn in_list(&mut self, left: Box<Expr>, negated: bool) -> Result<Expr, ExprError> {
        let list = self.list()?;
        Ok(Expr::InList {
            expr: left,
            list,
            negated,
        })
    }

    fn is_null(&mut self, left: Box<Expr>) -> Result<Expr, ExprError> {
        let negated = self.eat_kw(Kw::Not);
        if !self.eat_kw(Kw::Null) {
            return Err(self.expected("'null' or 'not null'"));
        }
        Ok(Expr::IsNull {
            expr: left,
            negated,
        })
    }

    fn sum(&mut self) -> Result<Expr, ExprError> {
        self.arith(Self::prod, [ArithOp::Add, ArithOp::Sub])
    }

    fn prod(&mut self) -> Result<Expr, ExprError> {
        self.arith(Self::unary, [ArithOp::Mul, ArithOp::Div])
    }

    /// A left-associative chain of `operand`s joined by either of `ops`.
    fn arith(
        &mut self,
        operand: fn(&mut Self) -> Result<Expr, ExprError>,
        ops: [ArithOp; 2],
    ) -> Result<Expr, ExprError> {
        let mut left = operand(self)?;
        while let TokKind::Sym(Sym::Arith(op)) = *self.peek_kind(0) {
            if !ops.contains(&op) {
                break;
            }
            self.bump();
            let right = operand(self)?;
            left = self.node(Expr::Arith(op, Box::new(left), Box::new(right)))?;
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, ExprError> {
        if *self.peek_kind(0) != TokKind::Sym(Sym::Arith(ArithOp::Sub)) {
            return self.atom();
        }
        let minus = self.bump();
        if let TokKind::Num(n) = *self.peek_kind(0) {
            self.bump();
            return Ok(Expr::Literal(Literal::Number(-n), minus.pos));
        }
        let inner = self.nested(Self::unary)?;
        self.node(Expr::Neg(Box::new(inner)))
    }

    fn atom(&mut self) -> Result<Expr, ExprError> {
        let tok = self.peek().clone();
        match tok.kind {
            TokKind::Sym(Sym::LParen) => self.paren(tok.pos),
            TokKind::Ident(name) => {
                self.bump();
                let ty = None;
                Ok(Expr::Field(Ident {
                    name,
                    pos: tok.pos,
                    ty,
                }))
            }
            TokKind::Kw(Kw::Null) => Err(self
                .error_at("'null' is not a value; test for a missing value with 'is null'".into())),
            kind => match literal_of(&kind) {
                Some(lit) => {
                    self.bump();
                    Ok(Expr::Literal(lit, tok.pos))
                }
                None => Err(self.expected("a value")),
            },
        }
    }

    fn paren(&mut self, open: Pos) -> Result<Expr, ExprError> {
        self.bump();
        let inner = self.nested(Self::or)?;
        if !self.eat_sym(Sym::RParen) {
            return Err(self.unclosed(&format!("')' to close the '(' at {open}")));
        }
        Ok(inner)
    }

    /// A list literal: `[` [literal ("," literal)* [","]] `]`.
    fn list(&mut self) -> Result<Vec<Literal>, ExprError> {
        if !self.eat_sym(Sym::LBracket) {
            return Err(self.expected("a list like [\"a\", \"b\"]"));
        }
        let mut items = Vec::new();
        while !self.eat_sym(Sym::RBracket) {
            items.push(self.literal("a list item (text, a number, true or false)")?);
            if self.eat_sym(Sym::RBracket) {
                break;
            }
            if !self.eat_sym(Sym::Comma) {
                let what = match self.peek().kind {
                    TokKind::Eof => "']' to close the list",
                    _ => "',' or ']' in the list",
                };
                return Err(self.unclosed(what));
            }
        }
        Ok(items)
    }

    /// A literal for `has` or a list: text, true/false, or a number with an
    /// optional `-`.
    fn literal(&mut self, what: &str) -> Result<Literal, ExprError> {
        let negative = self.eat_sym(Sym::Arith(ArithOp::Sub));
        let lit = match (literal_of(&self.peek().kind), negative) {
            (Some(Literal::Number(n)), true) => Literal::Number(-n),
            (Some(lit), false) => lit,
            _ => return Err(self.not_a_literal(what)),
        };
        self.bump();
        Ok(lit)
    }

    /// The error for a bad list item, suggesting quotes for a bare word,
    /// the likeliest slip (`[Software]`).
    fn not_a_literal(&self, what: &str) -> ExprError {
        let mut e = self.expected(what);
        if let TokKind::Ident(name) = &self.peek().kind {
            e.message += &format!("; write text in quotes: \"{name}\"");
        }
        e
    }
}

fn literal_of(kind: &TokKind) -> Option<Literal> {
    match kind {
        TokKind::Num(n) => Some(Literal::Number(*n)),
        TokKind::Str(s) => Some(Literal::Text(s.clone())),
        TokKind::Kw(Kw::True) => Some(Literal::Bool(true)),
        TokKind::Kw(Kw::False) => Some(Literal::Bool(false)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::ast::idents;

    /// A fully parenthesised prefix form, so tables show the tree's shape.
    fn sexp(e: &Expr) -> String {
        let list = |items: &[Literal]| {
            let items: Vec<_> = items.iter().map(ToString::to_string).collect();
            format!("[{}]", items.join(", "))
        };
        match e {
            Expr::Literal(lit, _) => lit.to_string(),
            Expr::Field(id) => id.to_string(),
            Expr::Neg(x) => format!("(neg {})", sexp(x)),
            Expr::Arith(op, l, r) => format!("({} {} {})", op.symbol(), sexp(l), sexp(r)),
            Expr::Compare(op, l, r) => format!("({} {} {})", op.symbol(), sexp(l), sexp(r)),
            Expr::InList {
                expr,
                list: l,
                negated,
            } => {
                let op = if *negated { "not-in" } else { "in" };
                format!("({op} {} {})", sexp(expr), list(l))
            }
            Expr::Has(x, lit) => format!("(has {} {lit})", sexp(x)),
            Expr::HasAny(x, l) => format!("(has_any {} {})", sexp(x), list(l)),
            Expr::IsNull { expr, negated } => {
                let op = if *negated { "is-not-null" } else { "is-null" };
                format!("({op} {})", sexp(expr))
            }
            Expr::Not(x) => format!("(not {})", sexp(x)),
            Expr::And(l, r) => format!("(and {} {})", sexp(l), sexp(r)),
            Expr::Or(l, r) => format!("(or {} {})", sexp(l), sexp(r)),
        }
    }

    fn check_table(table: &[(&str, &str)]) {
        for (src, want) in table {
            let got = parse(src).unwrap_or_else(|e| panic!("{src}: {e}"));
            assert_eq!(sexp(&got), *want, "parsing {src}");
        }
    }

    #[test]
    fn precedence() {
        check_table(&[
            ("not a and b or c", "(or (and (not a) b) c)"),
            ("a or b and c", "(or a (and b c))"),
            ("a + b * c > 5", "(> (+ a (* b c)) 5)"),
            ("a - b - c", "(- (- a b) c)"),
            ("a / b * c", "(* (/ a b) c)"),
            ("(a + b) * c", "(* (+ a b) c)"),
            ("-x", "(neg x)"),
            ("--x", "(neg (neg x))"),
            ("-x * y", "(* (neg x) y)"),
            ("not not a", "(not (not a))"),
            ("not a == b", "(not (== a b))"),
            ("(a or b) and c", "(and (or a b) c)"),
            ("a + b is null", "(is-null (+ a b))"),
            ("not x in ['a']", "(not (in x [\"a\"]))"),
        ]);
    }

    #[test]
    fn negative_numbers_fold_into_literals() {
        check_table(&[
            ("-5", "-5"),
            ("- 5 * x", "(* -5 x)"),
            ("a - -3", "(- a -3)"),
            ("-(3)", "(neg 3)"),
            ("--3", "(neg -3)"),
            ("x > -2.5", "(> x -2.5)"),
        ]);
    }

    #[test]
    fn keywords_in_any_case() {
        check_table(&[
            ("NOT a AND b Or c", "(or (and (not a) b) c)"),
            ("TRUE and False", "(and true false)"),
            ("x IN [1] or y Not In [2]", "(or (in x [1]) (not-in y [2]))"),
            (
                "t HAS 'q' and t HAS_ANY ['r']",
                "(and (has t \"q\") (has_any t [\"r\"]))",
            ),
            (
                "x Is Not NULL or y IS null",
                "(or (is-not-null x) (is-null y))",
            ),
        ]);
    }

    #[test]
    fn names_strings_and_lists() {
        check_table(&[
            ("`Annual Revenue` > 1e6", "(> `Annual Revenue` 1000000)"),
            ("`and` == 'x'", "(== `and` \"x\")"),
            ("`plain` == 1", "(== plain 1)"),
            (
                r#"a == 'it\'s' or a == "say \"hi\"""#,
                r#"(or (== a "it's") (== a "say \"hi\""))"#,
            ),
            (
                "x in [-1, 2.5, true, 'a', \"b\"]",
                "(in x [-1, 2.5, true, \"a\", \"b\"])",
            ),
            ("x in []", "(in x [])"),
            ("x in ['a',]", "(in x [\"a\"])"),
            ("x not in ['a', false]", "(not-in x [\"a\", false])"),
            ("tech has -1", "(has tech -1)"),
            ("x is not null", "(is-not-null x)"),
            ("a\n and\n\tb", "(and a b)"),
        ]);
    }

    #[test]
    fn spec_examples() {
        check_table(&[
            (
                r#"industry in ["Software", "Financial Services"]"#,
                r#"(in industry ["Software", "Financial Services"])"#,
            ),
            (
                r#"technologies has_any ["Marketo", "HubSpot"]"#,
                r#"(has_any technologies ["Marketo", "HubSpot"])"#,
            ),
            (
                r#"high_fit and acv_band == "large" and intent and engaged"#,
                r#"(and (and (and high_fit (== acv_band "large")) intent) engaged)"#,
            ),
            (
                r#"high_fit and (intent or engaged) and acv_band in ["large", "medium"]"#,
                r#"(and (and high_fit (or intent engaged)) (in acv_band ["large", "medium"]))"#,
            ),
            ("employees >= 1000", "(>= employees 1000)"),
            (
                r#"technologies has "Salesforce" and not (technologies has_any ["RivalCRM", "Pipedrive"])"#,
                r#"(and (has technologies "Salesforce") (not (has_any technologies ["RivalCRM", "Pipedrive"])))"#,
            ),
            (
                r#"opportunity_stage in ["Proposal", "Negotiation"]"#,
                r#"(in opportunity_stage ["Proposal", "Negotiation"])"#,
            ),
            ("is_customer", "is_customer"),
            ("renewals >= 2", "(>= renewals 2)"),
        ]);
    }

    #[test]
    fn positions() {
        let e = parse("high_fit and acv_bnd == 'large'\n  and `x y` > -3").unwrap();
        let at: Vec<_> = idents(&e)
            .iter()
            .map(|id| (id.name.as_str(), id.pos.line, id.pos.col))
            .collect();
        assert_eq!(at, [("high_fit", 1, 1), ("acv_bnd", 1, 14), ("x y", 2, 7)]);
        let Expr::And(_, last) = e else { panic!() };
        let Expr::Compare(_, _, lit) = *last else {
            panic!()
        };
        assert_eq!((lit.pos().line, lit.pos().col), (2, 15));
    }

    #[test]
    fn deep_input_is_an_error_not_a_crash() {
        let deep = format!("{}a{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(parse(&deep)
            .unwrap_err()
            .message
            .contains("nested too deeply"));
        let nots = format!("{}a", "not ".repeat(10_000));
        assert!(parse(&nots).is_err());
        let negs = format!("{}a", "-".repeat(10_000));
        assert!(parse(&negs).is_err());
        let long = vec!["a"; 5_000].join(" + ");
        assert!(parse(&long).unwrap_err().message.contains("too long"));
        let fine = format!("{}a{}", "(".repeat(60), ")".repeat(60));
        assert!(parse(&fine).is_ok());
        // The largest accepted tree still checks and prints without overflowing.
        let widest = vec!["a"; MAX_NODES + 1].join(" and ");
        let mut e = parse(&widest).unwrap();
        assert!(parse(&e.to_string()).unwrap() == e);
        let scope = crate::expr::Scope::new([("a", crate::expr::Type::Bool)]);
        crate::expr::check_condition(&mut e, &scope).unwrap();
    }
}
