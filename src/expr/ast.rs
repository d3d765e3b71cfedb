//! The expression tree shared by the parser, the type checker and the polars
//! and SQL lowerings, plus its `Display`, which prints a tree back to source
//! that parses to an equal tree (positions aside). Printing adds parentheses
//! only where precedence needs them, quotes text with `"` and escapes, and
//! puts names that are not plain identifiers (or are keywords) in backticks.

use std::fmt;

use super::lexer::keyword;

/// The type of a field, signal or sub-expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Type {
    Number,
    Text,
    Bool,
    Date,
    List,
}

impl Type {
    /// The type's name as messages use it: "cannot compare number with bool".
    pub fn name(self) -> &'static str {
        match self {
            Type::Number => "number",
            Type::Text => "text",
            Type::Bool => "bool",
            Type::Date => "date",
            Type::List => "list",
        }
    }

    /// The name with an article, for "'x' is a number".
    pub fn noun(self) -> &'static str {
        match self {
            Type::Number => "a number",
            Type::Text => "text",
            Type::Bool => "a bool",
            Type::Date => "a date",
            Type::List => "a list",
        }
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Position of a token, 1-based line and column (columns count chars).
#[derive(Clone, Copy, Debug, Default)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

// Trees compare by meaning, not position, so a re-parsed tree equals the original.
impl PartialEq for Pos {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl Eq for Pos {}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    Number(f64),
    Text(String),
    Bool(bool),
}

impl Literal {
    pub fn ty(&self) -> Type {
        match self {
            Literal::Number(_) => Type::Number,
            Literal::Text(_) => Type::Text,
            Literal::Bool(_) => Type::Bool,
        }
    }
}

/// A field or signal name as written; `ty` is filled by the checker.
#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    pub name: String,
    pub pos: Pos,
    pub ty: Option<Type>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl ArithOp {
    pub fn symbol(self) -> &'static str {
        match self {
            ArithOp::Add => "+",
            ArithOp::Sub => "-",
            ArithOp::Mul => "*",
            ArithOp::Div => "/",
        }
    }
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

/// An expression. Compound nodes carry no position of their own: an error
/// about one points at its leftmost token (see [`Expr::pos`]).
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// The parser folds `-` directly before a number into the literal, so a
    /// parsed `-3` is `Literal(Number(-3.0))`, like `-3` in a list.
    Literal(Literal, Pos),
    Field(Ident),
    Neg(Box<Expr>),
    Arith(ArithOp, Box<Expr>, Box<Expr>),
    Compare(CmpOp, Box<Expr>, Box<Expr>),
    InList {
        expr: Box<Expr>,
        list: Vec<Literal>,
        negated: bool,
    },
    Has(Box<Expr>, Literal),
    HasAny(Box<Expr>, Vec<Literal>),
    IsNull {
        expr: Box<Expr>,
        negated: bool,
    },
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
}

impl Expr {
    /// Where the expression starts in the source (its leftmost token, except
    /// for a prefix `-`/`not`, which point at their operand).
    pub fn pos(&self) -> Pos {
        match self {
            Expr::Literal(_, pos) => *pos,
            Expr::Field(id) => id.pos,
            Expr::Neg(e) | Expr::Not(e) | Expr::Has(e, _) | Expr::HasAny(e, _) => e.pos(),
            Expr::Arith(_, l, _) | Expr::Compare(_, l, _) | Expr::And(l, _) | Expr::Or(l, _) => {
                l.pos()
            }
            Expr::InList { expr, .. } | Expr::IsNull { expr, .. } => expr.pos(),
        }
    }

    /// Binding strength, as in the grammar: or < and < not < comparison <
    /// sum < product < unary minus < atom.
    fn prec(&self) -> u8 {
        match self {
            Expr::Or(..) => 1,
            Expr::And(..) => 2,
            Expr::Not(_) => 3,
            Expr::Compare(..)
            | Expr::InList { .. }
            | Expr::Has(..)
            | Expr::HasAny(..)
            | Expr::IsNull { .. } => 4,
            Expr::Arith(ArithOp::Add | ArithOp::Sub, ..) => 5,
            Expr::Arith(..) => 6,
            Expr::Neg(_) => 7,
            Expr::Literal(..) | Expr::Field(_) => 8,
        }
    }
}

/// The identifiers an expression reads, in source order (repeats included).
pub fn idents(expr: &Expr) -> Vec<&Ident> {
    let mut out = Vec::new();
    collect_idents(expr, &mut out);
    out
}

