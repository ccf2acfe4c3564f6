//! What the checker hands to the lowering: expression types, call targets,
//! `~` resolution, variables per block with their declarations.

use exmc_stan::ast::{BlockKind, Bounds, ExprKind, SizedBase, StmtKind};
use exmc_stan::check::types::{Base, Type};
use exmc_stan::check::{CallTarget, VarRef};
use exmc_stan::library::{Builtin, Dist, DistFn, Func};
use exmc_stan::{check, check_with, parse, CheckOptions};

const SRC: &str = "functions {
  real twice(real x) { return 2 * x; }
}
data {
  int<lower=0> N;
  array[N] int<lower=0, upper=1> y;
  matrix[N, 2] X;
}
parameters {
  real alpha;
  vector[2] beta;
  real<lower=0> sigma;
  simplex[3] w;
}
transformed parameters {
  vector[N] eta = alpha + X * beta;
}
model {
  alpha ~ normal(0, twice(sigma));
  sigma ~ exponential(1) T[, 10];
  y ~ bernoulli_logit(eta);
  target += log_sum_exp(eta);
}
";

#[test]
fn globals_with_blocks_types_and_constraints() {
    let (prog, _) = parse(SRC).unwrap();
    let c = check(&prog).unwrap();
    let names: Vec<(&str, BlockKind, String)> = c.globals.iter().map(|g| (g.name.as_str(), g.block, g.ty.to_string())).collect();
    assert_eq!(
        names,
        vec![
            ("N", BlockKind::Data, "int".into()),
            ("y", BlockKind::Data, "array[] int".into()),
            ("X", BlockKind::Data, "matrix".into()),
            ("alpha", BlockKind::Parameters, "real".into()),
            ("beta", BlockKind::Parameters, "vector".into()),
            ("sigma", BlockKind::Parameters, "real".into()),
            ("w", BlockKind::Parameters, "vector".into()),
            ("eta", BlockKind::TransformedParameters, "vector".into()),
        ]
    );
    let sigma = c.global("sigma").unwrap();
    assert!(matches!(&sigma.decl.ty.bounds, Bounds::Range { lower: Some(_), upper: None }));
    assert!(matches!(c.global("w").unwrap().decl.ty.base, SizedBase::Simplex(_)));
    assert_eq!(c.block_vars(BlockKind::Parameters).count(), 4);
    assert_eq!(c.functions.len(), 1);
    assert_eq!(c.functions[0].args, vec![Type::REAL]);
}

