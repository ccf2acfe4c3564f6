//! Robustness: random bytes, token soups and mutations of valid programs
//! never panic, always terminate, and every diagnostic points inside the
//! source and renders.

use exmc_stan::{parse, render_diagnostics};
use proptest::prelude::*;
use std::sync::mpsc;
use std::time::Duration;

/// Parse on a thread with a small (1 MiB) stack and a deadline, then check
/// the diagnostics. Panics (failing the property) on crash, hang or bad span.
fn parse_guarded(src: String) {
    let (tx, rx) = mpsc::channel();
    let s2 = src.clone();
    let handle = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || {
            let r = parse(&s2);
            let diags = match &r {
                Ok((_, w)) => w.clone(),
                Err(e) => {
                    assert!(!e.is_empty(), "error result without diagnostics");
                    e.clone()
                }
            };
            for d in &diags {
                assert!(d.span.start <= d.span.end && d.span.end <= s2.len(), "span {:?} outside source", d.span);
            }
            let _ = render_diagnostics(&diags, "fuzz.stan", &s2);
            let _ = tx.send(());
        })
        .expect("spawn");
    match rx.recv_timeout(Duration::from_secs(20)) {
        Ok(()) => {
            let _ = handle.join();
        }
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("parser did not terminate on {src:?}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("parser panicked on {src:?}"),
    }
}

const VOCAB: &[&str] = &[
    "functions", "data", "transformed", "parameters", "model", "generated", "quantities", "{", "}", "(", ")",
    "[", "]", "<", ">", "<=", ">=", "==", "!=", "=", "+=", "-=", "*=", "/=", ".*=", "./=", "<-", "~", "|", ",",
    ";", ":", "?", "+", "-", "*", "/", "%", "\\", "%/%", ".*", "./", "^", ".^", "'", "!", "&&", "||", "real",
    "int", "vector", "row_vector", "matrix", "array", "simplex", "cholesky_factor_cov", "complex", "tuple",
    "lower", "upper", "offset", "multiplier", "T", "for", "in", "while", "if", "else", "break", "continue",
    "return", "void", "print", "reject", "fatal_error", "target", "jacobian", "profile", "get_lp",
    "increment_log_prob", "x", "y", "mu", "normal", "normal_lpdf", "foo_rng", "1", "2.5", ".5", "1e-3", "\"s\"",
    "#", "//", "/*", "*/", "\n",
];

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(VOCAB), 0..80).prop_map(|v| v.join(" "))
}

fn programs() -> Vec<String> {
    let dir = format!("{}/tests/programs", env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("programs").flatten() {
        if let Ok(s) = std::fs::read_to_string(e.path()) {
            out.push(s);
        }
    }
    out.sort();
    out
}

#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize, usize),
    Insert(usize, &'static str),
    Duplicate(usize, usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1usize..20).prop_map(|(a, n)| Mutation::Delete(a, n)),
        (any::<usize>(), prop::sample::select(VOCAB)).prop_map(|(a, t)| Mutation::Insert(a, t)),
        (any::<usize>(), 1usize..40).prop_map(|(a, n)| Mutation::Duplicate(a, n)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn apply(src: &str, muts: &[Mutation]) -> String {
    let mut b: Vec<u8> = src.as_bytes().to_vec();
    for m in muts {
        let len = b.len().max(1);
        match *m {
            Mutation::Delete(a, n) => {
                let s = a % len;
                let e = (s + n).min(b.len());
                if s < e {
                    b.drain(s..e);
                }
            }
            Mutation::Insert(a, t) => {
                let s = (a % len).min(b.len());
                for (i, c) in t.bytes().enumerate() {
                    b.insert(s + i, c);
                }
            }
            Mutation::Duplicate(a, n) => {
                let s = a % len;
                let e = (s + n).min(b.len());
                if s < e {
                    let chunk: Vec<u8> = b[s..e].to_vec();
                    let at = e.min(b.len());
                    b.splice(at..at, chunk);
                }
            }
            Mutation::Truncate(a) => {
                let s = a % len;
                b.truncate(s);
            }
        }
    }
    String::from_utf8_lossy(&b).into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, .. ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        parse_guarded(String::from_utf8_lossy(&bytes).into_owned());
    }

    #[test]
    fn random_ascii_never_panics(s in "[ -~\n]{0,300}") {
        parse_guarded(s);
    }

    #[test]
    fn token_soup_never_panics(s in soup()) {
        parse_guarded(s);
    }

    #[test]
    fn token_soup_inside_a_block_never_panics(s in soup()) {
        parse_guarded(format!("model {{ {s} }}"));
        parse_guarded(format!("functions {{ real f(real x) {{ {s} }} }}"));
        parse_guarded(format!("data {{ real<lower={s}> x; }}"));
    }

    #[test]
    fn mutated_programs_never_panic(which in any::<usize>(), muts in prop::collection::vec(mutation(), 1..6)) {
        let progs = programs();
        let src = &progs[which % progs.len()];
        parse_guarded(apply(src, &muts));
    }
}

#[test]
fn deep_nesting_on_a_small_stack() {
    for open in ["(", "{", "[", "-", "!", "f(", "x[", "a ? ", "1 ^ "] {
        parse_guarded(format!("model {{ x = {}1; }}", open.repeat(3000)));
        parse_guarded(format!("model {{ {} }}", open.repeat(3000)));
    }
    parse_guarded(format!("model {{ {} }}", "if (a) ".repeat(3000)));
    parse_guarded(format!("model {{ {} x = 1; }}", "for (i in 1:2) ".repeat(3000)));
    parse_guarded(format!("model {{ {}", "{".repeat(100_000)));
}
