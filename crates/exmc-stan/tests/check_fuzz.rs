//! Robustness: the checker never panics (and its diagnostics point inside
//! the source) on any program the parser accepts. Programs are the examples
//! mutated by word substitutions (which keep many of them parseable, so the
//! checker sees type errors of every kind) and by deletions/insertions.

use exmc_stan::{check, check_with, parse, render_diagnostics, CheckOptions};
use proptest::prelude::*;
use std::sync::mpsc;
use std::time::Duration;

fn programs() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/programs");
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .expect("programs")
        .flatten()
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .collect();
    out.sort();
    out
}

/// Words swapped in: types, names, functions, operators, literals.
const WORDS: &[&str] = &[
    "real", "int", "vector", "row_vector", "matrix", "simplex", "cov_matrix", "mu", "sigma", "N", "K", "y", "x",
    "theta", "i", "log", "exp", "normal", "poisson", "normal_lpdf", "normal_rng", "target", "sum", "rep_vector",
    "size", "+", "-", "*", "/", ".*", "'", "1", "2.5", "{1, 2}", "[1, 2]", "break", "return", "f_lp", "jacobian",
    "data", "model", "array[2]",
];

#[derive(Debug, Clone)]
enum Mutation {
    /// Replace the k-th word-ish token with a vocabulary word.
    Swap(usize, &'static str),
    Delete(usize, usize),
    Insert(usize, &'static str),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<usize>(), prop::sample::select(WORDS)).prop_map(|(k, w)| Mutation::Swap(k, w)),
        1 => (any::<usize>(), 1usize..12).prop_map(|(a, n)| Mutation::Delete(a, n)),
        1 => (any::<usize>(), prop::sample::select(WORDS)).prop_map(|(a, w)| Mutation::Insert(a, w)),
    ]
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn apply(src: &str, m: &Mutation) -> String {
    match m {
        Mutation::Swap(k, w) => {
            let words: Vec<(usize, usize)> = {
                let b = src.as_bytes();
                let mut v = Vec::new();
                let mut i = 0;
                while i < b.len() {
                    if b[i].is_ascii_alphanumeric() || b[i] == b'_' {
                        let s = i;
                        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                            i += 1;
                        }
                        v.push((s, i));
                    } else {
                        i += 1;
                    }
                }
                v
            };
            if words.is_empty() {
                return src.to_string();
            }
            let (s, e) = words[k % words.len()];
            format!("{}{}{}", &src[..s], w, &src[e..])
        }
        Mutation::Delete(a, n) => {
            let s = floor_boundary(src, a % (src.len() + 1));
            let e = floor_boundary(src, s + n);
            format!("{}{}", &src[..s], &src[e..])
        }
        Mutation::Insert(a, w) => {
            let s = floor_boundary(src, a % (src.len() + 1));
            format!("{} {w} {}", &src[..s], &src[s..])
        }
    }
}

/// Parse; if accepted, check on a 1 MiB stack with a deadline.
fn check_guarded(src: String) -> bool {
    let Ok((prog, _)) = parse(&src) else { return false };
    let (tx, rx) = mpsc::channel();
    let s2 = src.clone();
    let handle = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || {
            for opts in [CheckOptions::default(), CheckOptions { reject_unsupported: false }] {
                let diags = match check_with(&prog, opts) {
                    Ok(c) => c.warnings,
                    Err(e) => {
                        assert!(!e.is_empty());
                        e
                    }
                };
                for d in &diags {
                    assert!(d.span.start <= d.span.end && d.span.end <= s2.len(), "span {:?} outside source", d.span);
                }
                let _ = render_diagnostics(&diags, "fuzz.stan", &s2);
            }
            let _ = check(&prog);
            let _ = tx.send(());
        })
        .expect("spawn");
    match rx.recv_timeout(Duration::from_secs(20)) {
        Ok(()) => {
            let _ = handle.join();
        }
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("checker did not terminate on {src:?}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("checker panicked on {src:?}"),
    }
    true
}

proptest! {
    // PROPTEST_CASES overrides the number of cases (default 400).
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(400),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn checker_never_panics_on_mutated_programs(pick in any::<usize>(), muts in prop::collection::vec(mutation(), 1..4)) {
        let progs = programs();
        let mut src = progs[pick % progs.len()].clone();
        for m in &muts {
            src = apply(&src, m);
        }
        check_guarded(src);
    }
}

/// Enough mutated programs are accepted by the parser for the property to
/// exercise the checker (not just the parser's error path).
#[test]
fn many_mutants_reach_the_checker() {
    let progs = programs();
    let mut reached = 0;
    let mut total = 0;
    for (pi, p) in progs.iter().enumerate() {
        for (wi, w) in WORDS.iter().enumerate() {
            for k in [3usize, 17, 41, 97] {
                total += 1;
                if check_guarded(apply(p, &Mutation::Swap(k * (wi + 1) + pi, w))) {
                    reached += 1;
                }
            }
        }
    }
    assert!(reached * 4 > total, "only {reached} of {total} mutants parsed");
}
