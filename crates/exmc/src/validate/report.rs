//! What a validation run found: per posterior a verdict, per seed the
//! quantity checks; as a fixed-width table for terminals and as Markdown.

use super::compare::{QuantityCheck, Thresholds};
use std::fmt::Write as _;
use std::path::PathBuf;

/// The verdict on one posterior.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    /// Every check passed on the first seed.
    Pass,
    /// The first seed failed, every retry seed passed (the first failure
    /// was a false alarm of the multiplicity-aware thresholds, or rare).
    PassOnRetry,
    /// Failed on the first seed and on at least one retry.
    Fail,
    /// The program uses something exmc does not support (e.g. an ODE
    /// solver); the message says what. Not a failure of the sampler.
    NotSupported(String),
    /// The posterior could not be run: no program, the program or data does
    /// not build, the reference is unreadable ...
    Error(String),
}

impl Status {
    pub fn label(&self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::PassOnRetry => "pass (retry)",
            Status::Fail => "FAIL",
            Status::NotSupported(_) => "not supported",
            Status::Error(_) => "ERROR",
        }
    }

    pub fn passed(&self) -> bool {
        matches!(self, Status::Pass | Status::PassOnRetry)
    }
}

/// One sampling run (one seed) of one posterior.
#[derive(Clone, Debug)]
pub struct SeedRun {
    pub seed: u64,
    pub checks: Vec<QuantityCheck>,
    /// Why the run fails (empty: it passes): every quantity failure, then
    /// the [`Self::problems`].
    pub failures: Vec<String>,
    /// Failures that are not about one quantity: failed chains, reference
    /// quantities the program does not output.
    pub problems: Vec<String>,
    pub divergences: usize,
    pub divergences_warmup: usize,
    /// Post-warmup iterations that hit the maximum tree depth.
    pub treedepth_hits: usize,
    pub max_treedepth: usize,
    /// Run warnings (e.g. outputs that could not be computed).
    pub warnings: Vec<String>,
    /// Wall time of the sampling run (all chains).
    pub seconds: f64,
}

impl SeedRun {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }

    /// Largest |z| of the means, with the quantity.
    pub fn worst_z(&self) -> Option<(&str, f64)> {
        self.checks
            .iter()
            .map(|c| (c.name.as_str(), if c.z.is_nan() { f64::INFINITY } else { c.z.abs() }))
            .max_by(|a, b| a.1.total_cmp(&b.1))
    }

    /// The sd ratio furthest from 1, with the quantity.
    pub fn worst_sd_ratio(&self) -> Option<(&str, f64)> {
        self.checks.iter().map(|c| (c.name.as_str(), c.sd_ratio)).max_by(|a, b| dist1(a.1).total_cmp(&dist1(b.1)))
    }

    pub fn min_ess(&self) -> f64 {
        self.checks.iter().map(|c| c.ess_bulk).fold(f64::INFINITY, |a, b| if b.is_nan() { f64::NAN } else { a.min(b) })
    }

    /// Largest R̂ (NaN when some R̂ is undefined).
    pub fn max_rhat(&self) -> f64 {
        self.checks.iter().map(|c| c.rhat.unwrap_or(f64::NAN)).fold(f64::NEG_INFINITY, |a, b| {
            if b.is_nan() {
                f64::NAN
            } else {
                a.max(b)
            }
        })
    }
}

fn dist1(r: f64) -> f64 {
    if r.is_nan() {
        f64::INFINITY
    } else {
        (r - 1.0).abs()
    }
}

/// One posterior's result.
#[derive(Clone, Debug)]
pub struct PosteriorResult {
    pub name: String,
    pub status: Status,
    /// The Stan program used.
    pub program: Option<PathBuf>,
    /// The first seed, then the retries (if the first failed).
    pub runs: Vec<SeedRun>,
    /// Wall time: build and every run.
    pub seconds: f64,
}

impl PosteriorResult {
    /// One progress line: name, status, and the first seed's worst |z|,
    /// minimum bulk ESS and divergences (`-` where there was no run).
    pub fn progress_line(&self) -> String {
        let first = self.runs.first();
        format!(
            "{:<45} {:<14} max|z| {:>6}  min ESS {:>6}  div {:>4}  {:>7.1}s",
            self.name,
            self.status.label(),
            first.and_then(|s| s.worst_z()).map_or("-".into(), |(_, z)| format!("{z:.2}")),
            first.map_or("-".into(), |s| format!("{:.0}", s.min_ess())),
            first.map_or("-".into(), |s| s.divergences.to_string()),
            self.seconds
        )
    }
}

