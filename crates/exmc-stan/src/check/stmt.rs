//! Statements and declarations.

use super::types::{Base, RetType, Type};
use super::{Checker, GlobalVar, Local, VarRef};
use crate::ast::{AssignOp, BlockKind, Bounds, Expr, ExprKind, LValue, Printable, SizedBase, Stmt, StmtKind, VarDecl};
use crate::diagnostic::Diagnostic;

impl Checker {
    /// Check a statement; `top_level` marks block-level declarations.
    pub fn stmt(&mut self, s: &Stmt, top_level: bool) {
        match &s.kind {
            StmtKind::Decl(d) => self.decl(d, top_level),
            StmtKind::Assign { lhs, op, rhs } => self.assign(lhs, *op, rhs),
            StmtKind::TupleAssign { lhs, rhs, .. } => self.tuple_assign(lhs, rhs),
            StmtKind::Tilde { lhs, dist, args, truncation } => self.tilde(s.span, lhs, dist, args, truncation.as_ref()),
            StmtKind::TargetPlus(e) => {
                if !self.target_increment_allowed() {
                    self.err(s.span, "'target +=' is only allowed in the model block, transformed parameters and functions ending in _lp");
                }
                self.expr(e);
            }
            StmtKind::JacobianPlus(e) => self.jacobian(s, e),
            StmtKind::For { var, lower, upper, body } => {
                for b in [lower, upper] {
                    if let Some(t) = self.expr(b) {
                        if !t.is_int() {
                            self.err(b.span, format!("the bounds of a 'for' loop must be ints, found '{t}'"));
                        }
                    }
                }
                self.loop_body(var, Type::INT, true, body);
            }
            StmtKind::ForEach { var, iter, body } => {
                let elem = match self.expr(iter) {
                    Some(t) if t.dims > 0 => t.element(),
                    Some(t) if !t.base.is_scalar() => Some(Type::REAL),
                    Some(t) => {
                        self.err(iter.span, format!("a 'for (x in e)' loop needs an array, vector or matrix, found '{t}'"));
                        None
                    }
                    None => None,
                };
                let data = self.first_non_data(iter).is_none();
                self.loop_body(var, elem.unwrap_or(Type::REAL), data, body);
            }
            StmtKind::While { cond, body } => {
                self.condition(cond, "while");
                self.loop_depth += 1;
                self.scoped(body);
                self.loop_depth -= 1;
            }
            StmtKind::If { cond, then, els } => {
                self.condition(cond, "if");
                self.scoped(then);
                if let Some(e) = els {
                    self.scoped(e);
                }
            }
            StmtKind::Break | StmtKind::Continue => {
                if self.loop_depth == 0 {
                    let w = if matches!(s.kind, StmtKind::Break) { "break" } else { "continue" };
                    self.err(s.span, format!("'{w}' outside of a loop"));
                }
            }
            StmtKind::Return(e) => self.ret(s, e.as_ref()),
            StmtKind::Block(stmts) | StmtKind::Profile { body: stmts, .. } => {
                self.push();
                for st in stmts {
                    self.stmt(st, false);
                }
                self.pop();
            }
            StmtKind::Print(items) | StmtKind::Reject(items) | StmtKind::FatalError(items) => {
                for p in items {
                    if let Printable::Expr(e) = p {
                        self.expr(e);
                    }
                }
            }
            StmtKind::Call { name, args } => self.call_stmt(s.span, name, args),
            StmtKind::Empty => {}
        }
    }

    /// A nested statement in its own scope.
    fn scoped(&mut self, s: &Stmt) {
        self.push();
        self.stmt(s, false);
        self.pop();
    }

    fn loop_body(&mut self, var: &crate::ast::Ident, ty: Type, data: bool, body: &Stmt) {
        self.push();
        self.declare(var, Local { ty, kind: VarRef::Loop, block: None, span: var.span, data: data || ty.is_int_valued() });
        self.loop_depth += 1;
        self.stmt(body, false);
        self.loop_depth -= 1;
        self.pop();
    }

