//! ODE solver calls: `integrate_ode_rk45/bdf/adams` (the old signature,
//! `f(t, y[], theta[], x_r[], x_i[])`) and the variadic
//! `ode_rk45/bdf/adams/ckrk` and their `_tol` forms (`f(t, vector y, ...)`).
//!
//! The user's right-hand side is traced once into a small standalone model
//! whose unconstrained vector is `[t, y, p]` (time, state, the
//! parameter-dependent arguments flattened) with `f(t, y, …)` as a
//! deterministic output; [`exmc_model::CompiledDensity::output_jacobian`]
//! gives `f` and `[∂f/∂t | ∂f/∂y | ∂f/∂p]` from one forward sweep and one
//! reverse sweep per state. Arguments that are data stay constants in the
//! trace. The solution (Dormand–Prince 5(4) with
//! forward sensitivities, [`exmc_math::ode`]) becomes a
//! [`exmc_model::CustomFunction`] node over `(y0, p)`, so the sampler gets
//! exact gradients of the numerical solution's sensitivities.
//!
//! The non-stiff solver names (`rk45`, `adams`, `ckrk`) map to the same
//! adaptive explicit method: they give the same results within tolerance,
//! as Stan's own solvers do. The stiff solvers (`bdf`) are refused with a
//! clear error: an explicit method on a truly stiff system takes tiny steps
//! for ever, and exmc has no implicit method yet. Default controls follow
//! Stan: `1e-6, 1e-6, 1e6` for `rk45` / `ckrk`, `1e-10, 1e-10, 1e8` for
//! `adams`. `t0` and `ts` must be data; the time and state are traced as
//! variables, so an `if` on them traces both branches (see `branch.rs`) and
//! a loop on them is a "not supported" error.

use super::interp::{Interp, LowerError, R};
use super::value::{Repr, Sc, TKind, Tensor, Val};
use crate::ast::{Expr as AstExpr, ExprKind};
use crate::token::Span;
use exmc_core::LogpError;
use exmc_math::ode::{self, OdeOptions, OdeRhs};
use exmc_model::{Compiled, CompiledDensity, Constraint, CustomFunction, Expr, Model, Shape};
use std::sync::{Arc, Mutex};

/// Whether `name` is an ODE solver this module lowers.
pub fn supported(name: &str) -> bool {
    matches!(
        name,
        "integrate_ode_rk45"
            | "integrate_ode_adams"
            | "ode_rk45"
            | "ode_rk45_tol"
            | "ode_adams"
            | "ode_adams_tol"
            | "ode_ckrk"
            | "ode_ckrk_tol"
    )
}

/// Stan's default controls for a solver name.
fn default_options(name: &str) -> OdeOptions {
    if name.contains("adams") {
        OdeOptions { rtol: 1e-10, atol: 1e-10, max_steps: 100_000_000 }
    } else {
        OdeOptions { rtol: 1e-6, atol: 1e-6, max_steps: 1_000_000 }
    }
}

/// The traced right-hand side as an [`OdeRhs`]: `f` is the output
/// `index` of the traced model over `[t, y, p]`; its Jacobian comes from one
/// forward sweep and one reverse sweep per state.
struct TracedRhs<'a> {
    density: &'a mut CompiledDensity<f64>,
    index: usize,
    n: usize,
    params: &'a [f64],
    x: Vec<f64>,
    jac: Vec<f64>,
}

impl OdeRhs for TracedRhs<'_> {
    fn n_states(&self) -> usize {
        self.n
    }
    fn n_params(&self) -> usize {
        self.params.len()
    }
    fn eval(&mut self, t: f64, y: &[f64], dy: &mut [f64], jac: Option<(&mut [f64], &mut [f64])>) -> Result<(), String> {
        let (n, p) = (self.n, self.params.len());
        self.x.clear();
        self.x.push(t);
        self.x.extend_from_slice(y);
        self.x.extend_from_slice(self.params);
        let m = self.x.len();
        self.jac.resize(n * m, 0.0);
        let want = jac.is_some().then_some(&mut self.jac[..]);
        self.density.output_jacobian(&self.x, self.index, dy, want).map_err(|e| e.message.to_string())?;
        if let Some((jy, jp)) = jac {
            for i in 0..n {
                let row = &self.jac[i * m..(i + 1) * m];
                jy[i * n..(i + 1) * n].copy_from_slice(&row[1..1 + n]);
                jp[i * p..(i + 1) * p].copy_from_slice(&row[1 + n..]);
            }
        }
        if let Some(i) = dy.iter().position(|v| !v.is_finite()) {
            return Err(format!("the right-hand side's element {} is {}", i + 1, dy[i]));
        }
        Ok(())
    }
}

/// The solution at the output times as a function of `(y0, p)`.
struct OdeFn {
    label: String,
    n: usize,
    t0: f64,
    ts: Vec<f64>,
    opts: OdeOptions,
    rhs: Compiled,
    /// The output of `rhs` that is `f`.
    index: usize,
    /// Evaluation workspaces of the traced right-hand side, one per
    /// concurrent caller (chains share this function).
    pool: Mutex<Vec<CompiledDensity<f64>>>,
}

