//! The built-in function library of the Stan front end.
//!
//! Elementwise functions map onto the graph's unary/binary primitives;
//! reductions and constructors onto vector nodes; small linear algebra
//! (triangular solves; GP kernels in [`super::gp`]) is written element by element
//! with graph scalars, so every function has exact gradients. A function not
//! listed here is a clear "not supported yet" error.

use super::interp::{const_elems, is_int_valued, Interp, LowerError, R};
use super::value::{Repr, Sc, TKind, Tensor, Val};
use crate::token::Span;
use exmc_model::{BinaryFn, UnaryFn};
use std::sync::Arc;

/// Functions the match in [`Interp::call_builtin`] implements (besides the
/// elementwise ones of `unary_fn` / `binary_fn`). A test checks that each is
/// accepted.
pub const BUILTINS: &[&str] = &[
    "pi", "e", "sqrt2", "log2", "log10", "not_a_number", "positive_infinity", "negative_infinity",
    "machine_precision", "inv_square", "tgamma", "Phi_approx", "inv_cloglog", "fma", "fdim", "lchoose", "binomial_coefficient_log",
    "choose", "int_step", "is_inf", "is_nan", "to_int", "log_sum_exp", "log_mix", "sum", "mean", "prod",
    "variance", "sd", "min", "max", "dot_product", "dot_self", "squared_distance", "distance",
    "cumulative_sum", "softmax", "log_softmax", "num_elements", "size", "rows", "cols", "dims",
    "rep_vector", "rep_row_vector", "rep_matrix", "rep_array", "zeros_vector", "ones_vector",
    "zeros_row_vector", "ones_row_vector", "zeros_array", "ones_array", "zeros_int_array", "ones_int_array",
    "linspaced_vector", "linspaced_row_vector", "linspaced_array", "one_hot_vector", "identity_matrix",
    "to_vector", "to_row_vector", "to_array_1d", "to_matrix", "append_row", "append_col", "head", "tail",
    "segment", "reverse", "sort_asc", "sort_desc", "rank", "sort_indices_asc", "sort_indices_desc",
    "diag_matrix", "diagonal", "col", "row", "add_diag", "trace", "diag_pre_multiply", "diag_post_multiply",
    "quad_form_diag", "multiply_lower_tri_self_transpose", "tcrossprod", "crossprod",
    "columns_dot_product", "rows_dot_product", "columns_dot_self", "rows_dot_self", "cholesky_decompose",
    "mdivide_left_tri_low", "mdivide_right_tri_low", "if_else", "quad_form",
    "quad_form_sym", "trace_quad_form",
];

/// Whether the lowering implements a builtin function by this name.
pub fn supported(name: &str) -> bool {
    unary_fn(name).is_some() || binary_fn(name).is_some() || BUILTINS.contains(&name) || super::gp::is_gp(name) || super::linalg::NAMES.contains(&name)
}

/// Stan's zero-argument constants used without parentheses (none in modern
/// Stan; kept for lookups of bare names).
pub fn constant(_name: &str) -> Option<Val> {
    None
}

fn unary_fn(name: &str) -> Option<UnaryFn> {
    use UnaryFn::*;
    Some(match name {
        "exp" => Exp,
        "log" => Log,
        "log1p" => Log1p,
        "expm1" => Expm1,
        "sqrt" => Sqrt,
        "square" => Square,
        "fabs" | "abs" => Abs,
        "inv" => Inv,
        "inv_sqrt" => InvSqrt,
        "log1m" => Log1m,
        "log1m_exp" => Log1mExp,
        "inv_logit" => InvLogit,
        "log_inv_logit" => LogInvLogit,
        "log1m_inv_logit" => Log1mInvLogit,
        "log1p_exp" => Softplus,
        "logit" => Logit,
        "sin" => Sin,
        "cos" => Cos,
        "tan" => Tan,
        "asin" => Asin,
        "acos" => Acos,
        "atan" => Atan,
        "sinh" => Sinh,
        "cosh" => Cosh,
        "tanh" => Tanh,
        "asinh" => Asinh,
        "acosh" => Acosh,
        "atanh" => Atanh,
        "cbrt" => Cbrt,
        "log2" => Log2,
        "log10" => Log10,
        "exp2" => Exp2,
        "lgamma" => Lgamma,
        "digamma" => Digamma,
        "trigamma" => Trigamma,
        "erf" => Erf,
        "erfc" => Erfc,
        "Phi" => Phi,
        "inv_Phi" => InvPhi,
        "floor" => Floor,
        "ceil" => Ceil,
        "round" => Round,
        "trunc" => Trunc,
        "step" => Step,
        _ => return None,
    })
}

fn binary_fn(name: &str) -> Option<BinaryFn> {
    use BinaryFn::*;
    Some(match name {
        "pow" => Pow,
        "fmin" => Fmin,
        "fmax" => Fmax,
        "hypot" => Hypot,
        "atan2" => Atan2,
        "log_diff_exp" => LogDiffExp,
        "lbeta" => Lbeta,
        "beta" => Beta,
        "gamma_p" => GammaP,
        "gamma_q" => GammaQ,
        "owens_t" => OwensT,
        "multiply_log" | "lmultiply" => MultiplyLog,
        "fmod" => Fmod,
        _ => return None,
    })
}

