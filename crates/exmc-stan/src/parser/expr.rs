//! Expressions, by precedence climbing over the Stan operator table
//! (Reference Manual, "Operator precedence and associativity"), loosest first:
//!
//! | level | operators                  | assoc.  |
//! |-------|----------------------------|---------|
//! | 10    | `? :`                      | right   |
//! | 9     | `\|\|`                     | left    |
//! | 8     | `&&`                       | left    |
//! | 7     | `==` `!=`                  | left    |
//! | 6     | `<` `<=` `>` `>=`          | left    |
//! | 5     | `+` `-`                    | left    |
//! | 4     | `*` `/` `%` `.*` `./`      | left    |
//! | 3     | `\` `%/%`                  | left    |
//! | 2     | prefix `!` `-` `+`         |         |
//! | 1     | `^` `.^`                   | right   |
//! | 0     | postfix `'`, `()`, `[]`    | left    |
//!
//! So `-a^b` is `-(a^b)`, `a^-b` is `a^(-b)`, `-a'` is `-(a')`.

use super::{PResult, Parser};
use crate::ast::*;
use crate::diagnostic::Diagnostic;
use crate::token::{Keyword, Span, Token, TokenKind};

/// Binding strength of binary operators (higher binds tighter).
pub(crate) const PREC_OR: u8 = 1;
pub(crate) const PREC_ADD: u8 = 5;

fn binop_of(k: &TokenKind) -> Option<(BinOp, u8)> {
    use TokenKind as T;
    Some(match k {
        T::OrOr => (BinOp::Or, 1),
        T::AndAnd => (BinOp::And, 2),
        T::EqEq => (BinOp::Eq, 3),
        T::NotEq => (BinOp::Ne, 3),
        T::Lt => (BinOp::Lt, 4),
        T::Le => (BinOp::Le, 4),
        T::Gt => (BinOp::Gt, 4),
        T::Ge => (BinOp::Ge, 4),
        T::Plus => (BinOp::Add, 5),
        T::Minus => (BinOp::Sub, 5),
        T::Star => (BinOp::Mul, 6),
        T::Slash => (BinOp::Div, 6),
        T::Percent => (BinOp::Mod, 6),
        T::DotStar => (BinOp::EltMul, 6),
        T::DotSlash => (BinOp::EltDiv, 6),
        T::Backslash => (BinOp::LeftDiv, 7),
        T::PercentSlashPercent => (BinOp::IntDiv, 7),
        _ => return None,
    })
}

/// Legacy function names that still parse as calls, with a warning.
const DEPRECATED_CALLS: &[(&str, &str)] = &[
    ("if_else", "use the conditional operator 'cond ? a : b'"),
    ("integrate_ode", "use the 'ode_rk45' family of functions"),
    ("integrate_ode_rk45", "use 'ode_rk45'"),
    ("integrate_ode_bdf", "use 'ode_bdf'"),
    ("integrate_ode_adams", "use 'ode_adams'"),
    ("multiply_log", "use 'lmultiply'"),
    ("binomial_coefficient_log", "use 'lchoose'"),
    ("cov_exp_quad", "use 'gp_exp_quad_cov'"),
];

impl<'s> Parser<'s> {
    /// A full expression (ternary level).
    pub(crate) fn expr(&mut self) -> PResult<Expr> {
        if self.expr_nesting == 0 {
            self.chain = 0;
        }
        self.enter()?;
        self.expr_nesting += 1;
        let r = self.ternary();
        self.expr_nesting -= 1;
        self.leave();
        r
    }

    /// An expression in a nested context (inside brackets or parentheses),
    /// where `<-` is always `< -`.
    pub(crate) fn nested_expr(&mut self) -> PResult<Expr> {
        let saved = std::mem::replace(&mut self.arrow_is_assign, false);
        let r = self.expr();
        self.arrow_is_assign = saved;
        r
    }

    fn ternary(&mut self) -> PResult<Expr> {
        let cond = self.binary(PREC_OR)?;
        if !self.at(&TokenKind::Question) {
            return Ok(cond);
        }
        self.bump();
        let then = self.expr()?;
        self.expect(TokenKind::Colon, "in conditional expression 'cond ? a : b'")?;
        self.enter()?;
        let els = self.ternary();
        self.leave();
        let els = els?;
        let span = cond.span.to(els.span);
        Ok(Expr {
            kind: ExprKind::Ternary { cond: Box::new(cond), then: Box::new(then), els: Box::new(els) },
            span,
        })
    }