impl CustomFunction for OdeFn {
    fn name(&self) -> &str {
        &self.label
    }
    fn out_len(&self) -> usize {
        self.ts.len() * self.n
    }
    fn eval(&self, args: &[f64], out: &mut [f64], jac: Option<&mut [f64]>) -> Result<(), LogpError> {
        let n = self.n;
        let mut density = self.pool.lock().unwrap_or_else(|e| e.into_inner()).pop().unwrap_or_else(|| self.rhs.density());
        let mut sys = TracedRhs { density: &mut density, index: self.index, n, params: &args[n..], x: Vec::new(), jac: Vec::new() };
        let r = ode::solve(&mut sys, self.t0, &args[..n], &self.ts, &self.opts, jac.is_some());
        self.pool.lock().unwrap_or_else(|e| e.into_inner()).push(density);
        let sol = r.map_err(|e| LogpError::recoverable(format!("{}: {e}", self.label)))?;
        out.copy_from_slice(&sol.y);
        if let Some(j) = jac {
            j.copy_from_slice(&sol.sens);
        }
        Ok(())
    }
}

/// Number of real scalars in a value.
fn n_scalars(v: &Val) -> usize {
    v.num_elements()
}

impl<'p> Interp<'p> {
    /// Lowers an ODE solver call (the arguments are still unevaluated: the
    /// first one names the user's function).
    pub(crate) fn ode_call(&mut self, name: &str, args: &[AstExpr], span: Span) -> R<Val> {
        let err = |m: String| LowerError::new(span, format!("'{name}': {m}"));
        let old = name.starts_with("integrate_ode");
        let tol = name.ends_with("_tol");
        let fname = match args.first().map(|a| &a.unparen().kind) {
            Some(ExprKind::Var(n)) => n.clone(),
            _ => return Err(err("the first argument must name a user-defined function".into())),
        };
        let f = *self.funcs.get(fname.as_str()).ok_or_else(|| err(format!("no function named '{fname}'")))?;
        let vals: Vec<Val> = args[1..].iter().map(|a| self.eval(a)).collect::<R<_>>()?;
        let fixed = if old { 6 } else if tol { 6 } else { 3 };
        if vals.len() < fixed || (old && vals.len() != 6 && vals.len() != 9) {
            return Err(err(format!("wrong number of arguments ({})", vals.len() + 1)));
        }
        let t0 = self.as_real_const(&vals[1], args[2].span, "the initial time")?;
        let ts = super::interp::const_elems(&vals[2])
            .ok_or_else(|| LowerError::new(args[3].span, "the output times depend on parameters; exmc needs them to be data (not supported yet)"))?;
        let mut opts = default_options(name);
        let ctrl = if old && vals.len() == 9 { Some(6) } else if tol { Some(3) } else { None };
        if let Some(c) = ctrl {
            let what = ["the relative tolerance", "the absolute tolerance", "max_num_steps"];
            let mut xs = [0.0; 3];
            for k in 0..3 {
                xs[k] = self.as_real_const(&vals[c + k], args[c + k + 1].span, what[k])?;
            }
            if !(xs[2] >= 1.0) || !xs[2].is_finite() {
                return Err(err(format!("max_num_steps must be positive, found {}", xs[2])));
            }
            opts = OdeOptions { rtol: xs[0], atol: xs[1], max_steps: xs[2] as u64 };
        }
        if !(opts.rtol > 0.0 && opts.rtol.is_finite() && opts.atol > 0.0 && opts.atol.is_finite()) {
            return Err(err(format!("tolerances must be positive and finite, found {} and {}", opts.rtol, opts.atol)));
        }
        check_times(t0, &ts).map_err(err)?;
        // The arguments after (t, y) of the right-hand side.
        let extra: Vec<Val> = if old {
            if !vals[4].is_constant() {
                return Err(LowerError::new(args[5].span, "x_r must be data"));
            }
            vals[3..6].to_vec()
        } else {
            vals[if tol { 6 } else { 3 }..].to_vec()
        };
        let y0 = &vals[0];
        let n = n_scalars(y0);
        if n == 0 {
            return Err(err("the initial state is empty".into()));
        }
        let label = format!("{name} ({fname})");
        let (rhs, index) = self.trace_rhs(f, &fname, n, old, &extra, span)?;
        let p: usize = extra.iter().filter(|v| !v.is_constant()).map(n_scalars).sum();
        let fun = Arc::new(OdeFn { label, n, t0, ts: ts.clone(), opts, rhs, index, pool: Mutex::new(Vec::new()) });
        let nt = ts.len();
        let whole = if y0.is_constant() && p == 0 {
            // Data only (transformed data, generated quantities): solve now.
            let y0v = super::interp::const_elems(y0).expect("constant");
            let mut out = vec![0.0; nt * n];
            fun.eval(&y0v, &mut out, None).map_err(|e| LowerError::new(span, e.message.to_string()))?;
            Tensor::constant(TKind::Vector(nt * n), out)
        } else {
            let mut node_args = vec![self.val_expr(y0, span)?];
            for v in extra.iter().filter(|v| !v.is_constant()) {
                node_args.push(self.val_expr(v, span)?);
            }
            let e = exmc_model::custom_function(fun, &node_args);
            Tensor { kind: TKind::Vector(nt * n), repr: Repr::Whole(self.push(e)) }
        };
        Ok(Val::Array(
            (0..nt)
                .map(|k| {
                    if old {
                        Val::Array((0..n).map(|i| Val::Real(self.elem(&whole, k * n + i))).collect())
                    } else {
                        let idx: Vec<usize> = (k * n..(k + 1) * n).collect();
                        Val::Tensor(self.gather(&whole, &idx, TKind::Vector(n)))
                    }
                })
                .collect(),
        ))
    }

