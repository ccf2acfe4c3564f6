//! Statements and statement lists (block bodies).

use super::decl::DeclCtx;
use super::{PResult, Parser, Stop, MAX_ERRORS};
use crate::ast::*;
use crate::diagnostic::Diagnostic;
use crate::token::{Keyword, TokenKind};

/// Where a statement list sits.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Ctx {
    pub block: BlockKind,
    /// Directly in a program block (not inside `{}`, loops, functions).
    pub top_level: bool,
}

impl Ctx {
    pub fn top(block: BlockKind) -> Ctx {
        Ctx { block, top_level: true }
    }
    pub fn function_body() -> Ctx {
        Ctx { block: BlockKind::Functions, top_level: false }
    }
    fn nested(self) -> Ctx {
        Ctx { top_level: false, ..self }
    }
    fn decl_ctx(self) -> DeclCtx {
        DeclCtx {
            constraints: self.top_level && self.block.allows_constraints(),
            init: !(self.top_level && self.block.declarations_only()),
            block: Some(self.block),
        }
    }
}

fn starts_decl(k: &TokenKind) -> bool {
    matches!(k, TokenKind::Keyword(kw) if kw.starts_type())
}

impl<'s> Parser<'s> {
    /// Statements and declarations up to (not including) `}` or end of file.
    #[inline(never)]
    pub(crate) fn stmt_list(&mut self, ctx: Ctx) -> PResult<Vec<Stmt>> {
        let mut out = Vec::new();
        loop {
            if self.at(&TokenKind::RBrace) || self.at(&TokenKind::Eof) || self.errors.len() >= MAX_ERRORS {
                return Ok(out);
            }
            let before = self.pos;
            if matches!(self.kind(), TokenKind::Annotation(_)) {
                let at = self.span();
                if self.annotations() {
                    let _ = self.error::<()>(at, "'@extern' is only allowed on function declarations");
                }
                if !(ctx.top_level && ctx.block != BlockKind::Model && starts_decl(self.kind())) {
                    let d = Diagnostic::error(at, "annotations are only allowed before functions and block-level variable declarations");
                    self.push_error(d);
                }
            }
            let r = if starts_decl(self.kind()) {
                self.var_decls(ctx.decl_ctx())
            } else if ctx.top_level && ctx.block.declarations_only() {
                if self.at(&TokenKind::Semi) {
                    let span = self.bump().span;
                    Ok(vec![Stmt { kind: StmtKind::Empty, span }])
                } else {
                    let found = self.kind().describe();
                    let d = Diagnostic::error(
                        self.span(),
                        format!("only variable declarations are allowed in the '{}' block, found {found}", ctx.block.name()),
                    );
                    self.fail(d)
                }
            } else {
                self.stmt(ctx).map(|s| vec![s])
            };
            match r {
                Ok(stmts) => out.extend(stmts),
                Err(Stop) => {
                    self.sync_stmt();
                    if self.pos == before {
                        self.bump();
                    }
                }
            }
        }
    }

    /// One statement (declarations are not statements on their own, e.g. as
    /// the body of an `if`).
    pub(crate) fn stmt(&mut self, ctx: Ctx) -> PResult<Stmt> {
        self.enter()?;
        let r = self.stmt_inner(ctx);
        self.leave();
        r
    }

    // Each statement form is its own non-inlined function so that the frames
    // on the recursive path stay small (deep nesting must not overflow).
    fn stmt_inner(&mut self, ctx: Ctx) -> PResult<Stmt> {
        match self.kind() {
            TokenKind::LBrace => self.block_stmt(ctx),
            TokenKind::Keyword(Keyword::If) => self.if_stmt(ctx),
            TokenKind::Keyword(Keyword::While) => self.while_stmt(ctx),
            TokenKind::Keyword(Keyword::For) => self.for_stmt(ctx),
            TokenKind::Keyword(Keyword::Profile) => self.profile_stmt(ctx),
            // A declaration as the body of a control statement (`if (c) real
            // x = 1;`) is valid Stan, scoped to that body: a one-statement block.
            k if starts_decl(k) => {
                let start = self.span();
                let decls = self.var_decls(ctx.nested().decl_ctx())?;
                Ok(Stmt { kind: StmtKind::Block(decls), span: start.to(self.prev_span()) })
            }
            _ => self.simple_stmt(),
        }
    }

    #[inline(never)]
    fn block_stmt(&mut self, ctx: Ctx) -> PResult<Stmt> {
        let open = self.bump().span;
        let body = self.stmt_list(ctx.nested())?;
        let close = self.expect_close(TokenKind::RBrace, open, "to close the block")?;
        Ok(Stmt { kind: StmtKind::Block(body), span: open.to(close) })
    }

