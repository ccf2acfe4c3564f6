//! The sampler's own cost per leapfrog step on cheap Gaussians.
//!
//! `cargo run -p exmc-nuts --release --example overhead`
//!
//! Runs one chain (one thread) with a fixed step size and unit metric on an
//! isotropic N(0, I) in d = 2, 10 and 100, and reports
//! * total ns per leapfrog step (sampler + gradient),
//! * the gradient alone (the same density called in a tight loop), and
//! * their difference: the sampler's overhead per leapfrog step.
//!
//! Then the full driver (warmup + sampling) for the same models.

use exmc_core::{LogDensity, LogpError};
use exmc_nuts::chain::chain_rng;
use exmc_nuts::{sample, Metric, Nuts, RunOptions, Settings, State, StepParams};
use std::hint::black_box;
use std::time::Instant;

#[derive(Clone)]
struct Gauss(usize);
impl LogDensity<f64> for Gauss {
    fn dim(&self) -> usize {
        self.0
    }
    #[inline]
    fn logp_grad(&mut self, x: &[f64], g: &mut [f64]) -> Result<f64, LogpError> {
        let mut lp = 0.0;
        for (gi, &xi) in g.iter_mut().zip(x) {
            *gi = -xi;
            lp -= 0.5 * xi * xi;
        }
        Ok(lp)
    }
}

fn main() {
    println!("{:>5} {:>12} {:>12} {:>12} {:>8}", "dim", "ns/leapfrog", "ns/gradient", "overhead ns", "depth");
    for dim in [2usize, 10, 100] {
        let mut d = Gauss(dim);
        // Gradient alone.
        let x: Vec<f64> = (0..dim).map(|i| 0.1 * i as f64).collect();
        let mut g = vec![0.0; dim];
        let n_grad = 20_000_000 / dim;
        let t = Instant::now();
        for _ in 0..n_grad {
            black_box(d.logp_grad(black_box(&x), black_box(&mut g)).unwrap());
        }
        let ns_grad = t.elapsed().as_nanos() as f64 / n_grad as f64;

        // NUTS transitions with a fixed step size (≈ what warmup picks).
        let eps = if dim <= 2 { 0.9 } else if dim <= 10 { 0.7 } else { 0.45 };
        let params =
            StepParams { step_size: eps, metric: Metric::unit_diag(dim), max_depth: 10, max_energy_error: 1000.0, merge_invalid: false };
        let mut rng = chain_rng(1, 0);
        let mut nuts = Nuts::new(Gauss(dim), 10);
        let mut state = State { q: vec![0.1; dim], grad: vec![-0.1; dim], logp: -0.005 * dim as f64 };
        let iters = 4_000_000 / dim;
        for _ in 0..1000 {
            nuts.step(&mut rng, &mut state, &params).unwrap();
        }
        let (mut lf, mut depth) = (0u64, 0usize);
        let t = Instant::now();
        for _ in 0..iters {
            let info = nuts.step(&mut rng, &mut state, &params).unwrap();
            lf += info.n_leapfrog;
            depth += info.depth;
        }
        let ns_lf = t.elapsed().as_nanos() as f64 / lf as f64;
        println!(
            "{dim:>5} {ns_lf:>12.1} {ns_grad:>12.1} {:>12.1} {:>8.2}",
            ns_lf - ns_grad,
            depth as f64 / iters as f64
        );
    }
    println!("\nfull runs: 1 chain, 1000 warmup + 1000 draws");
    for dim in [2usize, 10, 100] {
        let s = Settings { chains: 1, threads: 1, seed: 1, ..Settings::default() };
        let t = Instant::now();
        let out = sample(&s, |_| Gauss(dim), RunOptions::default()).unwrap();
        let secs = t.elapsed().as_secs_f64();
        let c = &out.chains[0];
        println!(
            "  d = {dim:>3}: {:.2} ms, {} gradients, {:.0} ns per gradient evaluation (all in), step size {:.3}",
            secs * 1e3,
            c.grad_evals,
            secs * 1e9 / c.grad_evals as f64,
            c.step_size
        );
    }
}