    /// Binary operators binding at least as tightly as `min_prec`.
    /// `min_prec = PREC_ADD` gives the arithmetic-only expressions used in
    /// `<lower=.., upper=..>`, where `>` closes the bounds.
    pub(crate) fn binary(&mut self, min_prec: u8) -> PResult<Expr> {
        let mut lhs = self.unary()?;
        loop {
            // Legacy `<-` in expression position means `< -`.
            if self.at(&TokenKind::LArrow) && !self.arrow_is_assign && 4 >= min_prec {
                self.link()?;
                let sp = self.span();
                self.replace_current(Token { kind: TokenKind::Minus, span: Span::new(sp.start + 1, sp.end) });
                self.enter()?;
                let rhs = self.binary(5);
                self.leave();
                let rhs = rhs?;
                let span = lhs.span.to(rhs.span);
                lhs = Expr {
                    kind: ExprKind::Binary { op: BinOp::Lt, lhs: Box::new(lhs), rhs: Box::new(rhs) },
                    span,
                };
                continue;
            }
            let Some((op, prec)) = binop_of(self.kind()) else { break };
            if prec < min_prec {
                break;
            }
            self.link()?;
            self.bump();
            self.enter()?;
            let rhs = self.binary(prec + 1);
            self.leave();
            let rhs = rhs?;
            let span = lhs.span.to(rhs.span);
            lhs = Expr { kind: ExprKind::Binary { op, lhs: Box::new(lhs), rhs: Box::new(rhs) }, span };
        }
        Ok(lhs)
    }

    /// Prefix `!`, `-`, `+` applied to an exponentiation.
    fn unary(&mut self) -> PResult<Expr> {
        let op = match self.kind() {
            TokenKind::Bang => UnaryOp::Not,
            TokenKind::Minus => UnaryOp::Neg,
            TokenKind::Plus => UnaryOp::Plus,
            _ => return self.power(),
        };
        let start = self.bump().span;
        self.enter()?;
        let e = self.unary();
        self.leave();
        let e = e?;
        let span = start.to(e.span);
        Ok(Expr { kind: ExprKind::Unary { op, expr: Box::new(e) }, span })
    }

    /// `postfix (^|.^) unary`, right associative.
    fn power(&mut self) -> PResult<Expr> {
        let base = self.postfix()?;
        let op = match self.kind() {
            TokenKind::Caret => BinOp::Pow,
            TokenKind::DotCaret => BinOp::EltPow,
            _ => return Ok(base),
        };
        self.bump();
        self.enter()?;
        let exp = self.unary();
        self.leave();
        let exp = exp?;
        let span = base.span.to(exp.span);
        Ok(Expr { kind: ExprKind::Binary { op, lhs: Box::new(base), rhs: Box::new(exp) }, span })
    }

    /// Primary followed by any number of `[indices]` and `'`.
    fn postfix(&mut self) -> PResult<Expr> {
        let mut e = self.primary()?;
        loop {
            match self.kind() {
                TokenKind::LBracket => {
                    self.link()?;
                    let (indices, close) = self.indices()?;
                    let span = e.span.to(close);
                    e = Expr { kind: ExprKind::Index { expr: Box::new(e), indices }, span };
                }
                TokenKind::Quote => {
                    self.link()?;
                    let q = self.bump().span;
                    let span = e.span.to(q);
                    e = Expr { kind: ExprKind::Transpose(Box::new(e)), span };
                }
                // `t.1`: the lexer reads `.1` as a real literal.
                TokenKind::RealLit(text) if text.starts_with('.') && text[1..].bytes().all(|b| b.is_ascii_digit()) => {
                    let text = text.clone();
                    self.link()?;
                    let t = self.bump().span;
                    let span = e.span.to(t);
                    let index = match text[1..].parse::<usize>() {
                        Ok(i) if i >= 1 && i <= i32::MAX as usize => i,
                        _ => return self.error(t, format!("tuple element '{text}' is out of range (elements count from .1)")),
                    };
                    e = Expr { kind: ExprKind::TupleProj { expr: Box::new(e), index }, span };
                }
                _ => return Ok(e),
            }
        }
    }

    /// `[ index, index, ... ]`; returns the indices and the `]` span.
    pub(crate) fn indices(&mut self) -> PResult<(Vec<Index>, Span)> {
        let open = self.expect(TokenKind::LBracket, "")?;
        self.enter()?;
        let r = self.indices_inner(open);
        self.leave();
        r
    }

    #[inline(never)]
    fn indices_inner(&mut self, open: Span) -> PResult<(Vec<Index>, Span)> {
        let mut out = Vec::new();
        loop {
            out.push(self.index()?);
            if self.eat(&TokenKind::Comma) {
                continue;
            }
            let close = self.expect_close(TokenKind::RBracket, open, "to close the index")?;
            return Ok((out, close));
        }
    }