    #[inline(never)]
    fn while_stmt(&mut self, ctx: Ctx) -> PResult<Stmt> {
        let start = self.bump().span;
        let open = self.expect(TokenKind::LParen, "after 'while'")?;
        let cond = self.nested_expr()?;
        self.expect_close(TokenKind::RParen, open, "after the loop condition")?;
        let body = self.stmt(ctx.nested())?;
        let span = start.to(body.span);
        Ok(Stmt { kind: StmtKind::While { cond, body: Box::new(body) }, span })
    }

    #[inline(never)]
    fn profile_stmt(&mut self, ctx: Ctx) -> PResult<Stmt> {
        let start = self.bump().span;
        let open = self.expect(TokenKind::LParen, "after 'profile'")?;
        let name = match self.kind().clone() {
            TokenKind::StringLit(s) => {
                self.bump();
                s
            }
            _ => return self.unexpected("a string (the profile name)", "after 'profile('"),
        };
        self.expect_close(TokenKind::RParen, open, "after the profile name")?;
        let bopen = self.expect(TokenKind::LBrace, "after 'profile(\"...\")'")?;
        let body = self.stmt_list(ctx.nested())?;
        let close = self.expect_close(TokenKind::RBrace, bopen, "to close the profile block")?;
        Ok(Stmt { kind: StmtKind::Profile { name, body }, span: start.to(close) })
    }

    /// Statements that do not nest other statements.
    #[inline(never)]
    fn simple_stmt(&mut self) -> PResult<Stmt> {
        let start = self.span();
        let kind = self.kind().clone();
        let k = match kind {
            TokenKind::Semi => {
                self.bump();
                StmtKind::Empty
            }
            TokenKind::Keyword(Keyword::Break) => {
                self.bump();
                self.expect_semi("'break'")?;
                StmtKind::Break
            }
            TokenKind::Keyword(Keyword::Continue) => {
                self.bump();
                self.expect_semi("'continue'")?;
                StmtKind::Continue
            }
            TokenKind::Keyword(Keyword::Return) => {
                self.bump();
                if self.eat(&TokenKind::Semi) {
                    StmtKind::Return(None)
                } else {
                    let e = self.expr()?;
                    self.expect_semi("return value")?;
                    StmtKind::Return(Some(e))
                }
            }
            TokenKind::Keyword(kw @ (Keyword::Print | Keyword::Reject | Keyword::FatalError)) => {
                self.bump();
                let items = self.printables(kw.as_str())?;
                self.expect_semi(&format!("'{}(...)'", kw.as_str()))?;
                match kw {
                    Keyword::Print => StmtKind::Print(items),
                    Keyword::Reject => StmtKind::Reject(items),
                    _ => StmtKind::FatalError(items),
                }
            }
            TokenKind::Keyword(Keyword::Target) if matches!(self.peek_kind(1), TokenKind::PlusAssign) => {
                self.bump();
                self.bump();
                let e = self.expr()?;
                self.expect_semi("expression")?;
                StmtKind::TargetPlus(e)
            }
            TokenKind::Ident(ref n) if n == "jacobian" && matches!(self.peek_kind(1), TokenKind::PlusAssign) => {
                self.bump();
                self.bump();
                let e = self.expr()?;
                self.expect_semi("expression")?;
                StmtKind::JacobianPlus(e)
            }
            // `exit("message")`: parsed, then refused (exmc stops on errors
            // with reject/fatal_error only).
            TokenKind::Ident(ref n) if n == "exit" && matches!(self.peek_kind(1), TokenKind::LParen) => {
                self.bump();
                self.printables("exit")?;
                self.expect_semi("'exit(...)'")?;
                return self.error(start.to(self.prev_span()), "not supported: 'exit(...)' statements");
            }
            TokenKind::Keyword(Keyword::IncrementLogProb) => {
                self.bump();
                let open = self.expect(TokenKind::LParen, "after 'increment_log_prob'")?;
                let e = self.nested_expr()?;
                let close = self.expect_close(TokenKind::RParen, open, "")?;
                self.warn(
                    Diagnostic::warning(start.to(close), "'increment_log_prob(...)' is deprecated (removed in Stan 2.33)")
                        .with_help("use 'target += ...;'"),
                );
                self.expect_semi("'increment_log_prob(...)'")?;
                StmtKind::TargetPlus(e)
            }
            TokenKind::Keyword(Keyword::Else) => {
                return self.error(start, "'else' without a matching 'if'");
            }
            _ => return self.expr_stmt(),
        };
        let span = start.to(self.prev_span());
        Ok(Stmt { kind: k, span })
    }

