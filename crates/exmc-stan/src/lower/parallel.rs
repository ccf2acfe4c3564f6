//! Stan's parallel higher-order functions, lowered to their sequential
//! meaning (exmc's compiler vectorises the result; chains already run in
//! parallel):
//! * `reduce_sum(f, x, grainsize, s...)` and `reduce_sum_static` =
//!   `f(x, 1, size(x), s...)` — Stan defines the result as the sum of `f`
//!   over slices of `x`, which is `f` over the whole array;
//! * `map_rect(f, phi, thetas, x_rs, x_is)` = `f(phi, thetas[1], x_rs[1],
//!   x_is[1]) ‖ … ‖ f(phi, thetas[J], x_rs[J], x_is[J])` (vectors appended).

use super::interp::{Interp, LowerError, R};
use super::value::{Repr, TKind, Tensor, Val};
use crate::ast::{Expr as AstExpr, ExprKind};
use crate::token::Span;
use std::sync::Arc;

/// Whether `name` is lowered here.
pub fn supported(name: &str) -> bool {
    matches!(name, "reduce_sum" | "reduce_sum_static" | "map_rect")
}

impl<'p> Interp<'p> {
    /// `name(f, args...)` for a function of [`supported`].
    pub(crate) fn parallel_call(&mut self, name: &str, args: &[AstExpr], span: Span) -> R<Val> {
        let fname = match args.first().map(|a| &a.unparen().kind) {
            // `f_lupmf` names the user's `f_lpmf`.
            Some(ExprKind::Var(n)) => match (n.strip_suffix("_lupdf"), n.strip_suffix("_lupmf")) {
                (Some(b), _) => format!("{b}_lpdf"),
                (_, Some(b)) => format!("{b}_lpmf"),
                _ => n.to_string(),
            },
            _ => return Err(LowerError::new(span, format!("the first argument of '{name}' must be a user function"))),
        };
        let f = *self.funcs.get(fname.as_str()).ok_or_else(|| LowerError::new(span, format!("'{name}': unknown function '{fname}'")))?;
        let vals: Vec<Val> = args[1..].iter().map(|a| self.eval(a)).collect::<R<_>>()?;
        if name == "map_rect" {
            let [phi, thetas, x_rs, x_is] = &vals[..] else {
                return Err(LowerError::new(span, "map_rect takes a function and 4 arguments"));
            };
            let (Val::Array(thetas), Val::Array(x_rs), Val::Array(x_is)) = (thetas, x_rs, x_is) else {
                return Err(LowerError::new(span, "map_rect: thetas, x_rs and x_is must be arrays"));
            };
            let jobs = thetas.len();
            if x_rs.len() != jobs || x_is.len() != jobs {
                return Err(LowerError::new(
                    span,
                    format!("map_rect: {jobs} parameter vectors but {} real and {} integer data rows", x_rs.len(), x_is.len()),
                ));
            }
            let mut out = Vec::new();
            for j in 0..jobs {
                let r = self.call_user(f, vec![phi.clone(), thetas[j].clone(), x_rs[j].clone(), x_is[j].clone()], span)?;
                let Val::Tensor(t) = r else {
                    return Err(LowerError::new(span, format!("map_rect: '{fname}' must return a vector")));
                };
                out.extend(self.elems(&t));
            }
            return Ok(Val::Tensor(Tensor { kind: TKind::Vector(out.len()), repr: Repr::Elems(Arc::new(out)) }));
        }
        // reduce_sum(f, x, grainsize, s...)
        if vals.len() < 2 {
            return Err(LowerError::new(span, format!("{name} takes a function, an array, a grainsize and the shared arguments")));
        }
        let n = match &vals[0] {
            Val::Array(items) => items.len(),
            other => return Err(LowerError::new(span, format!("{name}: the sliced argument must be an array, found {}", other.type_name()))),
        };
        match &vals[1] {
            Val::Int(g) if *g >= 1 => {}
            other => return Err(LowerError::new(span, format!("{name}: grainsize must be a positive integer, found {}", super::exec::display_val(other)))),
        }
        if n == 0 {
            return Ok(Val::real(0.0));
        }
        let mut call_args = vec![vals[0].clone(), Val::Int(1), Val::Int(n as i64)];
        call_args.extend(vals[2..].iter().cloned());
        self.call_user(f, call_args, span)
    }
}

#[cfg(test)]
mod tests {
    use crate::lower::StanModel;
    use exmc_core::LogDensity;

    fn lp(src: &str, data: &serde_json::Value, x: &[f64]) -> (f64, Vec<f64>) {
        let m = StanModel::build(src, "p.stan", data).unwrap_or_else(|d| panic!("{}", crate::render_diagnostics(&d, "p.stan", src)));
        let mut g = vec![0.0; x.len()];
        let v = m.compiled.density::<f64>().logp_grad(x, &mut g).unwrap();
        (v, g)
    }

    /// reduce_sum and map_rect give the log density of the plain program.
    #[test]
    fn equal_to_the_sequential_program() {
        let data = serde_json::json!({"N": 5, "y": [0, 1, 1, 0, 1], "x": [-1.0, 0.5, 2.0, 0.1, 1.5]});
        let plain = "data { int N; array[N] int y; vector[N] x; } parameters { real a; real b; }
                     model { y ~ bernoulli_logit(a + b * x); a ~ normal(0, 2); }";
        let reduce = "functions {
                        real part_lpmf(array[] int ys, int start, int end, vector x, real a, real b) {
                          return bernoulli_logit_lupmf(ys | a + b * x[start:end]);
                        }
                      }
                      data { int N; array[N] int y; vector[N] x; } parameters { real a; real b; }
                      model { target += reduce_sum(part_lupmf, y, 2, x, a, b); a ~ normal(0, 2); }";
        let maprect = "functions {
                         vector job(vector phi, vector theta, data array[] real xr, data array[] int xi) {
                           return [bernoulli_logit_lpmf(xi[1] | phi[1] + theta[1] * xr[1])]';
                         }
                       }
                       data { int N; array[N] int y; vector[N] x; }
                       transformed data { array[N, 1] real xr; array[N, 1] int xi;
                         for (n in 1:N) { xr[n, 1] = x[n]; xi[n, 1] = y[n]; } }
                       parameters { real a; real b; }
                       model {
                         array[N] vector[1] th;
                         for (n in 1:N) th[n] = [b]';
                         target += sum(map_rect(job, [a]', th, xr, xi));
                         a ~ normal(0, 2);
                       }";
        for x in [[0.3, -0.7], [-1.2, 0.4]] {
            let (p, gp) = lp(plain, &data, &x);
            for src in [reduce, maprect] {
                let (q, gq) = lp(src, &data, &x);
                assert!((p - q).abs() < 1e-12, "{p} vs {q}");
                assert!(gp.iter().zip(&gq).all(|(u, v)| (u - v).abs() < 1e-12), "{gp:?} vs {gq:?}");
            }
        }
    }

    #[test]
    fn bad_grainsize_is_an_error() {
        let src = "functions { real part(array[] real ys, int s, int e) { return sum(ys); } }
                   parameters { real a; } model { target += reduce_sum(part, {1.0, 2.0}, 0) + normal_lpdf(a | 0, 1); }";
        let e = match StanModel::build(src, "p.stan", &serde_json::json!({})) {
            Ok(_) => panic!("accepted"),
            Err(d) => crate::render_diagnostics(&d, "p.stan", src),
        };
        assert!(e.contains("grainsize must be a positive integer"), "{e}");
    }
}
