//! `exmc`, the command line: `sample`, `summary`, `bench`, `check`, `validate`.
//!
//! Exit codes: see [`error`].

mod bench;
mod check;
mod cli;
mod error;
mod init;
mod progress;
mod sample;
mod summary;
mod validate;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    let result = match args.command {
        cli::Command::Sample(a) => sample::run(a),
        cli::Command::Summary(a) => summary::run(a),
        cli::Command::Bench(a) => bench::run(a),
        cli::Command::Check(a) => check::run(a),
        cli::Command::Validate(a) => validate::run(a),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            // Rendered Stan diagnostics carry their own "error:" heading.
            if e.message.starts_with("error") {
                eprintln!("{e}");
            } else {
                eprintln!("error: {e}");
            }
            ExitCode::from(e.code)
        }
    }
}