#[test]
fn expression_types_and_calls() {
    let (prog, _) = parse(SRC).unwrap();
    let c = check(&prog).unwrap();
    // eta's initialiser: alpha + X * beta is a vector
    let tp = prog.transformed_parameters.as_ref().unwrap();
    let StmtKind::Decl(d) = &tp.stmts[0].kind else { panic!() };
    let init = d.init.as_ref().unwrap();
    assert_eq!(c.type_of(init), Some(Type::VECTOR));
    let ExprKind::Binary { lhs, rhs, .. } = &init.kind else { panic!() };
    assert_eq!(c.type_of(lhs), Some(Type::REAL));
    assert_eq!(c.type_of(rhs), Some(Type::VECTOR));
    assert_eq!(c.vars.get(&lhs.span), Some(&VarRef::Global(3)));

    let model = prog.model.as_ref().unwrap();
    // alpha ~ normal(0, twice(sigma)): normal_lpdf, with the user function inside
    let s0 = &model.stmts[0];
    let t0 = &c.tildes[&s0.span];
    assert!(matches!(&t0.density, CallTarget::Builtin { id: Builtin::Dist(Dist::Normal, DistFn::Lpdf), supported: true, .. }));
    let StmtKind::Tilde { args, .. } = &s0.kind else { panic!() };
    assert_eq!(c.call_of(&args[1]), Some(&CallTarget::User(0)));
    assert_eq!(c.type_of(&args[0]), Some(Type::INT));
    // truncation T[, 10] resolves the log CDF only
    let t1 = &c.tildes[&model.stmts[1].span];
    assert!(matches!(&t1.lcdf, Some(CallTarget::Builtin { id: Builtin::Dist(Dist::Exponential, DistFn::Lcdf), .. })));
    assert!(t1.lccdf.is_none());
    // y ~ bernoulli_logit(eta): the _lpmf
    let t2 = &c.tildes[&model.stmts[2].span];
    assert!(matches!(&t2.density, CallTarget::Builtin { id: Builtin::Dist(Dist::BernoulliLogit, DistFn::Lpdf), name, .. } if name == "bernoulli_logit_lpmf"));
    // target += log_sum_exp(eta): signature real(vector), index 2 in the table
    let StmtKind::TargetPlus(e) = &model.stmts[3].kind else { panic!() };
    match c.call_of(e) {
        Some(CallTarget::Builtin { id: Builtin::Fn(Func::LogSumExp), sig, supported: true, .. }) => {
            let entry = exmc_stan::library::lookup("log_sum_exp").unwrap();
            assert_eq!(entry.sigs[*sig].display("log_sum_exp"), "log_sum_exp(vector) => real");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn overloads_pick_the_best_match() {
    let src = "transformed data {\n  int a = abs(-3);\n  real b = abs(-3.5);\n  array[2] real c = rep_array(1.0, 2);\n  array[2, 3] vector[4] d = rep_array(rep_vector(0, 4), 2, 3);\n  array[3] real r = normal_rng({1, 2, 3}, 1);\n  real s = normal_rng(0, 1);\n  array[2] int p = poisson_rng([1, 2]');\n}";
    let (prog, _) = parse(src).unwrap();
    let c = check_with(&prog, CheckOptions { reject_unsupported: false }).unwrap();
    let td = prog.transformed_data.as_ref().unwrap();
    let types: Vec<Type> = td
        .stmts
        .iter()
        .map(|s| match &s.kind {
            StmtKind::Decl(d) => c.type_of(d.init.as_ref().unwrap()).unwrap(),
            _ => panic!(),
        })
        .collect();
    assert_eq!(
        types,
        vec![
            Type::INT,
            Type::REAL,
            Type::new(Base::Real, 1),
            Type::new(Base::Vector, 2),
            Type::new(Base::Real, 1),
            Type::REAL,
            Type::new(Base::Int, 1)
        ]
    );
}

/// Every expression node of a program, in source order.
fn all_exprs(prog: &exmc_stan::Program) -> Vec<exmc_stan::ast::Expr> {
    use exmc_stan::ast::{Bounds, Expr, IndexKind, Printable, SizedBase, Stmt};
    fn expr(e: &Expr, out: &mut Vec<Expr>) {
        out.push(e.clone());
        match &e.kind {
            ExprKind::Unary { expr: x, .. } | ExprKind::Transpose(x) | ExprKind::Paren(x) => expr(x, out),
            ExprKind::Binary { lhs, rhs, .. } => {
                expr(lhs, out);
                expr(rhs, out);
            }
            ExprKind::Ternary { cond, then, els } => [cond, then, els].iter().for_each(|x| expr(x, out)),
            ExprKind::Index { expr: x, indices } => {
                expr(x, out);
                for ix in indices {
                    match &ix.kind {
                        IndexKind::All => {}
                        IndexKind::Single(a) | IndexKind::From(a) | IndexKind::To(a) => expr(a, out),
                        IndexKind::Between(a, b) => {
                            expr(a, out);
                            expr(b, out);
                        }
                    }
                }
            }
            ExprKind::Call { args, .. } | ExprKind::ArrayLit(args) | ExprKind::RowVectorLit(args) => args.iter().for_each(|a| expr(a, out)),
            ExprKind::CondCall { arg, args, .. } => {
                expr(arg, out);
                args.iter().for_each(|a| expr(a, out));
            }
            _ => {}
        }
    }
    fn stmt(s: &Stmt, out: &mut Vec<Expr>) {
        match &s.kind {
            StmtKind::Decl(d) => {
                d.ty.array_dims.iter().for_each(|e| expr(e, out));
                match &d.ty.base {
                    SizedBase::Vector(n) | SizedBase::RowVector(n) | SizedBase::Simplex(n) | SizedBase::Ordered(n) | SizedBase::CholeskyFactorCorr(n) => expr(n, out),
                    SizedBase::Matrix(a, b) => {
                        expr(a, out);
                        expr(b, out);
                    }
                    _ => {}
                }
                match &d.ty.bounds {
                    Bounds::Range { lower, upper } => [lower, upper].into_iter().flatten().for_each(|e| expr(e, out)),
                    Bounds::Affine { offset, multiplier } => [offset, multiplier].into_iter().flatten().for_each(|e| expr(e, out)),
                    Bounds::None => {}
                }
                if let Some(i) = &d.init {
                    expr(i, out);
                }
            }
            StmtKind::Assign { rhs, .. } => expr(rhs, out),
            StmtKind::Tilde { lhs, args, truncation, .. } => {
                expr(lhs, out);
                args.iter().for_each(|a| expr(a, out));
                if let Some(t) = truncation {
                    [&t.lower, &t.upper].into_iter().flatten().for_each(|e| expr(e, out));
                }
            }
            StmtKind::TargetPlus(e) | StmtKind::JacobianPlus(e) => expr(e, out),
            StmtKind::For { lower, upper, body, .. } => {
                expr(lower, out);
                expr(upper, out);
                stmt(body, out);
            }
            StmtKind::ForEach { iter, body, .. } => {
                expr(iter, out);
                stmt(body, out);
            }
            StmtKind::While { cond, body } => {
                expr(cond, out);
                stmt(body, out);
            }
            StmtKind::If { cond, then, els } => {
                expr(cond, out);
                stmt(then, out);
                if let Some(e) = els {
                    stmt(e, out);
                }
            }
            StmtKind::Return(Some(e)) => expr(e, out),
            StmtKind::Block(b) | StmtKind::Profile { body: b, .. } => b.iter().for_each(|s| stmt(s, out)),
            StmtKind::Print(p) | StmtKind::Reject(p) | StmtKind::FatalError(p) => {
                for x in p {
                    if let Printable::Expr(e) = x {
                        expr(e, out);
                    }
                }
            }
            StmtKind::Call { args, .. } => args.iter().for_each(|a| expr(a, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Some(f) = &prog.functions {
        for d in &f.functions {
            if let Some(b) = &d.body {
                stmt(b, &mut out);
            }
        }
    }
    for b in prog.blocks() {
        b.stmts.iter().for_each(|s| stmt(s, &mut out));
    }
    out
}

/// The side tables are keyed by span: distinct expressions have distinct
/// spans, and every expression of a checked program has a type.
#[test]
fn every_expression_has_a_unique_span_and_a_type() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/programs");
    let mut srcs: Vec<String> = std::fs::read_dir(dir).unwrap().flatten().filter_map(|e| std::fs::read_to_string(e.path()).ok()).collect();
    srcs.push(SRC.to_string());
    let mut total = 0;
    for src in &srcs {
        let (prog, _) = parse(src).unwrap();
        let c = check_with(&prog, CheckOptions { reject_unsupported: false }).unwrap();
        let exprs = all_exprs(&prog);
        let mut seen = std::collections::HashMap::new();
        for e in &exprs {
            if let Some(prev) = seen.insert(e.span, e.clone()) {
                // the same node reached twice (e.g. a Call statement's clone) is fine
                assert_eq!(prev, *e, "two expressions share span {:?}", e.span);
            }
            assert!(c.type_of(e).is_some(), "no type for {:?} at {:?}: {}", e.kind, e.span, &src[e.span.start..e.span.end]);
            if matches!(e.kind, ExprKind::Call { .. } | ExprKind::CondCall { .. }) {
                assert!(c.call_of(e).is_some(), "no call target for {}", &src[e.span.start..e.span.end]);
            }
            if matches!(e.kind, ExprKind::Var(_)) {
                assert!(c.vars.contains_key(&e.span), "no variable for {}", &src[e.span.start..e.span.end]);
            }
        }
        total += exprs.len();
    }
    assert!(total > 400, "{total}");
}
