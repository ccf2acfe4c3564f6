//! The summary as a table for people, in the spirit of CmdStan's `stansummary`:
//!
//! ```text
//! 4 chains × 1000 draws (1000 warmup each), 4000 draws in total.
//!
//!               Mean     MCSE   StdDev       5%      50%      95%  ESS_bulk  ESS_tail  R_hat
//! lp__        -7.271    0.018   0.7431   -8.786   -6.993   -6.750      1702      2115  1.002
//! theta        0.251   0.0031   0.1213  0.07592   0.2393   0.4718      1490      1664  1.003
//! ```
//! Statistics with 4 significant digits, ESS as whole numbers, R̂ with 3 decimals;
//! undefined values as `NA`. Then the sampler block and the warnings.

use super::Summary;
use crate::csv::format_g;

fn num(v: Option<f64>) -> String {
    v.map_or_else(|| "NA".into(), |v| format_g(v, 4))
}

pub(super) fn table(s: &Summary) -> String {
    let sp = &s.sampler;
    let mut out = String::new();
    let warm = sp.warmup_per_chain.map_or(String::new(), |w| format!(" ({w} warmup each)"));
    out.push_str(&format!(
        "{} chain{} x {} draws{warm}, {} draws in total.\n\n",
        sp.chains,
        if sp.chains == 1 { "" } else { "s" },
        sp.draws_per_chain,
        sp.chains * sp.draws_per_chain
    ));

    let header = ["Mean", "MCSE", "StdDev", "5%", "50%", "95%", "ESS_bulk", "ESS_tail", "R_hat"];
    let rows: Vec<Vec<String>> = s
        .parameters
        .iter()
        .map(|p| {
            let ess = |e: Option<f64>| e.map_or_else(|| "NA".into(), |e| format!("{e:.0}"));
            vec![
                num(p.mean),
                num(p.mcse_mean),
                num(p.sd),
                num(p.q5),
                num(p.q50),
                num(p.q95),
                ess(p.ess_bulk),
                ess(p.ess_tail),
                p.r_hat.map_or_else(|| "NA".into(), |r| format!("{r:.3}")),
            ]
        })
        .collect();
    let name_w = s.parameters.iter().map(|p| p.name.chars().count()).max().unwrap_or(0).max(4);
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.len());
        }
    }
    out.push_str(&format!("{:<name_w$}", ""));
    for (h, w) in header.iter().zip(&widths) {
        out.push_str(&format!("  {h:>w$}"));
    }
    out.push('\n');
    for (p, r) in s.parameters.iter().zip(&rows) {
        out.push_str(&format!("{:<name_w$}", p.name));
        for (c, w) in r.iter().zip(&widths) {
            out.push_str(&format!("  {c:>w$}"));
        }
        out.push('\n');
    }

    out.push_str("\nSampler:\n");
    let opt = |v: Option<usize>| v.map_or_else(|| "unknown".into(), |v| v.to_string());
    out.push_str(&format!("  divergences after warmup: {}", opt(sp.divergences)));
    if let Some(w) = sp.warmup_divergences {
        out.push_str(&format!(" (during warmup: {w})"));
    }
    out.push('\n');
    out.push_str(&format!("  transitions at max tree depth {}: {}\n", sp.max_treedepth, opt(sp.treedepth_saturated)));
    if !sp.e_bfmi.is_empty() && sp.e_bfmi.iter().any(Option::is_some) {
        let b: Vec<String> = sp.e_bfmi.iter().map(|b| b.map_or_else(|| "NA".into(), |b| format!("{b:.2}"))).collect();
        out.push_str(&format!("  E-BFMI per chain: {}\n", b.join(", ")));
    }
    if let Some(a) = sp.mean_accept_stat {
        out.push_str(&format!("  mean accept_stat: {a:.3}\n"));
    }
    if sp.step_size.iter().any(Option::is_some) {
        let b: Vec<String> = sp.step_size.iter().map(|b| num(*b)).collect();
        out.push_str(&format!("  step size per chain: {}\n", b.join(", ")));
    }
    if let Some(l) = sp.mean_n_leapfrog {
        out.push_str(&format!("  mean leapfrog steps per draw: {}\n", format_g(l, 4)));
    }
    if let Some(g) = sp.gradient_evaluations {
        out.push_str(&format!("  gradient evaluations: {g}\n"));
    }
    if sp.warmup_seconds.is_some() || sp.sampling_seconds.is_some() {
        let secs = |v: Option<f64>| v.map_or_else(|| "?".into(), |v| format_g(v, 3));
        out.push_str(&format!("  time: {} s warmup, {} s sampling\n", secs(sp.warmup_seconds), secs(sp.sampling_seconds)));
    }

    if s.warnings.is_empty() {
        out.push_str("\nNo problems detected.\n");
    } else {
        out.push_str("\nWarnings:\n");
        for w in &s.warnings {
            out.push_str(&format!("  - {}\n", w.message));
        }
    }
    out
}