    /// Traces `f(t, y, extra…)` into a model over `[t, y, p]` with `f` as
    /// an output (see the module docs) and compiles it; returns the output's
    /// index too.
    fn trace_rhs(&mut self, f: &'p crate::ast::FunDef, fname: &str, n: usize, old: bool, extra: &[Val], span: Span) -> R<(Compiled, usize)> {
        let p: usize = extra.iter().filter(|v| !v.is_constant()).map(n_scalars).sum();
        let mut m = Model::new();
        let decl = |m: &mut Model, name: &str, shape: Shape| {
            m.param_with(name, shape, None, Constraint::Real).map_err(|e| LowerError::new(span, e.to_string()))
        };
        let t = decl(&mut m, "t", Shape::Scalar)?;
        let y = decl(&mut m, "y", Shape::Vector(n))?;
        let pv = if p > 0 { Some(decl(&mut m, "p", Shape::Vector(p))?) } else { None };
        let mut args = vec![Val::Real(self.sc(t))];
        args.push(if old {
            Val::Array((0..n).map(|i| Val::Real(self.sc(y.at(i)))).collect())
        } else {
            Val::Tensor(Tensor { kind: TKind::Vector(n), repr: Repr::Whole(self.push(y.clone())) })
        });
        let mut next = 0;
        for v in extra {
            args.push(if v.is_constant() {
                v.clone()
            } else {
                let pv = pv.as_ref().expect("p > 0");
                self.as_params(v, pv, &mut next)
            });
        }
        // Run the body with the little model in place of the program's.
        let saved = self.model.replace(m);
        let n_terms = self.target_terms.len();
        let out = self.call_user(f, args, span);
        self.target_terms.truncate(n_terms);
        let mut m = std::mem::replace(&mut self.model, saved).expect("the ODE model");
        let out = out.map_err(|e| {
            let hint = if e.message.contains("condition depends on parameters") {
                " (the time and state are variables in an ODE right-hand side: a loop cannot depend on them)"
            } else {
                ""
            };
            LowerError::new(e.span, format!("{}{hint}", e.message))
        })?;
        let got = out.num_elements();
        if got != n || matches!(out, Val::Int(_) | Val::Real(_)) {
            return Err(LowerError::new(
                span,
                format!("the ODE right-hand side '{fname}' returned {got} values but the state has {n}"),
            ));
        }
        let fe = self.val_expr(&out, span)?;
        let fe = if matches!(fe.shape(), Shape::Vector(_)) { fe } else { fe.reshape(Shape::Vector(n)) };
        m.deterministic("f", fe).map_err(|e| LowerError::new(span, format!("the ODE right-hand side '{fname}': {e}")))?;
        let c = m.compile().map_err(|e| LowerError::new(span, format!("the ODE right-hand side '{fname}': {e}")))?;
        let index = c.outputs().iter().position(|o| o.name == "f").expect("declared above");
        Ok((c, index))
    }

    /// A value of the same structure as `v` whose real scalars are the
    /// next elements of the parameter vector `p` (row-major).
    fn as_params(&mut self, v: &Val, p: &Expr, next: &mut usize) -> Val {
        let mut take = |it: &mut Self| {
            let s = it.sc(p.at(*next));
            *next += 1;
            s
        };
        match v {
            Val::Int(_) | Val::Real(_) => Val::Real(take(self)),
            Val::Tensor(t) => {
                let es: Vec<Sc> = (0..t.len()).map(|_| take(self)).collect();
                Val::Tensor(Tensor { kind: t.kind, repr: Repr::Elems(Arc::new(es)) })
            }
            Val::Array(a) => Val::Array(a.iter().map(|x| self.as_params(x, p, next)).collect()),
        }
    }
}

fn check_times(t0: f64, ts: &[f64]) -> Result<(), String> {
    if !t0.is_finite() {
        return Err(format!("the initial time is {t0}"));
    }
    for (i, &t) in ts.iter().enumerate() {
        if !t.is_finite() {
            return Err(format!("output time {} is {t}", i + 1));
        }
        if t <= t0 {
            return Err(format!("output times must be greater than the initial time {t0}; time {} is {t}", i + 1));
        }
        if i > 0 && t < ts[i - 1] {
            return Err(format!("output times must be sorted; time {} ({t}) is before time {} ({})", i + 1, i, ts[i - 1]));
        }
    }
    Ok(())
}