fn collect_idents<'a>(expr: &'a Expr, out: &mut Vec<&'a Ident>) {
    match expr {
        Expr::Literal(..) => {}
        Expr::Field(id) => out.push(id),
        Expr::Neg(e) | Expr::Not(e) | Expr::Has(e, _) | Expr::HasAny(e, _) => {
            collect_idents(e, out)
        }
        Expr::InList { expr, .. } | Expr::IsNull { expr, .. } => collect_idents(expr, out),
        Expr::Arith(_, l, r) | Expr::Compare(_, l, r) | Expr::And(l, r) | Expr::Or(l, r) => {
            collect_idents(l, out);
            collect_idents(r, out);
        }
    }
}

fn is_plain_ident(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && keyword(name).is_none()
}

impl fmt::Display for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if is_plain_ident(&self.name) {
            f.write_str(&self.name)
        } else {
            // A name holding a backtick cannot be written; the lexer never makes one.
            write!(f, "`{}`", self.name)
        }
    }
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // `{}` of an f64 is the shortest text that parses back to the same value.
            Literal::Number(n) => write!(f, "{n}"),
            Literal::Bool(b) => write!(f, "{b}"),
            Literal::Text(s) => {
                f.write_str("\"")?;
                for c in s.chars() {
                    if c == '"' || c == '\\' {
                        f.write_str("\\")?;
                    }
                    write!(f, "{c}")?;
                }
                f.write_str("\"")
            }
        }
    }
}

/// Prints `e`, in parentheses when it binds looser than `min` allows.
fn child(f: &mut fmt::Formatter<'_>, e: &Expr, min: u8) -> fmt::Result {
    if e.prec() < min {
        write!(f, "({e})")
    } else {
        write!(f, "{e}")
    }
}

fn list(f: &mut fmt::Formatter<'_>, items: &[Literal]) -> fmt::Result {
    f.write_str("[")?;
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{item}")?;
    }
    f.write_str("]")
}

