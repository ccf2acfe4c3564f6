//! Adaptive explicit Runge–Kutta integration of `y' = f(t, y)` with forward
//! sensitivities.
//!
//! The method is Dormand–Prince 5(4) (Dormand & Prince 1980, "A family of
//! embedded Runge–Kutta formulae"): seven stages, first-same-as-last, the
//! 5th-order solution propagated and the embedded 4th-order one used for the
//! error estimate. Step control follows Hairer, Nørsett & Wanner, *Solving
//! Ordinary Differential Equations I*, II.4: the starting step of their
//! algorithm; the error is measured as boost odeint's controlled steppers do
//! (which Stan's `rk45` uses), in the max norm
//!
//! ```text
//! err = max_i |ŷ_i − y_i| / (atol + rtol · (|y_i(t)| + h |y_i'(t)|))
//! ```
//!
//! A step is accepted when `err ≤ 1`; then `h` grows by
//! `min(5, 0.9 · err^(−1/5))` if `err < 1/2`, else stays; a rejected step
//! shrinks it by `max(0.2, 0.9 · err^(−1/5))`.
//!
//! **Sensitivities.** With `S = ∂y/∂(y0, p)` (N × (N+P), row-major) the
//! coupled system `S' = J_y S + [0 | J_p]`, `S(t0) = [I | 0]` is integrated
//! alongside `y` with the same steps; as in Stan's `rk45` the error of the
//! whole coupled state is controlled, so the sensitivities honour the same
//! tolerances as the solution.
//!
//! Output times inside a step are read off Dormand–Prince's continuous
//! extension (4th order, HNW I, II.6), so dense outputs cost no extra steps;
//! the last step is shortened to land on the last output time. `max_steps`
//! bounds the steps (accepted or rejected) between two output times, as
//! Stan's `max_num_steps` does. Errors are values ([`OdeError`]);
//! nothing here panics on bad numbers.

use std::fmt;

/// The right-hand side of an ODE system with parameters held inside.
pub trait OdeRhs {
    /// Number of states `N`.
    fn n_states(&self) -> usize;
    /// Number of parameters `P` (for the sensitivities).
    fn n_params(&self) -> usize;
    /// Writes `f(t, y)` into `dy`; with `jac = Some((jy, jp))` also
    /// `∂f/∂y` (N × N) and `∂f/∂p` (N × P), both row-major.
    fn eval(&mut self, t: f64, y: &[f64], dy: &mut [f64], jac: Option<(&mut [f64], &mut [f64])>) -> Result<(), String>;
}

/// Tolerances and the step budget.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OdeOptions {
    pub rtol: f64,
    pub atol: f64,
    /// Steps allowed between two output times.
    pub max_steps: u64,
}

impl Default for OdeOptions {
    /// Stan's defaults: `1e-6`, `1e-6`, `1e6`.
    fn default() -> Self {
        OdeOptions { rtol: 1e-6, atol: 1e-6, max_steps: 1_000_000 }
    }
}

/// Why an integration failed.
#[derive(Clone, Debug, PartialEq)]
pub enum OdeError {
    /// Bad arguments (sizes, times, tolerances).
    Input(String),
    /// More than `max_steps` steps before reaching the output time `t_out`.
    MaxSteps { t: f64, t_out: f64, max_steps: u64 },
    /// The step size underflowed at `t` (the solution or `f` is not finite there).
    NonFinite { t: f64 },
    /// The right-hand side reported an error.
    Rhs(String),
}

impl fmt::Display for OdeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OdeError::Input(m) => write!(f, "{m}"),
            OdeError::MaxSteps { t, t_out, max_steps } => {
                write!(f, "max_num_steps ({max_steps}) exceeded at t = {t} before reaching the output time {t_out}")
            }
            OdeError::NonFinite { t } => write!(f, "the solution is not finite (step size underflow) at t = {t}"),
            OdeError::Rhs(m) => write!(f, "{m}"),
        }
    }
}

impl std::error::Error for OdeError {}

