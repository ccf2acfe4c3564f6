//! Live progress on stderr while chains run.
//!
//! A terminal gets one line per chain, redrawn in place 5 times a second;
//! anything else (a log file, a pipe) gets one line per chain every 10 s.
//! It only reads the sampler's atomic counters ([`exmc::nuts::Progress`]), so
//! the chains never wait for it.

use exmc::nuts::{ChainPhase, ChainProgressSnapshot, Progress};
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Redraws until `done` is set. Call from its own thread.
pub fn render_until(progress: &Progress, done: &AtomicBool) {
    let tty = std::io::stderr().is_terminal();
    let every = if tty { Duration::from_millis(200) } else { Duration::from_secs(10) };
    let n = progress.snapshot().len();
    // When each chain was first seen running, and how long it ran once it stopped.
    let mut starts: Vec<Option<Instant>> = vec![None; n];
    let mut ran: Vec<Option<Duration>> = vec![None; n];
    let mut drawn = 0usize;
    let mut last = Instant::now();
    loop {
        let finished = done.load(Ordering::Relaxed);
        let snaps = progress.snapshot();
        for (c, s) in snaps.iter().enumerate() {
            if starts[c].is_none() && s.phase != ChainPhase::NotStarted {
                starts[c] = Some(Instant::now());
            }
            let stopped = matches!(s.phase, ChainPhase::Completed | ChainPhase::Failed | ChainPhase::Cancelled);
            if stopped && ran[c].is_none() {
                ran[c] = starts[c].map(|t| t.elapsed());
            }
        }
        let due = last.elapsed() >= every;
        let show = if tty { due || finished } else { due && !finished };
        if show {
            last = Instant::now();
            let lines: Vec<String> =
                snaps.iter().enumerate().map(|(c, s)| line(c, s, ran[c].or(starts[c].map(|t| t.elapsed())))).collect();
            let mut text = String::new();
            if tty && drawn > 0 {
                text.push_str(&format!("\x1b[{drawn}A"));
            }
            for l in &lines {
                if tty {
                    text.push_str("\r\x1b[2K");
                }
                text.push_str(l);
                text.push('\n');
            }
            drawn = lines.len();
            let mut err = std::io::stderr().lock();
            let _ = err.write_all(text.as_bytes());
            let _ = err.flush();
        }
        if finished {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `chain 1  sampling  1500/2000  75%  div 0 (warmup 2)  step 0.512  leapfrog 7  1.2s  ~0.4s left`
/// `elapsed`: how long the chain has run (or ran), if it has started.
pub fn line(chain: usize, s: &ChainProgressSnapshot, elapsed: Option<Duration>) -> String {
    let phase = match s.phase {
        ChainPhase::NotStarted => "waiting",
        ChainPhase::Warmup => "warmup",
        ChainPhase::Sampling => "sampling",
        ChainPhase::Completed => "done",
        ChainPhase::Failed => "FAILED",
        ChainPhase::Cancelled => "stopped",
    };
    let total = s.total_iterations.max(1);
    let pct = 100 * s.iterations_done / total;
    let mut l = format!(
        "chain {:<2} {phase:<8} {:>6}/{:<6} {pct:>3}%  div {}",
        chain + 1,
        s.iterations_done,
        s.total_iterations,
        s.divergences_sampling
    );
    if s.divergences_warmup > 0 {
        l.push_str(&format!(" (warmup {})", s.divergences_warmup));
    }
    if s.iterations_done > 0 {
        l.push_str(&format!("  step {:.3}  leapfrog {}", s.step_size, s.last_n_leapfrog));
    }
    if let Some(t) = elapsed {
        let el = t.as_secs_f64();
        l.push_str(&format!("  {}", secs(el)));
        let running = matches!(s.phase, ChainPhase::Warmup | ChainPhase::Sampling);
        if running && s.iterations_done > 0 && s.total_iterations > s.iterations_done {
            let left = el * (s.total_iterations - s.iterations_done) as f64 / s.iterations_done as f64;
            l.push_str(&format!("  ~{} left", secs(left)));
        }
    }
    l
}

fn secs(s: f64) -> String {
    if s < 60.0 {
        format!("{s:.1}s")
    } else if s < 3600.0 {
        format!("{}m{:02}s", (s / 60.0) as u64, (s % 60.0) as u64)
    } else {
        format!("{}h{:02}m", (s / 3600.0) as u64, ((s % 3600.0) / 60.0) as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_shows_phase_counts_divergences_step_and_time_left() {
        let s = ChainProgressSnapshot {
            iterations_done: 1500,
            total_iterations: 2000,
            phase: ChainPhase::Sampling,
            divergences_warmup: 2,
            divergences_sampling: 1,
            step_size: 0.5123,
            last_n_leapfrog: 7,
        };
        let start = Some(Duration::from_secs(3));
        let l = line(0, &s, start);
        for part in [
            "chain 1",
            "sampling",
            "1500/2000",
            "75%",
            "div 1 (warmup 2)",
            "step 0.512",
            "leapfrog 7",
            "3.0s",
            "~1.0s left",
        ] {
            assert!(l.contains(part), "{part:?} not in {l:?}");
        }
        let done = ChainProgressSnapshot { phase: ChainPhase::Completed, iterations_done: 2000, ..s };
        assert!(!line(0, &done, start).contains("left"));
        assert_eq!(secs(75.0), "1m15s");
    }
}
