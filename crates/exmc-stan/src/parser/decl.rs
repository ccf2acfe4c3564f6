//! Types, variable declarations and function definitions.
//!
//! Sized (declaration) types: `int`, `real`, `vector[N]`, `row_vector[N]`,
//! `matrix[M, N]`, the constrained types (`simplex[K]`, `cholesky_factor_cov[M, N]`,
//! ...), bounds `<lower=.., upper=..>` / `<offset=.., multiplier=..>`, and
//! `array[d1, ..] T`. Unsized (argument/return) types: `array[,] real`, `vector`.
//! Complex and tuple types are parsed in full; the checker reports them as
//! not supported.

use super::{suggest, PResult, Parser, Stop};
use crate::ast::*;
use crate::diagnostic::Diagnostic;
use crate::token::{Keyword, Span, TokenKind};

/// Where a declaration appears, which decides what it may contain.
#[derive(Clone, Copy, Debug)]
pub(crate) struct DeclCtx {
    /// Bounds and constrained types allowed (top level of data, transformed
    /// data, parameters, transformed parameters, generated quantities).
    pub constraints: bool,
    /// `= init` allowed (everywhere but data and parameters).
    pub init: bool,
    /// Name of the block for messages.
    pub block: Option<BlockKind>,
}

impl<'s> Parser<'s> {
    /// `( T1, T2, ... )` after `tuple` (current token `(`): at least two
    /// elements, or one with a trailing comma (`tuple(real,)`).
    fn tuple_elems<T>(&mut self, mut elem: impl FnMut(&mut Self) -> PResult<T>) -> PResult<Vec<T>> {
        let open = self.expect(TokenKind::LParen, "after 'tuple'")?;
        self.enter()?;
        let mut out = Vec::new();
        let mut trailing = false;
        let r = loop {
            match elem(self) {
                Ok(t) => out.push(t),
                Err(e) => break Err(e),
            }
            if !self.eat(&TokenKind::Comma) {
                break Ok(());
            }
            if self.at(&TokenKind::RParen) {
                trailing = true;
                break Ok(());
            }
        };
        self.leave();
        r?;
        let close = self.expect_close(TokenKind::RParen, open, "to close 'tuple('")?;
        if out.len() == 1 && !trailing {
            let d = Diagnostic::error(open.to(close), "a tuple type needs at least two elements")
                .with_help("a one-element tuple type is written with a trailing comma: 'tuple(T,)'");
            return self.fail(d);
        }
        Ok(out)
    }

    /// A name being declared; reserved words get a clear error.
    pub(crate) fn decl_name(&mut self, what: &str) -> PResult<Ident> {
        let article = if what.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
        match self.kind().clone() {
            TokenKind::Ident(name) => {
                let span = self.bump().span;
                Ok(Ident { name, span })
            }
            TokenKind::Keyword(k) => {
                let d = Diagnostic::error(
                    self.span(),
                    format!("'{}' is a reserved word and cannot be used as {article} {what} name", k.as_str()),
                );
                self.fail(d)
            }
            _ => self.unexpected(&format!("{article} {what} name"), ""),
        }
    }

    /// `[e1, e2, ...]` of sizes.
    fn size_list(&mut self, ctx: &str) -> PResult<(Vec<Expr>, Span)> {
        let open = self.expect(TokenKind::LBracket, ctx)?;
        let mut out = Vec::new();
        loop {
            out.push(self.nested_expr()?);
            if self.eat(&TokenKind::Comma) {
                continue;
            }
            let close = self.expect_close(TokenKind::RBracket, open, "to close the sizes")?;
            return Ok((out, close));
        }
    }

    fn sizes_exact(&mut self, kw: &str, n: usize) -> PResult<(Vec<Expr>, Span)> {
        let start = self.span();
        let (sizes, close) = self.size_list(&format!("after '{kw}'"))?;
        if sizes.len() != n {
            let want = if n == 1 { "one size" } else { "two sizes" };
            return self.error(start.to(close), format!("'{kw}' takes {want}, found {}", sizes.len()));
        }
        Ok((sizes, close))
    }