/// The solution at the output times.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OdeSolution {
    /// States `N`.
    pub n: usize,
    /// Sensitivity columns `N + P` (0 without sensitivities).
    pub m: usize,
    /// `y(t_k)`: `T × N`, row-major.
    pub y: Vec<f64>,
    /// `∂y_i(t_k)/∂(y0, p)_j`: `T × N × M`, row-major.
    pub sens: Vec<f64>,
    /// Accepted and rejected steps in all.
    pub steps: u64,
}

// Dormand–Prince 5(4) tableau.
const C: [f64; 7] = [0.0, 1.0 / 5.0, 3.0 / 10.0, 4.0 / 5.0, 8.0 / 9.0, 1.0, 1.0];
const A: [[f64; 6]; 7] = [
    [0.0; 6],
    [1.0 / 5.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    [3.0 / 40.0, 9.0 / 40.0, 0.0, 0.0, 0.0, 0.0],
    [44.0 / 45.0, -56.0 / 15.0, 32.0 / 9.0, 0.0, 0.0, 0.0],
    [19372.0 / 6561.0, -25360.0 / 2187.0, 64448.0 / 6561.0, -212.0 / 729.0, 0.0, 0.0],
    [9017.0 / 3168.0, -355.0 / 33.0, 46732.0 / 5247.0, 49.0 / 176.0, -5103.0 / 18656.0, 0.0],
    [35.0 / 384.0, 0.0, 500.0 / 1113.0, 125.0 / 192.0, -2187.0 / 6784.0, 11.0 / 84.0],
];
/// `b − b̂`: 5th-order weights (the last row of `A`) minus the embedded 4th-order ones.
const E: [f64; 7] = [
    71.0 / 57600.0,
    0.0,
    -71.0 / 16695.0,
    71.0 / 1920.0,
    -17253.0 / 339200.0,
    22.0 / 525.0,
    -1.0 / 40.0,
];

/// `f` of the coupled state `z = [y, S]`.
struct Coupled<'a, F: OdeRhs + ?Sized> {
    rhs: &'a mut F,
    n: usize,
    p: usize,
    sens: bool,
    jy: Vec<f64>,
    jp: Vec<f64>,
    calls: u64,
}

impl<F: OdeRhs + ?Sized> Coupled<'_, F> {
    fn eval(&mut self, t: f64, z: &[f64], dz: &mut [f64]) -> Result<(), OdeError> {
        let (n, p) = (self.n, self.p);
        self.calls += 1;
        let (y, s) = z.split_at(n);
        let (dy, ds) = dz.split_at_mut(n);
        if !self.sens {
            return self.rhs.eval(t, y, dy, None).map_err(OdeError::Rhs);
        }
        self.rhs.eval(t, y, dy, Some((&mut self.jy, &mut self.jp))).map_err(OdeError::Rhs)?;
        let m = n + p;
        // dS = J_y S + [0 | J_p]
        for i in 0..n {
            let row = &mut ds[i * m..(i + 1) * m];
            row[..n].iter_mut().for_each(|v| *v = 0.0);
            row[n..].copy_from_slice(&self.jp[i * p..(i + 1) * p]);
            for k in 0..n {
                let a = self.jy[i * n + k];
                if a != 0.0 {
                    for (r, &sk) in row.iter_mut().zip(&s[k * m..(k + 1) * m]) {
                        *r += a * sk;
                    }
                }
            }
        }
        Ok(())
    }
}

