//! A compact S-expression rendering of the AST, for readable test assertions
//! and debugging: `a + b * -c^2` prints as `(+ a (* b (- (^ c 2))))`.
//!
//! Spans are not shown. Reals print with Rust's `{:?}` (`1.0`, `0.001`) so
//! they stay distinct from integers.

use crate::ast::*;

/// Render a whole program.
pub fn program(p: &Program) -> String {
    let mut parts = vec!["program".to_string()];
    if let Some(f) = &p.functions {
        let fs: Vec<String> = f.functions.iter().map(fun_def).collect();
        parts.push(list("functions", fs));
    }
    for b in p.blocks() {
        parts.push(block(b));
    }
    format!("({})", parts.join(" "))
}

fn list(head: &str, items: Vec<String>) -> String {
    if items.is_empty() {
        format!("({head})")
    } else {
        format!("({head} {})", items.join(" "))
    }
}

/// Render one block: `(model stmt ...)`.
pub fn block(b: &Block) -> String {
    let head = b.kind.name().replace(' ', "_");
    list(&head, b.stmts.iter().map(stmt).collect())
}

pub fn unsized_type(t: &UnsizedType) -> String {
    let base = match t.base {
        UnsizedBase::Int => "int",
        UnsizedBase::Real => "real",
        UnsizedBase::Vector => "vector",
        UnsizedBase::RowVector => "row_vector",
        UnsizedBase::Matrix => "matrix",
        UnsizedBase::Complex => "complex",
        UnsizedBase::ComplexVector => "complex_vector",
        UnsizedBase::ComplexRowVector => "complex_row_vector",
        UnsizedBase::ComplexMatrix => "complex_matrix",
        UnsizedBase::Tuple => "tuple",
    };
    let base = if t.base == UnsizedBase::Tuple {
        list("tuple", t.tuple.iter().map(unsized_type).collect())
    } else {
        base.to_string()
    };
    if t.array_dims == 0 {
        base
    } else {
        format!("(array {} {base})", t.array_dims)
    }
}

/// `(fun real name ((data real x) (vector v)) body)`; forward declarations end in `;`.
pub fn fun_def(f: &FunDef) -> String {
    let ret = match &f.return_type {
        ReturnType::Void => "void".to_string(),
        ReturnType::Type(t) => unsized_type(t),
    };
    let args: Vec<String> = f
        .args
        .iter()
        .map(|a| {
            let d = if a.data_only { "data " } else { "" };
            format!("({d}{} {})", unsized_type(&a.ty), a.name.name)
        })
        .collect();
    let body = match &f.body {
        Some(b) => stmt(b),
        None => ";".to_string(),
    };
    format!("(fun {ret} {} ({}) {body})", f.name.name, args.join(" "))
}