/// The result of [`super::validate`].
#[derive(Clone, Debug)]
pub struct ValidateReport {
    pub results: Vec<PosteriorResult>,
    pub thresholds: Thresholds,
    /// `chains × draws after warmup`, for the header.
    pub chains: usize,
    pub num_warmup: usize,
    pub num_draws: usize,
}

fn f(x: f64, digits: usize) -> String {
    if x.is_nan() {
        "NaN".into()
    } else if x.is_infinite() {
        if x > 0.0 {
            "inf".into()
        } else {
            "-inf".into()
        }
    } else {
        format!("{x:.digits$}")
    }
}

const COLUMNS: [&str; 8] =
    ["posterior", "result", "max |z|", "worst sd ratio", "min ESS", "max R-hat", "div", "time s"];

impl ValidateReport {
    /// Counts of (pass, fail, not supported, error).
    pub fn counts(&self) -> (usize, usize, usize, usize) {
        let mut c = (0, 0, 0, 0);
        for r in &self.results {
            match r.status {
                Status::Pass | Status::PassOnRetry => c.0 += 1,
                Status::Fail => c.1 += 1,
                Status::NotSupported(_) => c.2 += 1,
                Status::Error(_) => c.3 += 1,
            }
        }
        c
    }

    /// Whether every posterior passed or is not supported (no failure, no error).
    pub fn ok(&self) -> bool {
        let (_, fail, _, err) = self.counts();
        fail == 0 && err == 0
    }

    /// Rows of the table: the first seed's numbers.
    fn rows(&self) -> Vec<[String; 8]> {
        self.results
            .iter()
            .map(|r| {
                let first = r.runs.first();
                let z = first.and_then(|s| s.worst_z()).map_or("-".into(), |(_, z)| f(z, 2));
                let sd = first.and_then(|s| s.worst_sd_ratio()).map_or("-".into(), |(_, x)| f(x, 3));
                let ess = first.map_or("-".into(), |s| f(s.min_ess(), 0));
                let rhat = first.map_or("-".into(), |s| f(s.max_rhat(), 3));
                let div = first.map_or("-".into(), |s| s.divergences.to_string());
                [r.name.clone(), r.status.label().to_string(), z, sd, ess, rhat, div, f(r.seconds, 1)]
            })
            .collect()
    }

    /// A fixed-width table, one line per posterior (numbers of the first
    /// seed), then a count line.
    pub fn to_table(&self) -> String {
        let rows = self.rows();
        let mut w: Vec<usize> = COLUMNS.iter().map(|c| c.chars().count()).collect();
        for r in &rows {
            for (j, cell) in r.iter().enumerate() {
                w[j] = w[j].max(cell.chars().count());
            }
        }
        let mut out = String::new();
        let line = |cells: &[String], out: &mut String| {
            for (j, c) in cells.iter().enumerate() {
                let pad = w[j] - c.chars().count();
                if j < 2 {
                    out.push_str(c);
                    out.push_str(&" ".repeat(pad));
                } else {
                    out.push_str(&" ".repeat(pad));
                    out.push_str(c);
                }
                out.push_str(if j + 1 < cells.len() { "  " } else { "\n" });
            }
        };
        line(&COLUMNS.map(String::from), &mut out);
        for r in &rows {
            line(r, &mut out);
        }
        let _ = writeln!(out, "{}", self.count_line());
        out
    }

    fn count_line(&self) -> String {
        let (p, fl, ns, e) = self.counts();
        format!("{} posteriors: {p} pass, {fl} fail, {ns} not supported, {e} error", self.results.len())
    }

    /// The table in Markdown, the distribution of all mean z-scores, and
    /// per-posterior notes (failures, retries, widened sd bands,
    /// divergences, tree-depth hits, messages).
    pub fn to_markdown(&self) -> String {
        let t = &self.thresholds;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} chains × {} draws after {} warmup. Pass: R-hat < {}, bulk ESS ≥ {}, |z| < {} for every mean, \
             sd ratio within 1 ± {} (wider where the MCSE of the sds says so: {} combined MCSEs).\n",
            self.chains,
            self.num_draws,
            self.num_warmup,
            t.max_rhat,
            t.min_ess_bulk,
            t.max_abs_z,
            t.sd_ratio_tol,
            t.sd_noise_k
        );
        let _ = writeln!(out, "| {} |", COLUMNS.join(" | "));
        let _ = writeln!(out, "|{}", "---|".repeat(COLUMNS.len()));
        for r in self.rows() {
            let _ = writeln!(out, "| {} |", r.join(" | "));
        }
        let _ = writeln!(out, "\n{}.\n", self.count_line());

        let zs: Vec<f64> = self
            .results
            .iter()
            .filter(|r| r.status.passed())
            .filter_map(|r| r.runs.first())
            .flat_map(|s| s.checks.iter().map(|c| c.z))
            .filter(|z| z.is_finite())
            .collect();
        if zs.len() > 1 {
            let n = zs.len() as f64;
            let m = zs.iter().sum::<f64>() / n;
            let sd = (zs.iter().map(|z| (z - m) * (z - m)).sum::<f64>() / (n - 1.0)).sqrt();
            let over2 = zs.iter().filter(|z| z.abs() > 2.0).count();
            let _ = writeln!(
                out,
                "Mean z-scores of the {} quantities of the passing posteriors (first seed): mean {:.2}, sd {:.2} \
                 (N(0, 1) expected), {} with |z| > 2 ({:.1} expected).\n",
                zs.len(),
                m,
                sd,
                over2,
                0.0455 * n
            );
        }

        let _ = writeln!(out, "### Notes per posterior\n");
        for r in &self.results {
            let notes = notes(r, &self.thresholds);
            if notes.is_empty() {
                continue;
            }
            let _ = writeln!(out, "- **{}** ({}):", r.name, r.status.label());
            for n in notes {
                let _ = writeln!(out, "  - {n}");
            }
        }
        out
    }
}