    fn condition(&mut self, cond: &Expr, what: &str) {
        if let Some(t) = self.expr(cond) {
            if !t.is_scalar() {
                self.err(cond.span, format!("the condition of '{what}' must be an int or real, found '{t}'"));
            }
        }
    }

    fn ret(&mut self, s: &Stmt, e: Option<&Expr>) {
        let Some(f) = self.fun.clone() else {
            self.err(s.span, "'return' outside of a function");
            if let Some(e) = e {
                self.expr(e);
            }
            return;
        };
        match (f.ret, e) {
            (RetType::Void, Some(e)) => {
                self.expr(e);
                self.err(e.span, format!("void function '{}' cannot return a value", f.name));
            }
            (RetType::Value(t), None) => {
                self.err(s.span, format!("function '{}' must return a value of type '{t}'", f.name));
            }
            (RetType::Value(want), Some(e)) => {
                if let Some(got) = self.expr(e) {
                    if !got.promotes_to(want) {
                        self.err(e.span, format!("function '{}' returns '{want}', found '{got}'", f.name));
                    }
                }
            }
            (RetType::Void, None) => {}
        }
    }

    /// `jacobian += e`: the Jacobian adjustment, or (in older programs that
    /// declare a variable named `jacobian`) a compound assignment.
    fn jacobian(&mut self, s: &Stmt, e: &Expr) {
        if self.lookup("jacobian").is_some() {
            self.out.jacobian_assignments.push(s.span);
            self.diags.push(
                Diagnostic::warning(s.span, "'jacobian' is a variable here; 'jacobian +=' is read as an assignment to it")
                    .with_help("rename the variable: 'jacobian +=' is the Jacobian adjustment in newer Stan"),
            );
            let lv = LValue {
                base: crate::ast::Ident { name: "jacobian".into(), span: Span::new(s.span.start, s.span.start + 8) },
                indices: vec![],
                span: Span::new(s.span.start, s.span.start + 8),
            };
            self.assign(&lv, AssignOp::Add, e);
            return;
        }
        let ok = match &self.fun {
            Some(f) => f.name.ends_with("_jacobian"),
            None => self.block == Some(BlockKind::TransformedParameters),
        };
        if !ok {
            self.err(s.span, "'jacobian +=' is only allowed in transformed parameters and in functions ending in _jacobian");
        }
        self.expr(e);
    }

    fn assign(&mut self, lhs: &LValue, op: AssignOp, rhs: &Expr) {
        let name = &lhs.base.name;
        let rt = self.expr(rhs);
        let Some(var) = self.lookup(name) else {
            // report through the variable lookup (with did-you-mean)
            let e = Expr { kind: ExprKind::Var(name.clone()), span: lhs.base.span };
            self.expr(&e);
            return;
        };
        if self.is_opaque(var.span) {
            return; // complex/tuple variable: reported at its declaration
        }
        // `x[x[1]] = v`: an index that reads the variable being written is
        // an error in Stan (stanc3 rejects it), so here too.
        let mut reads_self = false;
        for ix in lhs.indices.iter().flatten() {
            let e = Expr { kind: ExprKind::Index { expr: Box::new(Expr { kind: ExprKind::IntLit(0), span: ix.span }), indices: vec![ix.clone()] }, span: ix.span };
            visit_vars(&e, &mut |n| reads_self |= n == name);
        }
        if reads_self {
            self.diags.push(
                Diagnostic::error(lhs.span, format!("an index of this assignment reads '{name}' itself"))
                    .with_help(format!("copy the index into a local variable first, e.g. `int i = ...; {name}[i] = ...;`")),
            );
        }
        match (var.kind, var.block) {
            (VarRef::Global(_), Some(b)) if Some(b) != self.block || self.fun.is_some() => {
                self.err(lhs.base.span, format!("cannot assign to '{name}', declared in the {} block", b.name()));
            }
            (VarRef::Arg, _) => self.err(lhs.base.span, format!("cannot assign to function argument '{name}'")),
            (VarRef::Loop, _) => self.err(lhs.base.span, format!("cannot assign to loop variable '{name}'")),
            _ => {}
        }
        let lt = self.lvalue_type(var.ty, &lhs.indices, lhs.span);
        let (Some(lt), Some(rt)) = (lt, rt) else { return };
        let value = match op.binop() {
            None => rt,
            Some(bop) => match super::ops::binary(bop, lt, rt) {
                Ok(t) => t,
                Err(m) => {
                    self.err(lhs.span.to(rhs.span), format!("{m} (in '{}')", op.as_str()));
                    return;
                }
            },
        };
        if !value.promotes_to(lt) {
            self.err(rhs.span, format!("cannot assign a value of type '{value}' to '{name}' of type '{lt}'"));
        }
    }

