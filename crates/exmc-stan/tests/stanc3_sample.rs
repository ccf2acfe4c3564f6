//! Stress test over a sample of stanc3's own test programs, fetched by hand
//! into /work/scratch-stanc3/{good,bad}/ (not committed: those programs are
//! not ours). Run with
//! `cargo test -p exmc-stan --test stanc3_sample -- --ignored --nocapture`.
//! Prints one line per program; fails if any program panics the parser.

use std::path::Path;

fn run_dir(dir: &Path) -> (usize, usize, Vec<String>) {
    let mut ok = 0;
    let mut failed = 0;
    let mut lines = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
    entries.sort();
    for path in entries {
        let Ok(src) = std::fs::read_to_string(&path) else { continue };
        let name = path.file_name().and_then(|f| f.to_str()).unwrap_or("?").to_string();
        let src2 = src.clone();
        let r = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(move || exmc_stan::parse(&src2).map(|(_, w)| w.len()))
            .expect("spawn")
            .join();
        match r {
            Err(_) => panic!("parser panicked on {name}"),
            Ok(Ok(nw)) => {
                ok += 1;
                lines.push(format!("OK    {name} ({nw} warnings)"));
            }
            Ok(Err(e)) => {
                failed += 1;
                let (l, c) = e[0].line_col(&src);
                lines.push(format!("ERROR {name}:{l}:{c}: {}", e[0].message));
            }
        }
    }
    (ok, failed, lines)
}

#[test]
#[ignore = "needs programs fetched into /work/scratch-stanc3"]
fn stanc3_sample() {
    let root = Path::new("/work/scratch-stanc3");
    for sub in ["good", "bad"] {
        let (ok, failed, lines) = run_dir(&root.join(sub));
        println!("== {sub}: {ok} parse, {failed} rejected");
        for l in lines {
            println!("{l}");
        }
    }
}
