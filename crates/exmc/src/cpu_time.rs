//! CPU time of the calling thread and of the whole process, for the
//! benchmark's ESS per CPU-second.
//!
//! POSIX `clock_gettime` with `CLOCK_THREAD_CPUTIME_ID` /
//! `CLOCK_PROCESS_CPUTIME_ID` (nanosecond resolution, exited threads
//! included in the process clock). Reading `/proc` instead is not portable
//! across kernels: `schedstat` reads all zeros where the kernel does not keep
//! scheduler statistics. `None` on platforms without these clocks.

/// CPU seconds used so far by the calling thread.
pub fn thread_seconds() -> Option<f64> {
    clock_seconds(ClockKind::Thread)
}

/// CPU seconds used so far by the whole process (user + system).
pub fn process_seconds() -> Option<f64> {
    clock_seconds(ClockKind::Process)
}

enum ClockKind {
    Thread,
    Process,
}

#[cfg(unix)]
fn clock_seconds(kind: ClockKind) -> Option<f64> {
    let id = match kind {
        ClockKind::Thread => libc::CLOCK_THREAD_CPUTIME_ID,
        ClockKind::Process => libc::CLOCK_PROCESS_CPUTIME_ID,
    };
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid, writable timespec for the duration of the call;
    // clock_gettime writes only into it and reports failure by its return value.
    let rc = unsafe { libc::clock_gettime(id, &mut ts) };
    (rc == 0).then(|| ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9)
}

#[cfg(not(unix))]
fn clock_seconds(_kind: ClockKind) -> Option<f64> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Busy work advances the thread clock by about the wall time it took,
    /// and the process clock by at least as much.
    #[test]
    fn clocks_advance_with_busy_work() {
        let (t0, p0) = (thread_seconds().unwrap(), process_seconds().unwrap());
        let start = std::time::Instant::now();
        let mut x = 0.5_f64;
        while start.elapsed().as_secs_f64() < 0.05 {
            for _ in 0..1000 {
                x = (x * 3.7 * (1.0 - x)).clamp(1e-9, 1.0 - 1e-9);
            }
        }
        let wall = start.elapsed().as_secs_f64();
        let (t1, p1) = (thread_seconds().unwrap(), process_seconds().unwrap());
        assert!(x.is_finite());
        let (dt, dp) = (t1 - t0, p1 - p0);
        assert!(dt > 0.02 && dt <= wall + 1e-3, "thread cpu {dt} wall {wall}");
        assert!(dp >= dt - 1e-6, "process cpu {dp} thread cpu {dt}");
    }
}
