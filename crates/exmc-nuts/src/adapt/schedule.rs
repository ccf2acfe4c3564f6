//! Stan's windowed warmup schedule as plain data.
//!
//! Warmup iterations `0..num_warmup` are split into an initial fast buffer
//! (step size only, default 75), a series of slow windows that estimate the
//! metric (first 25 long, each next one twice as long, the last one stretched
//! to the terminal buffer), and a terminal fast buffer (default 50). After each
//! slow window the metric is updated and step-size adaptation restarts.
//!
//! Short warmups follow Stan (`windowed_adaptation::set_window_params`):
//! * `num_warmup < 20`: no metric adaptation; all iterations adapt the step size;
//! * `init + base + term > num_warmup`: buffers of 15% / 75% / 10%
//!   (`init = ⌊0.15 n⌋`, `term = ⌊0.1 n⌋`, one window of the rest).
//!
//! Every warmup iteration runs: a warmup of 50 is 50 iterations (7 fast,
//! 38 slow, 5 fast).

use std::ops::Range;

pub const DEFAULT_INIT_BUFFER: usize = 75;
pub const DEFAULT_TERM_BUFFER: usize = 50;
pub const DEFAULT_BASE_WINDOW: usize = 25;

/// Which adaptation runs in a warmup iteration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Initial fast buffer (or the whole warmup when too short for windows).
    InitFast,
    /// Slow window number `k` (0-based): the metric estimator collects draws.
    Slow(usize),
    /// Terminal fast buffer.
    TermFast,
    /// Not a warmup iteration.
    Sampling,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WarmupSchedule {
    pub num_warmup: usize,
    pub init_buffer: usize,
    pub term_buffer: usize,
    /// Slow windows as iteration ranges; the metric is updated at the end of
    /// iteration `w.end − 1`. Contiguous, covering `init_buffer..num_warmup − term_buffer`.
    pub windows: Vec<Range<usize>>,
}

impl WarmupSchedule {
    /// Stan's schedule with the default buffers (75 / 25 / 50).
    pub fn stan(num_warmup: usize) -> Self {
        Self::new(num_warmup, DEFAULT_INIT_BUFFER, DEFAULT_TERM_BUFFER, DEFAULT_BASE_WINDOW)
    }

    /// Stan's schedule with given buffers and first window length.
    pub fn new(num_warmup: usize, init_buffer: usize, term_buffer: usize, base_window: usize) -> Self {
        let n = num_warmup;
        if n < 20 {
            return WarmupSchedule { num_warmup: n, init_buffer: n, term_buffer: 0, windows: vec![] };
        }
        let (init, term, base) = if init_buffer + base_window + term_buffer > n {
            let init = (0.15 * n as f64) as usize;
            let term = (0.1 * n as f64) as usize;
            (init, term, n - init - term)
        } else {
            (init_buffer, term_buffer, base_window)
        };
        let mut windows = Vec::new();
        if base > 0 {
            let last = n - term - 1; // last slow iteration
            let mut size = base;
            let mut start = init;
            let mut end = init + size - 1; // inclusive
            loop {
                windows.push(start..end + 1);
                if end >= last {
                    break;
                }
                size *= 2;
                let mut next = end + size;
                // Stretch the next window to the terminal buffer when the one
                // after it would not fit.
                if next != last && next + 2 * size >= n - term {
                    next = last;
                }
                start = end + 1;
                end = next;
            }
        }
        WarmupSchedule { num_warmup: n, init_buffer: init, term_buffer: term, windows }
    }

    /// The phase of iteration `i` (0-based, warmup first).
    pub fn phase(&self, i: usize) -> Phase {
        if i >= self.num_warmup {
            return Phase::Sampling;
        }
        if let Some(k) = self.windows.iter().position(|w| w.contains(&i)) {
            return Phase::Slow(k);
        }
        match self.windows.first() {
            Some(w) if i < w.start => Phase::InitFast,
            Some(_) => Phase::TermFast,
            None if i < self.init_buffer => Phase::InitFast,
            None => Phase::TermFast,
        }
    }

