//! Checker run over a sample of stanc3's own test programs, fetched by hand
//! into /work/scratch-stanc3/good/ (not committed: those programs are not
//! ours). Run with
//! `cargo test -p exmc-stan --test check_stanc3_sample -- --ignored --nocapture`.
//! Prints one line per program that parses; fails if the checker panics.
//! Programs that use features exmc does not parse yet are skipped.

use exmc_stan::{check_with, parse, CheckOptions};

#[test]
#[ignore]
fn stanc3_good_programs_check() {
    let dir = "/work/scratch-stanc3/good";
    let mut entries: Vec<_> = std::fs::read_dir(dir).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
    entries.sort();
    let (mut ok, mut rejected) = (0, 0);
    for path in entries {
        let Ok(src) = std::fs::read_to_string(&path) else { continue };
        let name = path.file_name().and_then(|f| f.to_str()).unwrap_or("?").to_string();
        let Ok((prog, _)) = parse(&src) else {
            println!("SKIP  {name} (does not parse)");
            continue;
        };
        let r = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(move || check_with(&prog, CheckOptions { reject_unsupported: false }).map(|c| c.warnings.len()))
            .expect("spawn")
            .join()
            .unwrap_or_else(|_| panic!("checker panicked on {name}"));
        match r {
            Ok(_) => {
                ok += 1;
                println!("OK    {name}");
            }
            Err(e) => {
                rejected += 1;
                let first = e.iter().find(|d| d.severity == exmc_stan::Severity::Error).unwrap_or(&e[0]);
                let (l, c) = first.line_col(&src);
                println!("ERROR {name}:{l}:{c}: {}", first.message);
            }
        }
    }
    println!("{ok} checked, {rejected} rejected");
}