/// Integrates from `(t0, y0)` to each of the output times `ts`
/// (non-decreasing, all `> t0`). With `sens`, also the sensitivities to
/// `y0` and the parameters (see the module docs).
pub fn solve<F: OdeRhs + ?Sized>(
    rhs: &mut F,
    t0: f64,
    y0: &[f64],
    ts: &[f64],
    opts: &OdeOptions,
    sens: bool,
) -> Result<OdeSolution, OdeError> {
    let n = rhs.n_states();
    let p = rhs.n_params();
    check_inputs(n, t0, y0, ts, opts)?;
    let m = if sens { n + p } else { 0 };
    let dim = n + n * m;
    let mut sys = Coupled { rhs, n, p, sens, jy: vec![0.0; n * n], jp: vec![0.0; n * p], calls: 0 };

    let mut z = vec![0.0; dim];
    z[..n].copy_from_slice(y0);
    for i in 0..m.min(n) {
        z[n + i * m + i] = 1.0;
    }
    let mut k: Vec<Vec<f64>> = (0..7).map(|_| vec![0.0; dim]).collect();
    let mut znew = vec![0.0; dim];
    let mut tmp = vec![0.0; dim];
    let mut out = OdeSolution { n, m, y: Vec::with_capacity(ts.len() * n), sens: Vec::with_capacity(ts.len() * n * m), steps: 0 };

    let mut t = t0;
    sys.eval(t, &z, &mut k[0])?;
    let mut h = initial_step(&mut sys, t, &z, &k[0], opts, ts.last().copied().unwrap_or(t0) - t0, &mut tmp, &mut znew)?;

    let Some(&t_end) = ts.last() else { return Ok(out) };
    let mut next = 0; // the next output time
    let mut steps = 0u64; // since the last output
    let mut yk = vec![0.0; dim];
    while next < ts.len() {
        if steps >= opts.max_steps {
            return Err(OdeError::MaxSteps { t, t_out: ts[next], max_steps: opts.max_steps });
        }
        steps += 1;
        out.steps += 1;
        // Never step past the last output time (nor leave a sliver before it).
        let last = t + 1.01 * h >= t_end;
        let hs = if last { t_end - t } else { h };
        if !(hs > 0.0) || t + hs == t {
            return Err(OdeError::NonFinite { t });
        }
        for s in 1..7 {
            for i in 0..dim {
                let mut acc = 0.0;
                for (j, kj) in k.iter().enumerate().take(s) {
                    acc += A[s][j] * kj[i];
                }
                tmp[i] = z[i] + hs * acc;
            }
            let (_, rest) = k.split_at_mut(s);
            sys.eval(t + C[s] * hs, &tmp, &mut rest[0])?;
        }
        // tmp holds the stage-7 argument = the 5th-order solution (FSAL).
        znew.copy_from_slice(&tmp);
        let mut err = 0.0f64;
        for i in 0..dim {
            let mut e = 0.0;
            for (j, kj) in k.iter().enumerate() {
                e += E[j] * kj[i];
            }
            let sc = opts.atol + opts.rtol * (z[i].abs() + hs * k[0][i].abs());
            let r = (hs * e).abs() / sc;
            // NaN propagates as a rejection.
            err = if r.is_nan() || err.is_nan() { f64::NAN } else { err.max(r) };
        }
        if err.is_finite() && err <= 1.0 {
            let t_new = if last { t_end } else { t + hs };
            // Outputs inside the step, from the continuous extension.
            while next < ts.len() && ts[next] <= t_new {
                let src = if ts[next] == t_new {
                    &znew
                } else {
                    dense_output(&z, &znew, &k, hs, (ts[next] - t) / hs, &mut yk);
                    &yk
                };
                out.y.extend_from_slice(&src[..n]);
                out.sens.extend_from_slice(&src[n..]);
                next += 1;
                steps = 0;
            }
            t = t_new;
            std::mem::swap(&mut z, &mut znew);
            k.swap(0, 6);
            // Grow only when the error is well inside the tolerance.
            let fac = if err < 0.5 { (0.9 * err.powf(-0.2)).min(5.0) } else { 1.0 };
            if !last {
                h = hs * fac;
            }
        } else {
            h = if err.is_finite() { hs * (0.9 * err.powf(-0.2)).clamp(0.2, 1.0) } else { hs * 0.1 };
        }
    }
    Ok(out)
}