    /// `<lower=.., upper=..>` or `<offset=.., multiplier=..>`, any order.
    fn bounds(&mut self, int_type: bool) -> PResult<Bounds> {
        if !self.at(&TokenKind::Lt) {
            return Ok(Bounds::None);
        }
        let open = self.bump().span;
        let mut items: Vec<(String, Span, Expr)> = Vec::new();
        loop {
            let (name, nspan) = match self.kind().clone() {
                TokenKind::Ident(n) => (n, self.bump().span),
                _ => return self.unexpected("'lower', 'upper', 'offset' or 'multiplier'", "in type bounds"),
            };
            if !matches!(name.as_str(), "lower" | "upper" | "offset" | "multiplier") {
                let msg = match suggest(&name, &["lower", "upper", "offset", "multiplier"]) {
                    Some(s) => format!("unknown bound '{name}' — did you mean '{s}'?"),
                    None => format!("unknown bound '{name}'; expected 'lower', 'upper', 'offset' or 'multiplier'"),
                };
                return self.error(nspan, msg);
            }
            if let Some((_, first, _)) = items.iter().find(|(n, _, _)| *n == name) {
                let d = Diagnostic::error(nspan, format!("'{name}' is given twice"))
                    .with_secondary(*first, "first given here");
                return self.fail(d);
            }
            self.expect(TokenKind::Assign, &format!("after '{name}'"))?;
            // Arithmetic only: a '>' ends the bounds.
            let e = self.binary(super::expr::PREC_ADD)?;
            items.push((name, nspan, e));
            if self.eat(&TokenKind::Comma) {
                continue;
            }
            if self.at(&TokenKind::Gt) {
                self.bump();
                break;
            }
            if self.at(&TokenKind::Ge) {
                return self.fail(
                    Diagnostic::error(self.span(), "'>=' cannot close type bounds")
                        .with_help("put a space between '>' and '=' (e.g. 'real<lower=0> x = 1;')"),
                );
            }
            let found = self.kind().describe();
            let d = Diagnostic::error(self.span(), format!("expected ',' or '>' in type bounds, found {found}"))
                .with_secondary(open, "bounds start here")
                .with_note("comparisons inside bounds need parentheses, e.g. <upper=(a > b ? a : b)>");
            return self.fail(d);
        }
        let range = items.iter().any(|(n, _, _)| n == "lower" || n == "upper");
        let affine = items.iter().any(|(n, _, _)| n == "offset" || n == "multiplier");
        if range && affine {
            return self.error(open, "'lower'/'upper' cannot be combined with 'offset'/'multiplier'");
        }
        if affine && int_type {
            return self.error(open, "'offset'/'multiplier' are not allowed on 'int'");
        }
        let mut take = |n: &str| items.iter().position(|(x, _, _)| x == n).map(|i| items.remove(i).2);
        Ok(if range {
            Bounds::Range { lower: take("lower"), upper: take("upper") }
        } else {
            Bounds::Affine { offset: take("offset"), multiplier: take("multiplier") }
        })
    }