    /// Whether the metric estimator collects the draw of iteration `i`.
    pub fn collects(&self, i: usize) -> bool {
        matches!(self.phase(i), Phase::Slow(_))
    }

    /// Whether iteration `i` ends a slow window (update the metric after it).
    pub fn window_ends_at(&self, i: usize) -> bool {
        self.windows.iter().any(|w| w.end == i + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lens(s: &WarmupSchedule) -> Vec<usize> {
        s.windows.iter().map(|w| w.len()).collect()
    }

    fn check_cover(s: &WarmupSchedule) {
        let slow: usize = s.windows.iter().map(|w| w.len()).sum();
        if !s.windows.is_empty() {
            assert_eq!(s.init_buffer + slow + s.term_buffer, s.num_warmup);
            assert_eq!(s.windows[0].start, s.init_buffer);
            assert_eq!(s.windows.last().unwrap().end, s.num_warmup - s.term_buffer);
            for w in s.windows.windows(2) {
                assert_eq!(w[0].end, w[1].start);
            }
        }
    }

    #[test]
    fn warmup_1000() {
        let s = WarmupSchedule::stan(1000);
        assert_eq!((s.init_buffer, s.term_buffer), (75, 50));
        assert_eq!(s.windows, vec![75..100, 100..150, 150..250, 250..450, 450..950]);
        assert_eq!(lens(&s), vec![25, 50, 100, 200, 500]);
        check_cover(&s);
        assert_eq!(s.phase(0), Phase::InitFast);
        assert_eq!(s.phase(74), Phase::InitFast);
        assert_eq!(s.phase(75), Phase::Slow(0));
        assert_eq!(s.phase(949), Phase::Slow(4));
        assert_eq!(s.phase(950), Phase::TermFast);
        assert_eq!(s.phase(999), Phase::TermFast);
        assert_eq!(s.phase(1000), Phase::Sampling);
        let ends: Vec<usize> = (0..1000).filter(|&i| s.window_ends_at(i)).collect();
        assert_eq!(ends, vec![99, 149, 249, 449, 949]);
    }

    #[test]
    fn warmup_150_has_exactly_the_three_stages() {
        let s = WarmupSchedule::stan(150);
        assert_eq!((s.init_buffer, s.term_buffer), (75, 50));
        assert_eq!(s.windows, vec![75..100]);
        check_cover(&s);
    }

    #[test]
    fn warmup_50_uses_15_75_10_and_runs_all_50() {
        let s = WarmupSchedule::stan(50);
        assert_eq!((s.init_buffer, s.term_buffer), (7, 5));
        assert_eq!(s.windows, vec![7..45]);
        check_cover(&s);
        assert_eq!((0..50).filter(|&i| s.collects(i)).count(), 38);
        assert_eq!(s.phase(49), Phase::TermFast);
    }

    #[test]
    fn warmup_10_adapts_step_size_only() {
        let s = WarmupSchedule::stan(10);
        assert!(s.windows.is_empty());
        assert!((0..10).all(|i| s.phase(i) == Phase::InitFast && !s.window_ends_at(i)));
        assert_eq!(s.phase(10), Phase::Sampling);
    }

    #[test]
    fn warmup_0_is_all_sampling() {
        let s = WarmupSchedule::stan(0);
        assert!(s.windows.is_empty());
        assert_eq!(s.phase(0), Phase::Sampling);
    }

    #[test]
    fn intermediate_lengths_cover_the_warmup() {
        for n in 20..2100 {
            let s = WarmupSchedule::stan(n);
            check_cover(&s);
            assert!(!s.windows.is_empty(), "{n}");
            // every window but the last follows the doubling
            for (k, w) in s.windows.iter().enumerate().take(s.windows.len().saturating_sub(1)) {
                assert_eq!(w.len(), s.windows[0].len() << k, "{n}");
            }
        }
        assert_eq!(WarmupSchedule::stan(200).windows, vec![75..100, 100..150]);
        assert_eq!(WarmupSchedule::stan(170).windows, vec![75..100, 100..120]);
        assert_eq!(WarmupSchedule::stan(2000).windows.last().unwrap().clone(), 850..1950);
    }
}
