//! ns per log density + gradient of scalar-heavy Stan programs (an AR(1)
//! loop over observations, an HMM forward pass) against the same models
//! written vectorised.
//!
//! `cargo run --release -p exmc --example stan_loop_bench`

use exmc::LogDensity;
use exmc_stan::StanModel;
use std::time::Instant;

const AR_LOOP: &str = r#"
data { int<lower=1> N; vector[N] y; }
parameters { real alpha; real beta; real<lower=0> sigma; }
model {
  alpha ~ normal(0, 1); beta ~ normal(0, 1); sigma ~ exponential(1);
  for (n in 2:N) y[n] ~ normal(alpha + beta * y[n - 1], sigma);
}"#;

const AR_VECTOR: &str = r#"
data { int<lower=1> N; vector[N] y; }
parameters { real alpha; real beta; real<lower=0> sigma; }
model {
  alpha ~ normal(0, 1); beta ~ normal(0, 1); sigma ~ exponential(1);
  y[2:N] ~ normal(alpha + beta * y[1:(N - 1)], sigma);
}"#;

const HMM: &str = r#"
data { int<lower=1> N; int<lower=1> K; vector[N] y; }
parameters { array[K] simplex[K] theta; positive_ordered[K] mu; }
model {
  array[K] real acc;
  array[N, K] real gamma;
  mu ~ normal(3, 1);
  for (k in 1:K) gamma[1, k] = normal_lpdf(y[1] | mu[k], 1);
  for (t in 2:N) {
    for (k in 1:K) {
      for (j in 1:K) acc[j] = gamma[t - 1, j] + log(theta[j, k]) + normal_lpdf(y[t] | mu[k], 1);
      gamma[t, k] = log_sum_exp(acc);
    }
  }
  target += log_sum_exp(gamma[N]);
}"#;

fn time(name: &str, src: &str, data: &serde_json::Value) -> f64 {
    let m = StanModel::build(src, name, data).unwrap_or_else(|d| panic!("{}", exmc_stan::render_diagnostics(&d, name, src)));
    let mut d = m.compiled.density::<f64>();
    let x: Vec<f64> = (0..m.compiled.dim()).map(|i| 0.1 * (i as f64 + 1.0).sin()).collect();
    let mut g = vec![0.0; x.len()];
    let mut best = f64::INFINITY;
    for _ in 0..5 {
        let reps = 2000;
        let t = Instant::now();
        for _ in 0..reps {
            std::hint::black_box(d.logp_grad(&x, &mut g).unwrap());
        }
        best = best.min(t.elapsed().as_secs_f64() / reps as f64 * 1e9);
    }
    let (n_logp, _) = m.compiled.instruction_count();
    println!("{name:<12} {best:>10.0} ns per logp_grad   ({n_logp} instructions, {:.1} ns each)", best / n_logp as f64);
    best
}

fn main() {
    let n = 1000;
    let y: Vec<f64> = (0..n).map(|i| ((i as f64) * 0.3).sin() + 0.1 * ((i * 7) as f64).cos()).collect();
    let data = serde_json::json!({ "N": n, "y": y, "K": 2 });
    let l = time("ar1_loop", AR_LOOP, &data);
    let v = time("ar1_vector", AR_VECTOR, &data);
    println!("loop / vectorised: {:.2}×", l / v);
    let data = serde_json::json!({ "N": 100, "y": &y[..100], "K": 2 });
    time("hmm_forward", HMM, &data);
}