/// `(vector N (lower 0))`, `(array (N M) real)`.
pub fn decl_type(t: &DeclType) -> String {
    let (name, sizes): (&str, Vec<&Expr>) = match &t.base {
        SizedBase::Int => ("int", vec![]),
        SizedBase::Real => ("real", vec![]),
        SizedBase::Vector(n) => ("vector", vec![n]),
        SizedBase::RowVector(n) => ("row_vector", vec![n]),
        SizedBase::Matrix(m, n) => ("matrix", vec![m, n]),
        SizedBase::Simplex(k) => ("simplex", vec![k]),
        SizedBase::UnitVector(k) => ("unit_vector", vec![k]),
        SizedBase::SumToZeroVector(k) => ("sum_to_zero_vector", vec![k]),
        SizedBase::Ordered(k) => ("ordered", vec![k]),
        SizedBase::PositiveOrdered(k) => ("positive_ordered", vec![k]),
        SizedBase::SumToZeroMatrix(m, n) => ("sum_to_zero_matrix", vec![m, n]),
        SizedBase::ColumnStochasticMatrix(m, n) => ("column_stochastic_matrix", vec![m, n]),
        SizedBase::RowStochasticMatrix(m, n) => ("row_stochastic_matrix", vec![m, n]),
        SizedBase::CholeskyFactorCorr(k) => ("cholesky_factor_corr", vec![k]),
        SizedBase::CholeskyFactorCov(m, n) => {
            let mut v = vec![m];
            if let Some(n) = n {
                v.push(n);
            }
            ("cholesky_factor_cov", v)
        }
        SizedBase::CorrMatrix(k) => ("corr_matrix", vec![k]),
        SizedBase::CovMatrix(k) => ("cov_matrix", vec![k]),
        SizedBase::Complex => ("complex", vec![]),
        SizedBase::ComplexVector(n) => ("complex_vector", vec![n]),
        SizedBase::ComplexRowVector(n) => ("complex_row_vector", vec![n]),
        SizedBase::ComplexMatrix(m, n) => ("complex_matrix", vec![m, n]),
        SizedBase::Tuple(elems) => {
            let inner = list("tuple", elems.iter().map(decl_type).collect());
            return if t.array_dims.is_empty() {
                inner
            } else {
                format!("(array ({}) {inner})", t.array_dims.iter().map(expr).collect::<Vec<_>>().join(" "))
            };
        }
    };
    let mut parts: Vec<String> = sizes.into_iter().map(expr).collect();
    let mut bound = |k: &str, e: &Option<Expr>| {
        if let Some(e) = e {
            parts.push(format!("({k} {})", expr(e)));
        }
    };
    match &t.bounds {
        Bounds::None => {}
        Bounds::Range { lower, upper } => {
            bound("lower", lower);
            bound("upper", upper);
        }
        Bounds::Affine { offset, multiplier } => {
            bound("offset", offset);
            bound("multiplier", multiplier);
        }
    }
    let base = if parts.is_empty() { name.to_string() } else { format!("({name} {})", parts.join(" ")) };
    if t.array_dims.is_empty() {
        base
    } else {
        let dims: Vec<String> = t.array_dims.iter().map(expr).collect();
        format!("(array ({}) {base})", dims.join(" "))
    }
}

fn printables(head: &str, items: &[Printable]) -> String {
    let parts = items
        .iter()
        .map(|p| match p {
            Printable::Str(s, _) => format!("{s:?}"),
            Printable::Expr(e) => expr(e),
        })
        .collect();
    list(head, parts)
}

fn lvalue(lv: &LValue) -> String {
    let mut s = lv.base.name.clone();
    for group in &lv.indices {
        let ix: Vec<String> = group.iter().map(index).collect();
        s = format!("(index {s} {})", ix.join(" "));
    }
    s
}

fn opt(e: &Option<Expr>) -> String {
    e.as_ref().map(expr).unwrap_or_else(|| "_".to_string())
}

