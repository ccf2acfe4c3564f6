//! Build a model with the builder API, evaluate its log density and gradient,
//! sample it with NUTS (4 chains) and print the summary.
//!
//! `cargo run --release -p exmc --example quickstart`

use exmc::dist::{half_normal, normal};
use exmc::nuts::{sample, DrawStats, RunOptions, Settings};
use exmc::report::summary::{summarize, SamplerTotals};
use exmc::report::ChainDraws;
use exmc::{CompileOptions, LogDensity, Model};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Eight schools (Rubin 1981).
    let y = vec![28.0, 8.0, -3.0, 7.0, -1.0, 1.0, 18.0, 12.0];
    let sigma = vec![15.0, 10.0, 16.0, 11.0, 9.0, 11.0, 10.0, 18.0];
    let mut m = Model::new();
    let mu = m.param("mu", normal(0.0, 5.0))?;
    let tau = m.param("tau", half_normal(5.0))?;
    let theta = m.param_vector("theta", 8, normal(&mu, &tau))?;
    m.observe("y", normal(&theta, sigma), y)?;
    // Non-centre theta (sampled as z with theta = mu + tau z, reported as theta).
    let compiled = m.compile_with(&CompileOptions { noncentre: true })?;

    // One log density + gradient evaluation at the origin of the unconstrained space.
    let mut density = compiled.density::<f64>();
    let x = vec![0.0; compiled.dim()];
    let mut grad = vec![0.0; compiled.dim()];
    let lp = density.logp_grad(&x, &mut grad)?;
    println!("dimension {}; log density at 0: {lp:.6}", compiled.dim());
    println!("gradient: {:?}\n", grad.iter().map(|g| format!("{g:.4}")).collect::<Vec<_>>());

    // NUTS, 4 chains, Stan-style warmup.
    let settings = Settings { chains: 4, seed: 1, ..Settings::default() };
    let out = sample(&settings, |_| compiled.density::<f64>(), RunOptions::default())?;
    // Columns as CmdStan writes them: sampler statistics, then parameters.
    let names: Vec<String> =
        DrawStats::NAMES.iter().map(|s| s.to_string()).chain(compiled.output_names()).collect();
    let mut chains = Vec::new();
    for c in &out.chains {
        let mut d = compiled.density::<f64>();
        let mut rows = Vec::with_capacity(c.num_draws());
        for i in 0..c.num_draws() {
            let mut values = Vec::new();
            d.constrain(c.draw(i), &mut values)?;
            rows.push(c.stats[i].stan_values().into_iter().chain(values).collect());
        }
        chains.push(ChainDraws::from_rows(names.clone(), &rows)?);
    }
    let totals = SamplerTotals {
        warmup_per_chain: Some(settings.num_warmup),
        warmup_divergences: Some(out.chains.iter().map(|c| c.divergences_warmup).sum()),
        sampling_divergences: Some(out.chains.iter().map(|c| c.divergences_sampling).sum()),
        gradient_evaluations: Some(out.chains.iter().map(|c| c.grad_evals).sum()),
        warmup_secs: out.chains.iter().map(|c| c.warmup_seconds).reduce(f64::max),
        sampling_secs: out.chains.iter().map(|c| c.sampling_seconds).reduce(f64::max),
        ..SamplerTotals::default()
    };
    println!("{}", summarize(&chains, &totals)?.to_table());
    Ok(())
}