/// Domain of the special functions whose value outside it is NaN, checked on
/// arguments known at this point (data): Stan's error, not a silent NaN.
/// (With parameters, a NaN log density is a recoverable error: a divergence.)
fn check_domain(name: &str, args: &[Val], span: Span) -> R<()> {
    let rule: &[(&str, fn(f64) -> bool, &str)] = match name {
        "gamma_p" | "gamma_q" => &[("a", |v| v > 0.0, "positive"), ("x", |v| v >= 0.0, "non-negative")],
        "beta" => &[("a", |v| v > 0.0, "positive"), ("b", |v| v > 0.0, "positive")],
        _ => return Ok(()),
    };
    for ((arg, ok, what), v) in rule.iter().zip(args) {
        for x in const_elems(v).unwrap_or_default() {
            if !ok(x) {
                return Err(LowerError::new(span, format!("{name}: argument '{arg}' must be {what}, got {x}")));
            }
        }
    }
    Ok(())
}

impl<'p> Interp<'p> {
    pub fn call_builtin(&mut self, name: &str, args: Vec<Val>, span: Span) -> R<Val> {
        let n = args.len();
        let err = |m: String| Err(LowerError::new(span, m));
        let want = |k: usize| -> R<()> {
            if n == k {
                Ok(())
            } else {
                Err(LowerError::new(span, format!("{name} takes {k} argument{}, got {n}", if k == 1 { "" } else { "s" })))
            }
        };
        // Elementwise one-argument functions (vectorised over containers).
        if let Some(f) = unary_fn(name) {
            want(1)?;
            if let (Val::Int(i), "abs") = (&args[0], name) {
                return Ok(Val::Int(i.abs()));
            }
            return Ok(self.unary(f, &args[0]));
        }
        if let Some(f) = binary_fn(name) {
            want(2)?;
            check_domain(name, &args, span)?;
            return self.binary(f, &args[0], &args[1], span);
        }
        match name {
            // ---- constants
            "pi" => want(0).map(|_| Val::real(std::f64::consts::PI)),
            "e" => want(0).map(|_| Val::real(std::f64::consts::E)),
            "sqrt2" => want(0).map(|_| Val::real(std::f64::consts::SQRT_2)),
            "log2" if n == 0 => Ok(Val::real(std::f64::consts::LN_2)),
            "log10" if n == 0 => Ok(Val::real(std::f64::consts::LN_10)),
            "not_a_number" => want(0).map(|_| Val::real(f64::NAN)),
            "positive_infinity" => want(0).map(|_| Val::real(f64::INFINITY)),
            "negative_infinity" => want(0).map(|_| Val::real(f64::NEG_INFINITY)),
            "machine_precision" => want(0).map(|_| Val::real(f64::EPSILON)),
            // ---- scalar functions built from primitives
            "inv_square" => {
                want(1)?;
                let s = self.unary(UnaryFn::Square, &args[0]);
                Ok(self.unary(UnaryFn::Inv, &s))
            }
            "tgamma" => {
                want(1)?;
                let l = self.unary(UnaryFn::Lgamma, &args[0]);
                Ok(self.unary(UnaryFn::Exp, &l))
            }
            "Phi_approx" => {
                // inv_logit(0.07056 x³ + 1.5976 x)
                want(1)?;
                let x = &args[0];
                let x3 = self.binary(BinaryFn::Pow, x, &Val::real(3.0), span)?;
                let a = self.binary(BinaryFn::Mul, &x3, &Val::real(0.07056), span)?;
                let b = self.binary(BinaryFn::Mul, x, &Val::real(1.5976), span)?;
                let s = self.binary(BinaryFn::Add, &a, &b, span)?;
                Ok(self.unary(UnaryFn::InvLogit, &s))
            }
            "inv_cloglog" => {
                want(1)?;
                let e = self.unary(UnaryFn::Exp, &args[0]);
                let ne = self.unary(UnaryFn::Neg, &e);
                let x = self.unary(UnaryFn::Exp, &ne);
                self.binary(BinaryFn::Sub, &Val::real(1.0), &x, span)
            }
            "fma" => {
                want(3)?;
                let p = self.binary(BinaryFn::Mul, &args[0], &args[1], span)?;
                self.binary(BinaryFn::Add, &p, &args[2], span)
            }
            "fdim" => {
                want(2)?;
                let d = self.binary(BinaryFn::Sub, &args[0], &args[1], span)?;
                self.binary(BinaryFn::Fmax, &d, &Val::real(0.0), span)
            }
            // `binomial_coefficient_log` is the removed (pre-2.33) spelling.
            "lchoose" | "binomial_coefficient_log" => {
                want(2)?;
                // lgamma(n+1) - lgamma(k+1) - lgamma(n-k+1)
                let one = Val::real(1.0);
                let n1 = self.binary(BinaryFn::Add, &args[0], &one, span)?;
                let k1 = self.binary(BinaryFn::Add, &args[1], &one, span)?;
                let nk = self.binary(BinaryFn::Sub, &n1, &args[1], span)?;
                let (a, b, c) = (self.unary(UnaryFn::Lgamma, &n1), self.unary(UnaryFn::Lgamma, &k1), self.unary(UnaryFn::Lgamma, &nk));
                let ab = self.binary(BinaryFn::Sub, &a, &b, span)?;
                self.binary(BinaryFn::Sub, &ab, &c, span)
            }
            "choose" => {
                want(2)?;
                let (a, b) = (self.as_int(&args[0], span, "n")?, self.as_int(&args[1], span, "k")?);
                if a < 0 || b < 0 || b > a {
                    return Ok(Val::Int(0));
                }
                let mut r: i64 = 1;
                for i in 0..b {
                    r = r * (a - i) / (i + 1);
                }
                Ok(Val::Int(r))
            }
            "int_step" => {
                want(1)?;
                let v = self.as_real_const(&args[0], span, "int_step's argument")?;
                Ok(Val::Int((v > 0.0) as i64))
            }
            "is_inf" => want(1).and_then(|_| Ok(Val::Int(self.as_real_const(&args[0], span, "x")?.is_infinite() as i64))),
            "is_nan" => want(1).and_then(|_| Ok(Val::Int(self.as_real_const(&args[0], span, "x")?.is_nan() as i64))),
            "to_int" => want(1).and_then(|_| Ok(Val::Int(self.as_real_const(&args[0], span, "x")?.trunc() as i64))),
            "log_sum_exp" => match n {
                2 => self.binary(BinaryFn::LogSumExp, &args[0], &args[1], span),
                1 => {
                    if let Some(c) = const_elems(&args[0]) {
                        return Ok(Val::real(exmc_math::special::log_sum_exp(&c)));
                    }
                    let e = self.val_expr(&args[0], span)?.log_sum_exp();
                    Ok(Val::Real(self.sc(e)))
                }
                _ => want(1).map(|_| Val::Int(0)),
            },
            "log_mix" => {
                if n == 3 && matches!(args[0], Val::Int(_) | Val::Real(_)) && matches!(args[1], Val::Int(_) | Val::Real(_)) {
                    let t = &args[0];
                    let lt = self.unary(UnaryFn::Log, t);
                    let l1mt = self.unary(UnaryFn::Log1m, t);
                    let a = self.binary(BinaryFn::Add, &lt, &args[1], span)?;
                    let b = self.binary(BinaryFn::Add, &l1mt, &args[2], span)?;
                    return self.binary(BinaryFn::LogSumExp, &a, &b, span);
                }
                want(2)?;
                let lt = self.unary(UnaryFn::Log, &args[0]);
                let lt = self.as_vector(&lt, span)?;
                let lps = self.as_vector(&args[1], span)?;
                let s = self.binary(BinaryFn::Add, &lt, &lps, span)?;
                self.call_builtin("log_sum_exp", vec![s], span)
            }
            // ---- reductions
            "sum" => want(1).and_then(|_| self.sum(&args[0], span)),
            "mean" => {
                want(1)?;
                let s = self.sum(&args[0], span)?;
                let k = args[0].num_elements().max(1) as f64;
                let s = if let Val::Int(i) = s { Val::real(i as f64) } else { s };
                self.binary(BinaryFn::Div, &s, &Val::real(k), span)
            }
            "prod" => {
                want(1)?;
                let es = self.scalars(&args[0], span)?;
                let mut acc = Sc::C(1.0);
                for s in es {
                    acc = self.sc_mul(acc, s);
                }
                Ok(Val::Real(acc))
            }
            "variance" | "sd" => {
                want(1)?;
                let k = args[0].num_elements() as f64;
                let m = self.call_builtin("mean", vec![args[0].clone()], span)?;
                let v = self.as_vector(&args[0], span)?;
                let d = self.binary(BinaryFn::Sub, &v, &m, span)?;
                let d2 = self.unary(UnaryFn::Square, &d);
                let ss = self.sum(&d2, span)?;
                let var = self.binary(BinaryFn::Div, &ss, &Val::real(k - 1.0), span)?;
                Ok(if name == "sd" { self.unary(UnaryFn::Sqrt, &var) } else { var })
            }
            "min" | "max" => {
                let vals: Vec<Val> = if n == 1 { self.items(&args[0], span)? } else { args.clone() };
                if vals.is_empty() {
                    return err(format!("{name} of an empty container"));
                }
                if vals.iter().all(|v| matches!(v, Val::Int(_))) {
                    let ints: Vec<i64> = vals.iter().map(|v| self.as_int(v, span, "x")).collect::<R<_>>()?;
                    return Ok(Val::Int(if name == "min" { *ints.iter().min().unwrap() } else { *ints.iter().max().unwrap() }));
                }
                let f = if name == "min" { BinaryFn::Fmin } else { BinaryFn::Fmax };
                let mut acc = vals[0].clone();
                for v in &vals[1..] {
                    acc = self.binary(f, &acc, v, span)?;
                }
                Ok(acc)
            }
            "dot_product" => {
                want(2)?;
                if let (Some(a), Some(b)) = (const_elems(&args[0]), const_elems(&args[1])) {
                    return Ok(Val::real(a.iter().zip(&b).map(|(x, y)| x * y).sum()));
                }
                let (a, b) = (self.val_expr(&args[0], span)?, self.val_expr(&args[1], span)?);
                let e = exmc_model::dot(&a, &b);
                if let Some(m) = e.error() {
                    return err(m.into());
                }
                Ok(Val::Real(self.sc(e)))
            }
            "dot_self" => {
                want(1)?;
                self.call_builtin("dot_product", vec![args[0].clone(), args[0].clone()], span)
            }
            "squared_distance" | "distance" => {
                want(2)?;
                let d = self.binary(BinaryFn::Sub, &args[0], &args[1], span)?;
                let s = self.call_builtin("dot_self", vec![d], span)?;
                Ok(if name == "distance" { self.unary(UnaryFn::Sqrt, &s) } else { s })
            }
            "cumulative_sum" => {
                want(1)?;
                match &args[0] {
                    Val::Array(a) if is_int_valued(&args[0]) => {
                        let mut acc = 0;
                        Ok(Val::Array(a.iter().map(|v| {
                            acc += if let Val::Int(i) = v { *i } else { 0 };
                            Val::Int(acc)
                        }).collect()))
                    }
                    Val::Tensor(t) => {
                        if let Some(c) = t.constants() {
                            let mut acc = 0.0;
                            return Ok(Val::Tensor(Tensor::constant(t.kind, c.iter().map(|x| { acc += x; acc }).collect())));
                        }
                        let e = self.tensor_expr(t).cumsum();
                        Ok(self.wrap(e, Some(t.kind)))
                    }
                    v => {
                        let items = self.scalars(v, span)?;
                        let mut acc = Sc::C(0.0);
                        let mut out = Vec::new();
                        for s in items {
                            acc = self.sc_add(acc, s);
                            out.push(Val::Real(acc));
                        }
                        Ok(Val::Array(out))
                    }
                }
            }
            "softmax" | "log_softmax" => {
                want(1)?;
                let v = &args[0];
                let lse = self.call_builtin("log_sum_exp", vec![v.clone()], span)?;
                let ls = self.binary(BinaryFn::Sub, v, &lse, span)?;
                Ok(if name == "softmax" { self.unary(UnaryFn::Exp, &ls) } else { ls })
            }
            // ---- sizes
            "num_elements" => want(1).map(|_| Val::Int(args[0].num_elements() as i64)),
            "size" => want(1).map(|_| Val::Int(args[0].dims().first().copied().unwrap_or(1) as i64)),
            "rows" => want(1).map(|_| Val::Int(match &args[0] {
                Val::Tensor(t) => match t.kind {
                    TKind::Matrix(r, _) => r,
                    TKind::Vector(n) => n,
                    TKind::RowVector(_) => 1,
                },
                _ => 0,
            } as i64)),
            "cols" => want(1).map(|_| Val::Int(match &args[0] {
                Val::Tensor(t) => match t.kind {
                    TKind::Matrix(_, c) => c,
                    TKind::RowVector(n) => n,
                    TKind::Vector(_) => 1,
                },
                _ => 0,
            } as i64)),
            "dims" => want(1).map(|_| Val::Array(args[0].dims().into_iter().map(|d| Val::Int(d as i64)).collect())),
            // ---- constructors
            "rep_vector" | "rep_row_vector" => {
                want(2)?;
                let k = self.as_int(&args[1], span, "the size")?.max(0) as usize;
                let s = self.as_sc(&args[0], span, "the value")?;
                let kind = if name == "rep_vector" { TKind::Vector(k) } else { TKind::RowVector(k) };
                Ok(Val::Tensor(filled(kind, s)))
            }
            "rep_matrix" => {
                if n == 3 {
                    let (r, c) = (self.as_int(&args[1], span, "rows")? as usize, self.as_int(&args[2], span, "cols")? as usize);
                    let s = self.as_sc(&args[0], span, "the value")?;
                    return Ok(Val::Tensor(filled(TKind::Matrix(r, c), s)));
                }
                want(2)?;
                let k = self.as_int(&args[1], span, "the count")? as usize;
                let t = self.tensor(&args[0], span)?;
                let es = self.elems(&t);
                let m = es.len();
                Ok(Val::Tensor(match t.kind {
                    TKind::Vector(_) => Tensor {
                        kind: TKind::Matrix(m, k),
                        repr: Repr::Elems(Arc::new((0..m).flat_map(|i| std::iter::repeat(es[i]).take(k)).collect())),
                    },
                    _ => Tensor {
                        kind: TKind::Matrix(k, m),
                        repr: Repr::Elems(Arc::new((0..k).flat_map(|_| es.iter().copied()).collect())),
                    },
                }))
            }
            "rep_array" => {
                if n < 2 {
                    return want(2).map(|_| Val::Int(0));
                }
                let dims: Vec<usize> = args[1..].iter().map(|a| self.as_int(a, span, "a size").map(|k| k.max(0) as usize)).collect::<R<_>>()?;
                let mut v = args[0].clone();
                for &d in dims.iter().rev() {
                    v = Val::Array(vec![v; d]);
                }
                Ok(v)
            }
            "zeros_vector" | "ones_vector" | "zeros_row_vector" | "ones_row_vector" => {
                want(1)?;
                let k = self.as_int(&args[0], span, "the size")?.max(0) as usize;
                let v = if name.starts_with("ones") { 1.0 } else { 0.0 };
                let kind = if name.ends_with("row_vector") { TKind::RowVector(k) } else { TKind::Vector(k) };
                Ok(Val::Tensor(Tensor::constant(kind, vec![v; k])))
            }
            "zeros_array" | "ones_array" | "zeros_int_array" | "ones_int_array" => {
                want(1)?;
                let k = self.as_int(&args[0], span, "the size")?.max(0) as usize;
                let one = name.starts_with("ones");
                Ok(Val::Array(vec![if name.contains("int") { Val::Int(one as i64) } else { Val::real(one as i64 as f64) }; k]))
            }
            "linspaced_vector" | "linspaced_row_vector" | "linspaced_array" => {
                want(3)?;
                let k = self.as_int(&args[0], span, "the size")?.max(0) as usize;
                let (lo, hi) = (self.as_real_const(&args[1], span, "low")?, self.as_real_const(&args[2], span, "high")?);
                let v: Vec<f64> = (0..k).map(|i| if k == 1 { hi } else { lo + (hi - lo) * i as f64 / (k - 1) as f64 }).collect();
                Ok(match name {
                    "linspaced_array" => Val::Array(v.into_iter().map(Val::real).collect()),
                    "linspaced_row_vector" => Val::Tensor(Tensor::constant(TKind::RowVector(k), v)),
                    _ => Val::Tensor(Tensor::constant(TKind::Vector(k), v)),
                })
            }
            "one_hot_vector" => {
                want(2)?;
                let (k, i) = (self.as_int(&args[0], span, "size")? as usize, self.as_int(&args[1], span, "index")? as usize);
                let mut v = vec![0.0; k];
                if i >= 1 && i <= k {
                    v[i - 1] = 1.0;
                }
                Ok(Val::Tensor(Tensor::constant(TKind::Vector(k), v)))
            }
            "identity_matrix" => {
                want(1)?;
                let k = self.as_int(&args[0], span, "size")? as usize;
                Ok(Val::Tensor(Tensor::constant(TKind::Matrix(k, k), (0..k * k).map(|i| (i / k == i % k) as i64 as f64).collect())))
            }
            "to_vector" | "to_row_vector" => {
                want(1)?;
                let t = self.as_vector(&args[0], span)?;
                let Val::Tensor(t) = t else { unreachable!() };
                let k = t.len();
                // Matrices flatten column-major in Stan.
                let t = match t.kind {
                    TKind::Matrix(r, c) => {
                        let idx: Vec<usize> = (0..c).flat_map(|j| (0..r).map(move |i| i * c + j)).collect();
                        self.gather(&t, &idx, TKind::Vector(k))
                    }
                    _ => t,
                };
                let kind = if name == "to_vector" { TKind::Vector(k) } else { TKind::RowVector(k) };
                Ok(Val::Tensor(Tensor { kind, repr: t.repr }))
            }
            "to_array_1d" => {
                want(1)?;
                let es = match &args[0] {
                    Val::Tensor(t) if matches!(t.kind, TKind::Matrix(..)) => {
                        let v = self.call_builtin("to_vector", vec![args[0].clone()], span)?;
                        self.scalars(&v, span)?
                    }
                    v if is_int_valued(v) => return Ok(Val::Array(self.as_ints(v, span)?.into_iter().map(Val::Int).collect())),
                    v => self.scalars(v, span)?,
                };
                Ok(Val::Array(es.into_iter().map(Val::Real).collect()))
            }
            "to_matrix" => {
                let t = self.as_vector(&args[0], span)?;
                let Val::Tensor(t) = t else { unreachable!() };
                let (r, c) = match n {
                    1 => match (&args[0], t.kind) {
                        (Val::Tensor(x), _) => match x.kind {
                            TKind::Matrix(r, c) => (r, c),
                            TKind::Vector(k) => (k, 1),
                            TKind::RowVector(k) => (1, k),
                        },
                        (Val::Array(rows), _) => (rows.len(), rows.first().map_or(0, |x| x.num_elements())),
                        _ => (t.len(), 1),
                    },
                    3 | 4 => (self.as_int(&args[1], span, "rows")? as usize, self.as_int(&args[2], span, "cols")? as usize),
                    _ => return err(format!("to_matrix takes 1, 3 or 4 arguments, got {n}")),
                };
                if r * c != t.len() {
                    return err(format!("to_matrix: {} elements cannot fill {r}×{c}", t.len()));
                }
                if n == 1 {
                    return Ok(Val::Tensor(Tensor { kind: TKind::Matrix(r, c), repr: t.repr }));
                }
                // From a vector: filled column-major (row-major with a 4th argument of 1).
                let row_major = n == 4 && self.as_int(&args[3], span, "row-major flag")? != 0;
                if row_major {
                    return Ok(Val::Tensor(Tensor { kind: TKind::Matrix(r, c), repr: t.repr }));
                }
                let idx: Vec<usize> = (0..r).flat_map(|i| (0..c).map(move |j| j * r + i)).collect();
                Ok(Val::Tensor(self.gather(&t, &idx, TKind::Matrix(r, c))))
            }
            "append_row" | "append_col" => {
                want(2)?;
                self.append(name == "append_row", &args[0], &args[1], span)
            }
            "head" | "tail" | "segment" => {
                let v = &args[0];
                let len = v.dims().first().copied().unwrap_or(0);
                let (start, k) = match name {
                    "head" => (0, self.as_int(&args[1], span, "n")? as usize),
                    "tail" => {
                        let k = self.as_int(&args[1], span, "n")? as usize;
                        (len.saturating_sub(k), k)
                    }
                    _ => {
                        want(3)?;
                        (self.as_int(&args[1], span, "start")? as usize - 1, self.as_int(&args[2], span, "n")? as usize)
                    }
                };
                if start + k > len {
                    return err(format!("{name}: {k} elements from position {} exceed the size {len}", start + 1));
                }
                let ix = super::interp::Ix::Many((start..start + k).collect());
                self.index(v, &[ix], span)
            }
            "reverse" => {
                want(1)?;
                let len = args[0].dims().first().copied().unwrap_or(0);
                self.index(&args[0], &[super::interp::Ix::Many((0..len).rev().collect())], span)
            }
            "sort_asc" | "sort_desc" | "rank" | "sort_indices_asc" | "sort_indices_desc" => {
                let c = const_elems(&args[0]).ok_or_else(|| LowerError::new(span, format!("{name} of parameters is not supported")))?;
                let mut idx: Vec<usize> = (0..c.len()).collect();
                idx.sort_by(|&a, &b| c[a].total_cmp(&c[b]));
                if name.ends_with("desc") {
                    idx.reverse();
                }
                if name.starts_with("sort_indices") {
                    return Ok(Val::Array(idx.into_iter().map(|i| Val::Int(i as i64 + 1)).collect()));
                }
                if name == "rank" {
                    want(2)?;
                    let s = self.as_int(&args[1], span, "s")? as usize - 1;
                    return Ok(Val::Int(c.iter().filter(|&&x| x < c[s]).count() as i64));
                }
                self.index(&args[0], &[super::interp::Ix::Many(idx)], span)
            }
            "diag_matrix" => {
                want(1)?;
                let es = self.scalars(&args[0], span)?;
                let k = es.len();
                let out: Vec<Sc> = (0..k * k).map(|i| if i / k == i % k { es[i / k] } else { Sc::C(0.0) }).collect();
                Ok(Val::Tensor(Tensor { kind: TKind::Matrix(k, k), repr: Repr::Elems(Arc::new(out)) }))
            }
            "diagonal" => {
                want(1)?;
                let t = self.tensor(&args[0], span)?;
                let TKind::Matrix(r, c) = t.kind else { return err("diagonal needs a matrix".into()) };
                let k = r.min(c);
                Ok(Val::Tensor(self.gather(&t, &(0..k).map(|i| i * c + i).collect::<Vec<_>>(), TKind::Vector(k))))
            }
            "col" | "row" => {
                want(2)?;
                let i = self.as_int(&args[1], span, "index")?;
                let (r, c) = match &args[0] {
                    Val::Tensor(Tensor { kind: TKind::Matrix(r, c), .. }) => (*r, *c),
                    _ => return err(format!("{name} needs a matrix")),
                };
                let pos = |k: i64, size: usize| -> R<usize> {
                    if k < 1 || k as usize > size { Err(LowerError::new(span, format!("{name} {k} out of range 1..={size}"))) } else { Ok(k as usize - 1) }
                };
                if name == "row" {
                    self.index(&args[0], &[super::interp::Ix::One(pos(i, r)?)], span)
                } else {
                    self.index(&args[0], &[super::interp::Ix::Many((0..r).collect()), super::interp::Ix::One(pos(i, c)?)], span)
                }
            }
            "add_diag" => {
                want(2)?;
                let t = self.tensor(&args[0], span)?;
                let TKind::Matrix(r, c) = t.kind else { return err("add_diag needs a matrix".into()) };
                let mut es = self.elems(&t);
                let d = match &args[1] {
                    Val::Tensor(v) => self.elems(v),
                    v => vec![self.as_sc(v, span, "the diagonal")?; r.min(c)],
                };
                for i in 0..r.min(c) {
                    es[i * c + i] = self.sc_add(es[i * c + i], d[i]);
                }
                Ok(Val::Tensor(Tensor { kind: t.kind, repr: Repr::Elems(Arc::new(es)) }))
            }
            "trace" => {
                want(1)?;
                let d = self.call_builtin("diagonal", args, span)?;
                self.sum(&d, span)
            }
            "diag_pre_multiply" | "diag_post_multiply" => {
                want(2)?;
                let (dv, m) = if name == "diag_pre_multiply" { (&args[0], &args[1]) } else { (&args[1], &args[0]) };
                let d = self.scalars(dv, span)?;
                let t = self.tensor(m, span)?;
                let TKind::Matrix(r, c) = t.kind else { return err(format!("{name} needs a matrix")) };
                let es = self.elems(&t);
                let mut out = Vec::with_capacity(r * c);
                for i in 0..r {
                    for j in 0..c {
                        let s = if name == "diag_pre_multiply" { d[i] } else { d[j] };
                        out.push(self.sc_mul(s, es[i * c + j]));
                    }
                }
                Ok(Val::Tensor(Tensor { kind: t.kind, repr: Repr::Elems(Arc::new(out)) }))
            }
            "quad_form_diag" => {
                want(2)?;
                let d = args[1].clone();
                let m = self.call_builtin("diag_pre_multiply", vec![d.clone(), args[0].clone()], span)?;
                self.call_builtin("diag_post_multiply", vec![m, d], span)
            }
            "multiply_lower_tri_self_transpose" => {
                want(1)?;
                let t = self.tensor(&args[0], span)?;
                let TKind::Matrix(r, c) = t.kind else { return err(format!("{name} needs a matrix")) };
                let mut es = self.elems(&t);
                for i in 0..r {
                    for j in i + 1..c {
                        es[i * c + j] = Sc::C(0.0);
                    }
                }
                let l = Val::Tensor(Tensor { kind: t.kind, repr: Repr::Elems(Arc::new(es)) });
                let lt = self.transpose(&l, span)?;
                self.multiply(&l, &lt, span)
            }
            "if_else" => {
                // Legacy `if_else(cond, a, b)` (Stan < 2.33): both branches are
                // evaluated, as in Stan; a parameter condition becomes a select.
                want(3)?;
                let (a, b) = (to_real(args[1].clone()), to_real(args[2].clone()));
                self.select(&args[0], a, b, span)
            }
            "quad_form" | "quad_form_sym" => {
                // B' A B (a scalar when B is a vector).
                want(2)?;
                let (a, b) = (&args[0], &args[1]);
                if name == "quad_form_sym" {
                    if let Some(c) = const_elems(a) {
                        if let Val::Tensor(Tensor { kind: TKind::Matrix(r, k), .. }) = a {
                            let (r, k) = (*r, *k);
                            let asym = (0..r).any(|i| (0..i).any(|j| k == r && (c[i * k + j] - c[j * k + i]).abs() > 1e-8 * (1.0 + c[i * k + j].abs())));
                            if asym {
                                return err("quad_form_sym: the matrix is not symmetric".into());
                            }
                        }
                    }
                }
                let ab = self.multiply(a, b, span)?;
                match b {
                    Val::Tensor(Tensor { kind: TKind::Vector(_), .. }) => self.call_builtin("dot_product", vec![b.clone(), ab], span),
                    _ => {
                        let bt = self.transpose(b, span)?;
                        self.multiply(&bt, &ab, span)
                    }
                }
            }
            "trace_quad_form" => {
                want(2)?;
                let q = self.call_builtin("quad_form", args, span)?;
                self.call_builtin("trace", vec![q], span)
            }
            "tcrossprod" | "crossprod" => {
                want(1)?;
                let t = self.transpose(&args[0], span)?;
                if name == "tcrossprod" { self.multiply(&args[0], &t, span) } else { self.multiply(&t, &args[0], span) }
            }
            "columns_dot_product" | "rows_dot_product" | "columns_dot_self" | "rows_dot_self" => {
                let (a, b) = if name.ends_with("self") { want(1)?; (args[0].clone(), args[0].clone()) } else { want(2)?; (args[0].clone(), args[1].clone()) };
                let p = self.binary(BinaryFn::Mul, &a, &b, span)?;
                let t = self.tensor(&p, span)?;
                let (r, c) = match t.kind { TKind::Matrix(r, c) => (r, c), TKind::Vector(n) => (n, 1), TKind::RowVector(n) => (1, n) };
                let es = self.elems(&t);
                let cols = name.starts_with("columns");
                let mut out = Vec::new();
                for k in 0..if cols { c } else { r } {
                    let mut acc = Sc::C(0.0);
                    for l in 0..if cols { r } else { c } {
                        let s = if cols { es[l * c + k] } else { es[k * c + l] };
                        acc = self.sc_add(acc, s);
                    }
                    out.push(acc);
                }
                let kind = if cols { TKind::RowVector(out.len()) } else { TKind::Vector(out.len()) };
                Ok(Val::Tensor(Tensor { kind, repr: Repr::Elems(Arc::new(out)) }))
            }
            "cholesky_decompose" => {
                want(1)?;
                self.cholesky(&args[0], span)
            }
            "mdivide_left_tri_low" | "mdivide_right_tri_low" => {
                want(2)?;
                self.tri_solve(name == "mdivide_left_tri_low", &args[0], &args[1], span)
            }
            _ if super::gp::is_gp(name) => self.gp_cov(name, &args, span),
            _ if super::linalg::NAMES.contains(&name) => self.linalg_call(name, &args, span),
            _ if name.contains("ode_bdf") => err(format!(
                "'{name}': the stiff (BDF) ODE solver is not supported by exmc yet; if the system is not stiff, \
                 the rk45 solver with the same arguments solves it"
            )),
            _ if name.starts_with("integrate_ode") || name.starts_with("ode_") || name.starts_with("solve_") => {
                // The supported ODE solvers are lowered before this match (`ode.rs`).
                err(format!("'{name}': this ODE solver and the algebraic solvers are not supported by exmc yet"))
            }
            _ => {
                if super::dists::known(name) {
                    return err(format!("'{name}' is a distribution: use '{name}_lpdf(...)', '{name}_lpmf(...)' or '~ {name}(...)'"));
                }
                err(format!("function '{name}' is not supported by exmc yet"))
            }
        }
    }