fn not_kw(negated: bool) -> &'static str {
    if negated {
        "not "
    } else {
        ""
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Literal(lit, _) => write!(f, "{lit}"),
            Expr::Field(id) => write!(f, "{id}"),
            // `- -3`: the `-` of a negative literal needs no parentheses,
            // which would add a level of nesting the source did not have
            // (so a tree at the nesting limit would not parse back).
            Expr::Neg(e) if matches!(**e, Expr::Literal(Literal::Number(n), _) if n.is_sign_negative()) =>
            {
                write!(f, "- {e}")
            }
            // `-(3)`: a bare `-3` would parse back as the literal -3.
            Expr::Neg(e) if matches!(**e, Expr::Literal(Literal::Number(_), _)) => {
                write!(f, "-({e})")
            }
            Expr::Neg(e) => {
                f.write_str("-")?;
                child(f, e, 7)
            }
            Expr::Arith(op, l, r) => {
                let p = self.prec();
                child(f, l, p)?;
                write!(f, " {} ", op.symbol())?;
                child(f, r, p + 1)
            }
            Expr::Compare(op, l, r) => {
                child(f, l, 5)?;
                write!(f, " {} ", op.symbol())?;
                child(f, r, 5)
            }
            Expr::InList {
                expr,
                list: items,
                negated,
            } => {
                child(f, expr, 5)?;
                write!(f, " {}in ", not_kw(*negated))?;
                list(f, items)
            }
            Expr::Has(e, lit) => {
                child(f, e, 5)?;
                write!(f, " has {lit}")
            }
            Expr::HasAny(e, items) => {
                child(f, e, 5)?;
                f.write_str(" has_any ")?;
                list(f, items)
            }
            Expr::IsNull { expr, negated } => {
                child(f, expr, 5)?;
                write!(f, " is {}null", not_kw(*negated))
            }
            Expr::Not(e) => {
                f.write_str("not ")?;
                child(f, e, 3)
            }
            Expr::And(l, r) => {
                child(f, l, 2)?;
                f.write_str(" and ")?;
                child(f, r, 3)
            }
            Expr::Or(l, r) => {
                child(f, l, 1)?;
                f.write_str(" or ")?;
                child(f, r, 2)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::parse;
    use proptest::prelude::*;

    fn reprint(src: &str) -> String {
        parse(src).unwrap().to_string()
    }

    #[test]
    fn prints_minimal_parentheses() {
        let table = [
            ("((a)) and (b or c)", "a and (b or c)"),
            ("(a and b) or c", "a and b or c"),
            ("a or (b or c)", "a or (b or c)"),
            ("a - (b - c)", "a - (b - c)"),
            ("(a * b) + c", "a * b + c"),
            ("-(a + b)", "-(a + b)"),
            ("-(3)", "-(3)"),
            ("-(-3)", "- -3"),
            ("--3", "- -3"),
            ("not (a == b)", "not a == b"),
            ("(not a) == b", "(not a) == b"),
            ("(a < b) < c", "(a < b) < c"),
            ("(a + 1) IN [1,-2, TRUE]", "a + 1 in [1, -2, true]"),
            (
                "x is not null and y not in []",
                "x is not null and y not in []",
            ),
        ];
        for (src, want) in table {
            assert_eq!(reprint(src), want, "{src}");
        }
    }

    /// Regression (found by fuzz/, the expr target): `--1` repeated up to
    /// the nesting limit printed as `-(-1)`, one level deeper, which no
    /// longer parsed.
    #[test]
    fn a_tree_at_the_nesting_limit_prints_to_source_that_parses() {
        for src in [
            format!("{}21", "-".repeat(65)),
            format!("-M{}21", "-".repeat(66)),
        ] {
            let tree = parse(&src).unwrap();
            let printed = tree.to_string();
            assert_eq!(parse(&printed), Ok(tree), "{src} printed as {printed}");
        }
    }

    #[test]
    fn prints_names_text_and_numbers_so_they_parse_back() {
        let table = [
            ("`Annual Revenue` > 1e6", "`Annual Revenue` > 1000000"),
            ("`or` == `Or_2`", "`or` == Or_2"),
            (
                r#"a == 'it\'s' or a == "\\\"""#,
                r#"a == "it's" or a == "\\\"""#,
            ),
            ("x == 0.1 + .5", "x == 0.1 + 0.5"),
        ];
        for (src, want) in table {
            assert_eq!(reprint(src), want, "{src}");
        }
    }

    #[test]
    fn idents_in_source_order() {
        let e = parse("a + b > c and not d in [1] or a is null").unwrap();
        let names: Vec<_> = idents(&e).iter().map(|id| id.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "c", "d", "a"]);
    }

    fn arb_literal() -> impl Strategy<Value = Literal> {
        prop_oneof![
            (-1000i32..1000).prop_map(|n| Literal::Number(n.into())),
            any::<f64>()
                .prop_filter("finite", |n| n.is_finite())
                .prop_map(Literal::Number),
            any::<String>().prop_map(Literal::Text),
            any::<bool>().prop_map(Literal::Bool),
        ]
    }

    fn arb_name() -> impl Strategy<Value = String> {
        prop_oneof![
            "[A-Za-z_][A-Za-z0-9_]{0,8}",
            "[^`]{1,8}",
            Just("Has_Any".to_string()),
        ]
    }

    fn leaf() -> impl Strategy<Value = Expr> {
        prop_oneof![
            arb_literal().prop_map(|l| Expr::Literal(l, Pos::default())),
            arb_name().prop_map(|name| Expr::Field(Ident {
                name,
                pos: Pos::default(),
                ty: None
            })),
        ]
    }

    fn arb_expr() -> impl Strategy<Value = Expr> {
        use ArithOp::*;
        use CmpOp::*;
        let arith = prop_oneof![Just(Add), Just(Sub), Just(Mul), Just(Div)];
        let cmp = prop_oneof![Just(Eq), Just(Ne), Just(Lt), Just(Le), Just(Gt), Just(Ge)];
        let list = || prop::collection::vec(arb_literal(), 0..4);
        leaf().prop_recursive(5, 48, 3, move |inner| {
            let pair = (inner.clone(), inner.clone());
            let bx = Box::new;
            prop_oneof![
                inner.clone().prop_map(move |e| Expr::Neg(bx(e))),
                inner.clone().prop_map(move |e| Expr::Not(bx(e))),
                (arith.clone(), pair.clone()).prop_map(move |(o, (l, r))| Expr::Arith(
                    o,
                    bx(l),
                    bx(r)
                )),
                (cmp.clone(), pair.clone()).prop_map(move |(o, (l, r))| Expr::Compare(
                    o,
                    bx(l),
                    bx(r)
                )),
                pair.clone().prop_map(move |(l, r)| Expr::And(bx(l), bx(r))),
                pair.prop_map(move |(l, r)| Expr::Or(bx(l), bx(r))),
                (inner.clone(), list(), any::<bool>()).prop_map(move |(e, list, negated)| {
                    Expr::InList {
                        expr: bx(e),
                        list,
                        negated,
                    }
                }),
                (inner.clone(), arb_literal()).prop_map(move |(e, l)| Expr::Has(bx(e), l)),
                (inner.clone(), list()).prop_map(move |(e, l)| Expr::HasAny(bx(e), l)),
                (inner, any::<bool>()).prop_map(move |(e, negated)| Expr::IsNull {
                    expr: bx(e),
                    negated
                }),
            ]
        })
    }

    proptest! {
        #[test]
        fn display_parses_back_to_an_equal_tree(e in arb_expr()) {
            let src = e.to_string();
            let back = parse(&src).map_err(|err| TestCaseError::fail(format!("{src}: {err}")))?;
            prop_assert_eq!(back, e, "{}", src);
        }
    }
}