/// Dormand–Prince's continuous extension (4th order; Hairer, Nørsett &
/// Wanner I, II.6) at `t + θh` within an accepted step `z → znew` with
/// stages `k` (`k[6] = f(t + h, znew)`):
/// `y(θ) = z + θ(Δ + (1−θ)(b + θ(c + (1−θ) d)))` with `Δ = znew − z`,
/// `b = h k₁ − Δ`, `c = Δ − h k₇ − b`, `d = h Σ dⱼ kⱼ`.
fn dense_output(z: &[f64], znew: &[f64], k: &[Vec<f64>], h: f64, theta: f64, out: &mut [f64]) {
    const D: [f64; 7] = [
        -12715105075.0 / 11282082432.0,
        0.0,
        87487479700.0 / 32700410799.0,
        -10690763975.0 / 1880347072.0,
        701980252875.0 / 199316789632.0,
        -1453857185.0 / 822651844.0,
        69997945.0 / 29380423.0,
    ];
    let (s, s1) = (theta, 1.0 - theta);
    for i in 0..z.len() {
        let diff = znew[i] - z[i];
        let b = h * k[0][i] - diff;
        let c = diff - h * k[6][i] - b;
        let d = h * (D[0] * k[0][i] + D[2] * k[2][i] + D[3] * k[3][i] + D[4] * k[4][i] + D[5] * k[5][i] + D[6] * k[6][i]);
        out[i] = z[i] + s * (diff + s1 * (b + s * (c + s1 * d)));
    }
}

fn check_inputs(n: usize, t0: f64, y0: &[f64], ts: &[f64], opts: &OdeOptions) -> Result<(), OdeError> {
    let bad = |m: String| Err(OdeError::Input(m));
    if y0.len() != n {
        return bad(format!("initial state has {} elements but the system has {n} states", y0.len()));
    }
    if let Some(i) = y0.iter().position(|v| !v.is_finite()) {
        return bad(format!("initial state {} is {}", i + 1, y0[i]));
    }
    if !t0.is_finite() {
        return bad(format!("initial time is {t0}"));
    }
    for (i, &t) in ts.iter().enumerate() {
        if !t.is_finite() {
            return bad(format!("output time {} is {t}", i + 1));
        }
        if i == 0 && t <= t0 {
            return bad(format!("output times must be greater than the initial time {t0}, found {t}"));
        }
        if i > 0 && t < ts[i - 1] {
            return bad(format!("output times must be sorted: time {} ({t}) is before time {} ({})", i + 1, i, ts[i - 1]));
        }
    }
    if !(opts.rtol > 0.0 && opts.rtol.is_finite()) || !(opts.atol > 0.0 && opts.atol.is_finite()) {
        return bad(format!("tolerances must be positive and finite, found rtol = {}, atol = {}", opts.rtol, opts.atol));
    }
    if opts.max_steps == 0 {
        return bad("max_num_steps must be positive".into());
    }
    Ok(())
}