    /// The scalars of a scalar, container or array (row-major).
    pub fn scalars(&mut self, v: &Val, span: Span) -> R<Vec<Sc>> {
        Ok(match v {
            Val::Int(i) => vec![Sc::C(*i as f64)],
            Val::Real(s) => vec![*s],
            Val::Tensor(t) => self.elems(t),
            Val::Array(a) => {
                let mut out = Vec::new();
                for x in a {
                    out.extend(self.scalars(x, span)?);
                }
                out
            }
        })
    }

    /// Elements of an array, or scalars of a container, as values.
    fn items(&mut self, v: &Val, span: Span) -> R<Vec<Val>> {
        Ok(match v {
            Val::Array(a) => a.clone(),
            _ => self.scalars(v, span)?.into_iter().map(Val::Real).collect(),
        })
    }

    /// A container as a vector (arrays of scalars become vectors).
    pub fn as_vector(&mut self, v: &Val, span: Span) -> R<Val> {
        Ok(match v {
            Val::Tensor(_) => v.clone(),
            Val::Array(_) | Val::Int(_) | Val::Real(_) => {
                if let Some(c) = const_elems(v) {
                    let k = c.len();
                    Val::Tensor(Tensor::constant(TKind::Vector(k), c))
                } else {
                    let es = self.scalars(v, span)?;
                    Val::Tensor(Tensor { kind: TKind::Vector(es.len()), repr: Repr::Elems(Arc::new(es)) })
                }
            }
        })
    }

