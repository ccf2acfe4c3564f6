//! exmc-report: MCMC diagnostics ([`diag`]), posterior summaries, and CmdStan CSV
//! input/output.

pub mod diag;
mod special;
