//! Hand-written log densities and gradients of two benchmark models, the
//! yardstick for the compiled ones (`examples/grad_bench.rs`): the same
//! unconstrained parameterisation as the compiled model, every constant kept.
//!
//! * [`Logistic`]: `alpha, beta[P] ~ N(0, 10)`, `y ~ bernoulli_logit(alpha + X beta)`,
//!   X row-major, one `exp` and one `ln_1p` per observation (std functions),
//!   dot products with four accumulators; generic over f32/f64.
//! * [`LogisticFast`]: the same in f64 with X column-major and a
//!   branch-free polynomial `exp`/`log1p` that the compiler vectorises (as
//!   the peers' fastest Rust gradient, `shared/peers/gradbench`).
//! * [`Sv`]: stochastic volatility on `(log sigma, log nu, s[T])`, std
//!   functions; generic over f32/f64.
//!
//! Likelihood terms (per observation `i`, `eta = alpha + x_i·beta`,
//! `e = exp(−|eta|)`): `log p = y·eta − max(eta, 0) − log1p(e)`,
//! `∂/∂eta = y − σ(eta)` with `σ(eta) = (eta ≥ 0 ? 1 : e) / (1 + e)`.

use exmc_core::{LogDensity, LogpError, Real};
use exmc_math::special::{digamma, log_gamma};
use serde_json::Value;

const HALF_LN_2PI: f64 = 0.918_938_533_204_672_8;

fn reals(v: &Value, key: &str) -> Result<Vec<f64>, String> {
    v[key]
        .as_array()
        .ok_or_else(|| format!("'{key}' missing"))?
        .iter()
        .map(|x| x.as_f64().ok_or_else(|| format!("'{key}' has a non-number")))
        .collect()
}

/// `(n, p, X row-major, y)` of the embedded logistic data.
pub fn logistic_data() -> Result<(usize, usize, Vec<f64>, Vec<f64>), String> {
    let v: Value =
        serde_json::from_str(crate::bench_models::data_json("logistic").ok_or("no logistic data")?).map_err(|e| e.to_string())?;
    let rows = v["X"].as_array().ok_or("'X' missing")?;
    let p = v["P"].as_u64().ok_or("'P' missing")? as usize;
    let mut x = Vec::with_capacity(rows.len() * p);
    for r in rows {
        let r = r.as_array().ok_or("'X' rows must be arrays")?;
        if r.len() != p {
            return Err("'X' row of the wrong length".into());
        }
        x.extend(r.iter().map(|v| v.as_f64().unwrap_or(f64::NAN)));
    }
    Ok((rows.len(), p, x, reals(&v, "y")?))
}

/// `returns` of the embedded sv data.
pub fn sv_data() -> Result<Vec<f64>, String> {
    let v: Value = serde_json::from_str(crate::bench_models::data_json("sv").ok_or("no sv data")?).map_err(|e| e.to_string())?;
    reals(&v, "returns")
}

/// Σ a·b with four accumulators (lets the compiler use SIMD lanes).
#[inline(always)]
fn dot4<T: Real>(a: &[T], b: &[T]) -> T {
    let mut acc = [T::zero(); 4];
    let (ac, bc) = (a.chunks_exact(4), b.chunks_exact(4));
    let (ar, br) = (ac.remainder(), bc.remainder());
    for (x, y) in ac.zip(bc) {
        for k in 0..4 {
            acc[k] += x[k] * y[k];
        }
    }
    let mut s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
    for (x, y) in ar.iter().zip(br) {
        s += *x * *y;
    }
    s
}

/// Log density of N(0, 10) priors on all coordinates, and their gradient.
#[inline(always)]
fn normal_0_10_prior<T: Real>(th: &[T], g: &mut [T]) -> T {
    let c = T::c(-HALF_LN_2PI - 10f64.ln());
    let inv_var = T::c(0.01);
    let mut lp = T::zero();
    for (gi, &t) in g.iter_mut().zip(th) {
        lp += c - T::c(0.5) * t * t * inv_var;
        *gi = -t * inv_var;
    }
    lp
}