fn notes(r: &PosteriorResult, t: &Thresholds) -> Vec<String> {
    let mut n = Vec::new();
    match &r.status {
        Status::NotSupported(m) | Status::Error(m) => n.push(one_line(m)),
        _ => {}
    }
    for s in &r.runs {
        let tag = format!("seed {}", s.seed);
        if !s.failures.is_empty() {
            n.push(format!("{tag}: {}", summarize_failures(s, t)));
        }
        if s.divergences > 0 {
            n.push(format!(
                "{tag}: {} divergent transitions after warmup ({} more during warmup)",
                s.divergences, s.divergences_warmup
            ));
        }
        if s.treedepth_hits > 0 {
            n.push(format!("{tag}: {} iterations hit the maximum tree depth {}", s.treedepth_hits, s.max_treedepth));
        }
        let widened: Vec<String> =
            s.checks.iter().filter(|c| c.sd_widened).map(|c| format!("{} (± {:.2})", c.name, c.sd_tol)).collect();
        if !widened.is_empty() {
            let more = if widened.len() > 6 { format!(" and {} more", widened.len() - 6) } else { String::new() };
            n.push(format!(
                "{tag}: sd band widened by Monte Carlo noise for {}{more}",
                widened[..widened.len().min(6)].join(", ")
            ));
        }
        for w in &s.warnings {
            n.push(format!("{tag}: {w}"));
        }
    }
    n
}

/// A run's failures in a few phrases: convergence failures counted (with
/// the worst), mean and sd failures listed (the worst few), other problems.
fn summarize_failures(s: &SeedRun, t: &Thresholds) -> String {
    let mut parts = s.problems.clone();
    let rhat_bad: Vec<&QuantityCheck> = s.checks.iter().filter(|c| !c.rhat_ok(t)).collect();
    if !rhat_bad.is_empty() {
        let worst =
            rhat_bad.iter().max_by(|a, b| a.rhat.unwrap_or(f64::INFINITY).total_cmp(&b.rhat.unwrap_or(f64::INFINITY)));
        let w = worst.map_or(String::new(), |c| {
            format!(" (worst {} {})", c.name, c.rhat.map_or("undefined".into(), |r| format!("{r:.3}")))
        });
        parts.push(format!("R-hat ≥ {} for {} of {} quantities{w}", t.max_rhat, rhat_bad.len(), s.checks.len()));
    }
    let ess_bad: Vec<&QuantityCheck> = s.checks.iter().filter(|c| !c.ess_ok(t)).collect();
    if !ess_bad.is_empty() {
        let worst = ess_bad.iter().min_by(|a, b| a.ess_bulk.total_cmp(&b.ess_bulk));
        let w = worst.map_or(String::new(), |c| format!(" (lowest {} {:.0})", c.name, c.ess_bulk));
        parts.push(format!("bulk ESS < {} for {} quantities{w}", t.min_ess_bulk, ess_bad.len()));
    }
    let mut mean_bad: Vec<&QuantityCheck> = s.checks.iter().filter(|c| !c.mean_ok(t)).collect();
    mean_bad.sort_by(|a, b| b.z.abs().total_cmp(&a.z.abs()));
    if !mean_bad.is_empty() {
        let listed: Vec<String> = mean_bad
            .iter()
            .take(4)
            .map(|c| format!("{} {:.4} vs {:.4} (z = {:.1})", c.name, c.mean, c.ref_mean, c.z))
            .collect();
        let more = if mean_bad.len() > 4 { format!(" and {} more", mean_bad.len() - 4) } else { String::new() };
        parts.push(format!("means off: {}{more}", listed.join(", ")));
    }
    let mut sd_bad: Vec<&QuantityCheck> = s.checks.iter().filter(|c| !c.sd_ok()).collect();
    sd_bad.sort_by(|a, b| dist1(b.sd_ratio).total_cmp(&dist1(a.sd_ratio)));
    if !sd_bad.is_empty() {
        let listed: Vec<String> =
            sd_bad.iter().take(4).map(|c| format!("{} ratio {:.3} (± {:.3})", c.name, c.sd_ratio, c.sd_tol)).collect();
        let more = if sd_bad.len() > 4 { format!(" and {} more", sd_bad.len() - 4) } else { String::new() };
        parts.push(format!("sds off: {}{more}", listed.join(", ")));
    }
    parts.join("; ")
}