/// Starting step size (HNW I, II.4): `h0 = 0.01 ‖y0‖ / ‖f0‖`, corrected by
/// an estimate of the second derivative from one Euler step.
fn initial_step<F: OdeRhs + ?Sized>(
    sys: &mut Coupled<'_, F>,
    t: f64,
    z: &[f64],
    f0: &[f64],
    opts: &OdeOptions,
    span: f64,
    z1: &mut [f64],
    f1: &mut [f64],
) -> Result<f64, OdeError> {
    let sc = |i: usize| opts.atol + opts.rtol * z[i].abs();
    let rms = |v: &dyn Fn(usize) -> f64| (((0..z.len()).map(|i| (v(i) / sc(i)).powi(2)).sum::<f64>()) / z.len().max(1) as f64).sqrt();
    let d0 = rms(&|i| z[i]);
    let d1 = rms(&|i| f0[i]);
    let mut h0 = if d0 < 1e-5 || d1 < 1e-5 { 1e-6 } else { 0.01 * d0 / d1 };
    if span > 0.0 {
        h0 = h0.min(span);
    }
    for i in 0..z.len() {
        z1[i] = z[i] + h0 * f0[i];
    }
    sys.eval(t + h0, z1, f1)?;
    let d2 = rms(&|i| f1[i] - f0[i]) / h0;
    let h1 = if d1.max(d2) <= 1e-15 { (h0 * 1e-3).max(1e-6) } else { (0.01 / d1.max(d2)).powf(0.2) };
    let h = (100.0 * h0).min(h1);
    Ok(if h.is_finite() && h > 0.0 { h } else { 1e-6 })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `y' = -k y` with parameter `k`.
    struct Decay(f64);
    impl OdeRhs for Decay {
        fn n_states(&self) -> usize {
            1
        }
        fn n_params(&self) -> usize {
            1
        }
        fn eval(&mut self, _t: f64, y: &[f64], dy: &mut [f64], jac: Option<(&mut [f64], &mut [f64])>) -> Result<(), String> {
            dy[0] = -self.0 * y[0];
            if let Some((jy, jp)) = jac {
                jy[0] = -self.0;
                jp[0] = -y[0];
            }
            Ok(())
        }
    }

    /// `x' = v, v' = -ω² x` with parameter `ω`.
    struct Oscillator(f64);
    impl OdeRhs for Oscillator {
        fn n_states(&self) -> usize {
            2
        }
        fn n_params(&self) -> usize {
            1
        }
        fn eval(&mut self, _t: f64, y: &[f64], dy: &mut [f64], jac: Option<(&mut [f64], &mut [f64])>) -> Result<(), String> {
            let w = self.0;
            dy[0] = y[1];
            dy[1] = -w * w * y[0];
            if let Some((jy, jp)) = jac {
                jy.copy_from_slice(&[0.0, 1.0, -w * w, 0.0]);
                jp[0] = 0.0;
                jp[1] = -2.0 * w * y[0];
            }
            Ok(())
        }
    }

    /// Lotka–Volterra `u' = (α − β v) u`, `v' = (−γ + δ u) v`.
    pub(crate) struct LotkaVolterra(pub [f64; 4]);
    impl OdeRhs for LotkaVolterra {
        fn n_states(&self) -> usize {
            2
        }
        fn n_params(&self) -> usize {
            4
        }
        fn eval(&mut self, _t: f64, y: &[f64], dy: &mut [f64], jac: Option<(&mut [f64], &mut [f64])>) -> Result<(), String> {
            let [a, b, g, d] = self.0;
            let (u, v) = (y[0], y[1]);
            dy[0] = (a - b * v) * u;
            dy[1] = (-g + d * u) * v;
            if let Some((jy, jp)) = jac {
                jy.copy_from_slice(&[a - b * v, -b * u, d * v, -g + d * u]);
                jp.copy_from_slice(&[u, -u * v, 0.0, 0.0, 0.0, 0.0, -v, u * v]);
            }
            Ok(())
        }
    }

    fn tight() -> OdeOptions {
        OdeOptions { rtol: 1e-10, atol: 1e-10, max_steps: 100_000 }
    }

    #[test]
    fn exponential_decay_and_its_sensitivities() {
        let k = 0.7;
        let ts = [0.5, 1.0, 2.0, 2.0, 5.0];
        let sol = solve(&mut Decay(k), 0.0, &[3.0], &ts, &tight(), true).unwrap();
        assert_eq!((sol.n, sol.m), (1, 2));
        for (i, &t) in ts.iter().enumerate() {
            let y = 3.0 * (-k * t).exp();
            assert!((sol.y[i] - y).abs() < 1e-9, "y({t}) = {} vs {y}", sol.y[i]);
            // ∂y/∂y0 = e^{-kt}, ∂y/∂k = -t y
            assert!((sol.sens[2 * i] - (-k * t).exp()).abs() < 1e-9);
            assert!((sol.sens[2 * i + 1] + t * y).abs() < 1e-8, "dy/dk at {t}: {}", sol.sens[2 * i + 1]);
        }
    }

    #[test]
    fn harmonic_oscillator_and_its_sensitivities() {
        let w = 1.3;
        let (x0, v0) = (1.0, 0.5);
        let ts: Vec<f64> = (1..=10).map(|i| i as f64 * 0.9).collect();
        let sol = solve(&mut Oscillator(w), 0.0, &[x0, v0], &ts, &tight(), true).unwrap();
        for (k, &t) in ts.iter().enumerate() {
            let (s, c) = (w * t).sin_cos();
            let x = x0 * c + v0 / w * s;
            let v = -x0 * w * s + v0 * c;
            assert!((sol.y[2 * k] - x).abs() < 1e-8 && (sol.y[2 * k + 1] - v).abs() < 1e-8);
            let sx = &sol.sens[k * 6..k * 6 + 3]; // ∂x/∂(x0, v0, ω)
            let dx_dw = -x0 * t * s - v0 / (w * w) * s + v0 / w * t * c;
            assert!((sx[0] - c).abs() < 1e-8 && (sx[1] - s / w).abs() < 1e-8);
            assert!((sx[2] - dx_dw).abs() < 1e-7, "dx/dω at {t}: {} vs {dx_dw}", sx[2]);
            let sv = &sol.sens[k * 6 + 3..k * 6 + 6];
            let dv_dw = -x0 * s - x0 * w * t * c - v0 * t * s;
            assert!((sv[0] + w * s).abs() < 1e-8 && (sv[1] - c).abs() < 1e-8 && (sv[2] - dv_dw).abs() < 1e-7);
        }
    }

    #[test]
    fn lotka_volterra_sensitivities_match_finite_differences() {
        let th = [0.55, 0.028, 0.8, 0.024];
        let y0 = [33.0, 6.2];
        let ts: Vec<f64> = (1..=20).map(|i| i as f64).collect();
        let opts = tight();
        let sol = solve(&mut LotkaVolterra(th), 0.0, &y0, &ts, &opts, true).unwrap();
        let inputs: Vec<f64> = y0.iter().chain(&th).copied().collect();
        for j in 0..6 {
            let h = 1e-6 * inputs[j].abs();
            let run = |d: f64| {
                let mut x = inputs.clone();
                x[j] += d;
                solve(&mut LotkaVolterra([x[2], x[3], x[4], x[5]]), 0.0, &x[..2], &ts, &opts, false).unwrap().y
            };
            let (up, dn) = (run(h), run(-h));
            for k in 0..ts.len() * 2 {
                let fd = (up[k] - dn[k]) / (2.0 * h);
                let an = sol.sens[k * 6 + j];
                assert!((fd - an).abs() <= 1e-4 * (1.0 + an.abs()), "input {j}, output {k}: fd {fd} vs {an}");
            }
        }
    }

    #[test]
    fn tolerance_is_honoured_and_looser_tolerance_takes_fewer_steps() {
        let ts: Vec<f64> = (1..=20).map(|i| i as f64).collect();
        let exact = solve(&mut LotkaVolterra([0.55, 0.028, 0.8, 0.024]), 0.0, &[33.0, 6.2], &ts, &OdeOptions { rtol: 1e-12, atol: 1e-12, max_steps: 1_000_000 }, false).unwrap();
        let mut prev_steps = u64::MAX;
        for tol in [1e-8, 1e-6, 1e-4] {
            let o = OdeOptions { rtol: tol, atol: tol, max_steps: 100_000 };
            let sol = solve(&mut LotkaVolterra([0.55, 0.028, 0.8, 0.024]), 0.0, &[33.0, 6.2], &ts, &o, false).unwrap();
            let worst = sol.y.iter().zip(&exact.y).map(|(a, b)| (a - b).abs() / (1.0 + b.abs())).fold(0.0, f64::max);
            // The global error over 20 time units stays within a small multiple of the local tolerance.
            assert!(worst < 50.0 * tol, "tol {tol}: relative error {worst}");
            assert!(sol.steps < prev_steps, "tol {tol}: {} steps", sol.steps);
            prev_steps = sol.steps;
        }
    }

    #[test]
    fn dense_output_is_accurate_and_costs_no_steps() {
        // 200 output times in [0, 4]: far more than the steps taken.
        let k = 0.9;
        let ts: Vec<f64> = (1..=200).map(|i| i as f64 * 0.02).collect();
        let o = OdeOptions { rtol: 1e-8, atol: 1e-8, max_steps: 1000 };
        let dense = solve(&mut Decay(k), 0.0, &[2.0], &ts, &o, true).unwrap();
        let sparse = solve(&mut Decay(k), 0.0, &[2.0], &[4.0], &o, true).unwrap();
        assert!(dense.steps == sparse.steps && dense.steps < 60, "{} vs {} steps", dense.steps, sparse.steps);
        for (i, &t) in ts.iter().enumerate() {
            let y = 2.0 * (-k * t).exp();
            assert!((dense.y[i] - y).abs() < 1e-7, "y({t}) = {} vs {y}", dense.y[i]);
            assert!((dense.sens[2 * i + 1] + t * y).abs() < 1e-6, "dy/dk({t})");
        }
    }

    #[test]
    fn bad_inputs_are_errors() {
        let o = OdeOptions::default();
        let mut d = Decay(1.0);
        assert!(matches!(solve(&mut d, 0.0, &[1.0], &[0.0], &o, false), Err(OdeError::Input(_))));
        assert!(matches!(solve(&mut d, 0.0, &[1.0], &[2.0, 1.0], &o, false), Err(OdeError::Input(_))));
        assert!(matches!(solve(&mut d, 0.0, &[1.0, 2.0], &[1.0], &o, false), Err(OdeError::Input(_))));
        assert!(matches!(solve(&mut d, 0.0, &[f64::NAN], &[1.0], &o, false), Err(OdeError::Input(_))));
        assert!(matches!(solve(&mut d, 0.0, &[1.0], &[f64::INFINITY], &o, false), Err(OdeError::Input(_))));
        let neg = OdeOptions { rtol: -1.0, ..o };
        assert!(matches!(solve(&mut d, 0.0, &[1.0], &[1.0], &neg, false), Err(OdeError::Input(_))));
        let few = OdeOptions { max_steps: 3, ..o };
        assert!(matches!(solve(&mut d, 0.0, &[1.0], &[100.0], &few, false), Err(OdeError::MaxSteps { .. })));
        // An empty list of output times is an empty solution.
        assert_eq!(solve(&mut d, 0.0, &[1.0], &[], &o, true).unwrap().y.len(), 0);
    }

    /// `y' = y²` blows up at `t = 1/y0`: an error, not a panic or a hang.
    struct Blowup;
    impl OdeRhs for Blowup {
        fn n_states(&self) -> usize {
            1
        }
        fn n_params(&self) -> usize {
            0
        }
        fn eval(&mut self, _t: f64, y: &[f64], dy: &mut [f64], _jac: Option<(&mut [f64], &mut [f64])>) -> Result<(), String> {
            dy[0] = y[0] * y[0];
            Ok(())
        }
    }

    #[test]
    fn finite_time_blowup_and_rhs_errors_are_errors() {
        let r = solve(&mut Blowup, 0.0, &[1.0], &[2.0], &OdeOptions::default(), true);
        assert!(matches!(r, Err(OdeError::NonFinite { .. }) | Err(OdeError::MaxSteps { .. })), "{r:?}");
        struct Fails;
        impl OdeRhs for Fails {
            fn n_states(&self) -> usize {
                1
            }
            fn n_params(&self) -> usize {
                0
            }
            fn eval(&mut self, t: f64, _y: &[f64], dy: &mut [f64], _j: Option<(&mut [f64], &mut [f64])>) -> Result<(), String> {
                dy[0] = 1.0;
                if t > 0.5 { Err("boom".into()) } else { Ok(()) }
            }
        }
        assert_eq!(solve(&mut Fails, 0.0, &[1.0], &[1.0], &OdeOptions::default(), false), Err(OdeError::Rhs("boom".into())));
    }
}