/// The logistic regression, plain loops, std `exp`/`ln_1p`.
#[derive(Clone, Debug)]
pub struct Logistic<T> {
    n: usize,
    p: usize,
    x: Vec<T>,
    y: Vec<T>,
}

impl<T: Real> Logistic<T> {
    pub fn new(n: usize, p: usize, x_rowmajor: &[f64], y: &[f64]) -> Self {
        Logistic { n, p, x: x_rowmajor.iter().map(|&v| T::c(v)).collect(), y: y.iter().map(|&v| T::c(v)).collect() }
    }
}

impl<T: Real> LogDensity<T> for Logistic<T> {
    fn dim(&self) -> usize {
        self.p + 1
    }
    fn logp_grad(&mut self, th: &[T], g: &mut [T]) -> Result<T, LogpError> {
        let mut lp = normal_0_10_prior(th, g);
        let alpha = th[0];
        let beta = &th[1..];
        let (g0, gb) = g.split_at_mut(1);
        for i in 0..self.n {
            let row = &self.x[i * self.p..(i + 1) * self.p];
            let eta = alpha + dot4(row, beta);
            let e = (-eta.abs()).exp();
            let y = self.y[i];
            lp += y * eta - eta.max(T::zero()) - e.ln_1p();
            let num = if eta >= T::zero() { T::one() } else { e };
            let r = y - num / (T::one() + e);
            g0[0] += r;
            for (gj, &xj) in gb.iter_mut().zip(row) {
                *gj += r * xj;
            }
        }
        Ok(lp)
    }
}

pub use exmc_math::special::{exp_nonpositive, log1p_unit};

const LANES: usize = 8;

/// The logistic regression in f64, X column-major, vectorisable kernels.
#[derive(Clone, Debug)]
pub struct LogisticFast {
    n: usize,
    p: usize,
    /// Column-major, each column padded to a multiple of [`LANES`] with zeros.
    xc: Vec<f64>,
    y: Vec<f64>,
    eta: Vec<f64>,
    lpv: Vec<f64>,
    r: Vec<f64>,
}

/// Σ x in [`LANES`] independent accumulators (`x.len()` a multiple of LANES).
#[inline(always)]
fn lane_sums(x: &[f64]) -> f64 {
    let mut acc = [0.0; LANES];
    for c in x.chunks_exact(LANES) {
        for k in 0..LANES {
            acc[k] += c[k];
        }
    }
    acc.iter().sum()
}

impl LogisticFast {
    pub fn new(n: usize, p: usize, x_rowmajor: &[f64], y: &[f64]) -> Self {
        let np = n.div_ceil(LANES) * LANES;
        let mut xc = vec![0.0; np * p];
        for i in 0..n {
            for j in 0..p {
                xc[j * np + i] = x_rowmajor[i * p + j];
            }
        }
        let mut yp = vec![0.0; np];
        yp[..n].copy_from_slice(y);
        LogisticFast { n, p, xc, y: yp, eta: vec![0.0; np], lpv: vec![0.0; np], r: vec![0.0; np] }
    }
}

impl LogDensity<f64> for LogisticFast {
    fn dim(&self) -> usize {
        self.p + 1
    }
    fn logp_grad(&mut self, th: &[f64], g: &mut [f64]) -> Result<f64, LogpError> {
        let np = self.eta.len();
        let mut lp = normal_0_10_prior(th, g);
        let alpha = th[0];
        self.eta.fill(alpha);
        for j in 0..self.p {
            let b = th[1 + j];
            let col = &self.xc[j * np..(j + 1) * np];
            for (e, &x) in self.eta.iter_mut().zip(col) {
                *e += x * b;
            }
        }
        // Elementwise map (no reduction, no branches): vectorises.
        for (((lpv, r), &a), &y) in self.lpv.iter_mut().zip(self.r.iter_mut()).zip(&self.eta).zip(&self.y) {
            let e = exp_nonpositive(-a.abs());
            let num = if a >= 0.0 { 1.0 } else { e };
            *lpv = y * a - a.max(0.0) - log1p_unit(e);
            *r = y - num / (1.0 + e);
        }
        // Padding rows (x = 0, y = 0) contribute nothing.
        for i in self.n..np {
            self.lpv[i] = 0.0;
            self.r[i] = 0.0;
        }
        let acc_lp = lane_sums(&self.lpv);
        let acc_r = lane_sums(&self.r);
        lp += acc_lp;
        g[0] += acc_r;
        for j in 0..self.p {
            let col = &self.xc[j * np..(j + 1) * np];
            let mut acc = [0.0; LANES];
            for (x, r) in col.chunks_exact(LANES).zip(self.r.chunks_exact(LANES)) {
                for k in 0..LANES {
                    acc[k] += x[k] * r[k];
                }
            }
            g[1 + j] += acc.iter().sum::<f64>();
        }
        Ok(lp)
    }
}

