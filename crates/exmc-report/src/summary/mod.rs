//! Posterior summary: per parameter element the mean, MCSE, sd, 5/50/95% quantiles,
//! bulk/tail ESS and R̂; sampler statistics (divergences, tree depth, E-BFMI); plain-
//! language warnings; rendered as a table for people ([`Summary::to_table`]) or JSON
//! ([`Summary::to_json`]).
//!
//! Input is one [`ChainDraws`] per chain (post-warmup draws, column-major, Stan names)
//! plus [`SamplerTotals`] for what the draws do not show (warmup divergences, timing).
//! Columns named `*__` are sampler statistics; every other column is a parameter.
//! `lp__` is summarised too and listed first, as CmdStan's `stansummary` does.

mod render;
mod warnings;

use serde::Serialize;

use crate::csv::CsvDraws;
use crate::diag;
use crate::draws::ChainDraws;
pub use warnings::Warning;

/// Run totals the draws themselves do not carry. `Default` knows nothing but
/// CmdStan's default maximum tree depth (10).
#[derive(Debug, Clone, PartialEq)]
pub struct SamplerTotals {
    /// Warmup iterations per chain.
    pub warmup_per_chain: Option<usize>,
    /// Divergences during warmup (all chains). Reported, never warned about.
    pub warmup_divergences: Option<usize>,
    /// Divergences after warmup (all chains); counted from `divergent__` when `None`.
    pub sampling_divergences: Option<usize>,
    /// The maximum tree depth setting (tree-depth saturation is `treedepth__ ≥` this).
    pub max_treedepth: usize,
    /// Gradient evaluations, warmup included (all chains).
    pub gradient_evaluations: Option<u64>,
    /// Wall time of warmup and of sampling, seconds (longest chain, or total, as the caller reports it).
    pub warmup_secs: Option<f64>,
    pub sampling_secs: Option<f64>,
}

impl Default for SamplerTotals {
    fn default() -> Self {
        SamplerTotals {
            warmup_per_chain: None,
            warmup_divergences: None,
            sampling_divergences: None,
            max_treedepth: 10,
            gradient_evaluations: None,
            warmup_secs: None,
            sampling_secs: None,
        }
    }
}

impl SamplerTotals {
    /// What CmdStan CSV files tell: max depth and warmup length from the header,
    /// warmup divergences when warmup was saved, the slowest chain's times, and the
    /// gradient evaluations (sum of `n_leapfrog__`) when warmup was saved.
    pub fn from_csv(files: &[CsvDraws]) -> Self {
        let mut t = SamplerTotals::default();
        if let Some(f) = files.first() {
            t.max_treedepth = f.config.max_depth.unwrap_or(10);
            t.warmup_per_chain = f.config.num_warmup;
        }
        let sum_col = |rows: &[Vec<f64>], j: Option<usize>| j.map_or(0.0, |j| rows.iter().map(|r| r[j]).sum::<f64>());
        if files.iter().all(|f| f.config.save_warmup) && !files.is_empty() {
            let mut div = 0.0;
            let mut grads = 0.0;
            for f in files {
                div += sum_col(&f.warmup, f.column_index("divergent__"));
                let leap = f.column_index("n_leapfrog__");
                grads += sum_col(&f.warmup, leap) + sum_col(&f.draws, leap);
            }
            t.warmup_divergences = Some(div as usize);
            t.gradient_evaluations = Some(grads as u64);
        }
        let times: Vec<_> = files.iter().filter_map(|f| f.timing).collect();
        if !files.is_empty() && times.len() == files.len() {
            t.warmup_secs = times.iter().map(|t| t.warmup).reduce(f64::max);
            t.sampling_secs = times.iter().map(|t| t.sampling).reduce(f64::max);
        }
        t
    }
}

/// Summary of one parameter element. Non-finite or undefined values are `None`
/// (JSON `null`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParamSummary {
    pub name: String,
    pub mean: Option<f64>,
    pub mcse_mean: Option<f64>,
    pub sd: Option<f64>,
    pub mcse_sd: Option<f64>,
    pub q5: Option<f64>,
    pub q50: Option<f64>,
    pub q95: Option<f64>,
    pub ess_bulk: Option<f64>,
    pub ess_tail: Option<f64>,
    pub r_hat: Option<f64>,
}

/// Sampler behaviour over all chains (post-warmup unless said otherwise).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SamplerSummary {
    pub chains: usize,
    pub draws_per_chain: usize,
    pub warmup_per_chain: Option<usize>,
    pub divergences: Option<usize>,
    pub warmup_divergences: Option<usize>,
    pub max_treedepth: usize,
    /// Post-warmup transitions whose tree depth reached `max_treedepth`.
    pub treedepth_saturated: Option<usize>,
    /// E-BFMI per chain (`null` without an `energy__` column or where undefined).
    pub e_bfmi: Vec<Option<f64>>,
    pub mean_accept_stat: Option<f64>,
    /// Step size per chain (its last post-warmup value; constant after adaptation).
    pub step_size: Vec<Option<f64>>,
    pub mean_n_leapfrog: Option<f64>,
    pub gradient_evaluations: Option<u64>,
    pub warmup_seconds: Option<f64>,
    pub sampling_seconds: Option<f64>,
}

/// A whole summary: parameters (lp__ first), sampler block, warnings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub parameters: Vec<ParamSummary>,
    pub sampler: SamplerSummary,
    pub warnings: Vec<Warning>,
}

