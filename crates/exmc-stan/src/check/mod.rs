//! The type checker: resolves names, computes the type of every expression
//! (with int→real promotion), resolves every call to a builtin (by signature,
//! from [`crate::library`]) or a user-defined function, and enforces Stan's
//! block rules (what may be assigned where, `_rng`/`_lp`/`target` contexts,
//! `break` outside loops, missing returns, ...).
//!
//! The result, [`CheckedProgram`], is a side table over the AST: types and
//! call targets keyed by the expression's [`Span`] (spans of distinct
//! expressions are distinct; `tests/check_output.rs` checks it), plus the
//! block-level variables with their declarations. The lowering walks the AST
//! and asks the table: [`CheckedProgram::type_of`], [`CheckedProgram::call_of`]
//! (a [`CallTarget`]: builtin id + matched signature, or user function),
//! [`CheckedProgram::tilde_of`], [`CheckedProgram::var_of`].
//!
//! Call targets: a `StmtKind::Call` is keyed by the statement's span; for
//! higher-order builtins (`ode_bdf(f, ...)`, `reduce_sum`) the first
//! argument (the function name) is keyed as `CallTarget::User` and has no type.
//!
//! ```
//! let src = "data { int N; vector[N] y; } parameters { real mu; } model { y ~ normal(mu, 1); }";
//! let (prog, _) = exmc_stan::parse(src).unwrap();
//! let checked = exmc_stan::check(&prog).unwrap();
//! assert_eq!(checked.global("y").unwrap().ty.to_string(), "vector");
//! ```

mod calls;
mod expr;
mod flow;
mod higher_order;
pub mod ops;
mod stmt;
mod unsupported;
pub mod suggest;
pub mod types;

use crate::ast::{BlockKind, FunSuffix, Program, VarDecl};
use crate::diagnostic::{Diagnostic, Severity};
use crate::library::Builtin;
use crate::token::Span;
use std::collections::HashMap;
use types::{RetType, Type};

/// What a call resolved to.
#[derive(Clone, Debug, PartialEq)]
pub enum CallTarget {
    /// A builtin: its id, full name, which signature of the entry matched
    /// (index into [`crate::library::Entry::sigs`]) and whether exmc implements it.
    Builtin { id: Builtin, name: String, sig: usize, supported: bool },
    /// A user-defined function (index into [`CheckedProgram::functions`]).
    User(usize),
}

/// A resolved `~` statement.
#[derive(Clone, Debug, PartialEq)]
pub struct TildeInfo {
    /// The log density: `foo_lpdf`/`foo_lpmf` (builtin or user-defined).
    pub density: CallTarget,
    /// For truncation `T[L, U]`: the log CDF (upper bound) and log CCDF (lower bound).
    pub lcdf: Option<CallTarget>,
    pub lccdf: Option<CallTarget>,
}

/// Where a variable used in an expression was declared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VarRef {
    /// A block-level variable (index into [`CheckedProgram::globals`]).
    Global(usize),
    /// A local variable (model block, nested blocks, function bodies).
    Local,
    /// A loop variable.
    Loop,
    /// A function argument.
    Arg,
}

/// A variable declared at the top level of `data`, `transformed data`,
/// `parameters`, `transformed parameters` or `generated quantities`.
#[derive(Clone, Debug, PartialEq)]
pub struct GlobalVar {
    pub name: String,
    pub block: BlockKind,
    /// The value type (constrained types are their vector/matrix type).
    pub ty: Type,
    /// The declaration: sizes, bounds, offset/multiplier, constrained base, init.
    pub decl: VarDecl,
}

/// A user-defined function's signature.
#[derive(Clone, Debug, PartialEq)]
pub struct UserFunction {
    pub name: String,
    pub suffix: FunSuffix,
    pub args: Vec<Type>,
    /// `data`-qualified arguments.
    pub data_only: Vec<bool>,
    pub ret: RetType,
    /// Span of the name in the definition (or declaration if never defined).
    pub span: Span,
    /// Index into `Program::functions` of the definition with a body.
    pub def: Option<usize>,
}

/// The output of [`check`].
#[derive(Clone, Debug, Default)]
pub struct CheckedProgram {
    /// Type of every value expression, by span.
    pub expr_types: HashMap<Span, Type>,
    /// Target of every call: `ExprKind::Call`/`CondCall` by expression span,
    /// `StmtKind::Call` by statement span.
    pub calls: HashMap<Span, CallTarget>,
    /// Every `~` statement, by statement span.
    pub tildes: HashMap<Span, TildeInfo>,
    /// Every `ExprKind::Var`, by span.
    pub vars: HashMap<Span, VarRef>,
    /// Spans of `jacobian += e;` statements that are really the compound
    /// assignment `jacobian = jacobian + e` to a variable named `jacobian`.
    pub jacobian_assignments: Vec<Span>,
    /// Block-level variables in program order.
    pub globals: Vec<GlobalVar>,
    pub functions: Vec<UserFunction>,
    /// Warnings (e.g. integer division).
    pub warnings: Vec<Diagnostic>,
}

