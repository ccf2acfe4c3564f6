//! `exmc summary FILES...`: read CmdStan CSV files (ours or CmdStan's), one
//! per chain, and print the summary.

use crate::cli::{FormatArg, SummaryArgs};
use crate::error::{CliError, EXIT_OK};
use exmc::report::csv::read_cmdstan_csv;
use exmc::report::summary::{summarize, SamplerTotals, Summary};
use exmc::report::ChainDraws;

pub fn run(a: SummaryArgs) -> Result<u8, CliError> {
    let mut files = Vec::with_capacity(a.files.len());
    for p in &a.files {
        files.push(read_cmdstan_csv(p).map_err(|e| CliError::files(e.to_string()))?);
    }
    let first = &files[0];
    if let Some(f) = files.iter().find(|f| f.column_names != first.column_names) {
        return Err(CliError::files(format!(
            "{} has different columns from {} (are they chains of one run?)",
            f.path.display(),
            first.path.display()
        )));
    }
    let mut chains: Vec<ChainDraws> = files.iter().map(|f| f.to_chain_draws()).collect();
    let n = chains.iter().map(ChainDraws::num_draws).min().unwrap_or(0);
    if n == 0 {
        let empty = files.iter().find(|f| f.draws.is_empty()).map_or(first, |f| f);
        return Err(CliError::files(format!("{}: no post-warmup draws", empty.path.display())));
    }
    if chains.iter().any(|c| c.num_draws() != n) {
        let counts: Vec<String> = files.iter().map(|f| format!("{}: {}", f.path.display(), f.draws.len())).collect();
        eprintln!(
            "warning: the files hold different numbers of draws ({}); using the first {n} of each",
            counts.join(", ")
        );
        for c in &mut chains {
            for col in &mut c.columns {
                col.truncate(n);
            }
        }
    }
    let totals = SamplerTotals::from_csv(&files);
    let summary = summarize(&chains, &totals).map_err(CliError::files)?;
    print_summary(&summary, a.format);
    Ok(EXIT_OK)
}

/// Prints the summary on stdout in the chosen format.
pub fn print_summary(s: &Summary, format: FormatArg) {
    match format {
        FormatArg::Table => print!("{}", s.to_table()),
        FormatArg::Json => println!("{}", s.to_json_string(true)),
    }
}
