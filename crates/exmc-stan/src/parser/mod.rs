//! Recursive-descent parser for Stan programs.
//!
//! The grammar follows the Stan Reference Manual (program blocks, types and
//! declarations, statements, expressions, user-defined functions) and, where
//! the manual is silent, stanc3's grammar. Expressions use precedence climbing
//! with the manual's operator table (see `expr.rs`).
//!
//! Errors: each parse function returns `Err(Stop)` after pushing a
//! [`Diagnostic`]; statement lists recover by skipping to the next `;` or `}`
//! so several independent errors can be reported. Nesting is bounded by
//! [`MAX_DEPTH`], so the parser neither overflows the stack nor loops.

mod decl;
mod expr;
mod stmt;

use crate::ast::*;
use crate::diagnostic::Diagnostic;
use crate::token::{Keyword, Span, Token, TokenKind};

/// Deepest nesting of expressions/statements accepted.
pub const MAX_DEPTH: usize = 100;
/// Most operators chained at one level in one expression (`a + b + c ...`,
/// `x[1][2]...`): each link deepens the tree the later passes walk
/// recursively, so a bound keeps them off the end of the stack.
pub const MAX_CHAIN: usize = 2000;
/// Stop collecting after this many errors.
const MAX_ERRORS: usize = 10;

/// Marker: an error has been recorded; unwind to a recovery point.
#[derive(Debug)]
pub(crate) struct Stop;
pub(crate) type PResult<T> = Result<T, Stop>;

pub(crate) struct Parser<'s> {
    src: &'s str,
    toks: Vec<Token>,
    pos: usize,
    pub(crate) errors: Vec<Diagnostic>,
    pub(crate) warnings: Vec<Diagnostic>,
    depth: usize,
    /// Active `expr()` calls; the outermost one resets `chain`.
    expr_nesting: usize,
    /// Chained (loop-built, not recursion-bounded) nodes in the current
    /// outermost expression; see [`MAX_CHAIN`].
    chain: usize,
    /// While parsing the leading expression of a statement, `<-` is the legacy
    /// assignment; elsewhere it is read as `< -`.
    arrow_is_assign: bool,
}

/// Parse a token stream (ending with `Eof`) into a program.
pub(crate) fn parse_tokens(src: &str, toks: Vec<Token>) -> (Option<Program>, Vec<Diagnostic>, Vec<Diagnostic>) {
    let mut p = Parser {
        src,
        toks,
        pos: 0,
        errors: Vec::new(),
        warnings: Vec::new(),
        depth: 0,
        expr_nesting: 0,
        chain: 0,
        arrow_is_assign: false,
    };
    if p.toks.last().map(|t| t.kind != TokenKind::Eof).unwrap_or(true) {
        let end = src.len();
        p.toks.push(Token { kind: TokenKind::Eof, span: Span::new(end, end) });
    }
    let prog = p.program().ok();
    (prog, p.errors, p.warnings)
}