    /// A sized type (current token is a type keyword).
    #[inline(never)]
    pub(crate) fn decl_type(&mut self, ctx: DeclCtx) -> PResult<DeclType> {
        let start = self.span();
        let mut array_dims = Vec::new();
        if self.at_kw(Keyword::Array) {
            self.bump();
            let (dims, _) = self.size_list("after 'array'")?;
            array_dims = dims;
        }
        if self.at_kw(Keyword::Tuple) {
            self.bump();
            let elems = self.tuple_elems(|p| p.decl_type(ctx))?;
            return Ok(DeclType { array_dims, base: SizedBase::Tuple(elems), bounds: Bounds::None, span: start.to(self.prev_span()) });
        }
        let kw = match *self.kind() {
            TokenKind::Keyword(k) if k.starts_type() && k != Keyword::Array => k,
            TokenKind::Keyword(Keyword::Array) => {
                return self.error(self.span(), "nested 'array' is not allowed; write 'array[M, N] T'")
            }
            _ => return self.unexpected("a type", "in declaration"),
        };
        let kw_span = self.bump().span;
        let name = kw.as_str();
        let mut bounds = Bounds::None;
        let base = match kw {
            Keyword::Int => {
                bounds = self.bounds(true)?;
                SizedBase::Int
            }
            Keyword::Real => {
                bounds = self.bounds(false)?;
                SizedBase::Real
            }
            Keyword::Vector | Keyword::RowVector | Keyword::Matrix => {
                bounds = self.bounds(false)?;
                if kw == Keyword::Matrix {
                    let (mut s, _) = self.sizes_exact(name, 2)?;
                    let n = s.pop().ok_or(Stop)?;
                    let m = s.pop().ok_or(Stop)?;
                    SizedBase::Matrix(m, n)
                } else {
                    let (mut s, _) = self.sizes_exact(name, 1)?;
                    let n = s.pop().ok_or(Stop)?;
                    if kw == Keyword::Vector {
                        SizedBase::Vector(n)
                    } else {
                        SizedBase::RowVector(n)
                    }
                }
            }
            Keyword::Complex => {
                if self.at(&TokenKind::Lt) {
                    return self.error(self.span(), "'complex' cannot have bounds");
                }
                SizedBase::Complex
            }
            Keyword::ComplexVector | Keyword::ComplexRowVector | Keyword::ComplexMatrix => {
                if self.at(&TokenKind::Lt) {
                    return self.error(self.span(), format!("'{name}' cannot have bounds"));
                }
                if kw == Keyword::ComplexMatrix {
                    let (mut s, _) = self.sizes_exact(name, 2)?;
                    let n = s.pop().ok_or(Stop)?;
                    let m = s.pop().ok_or(Stop)?;
                    SizedBase::ComplexMatrix(m, n)
                } else {
                    let (mut s, _) = self.sizes_exact(name, 1)?;
                    let n = s.pop().ok_or(Stop)?;
                    if kw == Keyword::ComplexVector {
                        SizedBase::ComplexVector(n)
                    } else {
                        SizedBase::ComplexRowVector(n)
                    }
                }
            }
            Keyword::CholeskyFactorCov => {
                let (mut s, close) = self.size_list("after 'cholesky_factor_cov'")?;
                match s.len() {
                    1 => SizedBase::CholeskyFactorCov(s.pop().ok_or(Stop)?, None),
                    2 => {
                        let n = s.pop().ok_or(Stop)?;
                        SizedBase::CholeskyFactorCov(s.pop().ok_or(Stop)?, Some(n))
                    }
                    k => {
                        return self.error(
                            kw_span.to(close),
                            format!("'cholesky_factor_cov' takes one or two sizes, found {k}"),
                        )
                    }
                }
            }
            Keyword::SumToZeroMatrix | Keyword::ColumnStochasticMatrix | Keyword::RowStochasticMatrix => {
                let (mut s, _) = self.sizes_exact(name, 2)?;
                let n = s.pop().ok_or(Stop)?;
                let m = s.pop().ok_or(Stop)?;
                match kw {
                    Keyword::SumToZeroMatrix => SizedBase::SumToZeroMatrix(m, n),
                    Keyword::ColumnStochasticMatrix => SizedBase::ColumnStochasticMatrix(m, n),
                    _ => SizedBase::RowStochasticMatrix(m, n),
                }
            }
            _ => {
                if self.at(&TokenKind::Lt) {
                    return self.error(self.span(), format!("'{name}' cannot have bounds"));
                }
                let (mut s, _) = self.sizes_exact(name, 1)?;
                let k = s.pop().ok_or(Stop)?;
                match kw {
                    Keyword::Simplex => SizedBase::Simplex(k),
                    Keyword::UnitVector => SizedBase::UnitVector(k),
                    Keyword::SumToZeroVector => SizedBase::SumToZeroVector(k),
                    Keyword::Ordered => SizedBase::Ordered(k),
                    Keyword::PositiveOrdered => SizedBase::PositiveOrdered(k),
                    Keyword::CholeskyFactorCorr => SizedBase::CholeskyFactorCorr(k),
                    Keyword::CorrMatrix => SizedBase::CorrMatrix(k),
                    Keyword::CovMatrix => SizedBase::CovMatrix(k),
                    _ => return self.error(kw_span, format!("'{name}' is not a declaration type")),
                }
            }
        };
        if !ctx.constraints && (base.is_constrained() || bounds != Bounds::None) {
            let where_ = match ctx.block {
                Some(BlockKind::Model) => "in the 'model' block",
                Some(BlockKind::Functions) => "in functions",
                _ => "in nested blocks",
            };
            let d = Diagnostic::error(start.to(self.prev_span()), format!("local variables cannot have constrained types or bounds ({where_})"))
                .with_note("constraints are only allowed on block-level variables of data, transformed data, parameters, transformed parameters and generated quantities");
            return self.fail(d);
        }
        Ok(DeclType { array_dims, base, bounds, span: start.to(self.prev_span()) })
    }