/// Render one statement.
pub fn stmt(s: &Stmt) -> String {
    match &s.kind {
        StmtKind::Decl(d) => match &d.init {
            Some(e) => format!("(decl {} {} {})", decl_type(&d.ty), d.name.name, expr(e)),
            None => format!("(decl {} {})", decl_type(&d.ty), d.name.name),
        },
        StmtKind::Assign { lhs, op, rhs } => format!("({} {} {})", op.as_str(), lvalue(lhs), expr(rhs)),
        StmtKind::TupleAssign { lhs, op, rhs } => format!("({} {} {})", op.as_str(), expr(lhs), expr(rhs)),
        StmtKind::Tilde { lhs, dist, args, truncation } => {
            let mut parts = vec![expr(lhs), dist.name.clone()];
            parts.extend(args.iter().map(expr));
            if let Some(t) = truncation {
                parts.push(format!("(T {} {})", opt(&t.lower), opt(&t.upper)));
            }
            list("~", parts)
        }
        StmtKind::TargetPlus(e) => format!("(target+= {})", expr(e)),
        StmtKind::JacobianPlus(e) => format!("(jacobian+= {})", expr(e)),
        StmtKind::For { var, lower, upper, body } => {
            format!("(for {} {} {} {})", var.name, expr(lower), expr(upper), stmt(body))
        }
        StmtKind::ForEach { var, iter, body } => format!("(foreach {} {} {})", var.name, expr(iter), stmt(body)),
        StmtKind::While { cond, body } => format!("(while {} {})", expr(cond), stmt(body)),
        StmtKind::If { cond, then, els } => match els {
            Some(e) => format!("(if {} {} {})", expr(cond), stmt(then), stmt(e)),
            None => format!("(if {} {})", expr(cond), stmt(then)),
        },
        StmtKind::Break => "(break)".into(),
        StmtKind::Continue => "(continue)".into(),
        StmtKind::Return(None) => "(return)".into(),
        StmtKind::Return(Some(e)) => format!("(return {})", expr(e)),
        StmtKind::Block(b) => list("block", b.iter().map(stmt).collect()),
        StmtKind::Print(p) => printables("print", p),
        StmtKind::Reject(p) => printables("reject", p),
        StmtKind::FatalError(p) => printables("fatal_error", p),
        StmtKind::Call { name, args } => list(&format!("call {}", name.name), args.iter().map(expr).collect()),
        StmtKind::Profile { name, body } => list(&format!("profile {name:?}"), body.iter().map(stmt).collect()),
        StmtKind::Empty => "(skip)".into(),
    }
}

fn index(i: &Index) -> String {
    match &i.kind {
        IndexKind::All => ":".into(),
        IndexKind::Single(e) => expr(e),
        IndexKind::From(e) => format!("(from {})", expr(e)),
        IndexKind::To(e) => format!("(to {})", expr(e)),
        IndexKind::Between(a, b) => format!("(: {} {})", expr(a), expr(b)),
    }
}

/// Render one expression.
pub fn expr(e: &Expr) -> String {
    match &e.kind {
        ExprKind::IntLit(v) => v.to_string(),
        ExprKind::RealLit(v) => format!("{v:?}"),
        ExprKind::Var(n) => n.clone(),
        ExprKind::Unary { op, expr: x } => format!("({} {})", op.as_str(), expr(x)),
        ExprKind::Binary { op, lhs, rhs } => format!("({} {} {})", op.as_str(), expr(lhs), expr(rhs)),
        ExprKind::Ternary { cond, then, els } => format!("(?: {} {} {})", expr(cond), expr(then), expr(els)),
        ExprKind::Transpose(x) => format!("(' {})", expr(x)),
        ExprKind::Index { expr: x, indices } => {
            let ix: Vec<String> = indices.iter().map(index).collect();
            format!("(index {} {})", expr(x), ix.join(" "))
        }
        ExprKind::Call { name, args, .. } => list(&name.name, args.iter().map(expr).collect()),
        ExprKind::CondCall { name, arg, args, .. } => {
            let rest: Vec<String> = args.iter().map(expr).collect();
            if rest.is_empty() {
                format!("({} {} |)", name.name, expr(arg))
            } else {
                format!("({} {} | {})", name.name, expr(arg), rest.join(" "))
            }
        }
        ExprKind::ArrayLit(xs) => format!("{{{}}}", xs.iter().map(expr).collect::<Vec<_>>().join(" ")),
        ExprKind::RowVectorLit(xs) => format!("[{}]", xs.iter().map(expr).collect::<Vec<_>>().join(" ")),
        ExprKind::Paren(x) => format!("(paren {})", expr(x)),
        ExprKind::Target => "(target)".into(),
        ExprKind::ImagLit(v) => format!("{v:?}i"),
        ExprKind::TupleLit(xs) => list("tuple", xs.iter().map(expr).collect()),
        ExprKind::TupleProj { expr: x, index } => format!("(. {} {index})", expr(x)),
    }
}