    pub(crate) fn tensor(&mut self, v: &Val, span: Span) -> R<Tensor> {
        match v {
            Val::Tensor(t) => Ok(t.clone()),
            _ => Err(LowerError::new(span, format!("expected a vector or matrix, found {}", v.type_name()))),
        }
    }

    fn append(&mut self, rows: bool, a: &Val, b: &Val, span: Span) -> R<Val> {
        let shape = |v: &Val| -> (usize, usize, bool) {
            match v {
                Val::Tensor(t) => match t.kind {
                    TKind::Vector(n) => (n, 1, true),
                    TKind::RowVector(n) => (1, n, true),
                    TKind::Matrix(r, c) => (r, c, true),
                },
                _ => (1, 1, false),
            }
        };
        let (ra, ca, _) = shape(a);
        let (rb, cb, _) = shape(b);
        let (ea, eb) = (self.scalars(a, span)?, self.scalars(b, span)?);
        let vector_out = |k: usize| if rows { TKind::Vector(k) } else { TKind::RowVector(k) };
        let is_vec = |v: &Val| matches!(v, Val::Int(_) | Val::Real(_)) || matches!(v, Val::Tensor(t) if !matches!(t.kind, TKind::Matrix(..)));
        if is_vec(a) && is_vec(b) && (rows && ca == 1 && cb == 1 || !rows && ra == 1 && rb == 1) {
            let mut es = ea;
            es.extend(eb);
            let k = es.len();
            return Ok(Val::Tensor(Tensor { kind: vector_out(k), repr: Repr::Elems(Arc::new(es)) }));
        }
        if rows {
            if ca != cb {
                return Err(LowerError::new(span, format!("append_row: column counts differ ({ca} and {cb})")));
            }
            let mut es = ea;
            es.extend(eb);
            Ok(Val::Tensor(Tensor { kind: TKind::Matrix(ra + rb, ca), repr: Repr::Elems(Arc::new(es)) }))
        } else {
            if ra != rb {
                return Err(LowerError::new(span, format!("append_col: row counts differ ({ra} and {rb})")));
            }
            let mut es = Vec::with_capacity(ea.len() + eb.len());
            for i in 0..ra {
                es.extend_from_slice(&ea[i * ca..(i + 1) * ca]);
                es.extend_from_slice(&eb[i * cb..(i + 1) * cb]);
            }
            Ok(Val::Tensor(Tensor { kind: TKind::Matrix(ra, ca + cb), repr: Repr::Elems(Arc::new(es)) }))
        }
    }