    /// `( printable, ... )` for print / reject / fatal_error.
    fn printables(&mut self, what: &str) -> PResult<Vec<Printable>> {
        let open = self.expect(TokenKind::LParen, &format!("after '{what}'"))?;
        let mut items = Vec::new();
        loop {
            if let TokenKind::StringLit(s) = self.kind().clone() {
                let sp = self.bump().span;
                items.push(Printable::Str(s, sp));
            } else {
                items.push(Printable::Expr(self.nested_expr()?));
            }
            if !self.eat(&TokenKind::Comma) {
                break;
            }
        }
        self.expect_close(TokenKind::RParen, open, &format!("to close '{what}('"))?;
        Ok(items)
    }

    #[inline(never)]
    fn if_stmt(&mut self, ctx: Ctx) -> PResult<Stmt> {
        let start = self.bump().span;
        let open = self.expect(TokenKind::LParen, "after 'if'")?;
        let cond = self.nested_expr()?;
        self.expect_close(TokenKind::RParen, open, "after the condition")?;
        let then = self.stmt(ctx.nested())?;
        let mut span = start.to(then.span);
        let els = if self.eat(&TokenKind::Keyword(Keyword::Else)) {
            let e = self.stmt(ctx.nested())?;
            span = span.to(e.span);
            Some(Box::new(e))
        } else {
            None
        };
        Ok(Stmt { kind: StmtKind::If { cond, then: Box::new(then), els }, span })
    }

    #[inline(never)]
    fn for_stmt(&mut self, ctx: Ctx) -> PResult<Stmt> {
        let start = self.bump().span;
        let open = self.expect(TokenKind::LParen, "after 'for'")?;
        let var = self.decl_name("loop variable")?;
        self.expect(TokenKind::Keyword(Keyword::In), "after the loop variable")?;
        let first = self.nested_expr()?;
        let range = if self.eat(&TokenKind::Colon) { Some(self.nested_expr()?) } else { None };
        self.expect_close(TokenKind::RParen, open, "after the loop range")?;
        let body = Box::new(self.stmt(ctx.nested())?);
        let span = start.to(body.span);
        let kind = match range {
            Some(upper) => StmtKind::For { var, lower: first, upper, body },
            None => StmtKind::ForEach { var, iter: first, body },
        };
        Ok(Stmt { kind, span })
    }

    /// Statements that start with an expression: assignment, `~`, call.
    #[inline(never)]
    fn expr_stmt(&mut self) -> PResult<Stmt> {
        let saved = std::mem::replace(&mut self.arrow_is_assign, true);
        let lhs = self.expr();
        self.arrow_is_assign = saved;
        let lhs = lhs?;
        let op = match self.kind() {
            TokenKind::Assign => Some(AssignOp::Assign),
            TokenKind::LArrow => Some(AssignOp::Assign),
            TokenKind::PlusAssign => Some(AssignOp::Add),
            TokenKind::MinusAssign => Some(AssignOp::Sub),
            TokenKind::StarAssign => Some(AssignOp::Mul),
            TokenKind::SlashAssign => Some(AssignOp::Div),
            TokenKind::DotStarAssign => Some(AssignOp::EltMul),
            TokenKind::DotSlashAssign => Some(AssignOp::EltDiv),
            _ => None,
        };
        if let Some(op) = op {
            let op_tok = self.bump();
            if op_tok.kind == TokenKind::LArrow {
                self.warn(
                    Diagnostic::warning(op_tok.span, "assignment with '<-' is deprecated (removed in Stan 2.33)")
                        .with_help("use '='"),
                );
            }
            if self.tuple_target(&lhs, op_tok.kind.punct_str())? {
                let rhs = self.expr()?;
                self.expect_semi("expression")?;
                let span = lhs.span.to(self.prev_span());
                return Ok(Stmt { kind: StmtKind::TupleAssign { lhs, op, rhs }, span });
            }
            let lv = self.lvalue(&lhs, op_tok.kind.punct_str())?;
            let rhs = self.expr()?;
            self.expect_semi("expression")?;
            let span = lhs.span.to(self.prev_span());
            return Ok(Stmt { kind: StmtKind::Assign { lhs: lv, op, rhs }, span });
        }
        if self.at(&TokenKind::Tilde) {
            self.bump();
            let dist = match self.kind().clone() {
                TokenKind::Ident(name) => Ident { name, span: self.bump().span },
                _ => return self.unexpected("a distribution name", "after '~'"),
            };
            let open = self.expect(TokenKind::LParen, "after the distribution name")?;
            let mut args = Vec::new();
            if !self.at(&TokenKind::RParen) {
                loop {
                    args.push(self.nested_expr()?);
                    if !self.eat(&TokenKind::Comma) {
                        break;
                    }
                }
            }
            if self.at(&TokenKind::Bar) {
                let d = Diagnostic::error(self.span(), "'|' is not used with '~'")
                    .with_help(format!("write 'y ~ {}(theta)' or 'target += {}_lpdf(y | theta)'", dist.name, dist.name));
                return self.fail(d);
            }
            self.expect_close(TokenKind::RParen, open, "to close the distribution arguments")?;
            let truncation = self.truncation()?;
            self.expect_semi("'~' statement")?;
            let span = lhs.span.to(self.prev_span());
            return Ok(Stmt { kind: StmtKind::Tilde { lhs, dist, args, truncation }, span });
        }
        if self.at(&TokenKind::Semi) {
            if let ExprKind::Call { name, args, .. } = &lhs.kind {
                let end = self.bump().span;
                let k = StmtKind::Call { name: name.clone(), args: args.clone() };
                return Ok(Stmt { kind: k, span: lhs.span.to(end) });
            }
            let d = Diagnostic::error(lhs.span, "this expression is not a statement: its value would be discarded")
                .with_help("assign it ('x = ...;'), use it in 'target += ...;' or in a '~' statement");
            return self.fail(d);
        }
        let found = self.kind().describe();
        if matches!(lhs.kind, ExprKind::Call { .. }) {
            let d = Diagnostic::error(self.span(), format!("expected ';' after function call, found {found}"))
                .with_secondary(lhs.span.end_point(), "';' expected after this");
            return self.fail(d);
        }
        let d = Diagnostic::error(self.span(), format!("expected '=', '~' or ';' after expression, found {found}"))
            .with_secondary(lhs.span, "this expression");
        self.fail(d)
    }