/// Stochastic volatility on `(log sigma, log nu, s[1..T])`:
/// `sigma ~ Exp(50)`, `nu ~ Exp(0.1)`, `s[t] − s[t−1] ~ N(0, sigma)` (`s[0] = 0`),
/// `returns[t] ~ StudentT(nu, 0, exp(s[t]))`, plus the log-Jacobian
/// `log sigma + log nu`. With `q = r² e^{−2s}/nu`, the Student-t term is
/// `lgamma((nu+1)/2) − lgamma(nu/2) − ½ log(nu π) − s − (nu+1)/2 · log1p(q)`,
/// `∂/∂s = −1 + (nu+1) q/(1+q)`, `∂/∂nu = ½ψ((nu+1)/2) − ½ψ(nu/2) − 1/(2nu)
/// − ½ log1p(q) + (nu+1) q / (2 nu (1+q))`.
#[derive(Clone, Debug)]
pub struct Sv<T> {
    returns_sq: Vec<T>,
}

impl<T: Real> Sv<T> {
    pub fn new(returns: &[f64]) -> Self {
        Sv { returns_sq: returns.iter().map(|&r| T::c(r * r)).collect() }
    }
}

impl<T: Real> LogDensity<T> for Sv<T> {
    fn dim(&self) -> usize {
        self.returns_sq.len() + 2
    }
    fn logp_grad(&mut self, th: &[T], g: &mut [T]) -> Result<T, LogpError> {
        let half = T::c(0.5);
        let (lsig, lnu) = (th[0], th[1]);
        let (sigma, nu) = (lsig.exp(), lnu.exp());
        let s = &th[2..];
        let (gh, gs) = g.split_at_mut(2);
        let nt = T::c(s.len() as f64);
        // Priors and Jacobian.
        let mut lp = T::c(50f64.ln()) - T::c(50.0) * sigma + T::c(0.1f64.ln()) - T::c(0.1) * nu + lsig + lnu;
        let mut d_sigma = -T::c(50.0);
        let mut d_nu = -T::c(0.1);
        // Random walk: increments d_t = s_t − s_{t−1}.
        let inv_var = (sigma * sigma).recip();
        let mut ss = T::zero();
        let mut prev = T::zero();
        for t in 0..s.len() {
            let d = s[t] - prev;
            ss += d * d;
            let gd = -d * inv_var;
            gs[t] = gd;
            if t > 0 {
                gs[t - 1] -= gd;
            }
            prev = s[t];
        }
        lp += nt * (T::c(-HALF_LN_2PI) - lsig) - half * ss * inv_var;
        d_sigma += -nt / sigma + ss * inv_var / sigma;
        // Student-t returns.
        let np1 = nu + T::one();
        lp += nt * (log_gamma(half * np1) - log_gamma(half * nu) - half * (nu * T::PI()).ln());
        d_nu += nt * (half * digamma(half * np1) - half * digamma(half * nu) - half / nu);
        let inv_nu = nu.recip();
        let mut sum_l = T::zero();
        let mut sum_w = T::zero();
        for t in 0..s.len() {
            let q = self.returns_sq[t] * (-T::c(2.0) * s[t]).exp() * inv_nu;
            let l = q.ln_1p();
            let w = q / (T::one() + q);
            lp -= s[t];
            sum_l += l;
            sum_w += w;
            gs[t] += -T::one() + np1 * w;
        }
        lp -= half * np1 * sum_l;
        d_nu += -half * sum_l + half * np1 * sum_w * inv_nu;
        gh[0] = d_sigma * sigma + T::one();
        gh[1] = d_nu * nu + T::one();
        Ok(lp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench_models;
    use crate::CompileOptions;

    /// Deterministic pseudo-random points (a simple LCG, enough for test points).
    fn points(dim: usize, scale: f64, count: usize) -> Vec<Vec<f64>> {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (state >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
        };
        (0..count).map(|_| (0..dim).map(|_| scale * next()).collect()).collect()
    }

    fn assert_close(name: &str, a: &[f64], b: &[f64], lp_a: f64, lp_b: f64, tol: f64) {
        assert!((lp_a - lp_b).abs() <= tol * lp_b.abs().max(1.0), "{name}: logp {lp_a} vs {lp_b}");
        for (i, (x, y)) in a.iter().zip(b).enumerate() {
            assert!((x - y).abs() <= tol * y.abs().max(1.0), "{name}: grad[{i}] {x} vs {y}");
        }
    }

    fn check<D: LogDensity<f64>>(name: &str, model: &str, hand: &mut D, pts: &[Vec<f64>]) {
        let compiled = bench_models::by_name(model).unwrap().compile_with(&CompileOptions { noncentre: false }).unwrap();
        let mut c = compiled.density::<f64>();
        assert_eq!(c.dim(), hand.dim());
        for x in pts {
            let (mut g1, mut g2) = (vec![0.0; x.len()], vec![0.0; x.len()]);
            let l1 = hand.logp_grad(x, &mut g1).unwrap();
            let l2 = c.logp_grad(x, &mut g2).unwrap();
            assert_close(name, &g1, &g2, l1, l2, 1e-10);
        }
    }

    #[test]
    fn logistic_hand_written_agrees_with_compiled_to_1e10() {
        let (n, p, x, y) = logistic_data().unwrap();
        let mut pts = points(p + 1, 0.7, 4);
        pts.push(vec![0.0; p + 1]);
        pts.push((0..=p).map(|i| if i % 2 == 0 { 4.0 } else { -3.0 }).collect());
        check("logistic", "logistic", &mut Logistic::<f64>::new(n, p, &x, &y), &pts);
        check("logistic fast", "logistic", &mut LogisticFast::new(n, p, &x, &y), &pts);
    }

    #[test]
    fn sv_hand_written_agrees_with_compiled_to_1e10() {
        let r = sv_data().unwrap();
        let mut pts = points(r.len() + 2, 1.0, 3);
        for p in &mut pts {
            p[0] = -2.5 + 0.3 * p[0]; // log sigma near the posterior
            p[1] = 2.5 + p[1];
            for s in &mut p[2..] {
                *s = -4.0 + 0.5 * *s;
            }
        }
        check("sv", "sv", &mut Sv::<f64>::new(&r), &pts);
    }

    /// f32 versions agree with the f64 ones to f32 accuracy.
    #[test]
    fn f32_versions_agree_with_f64() {
        let (n, p, x, y) = logistic_data().unwrap();
        let th = &points(p + 1, 0.5, 1)[0];
        let th32: Vec<f32> = th.iter().map(|&v| v as f32).collect();
        let (mut g, mut g32) = (vec![0.0; p + 1], vec![0.0f32; p + 1]);
        let l = Logistic::<f64>::new(n, p, &x, &y).logp_grad(th, &mut g).unwrap();
        let l32 = Logistic::<f32>::new(n, p, &x, &y).logp_grad(&th32, &mut g32).unwrap();
        let g32w: Vec<f64> = g32.iter().map(|&v| v as f64).collect();
        assert_close("logistic f32", &g32w, &g, l32 as f64, l, 1e-4);
    }
}