impl CheckedProgram {
    /// The type of an expression (None if it was not checked, e.g. a string).
    pub fn type_of(&self, e: &crate::ast::Expr) -> Option<Type> {
        self.expr_types.get(&e.span).copied()
    }
    /// The call target of a call expression.
    pub fn call_of(&self, e: &crate::ast::Expr) -> Option<&CallTarget> {
        self.calls.get(&e.span)
    }
    /// What a variable expression refers to.
    pub fn var_of(&self, e: &crate::ast::Expr) -> Option<VarRef> {
        self.vars.get(&e.span).copied()
    }
    /// The resolution of a `~` statement.
    pub fn tilde_of(&self, s: &crate::ast::Stmt) -> Option<&TildeInfo> {
        self.tildes.get(&s.span)
    }
    /// Whether a `jacobian += e;` statement is an assignment to a variable named `jacobian`.
    pub fn is_jacobian_assignment(&self, s: &crate::ast::Stmt) -> bool {
        self.jacobian_assignments.contains(&s.span)
    }
    /// The block-level variable named `name`.
    pub fn global(&self, name: &str) -> Option<&GlobalVar> {
        self.globals.iter().find(|g| g.name == name)
    }
    /// The variables declared at the top level of `block`, in order.
    pub fn block_vars(&self, block: BlockKind) -> impl Iterator<Item = &GlobalVar> {
        self.globals.iter().filter(move |g| g.block == block)
    }
}

/// Options of [`check_with`].
#[derive(Clone, Copy, Debug)]
pub struct CheckOptions {
    /// Report calls of builtins that exmc does not implement yet as errors
    /// ("`wishart_lpdf` is not supported by exmc yet"). Default true; false
    /// checks the Stan language alone.
    pub reject_unsupported: bool,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions { reject_unsupported: true }
    }
}

/// Type-check a parsed program. On error returns every error and warning,
/// sorted by position. Never panics.
pub fn check(prog: &Program) -> Result<CheckedProgram, Vec<Diagnostic>> {
    check_with(prog, CheckOptions::default())
}

/// [`check`] with options.
pub fn check_with(prog: &Program, opts: CheckOptions) -> Result<CheckedProgram, Vec<Diagnostic>> {
    let mut c = Checker::new(opts);
    c.program(prog);
    let mut diags = std::mem::take(&mut c.diags);
    diags.sort_by_key(|d| (d.span.start, d.span.end));
    if diags.iter().any(|d| d.severity == Severity::Error) {
        return Err(diags);
    }
    c.out.warnings = diags;
    Ok(c.out)
}

/// How a name in scope was introduced.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Local {
    pub ty: Type,
    pub kind: VarRef,
    /// Block of a block-level variable (for "declared in the data block").
    pub block: Option<BlockKind>,
    pub span: Span,
    /// Data-only (no autodiff): ints, data/transformed data/generated
    /// quantities variables, `data` function arguments.
    pub data: bool,
}

/// The function being checked.
#[derive(Clone, Debug)]
pub(crate) struct FunCtx {
    pub name: String,
    pub suffix: FunSuffix,
    pub ret: RetType,
}

pub(crate) struct Checker {
    pub opts: CheckOptions,
    pub diags: Vec<Diagnostic>,
    pub out: CheckedProgram,
    /// Innermost scope last; `scopes[0]` holds block-level variables.
    pub scopes: Vec<HashMap<String, Local>>,
    /// The block being checked (None inside a function body).
    pub block: Option<BlockKind>,
    pub fun: Option<FunCtx>,
    pub loop_depth: usize,
    /// User function name → indices into `out.functions`.
    pub user_fns: HashMap<String, Vec<usize>>,
    /// Declaration spans of variables of unsupported types (see `unsupported.rs`).
    pub opaque_vars: std::collections::HashSet<Span>,
    /// Names of user functions with an unsupported type in a signature.
    pub opaque_fns: std::collections::HashSet<String>,
    /// The variable whose initial value is being checked (`real x = ...;`).
    pub declaring: Option<String>,
}

impl Checker {
    fn new(opts: CheckOptions) -> Checker {
        Checker {
            opts,
            diags: Vec::new(),
            out: CheckedProgram::default(),
            scopes: vec![HashMap::new()],
            block: None,
            fun: None,
            loop_depth: 0,
            user_fns: HashMap::new(),
            opaque_vars: Default::default(),
            opaque_fns: Default::default(),
            declaring: None,
        }
    }

    pub fn error(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    pub fn err(&mut self, span: Span, msg: impl Into<String>) {
        self.diags.push(Diagnostic::error(span, msg));
    }

    pub fn lookup(&self, name: &str) -> Option<Local> {
        self.scopes.iter().rev().find_map(|s| s.get(name).copied())
    }

    /// All names in scope (for suggestions).
    pub fn names_in_scope(&self) -> Vec<String> {
        self.scopes.iter().flat_map(|s| s.keys().cloned()).collect()
    }

    /// Declare a name in the innermost scope; Stan forbids shadowing any
    /// variable in scope.
    pub fn declare(&mut self, name: &crate::ast::Ident, local: Local) {
        if let Some(prev) = self.lookup(&name.name) {
            let d = Diagnostic::error(name.span, format!("'{}' is already declared", name.name))
                .with_secondary(prev.span, "first declared here");
            self.error(d);
            return;
        }
        if let Some(s) = self.scopes.last_mut() {
            s.insert(name.name.clone(), local);
        }
    }

    pub fn push(&mut self) {
        self.scopes.push(HashMap::new());
    }

    pub fn pop(&mut self) {
        if self.scopes.len() > 1 {
            self.scopes.pop();
        }
    }

    fn program(&mut self, prog: &Program) {
        if let Some(f) = &prog.functions {
            self.functions(f);
        }
        for b in prog.blocks() {
            self.block = Some(b.kind);
            let local_block = b.kind == BlockKind::Model;
            if local_block {
                self.push();
            }
            for s in &b.stmts {
                self.stmt(s, !local_block);
            }
            if local_block {
                self.pop();
            }
        }
        self.block = None;
    }
}