    fn index(&mut self) -> PResult<Index> {
        let at_end = |k: &TokenKind| matches!(k, TokenKind::Comma | TokenKind::RBracket);
        let start = self.span();
        if at_end(self.kind()) {
            return Ok(Index { kind: IndexKind::All, span: start.end_point() });
        }
        if self.at(&TokenKind::Colon) {
            let c = self.bump().span;
            if at_end(self.kind()) {
                return Ok(Index { kind: IndexKind::All, span: c });
            }
            let hi = self.nested_expr()?;
            let span = c.to(hi.span);
            return Ok(Index { kind: IndexKind::To(hi), span });
        }
        let lo = self.nested_expr()?;
        if !self.at(&TokenKind::Colon) {
            let span = lo.span;
            return Ok(Index { kind: IndexKind::Single(lo), span });
        }
        let c = self.bump().span;
        if at_end(self.kind()) {
            let span = lo.span.to(c);
            return Ok(Index { kind: IndexKind::From(lo), span });
        }
        let hi = self.nested_expr()?;
        let span = lo.span.to(hi.span);
        Ok(Index { kind: IndexKind::Between(lo, hi), span })
    }

    // The recursive forms are separate non-inlined functions so frames on
    // the recursive path stay small.
    fn primary(&mut self) -> PResult<Expr> {
        match self.kind() {
            TokenKind::LParen => self.paren_expr(),
            TokenKind::LBrace => self.array_lit(),
            TokenKind::LBracket => self.row_vector_lit(),
            _ => self.primary_leaf(),
        }
    }

    #[inline(never)]
    fn paren_expr(&mut self) -> PResult<Expr> {
        let open = self.bump().span;
        if self.at(&TokenKind::RParen) {
            let d = Diagnostic::error(open.to(self.span()), "empty parentheses '()' are not an expression")
                .with_note("a tuple expression needs at least one element: '(a,)' or '(a, b)'");
            return self.fail(d);
        }
        let inner = self.nested_expr()?;
        if self.at(&TokenKind::Comma) {
            // Tuple expression `(a, b, ...)` or `(a,)`.
            let mut items = vec![inner];
            while self.eat(&TokenKind::Comma) {
                if self.at(&TokenKind::RParen) {
                    break;
                }
                items.push(self.nested_expr()?);
            }
            let close = self.expect_close(TokenKind::RParen, open, "to close the tuple expression")?;
            return Ok(Expr { kind: ExprKind::TupleLit(items), span: open.to(close) });
        }
        let close = self.expect_close(TokenKind::RParen, open, "to close the parenthesis")?;
        Ok(Expr { kind: ExprKind::Paren(Box::new(inner)), span: open.to(close) })
    }

    #[inline(never)]
    fn array_lit(&mut self) -> PResult<Expr> {
        let open = self.bump().span;
        let (items, close) = self.expr_list(TokenKind::RBrace, open, "to close the array expression")?;
        let span = open.to(close);
        if items.is_empty() {
            return self.error(span, "array expressions '{...}' must have at least one element");
        }
        Ok(Expr { kind: ExprKind::ArrayLit(items), span })
    }

    #[inline(never)]
    fn row_vector_lit(&mut self) -> PResult<Expr> {
        let open = self.bump().span;
        let (items, close) = self.expr_list(TokenKind::RBracket, open, "to close the row vector expression")?;
        Ok(Expr { kind: ExprKind::RowVectorLit(items), span: open.to(close) })
    }

