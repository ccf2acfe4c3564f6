//! Exact-moment tests: NUTS with full warmup against closed-form moments.
//!
//! Every check is `|estimate − truth| < 4 · MCSE`, the MCSE from the chains'
//! own ESS (exmc-report's `mcse_mean`): variances through `E[(x − μ)²]` with
//! the MCSE of the squared deviations, quantiles through `E[I(x ≤ q_p)] = p`
//! with the MCSE of the indicator. Seeds are fixed; draw counts are chosen so
//! that a 2% error in a variance would be > 4 MCSE (checked by
//! `assert_sensitive`), so these tests can fail.

mod common;
use common::*;
use exmc_nuts::MetricKind;

/// Φ⁻¹(0.95).
const Z95: f64 = 1.644_853_626_951_472_2;

fn normal_checks(label: &str, out: &exmc_nuts::SampleOutput, j: usize, sd: f64) {
    assert_z(&format!("{label} mean[{j}]"), zcheck(&mapped(out, j, |x| x), 0.0));
    let v = zcheck(&mapped(out, j, |x| x * x), sd * sd);
    assert_z(&format!("{label} var[{j}]"), v);
    for (p, q) in [(0.05, -Z95 * sd), (0.95, Z95 * sd)] {
        let ind = mapped(out, j, |x| (x <= q) as u8 as f64);
        assert_z(&format!("{label} P(x ≤ q{p})[{j}]"), zcheck(&ind, p));
    }
}

#[test]
fn std_normal_1d() {
    for seed in [11, 12, 13] {
        let out = run(&settings(4, 1000, 60_000, seed, MetricKind::Diag), &StdNormal(1));
        let label = format!("N(0,1) d=1 seed {seed}");
        normal_checks(&label, &out, 0, 1.0);
        assert_sensitive(&label, zcheck(&mapped(&out, 0, |x| x * x), 1.0), 0.02);
    }
}

/// Mean of `xᵢ²` over the coordinates, per draw: its expectation is 1 and its
/// MCSE is ~√d smaller than one coordinate's.
fn pooled_second_moment(out: &exmc_nuts::SampleOutput) -> ZCheck {
    zcheck(&per_draw(out, |x| x.iter().map(|v| v * v).sum::<f64>() / x.len() as f64), 1.0)
}

#[test]
fn std_normal_10d() {
    for seed in [21, 22] {
        let out = run(&settings(4, 1000, 30_000, seed, MetricKind::Diag), &StdNormal(10));
        let label = format!("N(0,I) d=10 seed {seed}");
        for j in 0..10 {
            assert_z(&format!("{label} mean[{j}]"), zcheck(&mapped(&out, j, |x| x), 0.0));
            assert_z(&format!("{label} var[{j}]"), zcheck(&mapped(&out, j, |x| x * x), 1.0));
        }
        normal_checks(&label, &out, 0, 1.0);
        let pooled = pooled_second_moment(&out);
        assert_z(&format!("{label} mean var"), pooled);
        assert_sensitive(&label, pooled, 0.02);
    }
}

#[test]
fn std_normal_100d() {
    for seed in [31, 32] {
        let out = run(&settings(4, 1000, 4000, seed, MetricKind::Diag), &StdNormal(100));
        let label = format!("N(0,I) d=100 seed {seed}");
        let pooled = pooled_second_moment(&out);
        assert_z(&format!("{label} mean var"), pooled);
        assert_sensitive(&label, pooled, 0.02);
        let pooled_mean = zcheck(&per_draw(&out, |x| x.iter().sum::<f64>() / x.len() as f64), 0.0);
        assert_z(&format!("{label} mean of means"), pooled_mean);
        // Every coordinate on its own (Bonferroni-style bound for 100 coordinates).
        let worst = (0..100)
            .map(|j| zcheck(&mapped(&out, j, |x| x * x), 1.0).z.abs())
            .fold(0.0, f64::max);
        println!("{label}: worst |z| of 100 coordinate variances {worst:.2}");
        assert!(worst < 4.5, "{label}: worst coordinate variance |z| = {worst}");
        normal_checks(&label, &out, 0, 1.0);
    }
}

/// ρ = 0.95: all metrics get the moments right; the dense metric turns it into
/// an easy, isotropic problem (high ESS per gradient).
#[test]
fn correlated_gaussian_rho_095() {
    let rho = 0.95;
    let mut ess_per_grad = vec![];
    for metric in [MetricKind::Diag, MetricKind::Dense, MetricKind::GradDiag] {
        let out = run(&settings(4, 1000, 20_000, 41, metric), &Corr2(rho));
        let label = format!("corr2 {metric:?}");
        for j in 0..2 {
            normal_checks(&label, &out, j, 1.0);
        }
        let c = out.columns(0);
        let d = out.columns(1);
        let prod: Vec<Vec<f64>> = c.iter().zip(&d).map(|(a, b)| a.iter().zip(b).map(|(x, y)| x * y).collect()).collect();
        assert_z(&format!("{label} E[x0 x1]"), zcheck(&prod, rho));
        let grads: u64 = out.chains.iter().map(|c| c.grad_evals).sum();
        let ess = zcheck(&mapped(&out, 0, |x| x), 0.0).ess;
        println!("{label}: ESS(x0) {ess:.0}, gradients {grads}, ESS/gradient {:.4}", ess / grads as f64);
        ess_per_grad.push(ess / grads as f64);
    }
    // Dense: at least 3× the diagonal's efficiency, and > 0.08 ESS per gradient.
    assert!(ess_per_grad[1] > 3.0 * ess_per_grad[0], "{ess_per_grad:?}");
    assert!(ess_per_grad[1] > 0.08, "{ess_per_grad:?}");
}