    /// Whether an assignment target involves tuples (an element `t.1`, or
    /// unpacking `(a, b)`); errors if its parts cannot be assigned.
    fn tuple_target(&mut self, e: &Expr, op: &str) -> PResult<bool> {
        fn has_proj(e: &Expr) -> bool {
            match &e.kind {
                ExprKind::TupleProj { .. } => true,
                ExprKind::Index { expr, .. } => has_proj(expr),
                _ => false,
            }
        }
        // A variable with indexes and tuple elements: `x`, `x[i].2[j]`.
        fn path(e: &Expr) -> bool {
            match &e.kind {
                ExprKind::Var(_) => true,
                ExprKind::Index { expr, .. } | ExprKind::TupleProj { expr, .. } => path(expr),
                _ => false,
            }
        }
        fn assignable(e: &Expr) -> bool {
            match &e.kind {
                ExprKind::TupleLit(items) => items.iter().all(assignable),
                _ => path(e),
            }
        }
        let tuple = matches!(e.kind, ExprKind::TupleLit(_)) || has_proj(e);
        if !tuple {
            return Ok(false);
        }
        if matches!(e.kind, ExprKind::TupleLit(_)) && op != "=" {
            return self.error(e.span, format!("tuple unpacking only works with '=', not '{op}'"));
        }
        if !assignable(e) {
            let d = Diagnostic::error(e.span, format!("cannot assign to this expression with '{op}'"))
                .with_note("tuple unpacking takes variables, indexed variables, tuple elements or '_': '(a, b[1], t.2, _) = ...'");
            return self.fail(d);
        }
        Ok(true)
    }

    /// Convert the left side of an assignment to an l-value.
    fn lvalue(&mut self, e: &Expr, op: &str) -> PResult<LValue> {
        let mut groups = Vec::new();
        let mut cur = e;
        loop {
            match &cur.kind {
                ExprKind::Var(name) => {
                    groups.reverse();
                    return Ok(LValue {
                        base: Ident { name: name.clone(), span: cur.span },
                        indices: groups,
                        span: e.span,
                    });
                }
                ExprKind::Index { expr, indices } => {
                    groups.push(indices.clone());
                    cur = expr;
                }
                _ => {
                    let d = Diagnostic::error(e.span, format!("cannot assign to this expression with '{op}'"))
                        .with_note("the left side of an assignment must be a variable, optionally indexed: 'x', 'x[i]', 'x[i, j]', 'x[i][2:3]'");
                    return self.fail(d);
                }
            }
        }
    }

    /// Optional `T[lower, upper]` after a `~` statement.
    fn truncation(&mut self) -> PResult<Option<Truncation>> {
        if !(self.at_ident("T") && matches!(self.peek_kind(1), TokenKind::LBracket)) {
            return Ok(None);
        }
        let start = self.bump().span;
        let open = self.bump().span;
        let lower = if self.at(&TokenKind::Comma) { None } else { Some(self.nested_expr()?) };
        if !self.at(&TokenKind::Comma) {
            let d = Diagnostic::error(self.span(), format!("expected ',' in truncation 'T[lower, upper]', found {}", self.kind().describe()))
                .with_help("write 'T[L, U]', 'T[L, ]' or 'T[, U]'");
            return self.fail(d);
        }
        self.bump();
        let upper = if self.at(&TokenKind::RBracket) { None } else { Some(self.nested_expr()?) };
        let close = self.expect_close(TokenKind::RBracket, open, "to close the truncation")?;
        Ok(Some(Truncation { lower, upper, span: start.to(close) }))
    }
}