    /// Literals, variables, calls, `target()` and error cases.
    #[inline(never)]
    fn primary_leaf(&mut self) -> PResult<Expr> {
        let t = self.tok().clone();
        match &t.kind {
            TokenKind::IntLit(text) => {
                self.bump();
                match text.parse::<i64>() {
                    Ok(v) if v <= i32::MAX as i64 => Ok(Expr { kind: ExprKind::IntLit(v), span: t.span }),
                    _ => {
                        let d = Diagnostic::error(t.span, format!("integer literal '{text}' is too large"))
                            .with_note("Stan integers are 32-bit (at most 2147483647)")
                            .with_help(format!("write it as a real literal: '{text}.0'"));
                        self.fail(d)
                    }
                }
            }
            TokenKind::RealLit(text) => {
                self.bump();
                match text.parse::<f64>() {
                    Ok(v) => Ok(Expr { kind: ExprKind::RealLit(v), span: t.span }),
                    Err(_) => self.error(t.span, format!("malformed real literal '{text}'")),
                }
            }
            TokenKind::Ident(name) => {
                self.bump();
                let ident = Ident { name: name.clone(), span: t.span };
                if self.at(&TokenKind::LParen) {
                    self.call(ident)
                } else {
                    Ok(Expr { kind: ExprKind::Var(name.clone()), span: t.span })
                }
            }
            TokenKind::Keyword(Keyword::Target) if matches!(self.peek_kind(1), TokenKind::LParen) => {
                self.bump();
                self.bump();
                let close = self.expect(TokenKind::RParen, "after 'target('")?;
                Ok(Expr { kind: ExprKind::Target, span: t.span.to(close) })
            }
            TokenKind::Keyword(Keyword::GetLp) if matches!(self.peek_kind(1), TokenKind::LParen) => {
                self.bump();
                self.bump();
                let close = self.expect(TokenKind::RParen, "after 'get_lp('")?;
                let span = t.span.to(close);
                self.warn(
                    Diagnostic::warning(span, "'get_lp()' is deprecated (removed in Stan 2.33)")
                        .with_help("use 'target()'"),
                );
                Ok(Expr { kind: ExprKind::Target, span })
            }
            TokenKind::ImagLit(text) => {
                self.bump();
                match text.parse::<f64>() {
                    Ok(v) => Ok(Expr { kind: ExprKind::ImagLit(v), span: t.span }),
                    Err(_) => self.error(t.span, format!("malformed imaginary literal '{text}i'")),
                }
            }
            TokenKind::StringLit(_) => {
                self.error(t.span, "string literals are only allowed in print, reject and fatal_error")
            }
            TokenKind::Keyword(k) if k.starts_type() => {
                let d = Diagnostic::error(t.span, format!("expected expression, found type '{}'", k.as_str()))
                    .with_note("declarations must come before use and cannot appear inside expressions");
                self.fail(d)
            }
            _ => self.unexpected("expression", ""),
        }
    }

    /// Comma-separated expressions up to `close` (which is consumed).
    #[inline(never)]
    fn expr_list(&mut self, close: TokenKind, open: Span, ctx: &str) -> PResult<(Vec<Expr>, Span)> {
        let mut items = Vec::new();
        if self.at(&close) {
            return Ok((items, self.bump().span));
        }
        loop {
            items.push(self.nested_expr()?);
            if self.eat(&TokenKind::Comma) {
                continue;
            }
            let c = self.expect_close(close.clone(), open, ctx)?;
            return Ok((items, c));
        }
    }

    /// `name(args)` or `name(arg | args)`; the current token is `(`.
    #[inline(never)]
    fn call(&mut self, name: Ident) -> PResult<Expr> {
        let open = self.bump().span;
        self.enter()?;
        let r = self.call_inner(name, open);
        self.leave();
        r
    }

    fn call_inner(&mut self, name: Ident, open: Span) -> PResult<Expr> {
        if let Some((_, help)) = DEPRECATED_CALLS.iter().find(|(n, _)| *n == name.name) {
            self.warn(
                Diagnostic::warning(name.span, format!("function '{}' is deprecated", name.name)).with_help(*help),
            );
        }
        let suffix = FunSuffix::of(&name.name);
        if self.at(&TokenKind::RParen) {
            let close = self.bump().span;
            let span = name.span.to(close);
            return Ok(Expr { kind: ExprKind::Call { name, suffix, args: Vec::new() }, span });
        }
        let first = self.nested_expr()?;
        if self.at(&TokenKind::Bar) {
            let bar = self.bump().span;
            let mut args = Vec::new();
            if !self.at(&TokenKind::RParen) {
                loop {
                    args.push(self.nested_expr()?);
                    if !self.eat(&TokenKind::Comma) {
                        break;
                    }
                }
            }
            let close = self.expect_close(TokenKind::RParen, open, "to close the argument list")?;
            // `_cdf` (Stan's non-log CDF, `normal_cdf(y | mu, sigma)`) has no
            // FunSuffix of its own but takes the conditional form too.
            if !suffix.is_conditional() && !name.name.ends_with("_cdf") {
                let d = Diagnostic::error(bar, format!("'|' is only allowed in calls of densities, masses and CDFs, not in '{}'", name.name))
                    .with_note("the conditional form 'f(y | theta)' needs a name ending in _lpdf, _lpmf, _lupdf, _lupmf, _cdf, _lcdf or _lccdf")
                    .with_help("separate the arguments with ','");
                return self.fail(d);
            }
            let span = name.span.to(close);
            return Ok(Expr { kind: ExprKind::CondCall { name, suffix, arg: Box::new(first), args }, span });
        }
        let mut args = vec![first];
        while self.eat(&TokenKind::Comma) {
            args.push(self.nested_expr()?);
        }
        let close = self.expect_close(TokenKind::RParen, open, "to close the argument list")?;
        let span = name.span.to(close);
        Ok(Expr { kind: ExprKind::Call { name, suffix, args }, span })
    }
}
