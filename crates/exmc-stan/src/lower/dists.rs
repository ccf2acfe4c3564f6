//! Distribution statements and `_lpdf` / `_lcdf` / `_lccdf` / `_rng` calls.
//!
//! In trace mode a log density becomes a graph node over the arguments'
//! expressions. In concrete mode (generated quantities) the kernels of
//! `exmc_math` are called directly on numbers.

use super::interp::{const_elems, is_int_valued, Interp, LowerError, R};
use super::value::{Repr, Sc, TKind, Tensor, Val};
use crate::token::Span;
use exmc_math::dist::{Cdf, Continuous, Discrete};
use exmc_model::dist::{ContKind, DiscKind, Dist, MultiKind};
use exmc_model::{with_cdf, with_cont, with_disc, Expr, Shape};
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Eval {
    Lpdf,
    Lcdf,
    Lccdf,
    /// Stan's non-log `_cdf`: `exp` of the log CDF (a product over elements).
    Cdf,
    Rng,
}

/// Which distribution a Stan name means.
#[derive(Clone, Copy, Debug)]
enum Family {
    Cont(ContKind),
    Disc(DiscKind),
    Multi(MultiKind),
    /// `std_normal()`: normal(0, 1).
    StdNormal,
}

fn family(name: &str) -> Option<Family> {
    if name == "std_normal" {
        return Some(Family::StdNormal);
    }
    if let Some(k) = ContKind::ALL.iter().find(|k| k.name() == name) {
        return Some(Family::Cont(*k));
    }
    if let Some(k) = DiscKind::ALL.iter().find(|k| k.name() == name) {
        return Some(Family::Disc(*k));
    }
    MultiKind::ALL.iter().find(|k| k.name() == name).map(|k| Family::Multi(*k))
}

/// Names of the generalised linear model densities (`x ~ bernoulli_logit_glm(X, alpha, beta)`).
const GLMS: [&str; 3] = ["bernoulli_logit_glm", "poisson_log_glm", "normal_id_glm"];

/// Splits `normal_lpdf` into (`normal`, Lpdf) for distributions exmc knows.
pub fn split_suffix(name: &str) -> Option<(&str, Eval)> {
    for g in GLMS {
        if name == format!("{g}_lpmf") || name == format!("{g}_lpdf") || name == format!("{g}_lupmf") || name == format!("{g}_lupdf") {
            return Some((g, Eval::Lpdf));
        }
    }
    const SUFFIXES: [(&str, Eval); 11] = [
        ("_lpdf", Eval::Lpdf),
        ("_lupdf", Eval::Lpdf),
        ("_lpmf", Eval::Lpdf),
        ("_lupmf", Eval::Lpdf),
        ("_lcdf", Eval::Lcdf),
        ("_lccdf", Eval::Lccdf),
        ("_rng", Eval::Rng),
        ("_cdf_log", Eval::Lcdf),
        ("_ccdf_log", Eval::Lccdf),
        ("_cdf", Eval::Cdf),
        ("_log", Eval::Lpdf),
    ];
    for (suf, ev) in SUFFIXES {
        if let Some(base) = name.strip_suffix(suf) {
            if family(base).is_some() {
                return Some((base, ev));
            }
        }
    }
    None
}

/// Names of the distributions exmc knows (for messages).
pub fn known(name: &str) -> bool {
    family(name).is_some() || GLMS.contains(&name)
}

