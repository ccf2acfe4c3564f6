//! Runs the posteriordb validation ([`exmc::validate`]) from the repository
//! root and prints the table as each posterior finishes, then the Markdown.
//!
//! ```text
//! cargo run --release -p exmc --example validate -- [--posteriors a,b] [--programs DIR]
//!     [--posteriordb DIR] [--seed N] [--retries N] [--draws N] [--warmup N] [--markdown FILE]
//! ```

use exmc::validate::{validate_with, ValidateOptions};
use std::path::PathBuf;

fn main() {
    let mut o = ValidateOptions::default();
    let mut markdown: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().unwrap_or_else(|| fail(&format!("{a} needs a value")));
        match a.as_str() {
            "--posteriors" => o.posteriors = val().split(',').filter(|s| !s.is_empty()).map(String::from).collect(),
            "--programs" => o.programs = val().into(),
            "--posteriordb" => o.posteriordb = val().into(),
            "--seed" => o.seed = val().parse().unwrap_or_else(|_| fail("--seed: not a number")),
            "--retries" => o.retries = val().parse().unwrap_or_else(|_| fail("--retries: not a number")),
            "--draws" => o.num_draws = val().parse().unwrap_or_else(|_| fail("--draws: not a number")),
            "--warmup" => o.num_warmup = val().parse().unwrap_or_else(|_| fail("--warmup: not a number")),
            "--markdown" => markdown = Some(val().into()),
            _ => fail(&format!("unknown argument {a}")),
        }
    }
    let report = validate_with(&o, &mut |r| eprintln!("{}", r.progress_line()));
    print!("{}", report.to_table());
    let md = report.to_markdown();
    match markdown {
        Some(p) => std::fs::write(&p, md).unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", p.display()))),
        None => println!("\n{md}"),
    }
    std::process::exit(if report.ok() { 0 } else { 1 });
}

fn fail(m: &str) -> ! {
    eprintln!("error: {m}");
    std::process::exit(2)
}