/// Edit distance, for "did you mean" suggestions.
pub(crate) fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, &cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The closest candidate within a small edit distance.
pub(crate) fn suggest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let limit = word.chars().count().div_ceil(3).clamp(1, 3);
    candidates
        .iter()
        .map(|c| (levenshtein(word, c), *c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

impl<'s> Parser<'s> {
    // ------------------------------------------------------------ tokens

    pub(crate) fn tok(&self) -> &Token {
        // `pos` never passes the final Eof.
        &self.toks[self.pos.min(self.toks.len() - 1)]
    }
    pub(crate) fn kind(&self) -> &TokenKind {
        &self.tok().kind
    }
    pub(crate) fn peek_kind(&self, k: usize) -> &TokenKind {
        let i = (self.pos + k).min(self.toks.len() - 1);
        &self.toks[i].kind
    }
    pub(crate) fn span(&self) -> Span {
        self.tok().span
    }
    /// Span of the most recently consumed token.
    pub(crate) fn prev_span(&self) -> Span {
        if self.pos == 0 {
            Span::new(0, 0)
        } else {
            self.toks[(self.pos - 1).min(self.toks.len() - 1)].span
        }
    }
    pub(crate) fn at(&self, k: &TokenKind) -> bool {
        self.kind() == k
    }
    pub(crate) fn at_kw(&self, k: Keyword) -> bool {
        matches!(self.kind(), TokenKind::Keyword(x) if *x == k)
    }
    pub(crate) fn at_ident(&self, name: &str) -> bool {
        matches!(self.kind(), TokenKind::Ident(x) if x == name)
    }
    pub(crate) fn bump(&mut self) -> Token {
        let t = self.tok().clone();
        if t.kind != TokenKind::Eof {
            self.pos += 1;
        }
        t
    }
    pub(crate) fn eat(&mut self, k: &TokenKind) -> bool {
        if self.at(k) {
            self.bump();
            true
        } else {
            false
        }
    }
    /// Replace the current token (used to split `<-` into `<` `-`).
    pub(crate) fn replace_current(&mut self, tok: Token) {
        let i = self.pos.min(self.toks.len() - 1);
        self.toks[i] = tok;
    }

    // ------------------------------------------------------------ errors

    pub(crate) fn push_error(&mut self, d: Diagnostic) {
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(d);
        }
    }
    pub(crate) fn error<T>(&mut self, span: Span, msg: impl Into<String>) -> PResult<T> {
        self.push_error(Diagnostic::error(span, msg));
        Err(Stop)
    }
    pub(crate) fn fail<T>(&mut self, d: Diagnostic) -> PResult<T> {
        self.push_error(d);
        Err(Stop)
    }
    pub(crate) fn warn(&mut self, d: Diagnostic) {
        self.warnings.push(Diagnostic { severity: crate::diagnostic::Severity::Warning, ..d });
    }
    /// `expected X <context>, found Y` at the current token.
    pub(crate) fn unexpected<T>(&mut self, what: &str, context: &str) -> PResult<T> {
        let found = self.kind().describe();
        let msg = if context.is_empty() {
            format!("expected {what}, found {found}")
        } else {
            format!("expected {what} {context}, found {found}")
        };
        let d = Diagnostic::error(self.span(), msg);
        self.fail(d)
    }
    /// Consume token `k` or report `expected 'k' <context>, found ...`.
    pub(crate) fn expect(&mut self, k: TokenKind, context: &str) -> PResult<Span> {
        if self.at(&k) {
            Ok(self.bump().span)
        } else {
            self.unexpected(&k.describe(), context)
        }
    }
    /// Consume a closing delimiter; at end of file, point at the opener.
    pub(crate) fn expect_close(&mut self, k: TokenKind, open: Span, context: &str) -> PResult<Span> {
        if self.at(&k) {
            return Ok(self.bump().span);
        }
        let close = k.punct_str();
        let open_str = match k {
            TokenKind::RBrace => "{",
            TokenKind::RParen => "(",
            _ => "[",
        };
        if self.at(&TokenKind::Eof) {
            let d = Diagnostic::error(self.span(), format!("unclosed '{open_str}': reached end of file"))
                .with_secondary(open, format!("this '{open_str}' is never closed"))
                .with_help(format!("add '{close}'"));
            return self.fail(d);
        }
        let found = self.kind().describe();
        let d = Diagnostic::error(self.span(), format!("expected '{close}' {context}, found {found}"))
            .with_secondary(open, format!("to match this '{open_str}'"));
        self.fail(d)
    }
    /// `;` ending a statement; the message names what it ends.
    pub(crate) fn expect_semi(&mut self, after: &str) -> PResult<Span> {
        if self.at(&TokenKind::Semi) {
            return Ok(self.bump().span);
        }
        let found = self.kind().describe();
        let prev = self.prev_span();
        let d = Diagnostic::error(self.span(), format!("expected ';' after {after}, found {found}"))
            .with_secondary(prev.end_point(), "';' expected after this");
        self.fail(d)
    }

    /// Enter one level of nesting; error out on absurd depth.
    pub(crate) fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            let d = Diagnostic::error(self.span(), format!("nesting too deep (more than {MAX_DEPTH} levels)"))
                .with_help("simplify the expression or split it with intermediate variables");
            self.depth -= 1;
            return self.fail(d);
        }
        Ok(())
    }
    /// Count one loop-built link (binary operator, index, transpose) of the
    /// current expression; error out past [`MAX_CHAIN`].
    pub(crate) fn link(&mut self) -> PResult<()> {
        self.chain += 1;
        if self.chain > MAX_CHAIN {
            let d = Diagnostic::error(self.span(), format!("expression too long (more than {MAX_CHAIN} chained operators)"))
                .with_help("split it into several statements with intermediate variables");
            return self.fail(d);
        }
        Ok(())
    }
    pub(crate) fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// Skip to a statement boundary: past the next `;` at this nesting level,
    /// or up to (not past) an unmatched `}`.
    pub(crate) fn sync_stmt(&mut self) {
        let mut nest = 0usize;
        loop {
            match self.kind() {
                TokenKind::Eof => return,
                TokenKind::Semi if nest == 0 => {
                    self.bump();
                    return;
                }
                TokenKind::LBrace => {
                    nest += 1;
                    self.bump();
                }
                TokenKind::RBrace => {
                    if nest == 0 {
                        return;
                    }
                    nest -= 1;
                    self.bump();
                    if nest == 0 {
                        return;
                    }
                }
                _ => {
                    self.bump();
                }
            }
        }
    }

    pub(crate) fn source_text(&self, span: Span) -> &str {
        self.src.get(span.start..span.end).unwrap_or("")
    }

    // ----------------------------------------------------------- program

    fn program(&mut self) -> PResult<Program> {
        let mut prog = Program::default();
        let mut seen: Vec<(BlockKind, Span)> = Vec::new();
        while !self.at(&TokenKind::Eof) {
            if self.errors.len() >= MAX_ERRORS {
                break;
            }
            let (kind, header) = match self.block_header() {
                Ok(x) => x,
                Err(Stop) => return Err(Stop),
            };
            if let Some(&(_, first)) = seen.iter().find(|(k, _)| *k == kind) {
                let d = Diagnostic::error(header, format!("duplicate '{}' block", kind.name()))
                    .with_secondary(first, "first defined here");
                self.push_error(d);
            } else if let Some(&(later, later_span)) = seen.iter().find(|(k, _)| *k > kind) {
                let d = Diagnostic::error(
                    header,
                    format!("the '{}' block must come before the '{}' block", kind.name(), later.name()),
                )
                .with_secondary(later_span, format!("'{}' block is here", later.name()))
                .with_note(
                    "blocks must appear in the order: functions, data, transformed data, parameters, \
                     transformed parameters, model, generated quantities",
                );
                self.push_error(d);
            }
            seen.push((kind, header));
            if kind == BlockKind::Functions {
                let fb = self.functions_block(header)?;
                prog.functions.get_or_insert(fb);
            } else {
                let b = self.stmt_block(kind, header)?;
                let slot = match kind {
                    BlockKind::Data => &mut prog.data,
                    BlockKind::TransformedData => &mut prog.transformed_data,
                    BlockKind::Parameters => &mut prog.parameters,
                    BlockKind::TransformedParameters => &mut prog.transformed_parameters,
                    BlockKind::Model => &mut prog.model,
                    _ => &mut prog.generated_quantities,
                };
                slot.get_or_insert(b);
            }
        }
        if seen.is_empty() && self.errors.is_empty() {
            self.warn(Diagnostic::warning(Span::new(0, 0), "empty program: no blocks"));
        }
        prog.span = Span::new(0, self.src.len());
        if self.errors.is_empty() {
            Ok(prog)
        } else {
            Err(Stop)
        }
    }

    /// Block name at top level: `data`, `transformed data`, `generated quantities`, ...
    fn block_header(&mut self) -> PResult<(BlockKind, Span)> {
        let start = self.span();
        let kind = match self.kind().clone() {
            TokenKind::Keyword(Keyword::Functions) => BlockKind::Functions,
            TokenKind::Keyword(Keyword::Data) => BlockKind::Data,
            TokenKind::Keyword(Keyword::Parameters) => BlockKind::Parameters,
            TokenKind::Keyword(Keyword::Model) => BlockKind::Model,
            TokenKind::Ident(w) if w == "transformed" => {
                self.bump();
                let k = match self.kind().clone() {
                    TokenKind::Keyword(Keyword::Data) => BlockKind::TransformedData,
                    TokenKind::Keyword(Keyword::Parameters) => BlockKind::TransformedParameters,
                    TokenKind::Ident(second) => {
                        let full = format!("transformed {second}");
                        return self.unknown_block(&full, start.to(self.span()));
                    }
                    _ => return self.unexpected("'data' or 'parameters'", "after 'transformed'"),
                };
                let sp = self.bump().span;
                return Ok((k, start.to(sp)));
            }
            TokenKind::Ident(w) if w == "generated" => {
                self.bump();
                if self.at_ident("quantities") {
                    let sp = self.bump().span;
                    return Ok((BlockKind::GeneratedQuantities, start.to(sp)));
                }
                if let TokenKind::Ident(second) = self.kind().clone() {
                    let full = format!("generated {second}");
                    return self.unknown_block(&full, start.to(self.span()));
                }
                return self.unexpected("'quantities'", "after 'generated'");
            }
            TokenKind::Ident(w) => {
                // `transformed_data`, `paramters`, ...: suggest the real name.
                return self.unknown_block(&w, start);
            }
            _ => {
                return self.unexpected(
                    "a program block ('functions', 'data', 'transformed data', 'parameters', \
                     'transformed parameters', 'model' or 'generated quantities')",
                    "",
                )
            }
        };
        self.bump();
        Ok((kind, start))
    }

    fn unknown_block<T>(&mut self, name: &str, span: Span) -> PResult<T> {
        let names: Vec<&str> = BlockKind::ALL.iter().map(|k| k.name()).collect();
        // `transformed_data` → compare as `transformed data`.
        let msg = match suggest(&name.replace('_', " "), &names) {
            Some(s) => format!("unknown block '{name}' — did you mean '{s}'?"),
            None => format!("unknown block '{name}'"),
        };
        let d = Diagnostic::error(span, msg).with_note(
            "program blocks are: functions, data, transformed data, parameters, transformed parameters, \
             model, generated quantities",
        );
        self.fail(d)
    }

    fn functions_block(&mut self, header: Span) -> PResult<FunctionsBlock> {
        let open = self.expect(TokenKind::LBrace, "after 'functions'")?;
        let mut functions = Vec::new();
        loop {
            if self.at(&TokenKind::RBrace) || self.at(&TokenKind::Eof) || self.errors.len() >= MAX_ERRORS {
                break;
            }
            let before = self.pos;
            match self.fun_def() {
                Ok(f) => functions.push(f),
                Err(Stop) => {
                    self.sync_stmt();
                    if self.pos == before {
                        self.bump();
                    }
                }
            }
        }
        let close = self.expect_close(TokenKind::RBrace, open, "to end the 'functions' block")?;
        Ok(FunctionsBlock { functions, span: header.to(close) })
    }

    fn stmt_block(&mut self, kind: BlockKind, header: Span) -> PResult<Block> {
        let open = self.expect(TokenKind::LBrace, &format!("after '{}'", kind.name()))?;
        let ctx = stmt::Ctx::top(kind);
        let stmts = self.stmt_list(ctx)?;
        let close = self.expect_close(TokenKind::RBrace, open, &format!("to end the '{}' block", kind.name()))?;
        Ok(Block { kind, stmts, span: header.to(close) })
    }
}