impl<'p> Interp<'p> {
    /// `x ~ name(args) T[lo, hi]` or `name_lpdf(x | args)`: the log density
    /// summed over elements.
    pub fn log_density(
        &mut self,
        name: &str,
        ev: Eval,
        x: &Val,
        args: &[Val],
        trunc: Option<(Option<Val>, Option<Val>)>,
        span: Span,
    ) -> R<Val> {
        if GLMS.contains(&name) {
            return self.glm(name, ev, x, args, span);
        }
        if ev == Eval::Cdf {
            let l = self.log_density(name, Eval::Lcdf, x, args, trunc, span)?;
            return Ok(self.unary(exmc_model::UnaryFn::Exp, &l));
        }
        let fam = family(name).ok_or_else(|| {
            LowerError::new(span, format!("distribution '{name}' is not supported by exmc yet"))
        })?;
        // Arrays of vectors with a multivariate distribution: one term each.
        if let (Family::Multi(k), Val::Array(items)) = (fam, x) {
            if !k.is_discrete() {
                let mut total = Val::real(0.0);
                for item in items {
                    let lp = self.log_density(name, ev, item, args, None, span)?;
                    total = self.binary(exmc_model::BinaryFn::Add, &total, &lp, span)?;
                }
                return Ok(total);
            }
        }
        let all_const = x.is_constant() && args.iter().all(|a| a.is_constant());
        if all_const && self.model.is_none() {
            if let Some(v) = self.const_log_density(fam, ev, x, args, &trunc, span)? {
                return Ok(Val::real(v));
            }
        }
        let dist = self.build_dist(fam, name, x, args, span)?;
        let dist = match trunc {
            None => dist,
            Some((lo, hi)) => {
                let lo = lo.map(|v| self.val_expr(&v, span)).transpose()?;
                let hi = hi.map(|v| self.val_expr(&v, span)).transpose()?;
                dist.truncated(lo, hi)
            }
        };
        let xe = self.variate_expr(fam, x, span)?;
        let e = match ev {
            Eval::Lpdf => dist.lpdf(xe),
            Eval::Lcdf => dist.lcdf(xe),
            Eval::Lccdf => dist.lccdf(xe),
            Eval::Cdf | Eval::Rng => unreachable!("handled above / by rng_call"),
        };
        if let Some(msg) = e.error() {
            return Err(LowerError::new(span, msg.to_string()));
        }
        if all_const {
            return Ok(Val::real(self.const_value(e, span)?));
        }
        Ok(Val::Real(self.sc(e)))
    }

    /// `y ~ bernoulli_logit_glm(X, alpha, beta)` = `bernoulli_logit(alpha + X beta)`
    /// (likewise `poisson_log_glm`, `normal_id_glm(X, alpha, beta, sigma)`).
    fn glm(&mut self, base: &str, ev: Eval, y: &Val, args: &[Val], span: Span) -> R<Val> {
        let want = if base == "normal_id_glm" { 4 } else { 3 };
        if args.len() != want || ev != Eval::Lpdf {
            return Err(LowerError::new(span, format!("{base} takes {want} arguments (x, alpha, beta{})", if want == 4 { ", sigma" } else { "" })));
        }
        let xb = self.multiply(&args[0], &args[2], span)?;
        let eta = self.binary(exmc_model::BinaryFn::Add, &xb, &args[1], span)?;
        let (dist, rest): (&str, Vec<Val>) = match base {
            "bernoulli_logit_glm" => ("bernoulli_logit", vec![eta]),
            "poisson_log_glm" => ("poisson_log", vec![eta]),
            _ => ("normal", vec![eta, args[3].clone()]),
        };
        self.log_density(dist, Eval::Lpdf, y, &rest, None, span)
    }

    fn variate_expr(&mut self, fam: Family, x: &Val, span: Span) -> R<Expr> {
        let discrete = match fam {
            Family::Disc(_) => true,
            Family::Multi(k) => k.is_discrete(),
            _ => false,
        };
        if discrete {
            if !is_int_valued(x) {
                return Err(LowerError::new(span, format!("a discrete distribution needs integer data, found {}", x.type_name())));
            }
            let ints = self.as_ints(x, span)?;
            let shape = if matches!(x, Val::Int(_)) { Shape::Scalar } else { Shape::Vector(ints.len()) };
            return Ok(Expr::int_data(ints, shape));
        }
        self.val_expr(x, span)
    }

