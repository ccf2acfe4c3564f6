//! Stress test over stanc3's own test programs (test/integration/good/** and
//! bad/**), fetched by hand into /work/scratch-stanc3/{good,bad}/ with the
//! folder path flattened into the file name (not committed: those programs
//! are not ours). Run with
//! `cargo test -p exmc-stan --test stanc3_sample -- --ignored --nocapture`.
//!
//! Each program is parsed and checked on its own thread (2 MiB stack, the
//! size callers get by default) and classified:
//! good accepted / good refused "not supported" (every error says so) /
//! good refused otherwise / bad rejected / bad accepted / crashed.
//! Prints one line per program that is not in an expected class, then a
//! summary line; fails if any program panics the front end.
//! (`/work/scratch-stanc3/drive.py` does the same through `exmc check`, one
//! process per file, which also catches stack overflows and hangs.)

use std::collections::BTreeMap;
use std::path::Path;

/// Outcome of parse + check: Ok, or the error messages.
fn front_end(src: String) -> Result<(), Vec<String>> {
    let (prog, _) = exmc_stan::parse(&src).map_err(|e| e.iter().map(|d| d.message.clone()).collect::<Vec<_>>())?;
    exmc_stan::check(&prog).map(|_| ()).map_err(|e| {
        e.iter().filter(|d| d.severity == exmc_stan::Severity::Error).map(|d| d.message.clone()).collect()
    })
}

fn classify(good: bool, r: &Result<Result<(), Vec<String>>, ()>) -> &'static str {
    match (good, r) {
        (_, Err(())) => "crashed",
        (true, Ok(Ok(()))) => "good accepted",
        (true, Ok(Err(e))) if e.iter().all(|m| m.contains("not supported")) => "good refused: not supported",
        (true, Ok(Err(_))) => "good refused otherwise",
        (false, Ok(Err(_))) => "bad rejected",
        (false, Ok(Ok(()))) => "bad accepted",
    }
}

#[test]
#[ignore = "needs programs fetched into /work/scratch-stanc3"]
fn stanc3_sample() {
    let root = Path::new("/work/scratch-stanc3");
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (sub, good) in [("good", true), ("bad", false)] {
        let mut entries: Vec<_> =
            std::fs::read_dir(root.join(sub)).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
        entries.retain(|p| p.extension().is_some_and(|x| x == "stan"));
        entries.sort();
        for path in entries {
            let Ok(src) = std::fs::read_to_string(&path) else { continue };
            let name = path.file_name().and_then(|f| f.to_str()).unwrap_or("?").to_string();
            let r = std::thread::Builder::new()
                .stack_size(2 << 20)
                .spawn(move || front_end(src))
                .expect("spawn")
                .join()
                .map_err(|_| ());
            let class = classify(good, &r);
            *counts.entry(class).or_default() += 1;
            if !matches!(class, "good accepted" | "good refused: not supported" | "bad rejected") {
                let first = match &r {
                    Ok(Err(e)) => e.iter().find(|m| !m.contains("not supported")).cloned().unwrap_or_default(),
                    _ => String::new(),
                };
                println!("{class:28} {sub}/{name}: {first}");
            }
        }
    }
    let summary: Vec<String> = counts.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    println!("SUMMARY {}", summary.join(", "));
    assert_eq!(counts.get("crashed"), None, "the front end panicked on some programs");
}