    fn decl(&mut self, d: &VarDecl, top_level: bool) {
        let ty = &d.ty;
        if let Some(what) = ty.base.unsupported() {
            self.unsupported(ty.span, what);
            // Declared (so uses are not "unknown variable") but opaque.
            let l = Local { ty: Type::REAL, kind: VarRef::Local, block: self.block, span: d.name.span, data: true };
            self.declare(&d.name, l);
            self.opaque_vars.insert(d.name.span);
            return;
        }
        // Sizes: ints; at block level outside data/transformed data, data only.
        let mut sizes: Vec<&Expr> = ty.array_dims.iter().collect();
        match &ty.base {
            SizedBase::Int | SizedBase::Real => {}
            SizedBase::Vector(n)
            | SizedBase::RowVector(n)
            | SizedBase::Simplex(n)
            | SizedBase::UnitVector(n)
            | SizedBase::SumToZeroVector(n)
            | SizedBase::Ordered(n)
            | SizedBase::PositiveOrdered(n)
            | SizedBase::CholeskyFactorCorr(n)
            | SizedBase::CorrMatrix(n)
            | SizedBase::CovMatrix(n) => sizes.push(n),
            SizedBase::Matrix(a, b)
            | SizedBase::SumToZeroMatrix(a, b)
            | SizedBase::ColumnStochasticMatrix(a, b)
            | SizedBase::RowStochasticMatrix(a, b) => sizes.extend([a, b]),
            SizedBase::CholeskyFactorCov(a, b) => {
                sizes.push(a);
                sizes.extend(b.iter());
            }
            // Reported as not supported above.
            SizedBase::Complex | SizedBase::ComplexVector(_) | SizedBase::ComplexRowVector(_) | SizedBase::ComplexMatrix(..) | SizedBase::Tuple(_) => {}
        }
        for e in sizes {
            if let Some(t) = self.expr(e) {
                if !t.is_int() {
                    self.err(e.span, format!("a size must be an int, found '{t}'"));
                }
            }
            if top_level && !matches!(self.block, Some(BlockKind::Data | BlockKind::TransformedData)) {
                if let Some(v) = self.non_data_var(e) {
                    self.err(e.span, format!("a size of a block-level variable must be data, but '{v}' is not"));
                }
            }
        }
        let Some(base) = Type::base_of_sized(&ty.base) else { return };
        if top_level && base == Base::Int && matches!(self.block, Some(BlockKind::Parameters | BlockKind::TransformedParameters)) {
            let block = self.block.map(|b| b.name()).unwrap_or("");
            let d = Diagnostic::error(ty.span, format!("'{}' is an integer, but the '{block}' block cannot declare integers", d.name.name))
                .with_note("parameters and transformed parameters are real-valued (HMC needs derivatives); declare integers in data, transformed data or generated quantities");
            self.error(d);
        }
        let vty = Type::new(base, ty.array_dims.len());
        // Bounds and offset/multiplier: scalars or the variable's type.
        let bound_exprs: Vec<&Expr> = match &ty.bounds {
            Bounds::None => vec![],
            Bounds::Range { lower, upper } => [lower, upper].into_iter().flatten().collect(),
            Bounds::Affine { offset, multiplier } => [offset, multiplier].into_iter().flatten().collect(),
        };
        for e in bound_exprs {
            if let Some(t) = self.expr(e) {
                let elem_ok = if base == Base::Int { t.is_int() } else { t.is_scalar() };
                if !(elem_ok || t.promotes_to(vty.promoted()) && (base != Base::Int || t.is_int_valued())) {
                    self.err(e.span, format!("a bound of '{}' must be {} or of its type '{vty}', found '{t}'", d.name.name, if base == Base::Int { "an int" } else { "a scalar" }));
                }
            }
        }
        if let Some(init) = &d.init {
            self.declaring = Some(d.name.name.clone());
            let t = self.expr(init);
            self.declaring = None;
            if let Some(t) = t {
                if !t.promotes_to(vty) {
                    self.err(init.span, format!("cannot assign a value of type '{t}' to '{}' of type '{vty}'", d.name.name));
                }
            }
        }
        let is_global = top_level && self.fun.is_none() && self.block.is_some_and(|b| b != BlockKind::Model);
        let kind = if is_global { VarRef::Global(self.out.globals.len()) } else { VarRef::Local };
        let before = self.diags.len();
        let data_block = self.fun.is_none() && matches!(self.block, Some(BlockKind::Data | BlockKind::TransformedData | BlockKind::GeneratedQuantities));
        let data = vty.is_int_valued() || data_block;
        self.declare(&d.name, Local { ty: vty, kind, block: if is_global { self.block } else { None }, span: d.name.span, data });
        let declared = self.diags.len() == before;
        if is_global && declared {
            if let Some(block) = self.block {
                self.out.globals.push(GlobalVar { name: d.name.name.clone(), block, ty: vty, decl: d.clone() });
            }
        }
    }