    pub(crate) fn sc_un(&mut self, f: UnaryFn, a: Sc) -> Sc {
        match a {
            Sc::C(x) => Sc::C(exmc_model::apply_unary(f, x)),
            Sc::E(_) => {
                let e = self.sc_expr(a).unary(f);
                self.sc(e)
            }
        }
    }

    /// Cholesky factor, element by element (exact gradients through the graph).
    pub(crate) fn cholesky(&mut self, m: &Val, span: Span) -> R<Val> {
        let t = self.tensor(m, span)?;
        let TKind::Matrix(k, c) = t.kind else { return Err(LowerError::new(span, "cholesky_decompose needs a square matrix")) };
        if k != c {
            return Err(LowerError::new(span, format!("cholesky_decompose needs a square matrix, got {k}×{c}")));
        }
        if let Some(ac) = t.constants() {
            let mut l = vec![0.0; k * k];
            for j in 0..k {
                let mut s = ac[j * k + j];
                for p in 0..j {
                    s -= l[j * k + p] * l[j * k + p];
                }
                if !(s > 0.0) {
                    return Err(LowerError::new(span, "cholesky_decompose: the matrix is not positive definite"));
                }
                l[j * k + j] = s.sqrt();
                for i in j + 1..k {
                    let mut s = ac[i * k + j];
                    for p in 0..j {
                        s -= l[i * k + p] * l[j * k + p];
                    }
                    l[i * k + j] = s / l[j * k + j];
                }
            }
            return Ok(Val::Tensor(Tensor::constant(TKind::Matrix(k, k), l)));
        }
        // A matrix that depends on the parameters: one instruction with an
        // analytic reverse pass (not k³/6 scalar nodes).
        let e = self.tensor_expr(&t);
        let l = exmc_model::expr::cholesky(&e);
        Ok(self.wrap(l, Some(TKind::Matrix(k, k))))
    }