    /// `type name (= e)? (, name (= e)?)* ;` — one [`VarDecl`] per name.
    #[inline(never)]
    pub(crate) fn var_decls(&mut self, ctx: DeclCtx) -> PResult<Vec<Stmt>> {
        let start = self.span();
        let ty = self.decl_type(ctx)?;
        let mut out = Vec::new();
        loop {
            let name = self.decl_name("variable")?;
            let mut ty_i = ty.clone();
            let mut legacy = false;
            if self.at(&TokenKind::LBracket) {
                // Removed syntax `real y[N]`.
                let lb = self.span();
                let (dims, close) = self.size_list("")?;
                if !ty.array_dims.is_empty() {
                    return self.error(lb.to(close), "cannot combine 'array[...]' with sizes after the name");
                }
                let dims_text: Vec<&str> = dims.iter().map(|d| self.source_text(d.span)).collect();
                let help = format!(
                    "write 'array[{}] {} {}'",
                    dims_text.join(", "),
                    self.source_text(ty.span),
                    name.name
                );
                self.warn(
                    Diagnostic::warning(lb.to(close), "array declarations with sizes after the name are deprecated (removed in Stan 2.33)")
                        .with_help(help),
                );
                ty_i.array_dims = dims;
                legacy = true;
            }
            let mut init = None;
            if self.at(&TokenKind::Assign) {
                if !ctx.init {
                    let block = ctx.block.map(|b| b.name()).unwrap_or("this");
                    let d = Diagnostic::error(self.span(), format!("variables in the '{block}' block cannot be given a value"))
                        .with_help("assign values in 'transformed data' or 'transformed parameters'");
                    return self.fail(d);
                }
                self.bump();
                init = Some(self.expr()?);
            }
            let end = self.prev_span();
            out.push(Stmt {
                kind: StmtKind::Decl(Box::new(VarDecl {
                    ty: ty_i,
                    name,
                    init,
                    legacy_array_syntax: legacy,
                    span: start.to(end),
                })),
                span: start.to(end),
            });
            if self.at(&TokenKind::Comma) {
                if legacy || out.iter().any(|s: &Stmt| matches!(&s.kind, StmtKind::Decl(d) if d.legacy_array_syntax)) {
                    let d = Diagnostic::error(self.span(), "several variables in one declaration cannot use sizes after the name")
                        .with_help("declare them separately, with 'array[...] T name;'");
                    return self.fail(d);
                }
                self.bump();
                continue;
            }
            let semi = self.expect_semi("declaration")?;
            for s in &mut out {
                s.span = s.span.to(semi);
            }
            return Ok(out);
        }
    }

    // ------------------------------------------------------------ functions

    /// The base of an unsized type, with the element types of a tuple.
    fn unsized_base(&mut self) -> PResult<(UnsizedBase, Vec<UnsizedType>)> {
        if self.at_kw(Keyword::Tuple) {
            self.bump();
            let elems = self.tuple_elems(|p| p.unsized_type())?;
            return Ok((UnsizedBase::Tuple, elems));
        }
        let b = match *self.kind() {
            TokenKind::Keyword(Keyword::Int) => UnsizedBase::Int,
            TokenKind::Keyword(Keyword::Real) => UnsizedBase::Real,
            TokenKind::Keyword(Keyword::Vector) => UnsizedBase::Vector,
            TokenKind::Keyword(Keyword::RowVector) => UnsizedBase::RowVector,
            TokenKind::Keyword(Keyword::Matrix) => UnsizedBase::Matrix,
            TokenKind::Keyword(Keyword::Complex) => UnsizedBase::Complex,
            TokenKind::Keyword(Keyword::ComplexVector) => UnsizedBase::ComplexVector,
            TokenKind::Keyword(Keyword::ComplexRowVector) => UnsizedBase::ComplexRowVector,
            TokenKind::Keyword(Keyword::ComplexMatrix) => UnsizedBase::ComplexMatrix,
            TokenKind::Keyword(k) if k.starts_type() => {
                let d = Diagnostic::error(self.span(), format!("'{}' cannot be used in a function signature", k.as_str()))
                    .with_help("use the unconstrained type: int, real, vector, row_vector or matrix");
                return self.fail(d);
            }
            _ => return self.unexpected("a type", "in function signature"),
        };
        self.bump();
        Ok((b, Vec::new()))
    }