pub(crate) fn fin(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

/// Summarises `chains` (one [`ChainDraws`] each, same names in the same order, same
/// number of draws). Errors on inconsistent input; never panics on numbers.
pub fn summarize(chains: &[ChainDraws], totals: &SamplerTotals) -> Result<Summary, String> {
    let first = chains.first().ok_or("no chains to summarise")?;
    let n = first.num_draws();
    for (k, c) in chains.iter().enumerate() {
        if c.names.len() != c.columns.len() {
            return Err(format!("chain {}: {} names but {} columns", k + 1, c.names.len(), c.columns.len()));
        }
        if c.names != first.names {
            return Err(format!("chain {} has different columns from chain 1", k + 1));
        }
        if let Some((j, col)) = c.columns.iter().enumerate().find(|(_, col)| col.len() != n) {
            return Err(format!("chain {}: column {} has {} draws, expected {n}", k + 1, c.names[j], col.len()));
        }
    }
    let is_stat = |name: &str| name.ends_with("__");
    let mut order: Vec<usize> = Vec::new();
    if let Some(j) = first.names.iter().position(|s| s == "lp__") {
        order.push(j);
    }
    order.extend((0..first.names.len()).filter(|&j| !is_stat(&first.names[j])));

    let parameters = order.iter().map(|&j| summarize_column(&first.names[j], chains, j)).collect();
    let sampler = sampler_summary(chains, totals);
    let mut summary = Summary { parameters, sampler, warnings: Vec::new() };
    summary.warnings = warnings::collect(&summary);
    Ok(summary)
}

fn summarize_column(name: &str, chains: &[ChainDraws], j: usize) -> ParamSummary {
    let cols: Vec<&[f64]> = chains.iter().map(|c| c.columns[j].as_slice()).collect();
    let all: Vec<f64> = cols.iter().flat_map(|c| c.iter().copied()).collect();
    let finite = !all.is_empty() && all.iter().all(|v| v.is_finite());
    let (mean, sd) = if finite {
        let m = all.iter().sum::<f64>() / all.len() as f64;
        let var = if all.len() > 1 { all.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (all.len() - 1) as f64 } else { f64::NAN };
        (m, var.sqrt())
    } else {
        (f64::NAN, f64::NAN)
    };
    ParamSummary {
        name: name.to_string(),
        mean: fin(mean),
        mcse_mean: fin(diag::mcse_mean(&cols)),
        sd: fin(sd),
        mcse_sd: fin(diag::mcse_sd(&cols)),
        q5: fin(diag::quantile(&cols, 0.05)),
        q50: fin(diag::quantile(&cols, 0.5)),
        q95: fin(diag::quantile(&cols, 0.95)),
        ess_bulk: fin(diag::ess_bulk(&cols)),
        ess_tail: fin(diag::ess_tail(&cols)),
        r_hat: diag::rhat(&cols),
    }
}

fn sampler_summary(chains: &[ChainDraws], t: &SamplerTotals) -> SamplerSummary {
    let n = chains[0].num_draws();
    let col = |c: &ChainDraws, name: &str| c.column(name).map(<[f64]>::to_vec);
    let all_of = |name: &str| -> Option<Vec<f64>> {
        let mut v = Vec::new();
        for c in chains {
            v.extend(col(c, name)?);
        }
        Some(v)
    };
    let mean = |v: &[f64]| fin(v.iter().sum::<f64>() / v.len() as f64);
    let counted_div = all_of("divergent__").map(|v| v.iter().filter(|&&d| d != 0.0).count());
    let saturated = all_of("treedepth__").map(|v| v.iter().filter(|&&d| d >= t.max_treedepth as f64).count());
    SamplerSummary {
        chains: chains.len(),
        draws_per_chain: n,
        warmup_per_chain: t.warmup_per_chain,
        divergences: t.sampling_divergences.or(counted_div),
        warmup_divergences: t.warmup_divergences,
        max_treedepth: t.max_treedepth,
        treedepth_saturated: saturated,
        e_bfmi: chains.iter().map(|c| c.column("energy__").and_then(|e| fin(diag::e_bfmi(e)))).collect(),
        mean_accept_stat: all_of("accept_stat__").filter(|v| !v.is_empty()).and_then(|v| mean(&v)),
        step_size: chains.iter().map(|c| c.column("stepsize__").and_then(|v| v.last().copied()).and_then(fin)).collect(),
        mean_n_leapfrog: all_of("n_leapfrog__").filter(|v| !v.is_empty()).and_then(|v| mean(&v)),
        gradient_evaluations: t.gradient_evaluations,
        warmup_seconds: t.warmup_secs,
        sampling_seconds: t.sampling_secs,
    }
}

impl Summary {
    /// JSON value: `{"parameters": [...], "sampler": {...}, "warnings": [...]}`;
    /// undefined numbers are `null`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    /// JSON text with the fields in declaration order (`name` first).
    pub fn to_json_string(&self, pretty: bool) -> String {
        let r = if pretty { serde_json::to_string_pretty(self) } else { serde_json::to_string(self) };
        r.unwrap_or_default()
    }

    /// The table for people, in the spirit of CmdStan's `stansummary`: statistics with
    /// 4 significant digits, ESS as whole numbers, R-hat with 3 decimals, `NA` where
    /// undefined; then the sampler block and the warnings.
    pub fn to_table(&self) -> String {
        render::table(self)
    }
}

#[cfg(test)]
mod tests;