#[test]
fn half_normal_log_transformed() {
    let out = run(&settings(4, 1000, 75_000, 51, MetricKind::Diag), &HalfNormalLog);
    let mean = (2.0 / std::f64::consts::PI).sqrt();
    assert_z("HalfNormal(1) E[x]", zcheck(&mapped(&out, 0, f64::exp), mean));
    let v = zcheck(&mapped(&out, 0, |y| (y.exp() - mean).powi(2)), 1.0 - mean * mean);
    assert_z("HalfNormal(1) var", v);
    assert_sensitive("HalfNormal(1) var", v, 0.02);
    // P(x ≤ Φ⁻¹(0.975)) = 0.95 for a half-normal.
    let q = 1.959_963_984_540_054;
    assert_z("HalfNormal(1) P(x ≤ q.95)", zcheck(&mapped(&out, 0, |y| (y.exp() <= q) as u8 as f64), 0.95));
}

#[test]
fn exponential_rate_2_log_transformed() {
    let lambda = 2.0;
    let out = run(&settings(4, 1000, 160_000, 61, MetricKind::Diag), &ExponentialLog(lambda));
    assert_z("Exponential(2) E[x]", zcheck(&mapped(&out, 0, f64::exp), 0.5));
    let v = zcheck(&mapped(&out, 0, |y| (y.exp() - 0.5).powi(2)), 0.25);
    assert_z("Exponential(2) var", v);
    assert_sensitive("Exponential(2) var", v, 0.02);
    for p in [0.05, 0.95] {
        let q = -(1.0f64 - p).ln() / lambda;
        let ind = mapped(&out, 0, |y| (y.exp() <= q) as u8 as f64);
        assert_z(&format!("Exponential(2) P(x ≤ q{p})"), zcheck(&ind, p));
    }
}

#[test]
fn conjugate_normal_normal() {
    let model = NormalNormal { m0: 1.0, s0: 2.0, sigma: 1.5, y: vec![2.1, 3.4, 1.9, 2.8, 4.0, 2.2, 3.1] };
    let (m, v) = model.posterior();
    let out = run(&settings(4, 1000, 50_000, 71, MetricKind::Diag), &model);
    assert_z("normal-normal mean", zcheck(&mapped(&out, 0, |x| x), m));
    let vz = zcheck(&mapped(&out, 0, |x| (x - m).powi(2)), v);
    assert_z("normal-normal var", vz);
    assert_sensitive("normal-normal var", vz, 0.02);
}

#[test]
fn beta_2_5_logit_transformed() {
    let (a, b) = (2.0, 5.0);
    let mean = a / (a + b);
    let var = a * b / ((a + b) * (a + b) * (a + b + 1.0));
    let out = run(&settings(4, 1000, 60_000, 81, MetricKind::Diag), &BetaLogit(a, b));
    let x = |y: f64| 1.0 / (1.0 + (-y).exp());
    assert_z("Beta(2,5) mean", zcheck(&mapped(&out, 0, x), mean));
    let v = zcheck(&mapped(&out, 0, |y| (x(y) - mean).powi(2)), var);
    assert_z("Beta(2,5) var", v);
    assert_sensitive("Beta(2,5) var", v, 0.02);
    // Median-free check: P(x ≤ mean) for Beta(2,5) = I_{2/7}(2, 5) = 1 − (1−t)^5 (1 + 5t), t = 2/7... by the
    // binomial identity I_t(2, 5) = P(Bin(6, t) ≥ 2).
    let t = mean;
    let p = 1.0 - (1.0 - t).powi(6) - 6.0 * t * (1.0 - t).powi(5);
    assert_z("Beta(2,5) P(x ≤ 2/7)", zcheck(&mapped(&out, 0, |y| (x(y) <= t) as u8 as f64), p));
}

/// A badly scaled Gaussian (sds 0.01 … 100): every metric kind learns the
/// scales and gets the moments right.
#[test]
fn all_metrics_learn_scales() {
    #[derive(Clone)]
    struct Scaled(Vec<f64>);
    impl exmc_core::LogDensity<f64> for Scaled {
        fn dim(&self) -> usize {
            self.0.len()
        }
        fn logp_grad(&mut self, x: &[f64], g: &mut [f64]) -> Result<f64, exmc_core::LogpError> {
            let mut lp = 0.0;
            for i in 0..x.len() {
                let s2 = self.0[i] * self.0[i];
                g[i] = -x[i] / s2;
                lp -= 0.5 * x[i] * x[i] / s2;
            }
            Ok(lp)
        }
    }
    let sds = vec![0.01, 0.3, 1.0, 7.0, 100.0];
    let model = Scaled(sds.clone());
    for metric in [MetricKind::Diag, MetricKind::Dense, MetricKind::GradDiag] {
        let out = run(&settings(4, 1000, 10_000, 91, metric), &model);
        for c in &out.chains {
            let diag: Vec<f64> = match c.inv_metric.as_ref().unwrap() {
                exmc_nuts::InvMetric::Diag(v) => v.clone(),
                exmc_nuts::InvMetric::Dense { dim, values } => (0..*dim).map(|i| values[i * dim + i]).collect(),
            };
            for (est, sd) in diag.iter().zip(&sds) {
                let ratio = est / (sd * sd);
                assert!((0.6..1.6).contains(&ratio), "{metric:?} chain {}: inv metric {est} vs {}", c.chain, sd * sd);
            }
        }
        for (j, sd) in sds.iter().enumerate() {
            let label = format!("scaled {metric:?}");
            assert_z(&format!("{label} mean[{j}]"), zcheck(&mapped(&out, j, |x| x / sd), 0.0));
            assert_z(&format!("{label} var[{j}]"), zcheck(&mapped(&out, j, |x| (x / sd).powi(2)), 1.0));
        }
    }
}