    fn build_dist(&mut self, fam: Family, name: &str, x: &Val, args: &[Val], span: Span) -> R<Dist> {
        let nargs_err = |want: usize| {
            Err(LowerError::new(span, format!("{name} takes {want} arguments after the variate, got {}", args.len())))
        };
        match fam {
            Family::StdNormal => {
                if !args.is_empty() {
                    return nargs_err(0);
                }
                Ok(exmc_model::dist::normal(0.0, 1.0))
            }
            Family::Cont(k) => {
                if args.len() != k.params().len() {
                    return nargs_err(k.params().len());
                }
                let es = args.iter().map(|a| self.val_expr(a, span)).collect::<R<Vec<_>>>()?;
                let _ = x;
                Ok(Dist::from_kind(k, es))
            }
            Family::Disc(k) => {
                let n_int = k.int_args().len() - 1;
                if args.len() != n_int + k.params().len() {
                    return nargs_err(n_int + k.params().len());
                }
                let ints = args[..n_int].iter().map(|a| self.as_ints(a, span)).collect::<R<Vec<_>>>()?;
                let es = args[n_int..].iter().map(|a| self.val_expr(a, span)).collect::<R<Vec<_>>>()?;
                Ok(Dist::from_disc_kind(k, ints, es))
            }
            Family::Multi(k) => {
                if args.len() != k.params().len() {
                    return nargs_err(k.params().len());
                }
                let es = args.iter().map(|a| self.val_expr(a, span)).collect::<R<Vec<_>>>()?;
                // Stan's multi_normal takes mu as a vector or row vector; ours a vector.
                Ok(Dist::from_multi_kind(k, es))
            }
        }
    }

    /// The value of a constant expression (generated quantities fallback).
    pub fn const_value(&mut self, e: Expr, span: Span) -> R<f64> {
        let mut m = exmc_model::Model::new();
        m.deterministic("v", e).map_err(|err| LowerError::new(span, err.to_string()))?;
        let c = m.compile().map_err(|err| LowerError::new(span, err.to_string()))?;
        let mut out = Vec::new();
        c.density::<f64>().constrain(&[], &mut out).map_err(|err| LowerError::new(span, err.to_string()))?;
        Ok(out[0])
    }

    /// Log densities of numbers through the kernels (fast path for
    /// generated quantities). `None` where this path does not apply.
    fn const_log_density(
        &mut self,
        fam: Family,
        ev: Eval,
        x: &Val,
        args: &[Val],
        trunc: &Option<(Option<Val>, Option<Val>)>,
        span: Span,
    ) -> R<Option<f64>> {
        if trunc.is_some() {
            return Ok(None);
        }
        let xs = const_elems(x).unwrap_or_default();
        let ps: Vec<Vec<f64>> = args.iter().map(|a| const_elems(a).unwrap_or_default()).collect();
        let n = ps.iter().map(|p| p.len()).chain([xs.len()]).max().unwrap_or(1);
        let at = |v: &Vec<f64>, i: usize| if v.len() == 1 { v[0] } else { v[i] };
        let err = |e: exmc_math::dist::DistError| LowerError::new(span, e.to_string());
        let mut total = 0.0;
        match fam {
            Family::Cont(k) => {
                let np = k.params().len();
                if ps.len() != np {
                    return Ok(None);
                }
                let mut d = [0.0; 8];
                for i in 0..n {
                    let p: Vec<f64> = ps.iter().map(|v| at(v, i)).collect();
                    let xi = at(&xs, i);
                    total += match ev {
                        Eval::Lpdf => with_cont!(k, D => D::lpdf(xi, &p, &mut d[..np + 1])).map_err(err)?,
                        Eval::Lcdf => with_cdf!(k, D => D::lcdf(xi, &p, &mut d[..np + 1]).map_err(err)?, _ => return Ok(None)),
                        Eval::Lccdf => with_cdf!(k, D => D::lccdf(xi, &p, &mut d[..np + 1]).map_err(err)?, _ => return Ok(None)),
                        Eval::Cdf | Eval::Rng => unreachable!("handled by log_density / rng_call"),
                    };
                }
            }
            Family::Disc(k) => {
                if ev != Eval::Lpdf {
                    return Ok(None);
                }
                let n_int = k.int_args().len() - 1;
                if ps.len() != n_int + k.params().len() {
                    return Ok(None);
                }
                let mut dp = [0.0; 8];
                for i in 0..n {
                    let mut ints = vec![at(&xs, i) as i64];
                    ints.extend(ps[..n_int].iter().map(|v| at(v, i) as i64));
                    let p: Vec<f64> = ps[n_int..].iter().map(|v| at(v, i)).collect();
                    with_disc!(k, D => D::check_ints(&ints)).map_err(err)?;
                    total += with_disc!(k, D => D::lpmf(&ints, &p, &mut dp[..p.len()])).map_err(err)?;
                }
            }
            _ => return Ok(None),
        }
        Ok(Some(total))
    }

