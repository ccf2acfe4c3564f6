//! Plain-language warnings, each saying what went wrong and what to try.
//! Thresholds follow Vehtari et al. (2021) and Stan's `diagnose`:
//! R̂ > 1.01; bulk or tail ESS < 100 per chain; any post-warmup divergence;
//! E-BFMI < 0.3; transitions at the maximum tree depth.

use serde::Serialize;

use super::Summary;
use crate::csv::format_g;

pub const RHAT_MAX: f64 = 1.01;
pub const ESS_PER_CHAIN_MIN: f64 = 100.0;
pub const E_BFMI_MIN: f64 = 0.3;

/// One warning: a stable machine code and a message for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// `rhat`, `ess`, `divergences`, `e_bfmi`, `treedepth`, `single_chain`.
    pub code: &'static str,
    pub message: String,
}

/// Names of the first few elements, with "and N more".
fn list(names: &[String]) -> String {
    const SHOW: usize = 5;
    let head = names.iter().take(SHOW).cloned().collect::<Vec<_>>().join(", ");
    if names.len() > SHOW {
        format!("{head} and {} more", names.len() - SHOW)
    } else {
        head
    }
}

pub(super) fn collect(s: &Summary) -> Vec<Warning> {
    let mut out = Vec::new();
    let sp = &s.sampler;
    let chains = sp.chains;

    if chains < 2 {
        out.push(Warning {
            code: "single_chain",
            message: "R-hat needs at least 2 chains, so convergence could not be checked. \
                      Run 4 or more chains from dispersed initial values."
                .into(),
        });
    }

    let mut high: Vec<(&str, f64)> = s.parameters.iter().filter_map(|p| p.r_hat.filter(|&r| r > RHAT_MAX).map(|r| (p.name.as_str(), r))).collect();
    if !high.is_empty() {
        high.sort_by(|a, b| b.1.total_cmp(&a.1));
        let names: Vec<String> = high.iter().map(|(n, r)| format!("{n} ({r:.3})")).collect();
        out.push(Warning {
            code: "rhat",
            message: format!(
                "R-hat above {RHAT_MAX} for {} parameter(s): {}. The chains have not mixed: \
                 they disagree about the posterior, so estimates are unreliable. Run longer \
                 chains (more warmup and more draws); if it persists, look for multimodality \
                 or reparameterise (e.g. non-centred hierarchical effects).",
                high.len(),
                list(&names)
            ),
        });
    }

    let min_ess = ESS_PER_CHAIN_MIN * chains as f64;
    let mut low: Vec<(&str, f64)> = s
        .parameters
        .iter()
        .filter_map(|p| {
            let e = match (p.ess_bulk, p.ess_tail) {
                (Some(b), Some(t)) => b.min(t),
                (Some(x), None) | (None, Some(x)) => x,
                (None, None) => return None,
            };
            (e < min_ess).then_some((p.name.as_str(), e))
        })
        .collect();
    if !low.is_empty() {
        low.sort_by(|a, b| a.1.total_cmp(&b.1));
        let names: Vec<String> = low.iter().map(|(n, e)| format!("{n} ({e:.0})")).collect();
        out.push(Warning {
            code: "ess",
            message: format!(
                "Effective sample size (bulk or tail) below {min_ess:.0} ({ESS_PER_CHAIN_MIN:.0} per chain) \
                 for {} parameter(s): {}. Means, quantiles and intervals are imprecise. Run longer \
                 chains, or reparameterise to reduce correlation between parameters.",
                low.len(),
                list(&names)
            ),
        });
    }

    if let Some(d) = sp.divergences.filter(|&d| d > 0) {
        let total = sp.chains * sp.draws_per_chain;
        out.push(Warning {
            code: "divergences",
            message: format!(
                "{d} of {total} post-warmup transitions diverged ({}%). The sampler could not \
                 follow the posterior's curvature, and the draws may be biased. Increase \
                 --adapt-delta (e.g. 0.95 or 0.99) for a smaller step size; if divergences remain, \
                 reparameterise (non-centred hierarchical effects, tighter priors on scales).",
                format_g(100.0 * d as f64 / total.max(1) as f64, 2)
            ),
        });
    }

    let low_bfmi: Vec<String> = sp
        .e_bfmi
        .iter()
        .enumerate()
        .filter_map(|(k, b)| b.filter(|&b| b < E_BFMI_MIN).map(|b| format!("chain {} ({b:.2})", k + 1)))
        .collect();
    if !low_bfmi.is_empty() {
        out.push(Warning {
            code: "e_bfmi",
            message: format!(
                "E-BFMI below {E_BFMI_MIN} in {}: momentum resampling explores the energy levels \
                 poorly, typical of heavy tails or funnels. Reparameterise (non-centred, or \
                 rescale parameters to unit scale); a dense metric can also help.",
                list(&low_bfmi)
            ),
        });
    }

    if let Some(k) = sp.treedepth_saturated.filter(|&k| k > 0) {
        let total = sp.chains * sp.draws_per_chain;
        out.push(Warning {
            code: "treedepth",
            message: format!(
                "{k} of {total} post-warmup transitions ({}%) hit the maximum tree depth {}. \
                 This costs time, not correctness: trajectories were cut short. Increase \
                 --max-depth, or reparameterise / rescale parameters so the posterior is easier \
                 to traverse.",
                format_g(100.0 * k as f64 / total.max(1) as f64, 2),
                sp.max_treedepth
            ),
        });
    }
    out
}
