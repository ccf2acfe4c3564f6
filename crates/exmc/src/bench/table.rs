//! [`BenchReport::to_table`]: the report as Markdown tables.

use super::peers::{self, FASTEST, FRAMEWORKS};
use super::{BenchReport, Precision, Summary};
use std::fmt::Write;

/// Models whose posterior is pathological on purpose (divergences expected):
/// their z column is not a claim of agreement.
const HARD: [&str; 2] = ["eight_schools", "funnel"];

/// A number for people: thousands separated above 1000, 3 significant
/// digits below, `n/a` for NaN or infinity.
pub fn fmt_num(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    if x.abs() < 1000.0 && x == x.round() {
        return format!("{x:.0}");
    }
    if x.abs() >= 1000.0 {
        let s = format!("{:.0}", x.abs());
        let mut out = String::new();
        for (i, ch) in s.chars().enumerate() {
            if i > 0 && (s.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(ch);
        }
        return if x < 0.0 { format!("-{out}") } else { out };
    }
    let digits = if x.abs() >= 100.0 {
        0
    } else if x.abs() >= 10.0 {
        1
    } else {
        2
    };
    format!("{x:.digits$}")
}

fn ratio(ours: f64, peer: f64) -> String {
    if ours.is_finite() && peer.is_finite() && peer > 0.0 {
        format!("{:.2}×", ours / peer)
    } else {
        "n/a".into()
    }
}

fn agreement(s: &Summary) -> String {
    let Some((zm, zs)) = s.max_abs_z_mean.zip(s.max_abs_z_sd) else { return "-".into() };
    let z = format!("{:.1} / {:.1}", zm, zs);
    if HARD.contains(&s.model.as_str()) {
        format!("({z}; hard, {} div)", s.divergences_total)
    } else {
        z
    }
}

impl BenchReport {
    /// Markdown: our medians per model × precision, then ESS/s and grad/s
    /// against the peers (the fastest, `nutpie-stan`, in bold) with ratios
    /// (ours ÷ peer: above 1 means we are faster).
    pub fn to_table(&self) -> String {
        let mut t = String::new();
        let param = if self.noncentre { "non-centred (compiler default)" } else { "centred (as the peers)" };
        let seeds: Vec<String> = self.seeds.iter().map(|s| s.to_string()).collect();
        let _ = writeln!(
            t,
            "### exmc: {} chain(s), metric {}, {}, {}+{} iterations, target accept {}, max depth {}, medians over seeds {}\n",
            self.chains,
            self.metric,
            param,
            self.num_warmup,
            self.num_draws,
            self.target_accept,
            self.max_depth,
            seeds.join(",")
        );
        let _ = writeln!(
            t,
            "| model | d | prec | setup ms | wall ms | CPU ms | grad evals | div (warmup) | min bulk ESS | min tail ESS | ESS/s | ESS/CPU-s | grad/s | worst param | max \\|z\\| mean / sd |"
        );
        let _ = writeln!(t, "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for s in &self.summaries {
            let failed = if s.failed_runs > 0 { format!(" ({} failed)", s.failed_runs) } else { String::new() };
            let _ = writeln!(
                t,
                "| {}{} | {} | {} | {:.2} | {} | {} | {} | {} ({}) | {} | {} | {} | {} | {} | {} | {} |",
                s.model,
                failed,
                s.dim,
                s.precision.name(),
                s.setup_ms,
                fmt_num(s.sample_ms),
                fmt_num(s.cpu_ms),
                fmt_num(s.grad_evals),
                fmt_num(s.divergences),
                fmt_num(s.warmup_divergences),
                fmt_num(s.min_ess_bulk),
                fmt_num(s.min_ess_tail),
                fmt_num(s.ess_per_s),
                fmt_num(s.ess_per_cpu_s),
                fmt_num(s.grad_per_s),
                s.worst_param,
                agreement(s),
            );
        }
        if self.peers.is_empty() {
            return t;
        }
        let fws: Vec<&str> =
            FRAMEWORKS.iter().copied().filter(|f| self.peers.iter().any(|p| p.framework == *f)).collect();
        for (what, get_ours, get_peer) in [
            ("ESS/s", (|s: &Summary| s.ess_per_s) as fn(&Summary) -> f64, (|p: &peers::PeerMedian| p.ess_per_s) as fn(&peers::PeerMedian) -> f64),
            ("grad/s", |s: &Summary| s.grad_per_s, |p: &peers::PeerMedian| p.grad_per_s),
        ] {
            let _ = writeln!(t, "\n### {what} against the peers ({} chain(s); ratio = ours ÷ peer)\n", self.chains);
            let mut head = String::from("| model | ours f64 | ours f32 |");
            for f in &fws {
                if *f == FASTEST {
                    let _ = write!(head, " **{f}** | **f64 ÷ {f}** | **f32 ÷ {f}** |");
                } else {
                    let _ = write!(head, " {f} | f64 ÷ {f} |");
                }
            }
            let _ = writeln!(t, "{head}");
            let _ = writeln!(t, "|{}", "---|".repeat(head.matches('|').count() - 1));
            let mut models: Vec<&str> = Vec::new();
            for s in &self.summaries {
                if !models.contains(&s.model.as_str()) {
                    models.push(&s.model);
                }
            }
            for m in models {
                let ours = |p: Precision| self.summary(m, p).map_or(f64::NAN, get_ours);
                let (o64, o32) = (ours(Precision::F64), ours(Precision::F32));
                let mut line = format!("| {m} | {} | {} |", fmt_num(o64), fmt_num(o32));
                for f in &fws {
                    let p = peers::find(&self.peers, f, m, self.chains).map_or(f64::NAN, get_peer);
                    if *f == FASTEST {
                        let _ = write!(line, " **{}** | **{}** | **{}** |", fmt_num(p), ratio(o64, p), ratio(o32, p));
                    } else {
                        let _ = write!(line, " {} | {} |", fmt_num(p), ratio(o64, p));
                    }
                }
                let _ = writeln!(t, "{line}");
            }
        }
        t
    }
}

/// Several labelled reports of the same models side by side (e.g. one per
/// metric): median ESS/s, median min bulk ESS and median divergences per
/// model for `precision`, the best label per model, and the geometric mean
/// of each label's ESS/s relative to the first label's.
pub fn compare_table(reports: &[(String, BenchReport)], precision: Precision) -> String {
    let mut t = String::new();
    if reports.is_empty() {
        return t;
    }
    let labels: Vec<&str> = reports.iter().map(|(l, _)| l.as_str()).collect();
    let _ = write!(t, "| model |");
    for l in &labels {
        let _ = write!(t, " {l} ESS/s (ESS, div) |");
    }
    let _ = writeln!(t, " best |");
    let _ = writeln!(t, "|{}", "---|".repeat(labels.len() + 2));
    let mut log_ratio = vec![0.0; labels.len()];
    let mut counted = vec![0usize; labels.len()];
    // ESS per gradient evaluation: deterministic given the seeds, so free of
    // the timing noise that other work on the machine adds to ESS/s.
    let mut log_ratio_grad = vec![0.0; labels.len()];
    let mut counted_grad = vec![0usize; labels.len()];
    for s0 in reports[0].1.summaries.iter().filter(|s| s.precision == precision) {
        let m = s0.model.as_str();
        let _ = write!(t, "| {m} |");
        let mut best = (f64::NEG_INFINITY, "n/a");
        for (k, (label, rep)) in reports.iter().enumerate() {
            match rep.summary(m, precision) {
                Some(s) => {
                    let _ = write!(
                        t,
                        " {} ({}, {}) |",
                        fmt_num(s.ess_per_s),
                        fmt_num(s.min_ess_bulk),
                        fmt_num(s.divergences)
                    );
                    if s.ess_per_s > best.0 {
                        best = (s.ess_per_s, label.as_str());
                    }
                    let r = s.ess_per_s / s0.ess_per_s;
                    if r.is_finite() && r > 0.0 {
                        log_ratio[k] += r.ln();
                        counted[k] += 1;
                    }
                    let rg = (s.min_ess_bulk / s.grad_evals) / (s0.min_ess_bulk / s0.grad_evals);
                    if rg.is_finite() && rg > 0.0 {
                        log_ratio_grad[k] += rg.ln();
                        counted_grad[k] += 1;
                    }
                }
                None => {
                    let _ = write!(t, " - |");
                }
            }
        }
        let _ = writeln!(t, " {} |", best.1);
    }
    let _ = write!(t, "| geometric mean ESS/s vs {} |", labels[0]);
    for k in 0..labels.len() {
        let g = if counted[k] > 0 { (log_ratio[k] / counted[k] as f64).exp() } else { f64::NAN };
        let _ = write!(t, " {g:.2}× |");
    }
    let _ = writeln!(t, " |");
    let _ = write!(t, "| geometric mean ESS per gradient vs {} |", labels[0]);
    for k in 0..labels.len() {
        let g = if counted_grad[k] > 0 { (log_ratio_grad[k] / counted_grad[k] as f64).exp() } else { f64::NAN };
        let _ = write!(t, " {g:.2}× |");
    }
    let _ = writeln!(t, " |");
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_for_people() {
        assert_eq!(fmt_num(39672.4), "39,672");
        assert_eq!(fmt_num(1234567.0), "1,234,567");
        assert_eq!(fmt_num(-1500.0), "-1,500");
        assert_eq!(fmt_num(999.6), "1000");
        assert_eq!(fmt_num(48.21), "48.2");
        assert_eq!(fmt_num(7.784), "7.78");
        assert_eq!(fmt_num(12.0), "12");
        assert_eq!(fmt_num(f64::NAN), "n/a");
        assert_eq!(ratio(2.0, 4.0), "0.50×");
        assert_eq!(ratio(2.0, 0.0), "n/a");
    }

    #[test]
    fn compare_table_geometric_mean() {
        let summary = |model: &str, ess_per_s: f64| Summary {
            model: model.into(),
            precision: Precision::F64,
            dim: 1,
            runs: 1,
            failed_runs: 0,
            setup_ms: 0.0,
            sample_ms: 1.0,
            cpu_ms: 1.0,
            grad_evals: 1.0,
            divergences: 0.0,
            warmup_divergences: 0.0,
            divergences_total: 0,
            min_ess_bulk: 100.0,
            min_ess_tail: 100.0,
            ess_per_s,
            ess_per_cpu_s: f64::NAN,
            grad_per_s: 1.0,
            worst_param: "a".into(),
            max_abs_z_mean: None,
            max_abs_z_sd: None,
            worst_z: None,
        };
        let report = |a: f64, b: f64| BenchReport {
            chains: 1,
            seeds: vec![1],
            num_warmup: 1,
            num_draws: 1,
            target_accept: 0.8,
            max_depth: 10,
            metric: "diag".into(),
            noncentre: true,
            runs: vec![],
            summaries: vec![summary("m1", a), summary("m2", b)],
            peers: vec![],
            loadavg_before: None,
        };
        let t = compare_table(&[("x".into(), report(100.0, 100.0)), ("y".into(), report(400.0, 25.0))], Precision::F64);
        // sqrt(4 * 0.25) = 1
        assert!(t.contains("| geometric mean ESS/s vs x | 1.00× | 1.00× |"), "{t}");
        assert!(t.contains("| m1 | 100 (100, 0) | 400 (100, 0) | y |"), "{t}");
        assert!(t.contains("| m2 | 100 (100, 0) | 25 (100, 0) | x |"), "{t}");
    }
}