    /// `name_rng(args)`: draws (generated quantities and transformed data only).
    pub fn rng_call(&mut self, name: &str, args: &[Val], span: Span) -> R<Val> {
        let fam = family(name).ok_or_else(|| LowerError::new(span, format!("'{name}_rng' is not supported by exmc yet")))?;
        let ps: Vec<Vec<f64>> = args
            .iter()
            .map(|a| const_elems(a).ok_or_else(|| LowerError::new(span, format!("{name}_rng: arguments must be known numbers here"))))
            .collect::<R<_>>()?;
        let vector_shape = args.iter().find_map(|a| match a {
            Val::Tensor(t) => Some(t.kind),
            _ => None,
        });
        let array_len = args.iter().find_map(|a| match a {
            Val::Array(v) => Some(v.len()),
            _ => None,
        });
        let n = ps.iter().map(|p| p.len()).max().unwrap_or(1);
        let rng = self
            .rng
            .as_mut()
            .ok_or_else(|| LowerError::new(span, format!("{name}_rng can only be used in transformed data and generated quantities")))?;
        let at = |v: &Vec<f64>, i: usize| if v.len() == 1 { v[0] } else { v[i] };
        let mut out_real = Vec::with_capacity(n);
        let mut out_int = Vec::with_capacity(n);
        match fam {
            Family::StdNormal => out_real.push(exmc_math::dist::Normal::rng(rng, &[0.0, 1.0])),
            Family::Cont(k) => {
                for i in 0..n {
                    let p: Vec<f64> = ps.iter().map(|v| at(v, i)).collect();
                    out_real.push(with_cont!(k, D => D::rng(rng, &p)));
                }
            }
            Family::Disc(k) => {
                let n_int = k.int_args().len() - 1;
                for i in 0..n {
                    let ints: Vec<i64> = ps[..n_int].iter().map(|v| at(v, i) as i64).collect();
                    let p: Vec<f64> = ps[n_int..].iter().map(|v| at(v, i)).collect();
                    out_int.push(with_disc!(k, D => D::rng(rng, &ints, &p)));
                }
            }
            Family::Multi(k) => return super::multi_rng::draw(k, name, args, rng, span),
        }
        if !out_int.is_empty() {
            return Ok(if n == 1 && vector_shape.is_none() && array_len.is_none() {
                Val::Int(out_int[0])
            } else {
                Val::Array(out_int.into_iter().map(Val::Int).collect())
            });
        }
        Ok(match (vector_shape, array_len) {
            (Some(k), _) if k.len() == out_real.len() => {
                Val::Tensor(Tensor { kind: TKind::Vector(k.len()), repr: Repr::Const(Arc::new(out_real)) })
            }
            (_, Some(_)) => Val::Array(out_real.into_iter().map(|v| Val::Real(Sc::C(v))).collect()),
            _ => Val::real(out_real[0]),
        })
    }
}