    /// `[,,]` → 3 (the current token is `[`).
    fn unsized_dims(&mut self) -> PResult<usize> {
        let open = self.bump().span;
        let mut n = 1;
        while self.eat(&TokenKind::Comma) {
            n += 1;
        }
        if !self.at(&TokenKind::RBracket) {
            let d = Diagnostic::error(self.span(), "sizes are not allowed in function argument or return types")
                .with_help("write 'array[] real' (one comma per extra dimension: 'array[,] real')");
            return self.fail(d);
        }
        self.expect_close(TokenKind::RBracket, open, "")?;
        Ok(n)
    }

    /// `array[,] real`, `vector`, or the removed `real[]` (with a warning).
    pub(crate) fn unsized_type(&mut self) -> PResult<UnsizedType> {
        let start = self.span();
        if self.at_kw(Keyword::Array) {
            self.bump();
            if !self.at(&TokenKind::LBracket) {
                return self.unexpected("'['", "after 'array'");
            }
            let n = self.unsized_dims()?;
            let (base, tuple) = self.unsized_base()?;
            return Ok(UnsizedType { array_dims: n, base, tuple, span: start.to(self.prev_span()) });
        }
        let (base, tuple) = self.unsized_base()?;
        let mut array_dims = 0;
        if self.at(&TokenKind::LBracket) {
            array_dims = self.unsized_dims()?;
            let sp = start.to(self.prev_span());
            let commas = ",".repeat(array_dims - 1);
            let base_text = self.source_text(start).to_string();
            self.warn(
                Diagnostic::warning(sp, "array types written as 'real[]' are deprecated (removed in Stan 2.33)")
                    .with_help(format!("write 'array[{commas}] {base_text}'")),
            );
        }
        Ok(UnsizedType { array_dims, base, tuple, span: start.to(self.prev_span()) })
    }

    /// Annotations `@name ...` before a function or top-level declaration:
    /// `@extern` is returned as true, any other is ignored with a warning.
    pub(crate) fn annotations(&mut self) -> bool {
        let mut external = false;
        while let TokenKind::Annotation(name) = self.kind().clone() {
            let span = self.bump().span;
            if name == "extern" {
                external = true;
            } else {
                self.warn(Diagnostic::warning(span, format!("annotation '@{name}' is ignored by exmc")));
            }
        }
        external
    }

    /// A function definition or forward declaration.
    pub(crate) fn fun_def(&mut self) -> PResult<FunDef> {
        let external = self.annotations();
        let start = self.span();
        let return_type = if self.at_kw(Keyword::Void) {
            self.bump();
            ReturnType::Void
        } else {
            ReturnType::Type(self.unsized_type()?)
        };
        let name = self.decl_name("function")?;
        let open = self.expect(TokenKind::LParen, "after the function name")?;
        let mut args = Vec::new();
        if !self.at(&TokenKind::RParen) {
            loop {
                let astart = self.span();
                let data_only = self.eat(&TokenKind::Keyword(Keyword::Data));
                let ty = self.unsized_type()?;
                let aname = self.decl_name("argument")?;
                args.push(FunArg { data_only, ty, name: aname, span: astart.to(self.prev_span()) });
                // A trailing comma is allowed: `f(real x, real y,)`.
                if !self.eat(&TokenKind::Comma) || self.at(&TokenKind::RParen) {
                    break;
                }
            }
        }
        self.expect_close(TokenKind::RParen, open, "to close the argument list")?;
        let suffix = FunSuffix::of(&name.name);
        if self.at(&TokenKind::Semi) {
            let end = self.bump().span;
            return Ok(FunDef { return_type, name, suffix, args, body: None, external, span: start.to(end) });
        }
        if !self.at(&TokenKind::LBrace) {
            return self.unexpected("'{' (function body) or ';' (forward declaration)", "after the argument list");
        }
        let ctx = super::stmt::Ctx::function_body();
        let body = self.stmt(ctx)?;
        let span = start.to(body.span);
        if external {
            return self.error(name.span, "an '@extern' function cannot have a body");
        }
        Ok(FunDef { return_type, name, suffix, args, body: Some(body), external, span })
    }
}