    /// `L \ B` (left) or `B / L'`-style (right) with lower-triangular `L`.
    pub(crate) fn tri_solve(&mut self, left: bool, a: &Val, b: &Val, span: Span) -> R<Val> {
        let (lv, bv) = if left { (a, b) } else { (b, a) };
        let lt = self.tensor(lv, span)?;
        let TKind::Matrix(k, _) = lt.kind else { return Err(LowerError::new(span, "expected a lower-triangular matrix")) };
        let l = self.elems(&lt);
        let bt = self.tensor(bv, span)?;
        let bcols = match (left, bt.kind) {
            (true, TKind::Vector(_)) => 1,
            (true, TKind::Matrix(_, c)) => c,
            (false, TKind::RowVector(_)) => 1,
            (false, TKind::Matrix(r, _)) => r,
            _ => return Err(LowerError::new(span, "mdivide: unsupported argument shapes")),
        };
        let be = self.elems(&bt);
        // Solve L x = b column by column (for the right solve, x L = b ⇔ Lᵀ xᵀ = bᵀ).
        let mut out = vec![Sc::C(0.0); k * bcols];
        for col in 0..bcols {
            let get_b = |i: usize| if left { be[i * bcols + col] } else { be[col * k + i] };
            let mut x = vec![Sc::C(0.0); k];
            if left {
                for i in 0..k {
                    let mut s = get_b(i);
                    for j in 0..i {
                        let p = self.sc_mul(l[i * k + j], x[j]);
                        s = self.sc_bin(BinaryFn::Sub, s, p);
                    }
                    x[i] = self.sc_bin(BinaryFn::Div, s, l[i * k + i]);
                }
            } else {
                for i in (0..k).rev() {
                    let mut s = get_b(i);
                    for j in i + 1..k {
                        let p = self.sc_mul(l[j * k + i], x[j]);
                        s = self.sc_bin(BinaryFn::Sub, s, p);
                    }
                    x[i] = self.sc_bin(BinaryFn::Div, s, l[i * k + i]);
                }
            }
            for i in 0..k {
                if left {
                    out[i * bcols + col] = x[i];
                } else {
                    out[col * k + i] = x[i];
                }
            }
        }
        let kind = match bt.kind {
            TKind::Matrix(..) => if left { TKind::Matrix(k, bcols) } else { TKind::Matrix(bcols, k) },
            other => other,
        };
        Ok(Val::Tensor(Tensor { kind, repr: Repr::Elems(Arc::new(out)) }))
    }
}

fn filled(kind: TKind, s: Sc) -> Tensor {
    match s {
        Sc::C(v) => Tensor::constant(kind, vec![v; kind.len()]),
        s => Tensor { kind, repr: Repr::Elems(Arc::new(vec![s; kind.len()])) },
    }
}

/// Stan's promotion of an `int` argument to `real` (for functions that
/// return `real`).
fn to_real(v: Val) -> Val {
    match v {
        Val::Int(i) => Val::real(i as f64),
        v => v,
    }
}