/// A rendered diagnostic on one Markdown line: its first line (the
/// message) and its location (`file:line:col`), without the source excerpt.
fn one_line(m: &str) -> String {
    let mut lines = m.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or("");
    let at = lines.find_map(|l| l.strip_prefix("┌─").or_else(|| l.strip_prefix("-->"))).map(str::trim);
    let text = match at {
        Some(loc) => format!("{first} (at {loc})"),
        None => first.to_string(),
    };
    format!("`{}`", text.replace('`', "'"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(name: &str, z: f64, ratio: f64) -> QuantityCheck {
        QuantityCheck {
            name: name.into(),
            mean: 0.0,
            sd: ratio,
            ref_mean: 0.0,
            ref_sd: 1.0,
            mcse_mean: 0.01,
            z,
            mean_err_sd: 0.0,
            sd_ratio: ratio,
            sd_tol: 0.1,
            sd_widened: false,
            rhat: Some(1.002),
            ess_bulk: 1500.0,
        }
    }

    fn report() -> ValidateReport {
        let run = SeedRun {
            seed: 1,
            checks: vec![check("a", -1.5, 0.97), check("b[1]", 2.5, 1.04)],
            failures: vec![],
            problems: vec![],
            divergences: 0,
            divergences_warmup: 2,
            treedepth_hits: 0,
            max_treedepth: 10,
            warnings: vec![],
            seconds: 0.5,
        };
        let mut bad = run.clone();
        bad.failures = vec!["a: mean 1 vs reference 0 (z = 9.00)".into()];
        bad.checks[0].z = 9.0;
        ValidateReport {
            results: vec![
                PosteriorResult {
                    name: "good".into(),
                    status: Status::Pass,
                    program: None,
                    runs: vec![run],
                    seconds: 0.6,
                },
                PosteriorResult {
                    name: "bad".into(),
                    status: Status::Fail,
                    program: None,
                    runs: vec![bad.clone(), bad],
                    seconds: 1.2,
                },
                PosteriorResult {
                    name: "ode".into(),
                    status: Status::NotSupported(
                        "error: 'ode_bdf': not supported\n  ┌─ m.stan:3:5\n  │\n3 │ x = ode_bdf(f);\n  │     ^^^"
                            .into(),
                    ),
                    program: None,
                    runs: vec![],
                    seconds: 0.0,
                },
            ],
            thresholds: Thresholds::default(),
            chains: 4,
            num_warmup: 1000,
            num_draws: 1000,
        }
    }

    #[test]
    fn table_has_one_row_per_posterior_with_worst_numbers() {
        let r = report();
        let t = r.to_table();
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines.len(), 5, "{t}");
        assert!(
            lines[1].starts_with("good")
                && lines[1].contains("pass")
                && lines[1].contains("2.50")
                && lines[1].contains("1.040"),
            "{t}"
        );
        assert!(lines[2].contains("FAIL") && lines[2].contains("9.00"), "{t}");
        assert!(lines[3].contains("not supported") && lines[3].contains(" - "), "{t}");
        assert!(lines[4].contains("1 pass, 1 fail, 1 not supported, 0 error"), "{t}");
        assert!(!r.ok());
    }

    #[test]
    fn markdown_has_table_notes_and_z_summary() {
        let m = report().to_markdown();
        assert!(m.contains("| good | pass |"), "{m}");
        assert!(m.contains("**bad** (FAIL)") && m.contains("seed 1: means off: a 0.0000 vs 0.0000 (z = 9.0)"), "{m}");
        assert!(!m.contains("during warmup"), "warmup-only divergences are not noted: {m}");
        assert!(m.contains("`error: 'ode_bdf': not supported (at m.stan:3:5)`"), "{m}");
        assert!(m.contains("the 2 quantities of the passing posteriors"), "{m}");
    }
}