    /// The first variable in `e` that is not data (declared in parameters,
    /// transformed parameters, generated quantities or the model block).
    fn non_data_var(&self, e: &Expr) -> Option<String> {
        let mut found = None;
        visit_vars(e, &mut |name| {
            if found.is_some() {
                return;
            }
            if let Some(l) = self.lookup(name) {
                let data = matches!(l.block, Some(BlockKind::Data | BlockKind::TransformedData));
                if !data {
                    found = Some(name.to_string());
                }
            }
        });
        found
    }
}

use crate::token::Span;

/// Call `f` with the name of every variable read in `e`.
pub fn visit_vars(e: &Expr, f: &mut dyn FnMut(&str)) {
    use crate::ast::IndexKind;
    match &e.kind {
        ExprKind::Var(n) => f(n),
        ExprKind::IntLit(_) | ExprKind::RealLit(_) | ExprKind::ImagLit(_) | ExprKind::Target => {}
        ExprKind::TupleProj { expr, .. } => visit_vars(expr, f),
        ExprKind::TupleLit(items) => items.iter().for_each(|a| visit_vars(a, f)),
        ExprKind::Unary { expr, .. } | ExprKind::Transpose(expr) | ExprKind::Paren(expr) => visit_vars(expr, f),
        ExprKind::Binary { lhs, rhs, .. } => {
            visit_vars(lhs, f);
            visit_vars(rhs, f);
        }
        ExprKind::Ternary { cond, then, els } => {
            visit_vars(cond, f);
            visit_vars(then, f);
            visit_vars(els, f);
        }
        ExprKind::Index { expr, indices } => {
            visit_vars(expr, f);
            for ix in indices {
                match &ix.kind {
                    IndexKind::All => {}
                    IndexKind::Single(a) | IndexKind::From(a) | IndexKind::To(a) => visit_vars(a, f),
                    IndexKind::Between(a, b) => {
                        visit_vars(a, f);
                        visit_vars(b, f);
                    }
                }
            }
        }
        ExprKind::Call { args, .. } | ExprKind::ArrayLit(args) | ExprKind::RowVectorLit(args) => {
            args.iter().for_each(|a| visit_vars(a, f))
        }
        ExprKind::CondCall { arg, args, .. } => {
            visit_vars(arg, f);
            args.iter().for_each(|a| visit_vars(a, f));
        }
    }
}
