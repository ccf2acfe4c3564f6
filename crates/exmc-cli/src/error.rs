//! Exit codes and the error type every subcommand returns.
//!
//! | code | meaning |
//! |------|---------|
//! | 0    | success |
//! | 2    | bad arguments: syntax (clap), unknown model, settings no chain can use |
//! | 3    | files: an input file is missing or malformed, an output file cannot be written |
//! | 4    | some chain failed (files are written, the others are summarised) |
//! | 130  | interrupted by Ctrl-C (files hold every finished draw) |

use std::fmt;

pub const EXIT_OK: u8 = 0;
pub const EXIT_USAGE: u8 = 2;
pub const EXIT_FILES: u8 = 3;
pub const EXIT_CHAIN_FAILED: u8 = 4;
pub const EXIT_INTERRUPTED: u8 = 130;

/// An error with its exit code; shown as one line `error: message`.
#[derive(Debug, Clone, PartialEq)]
pub struct CliError {
    pub code: u8,
    pub message: String,
}

impl CliError {
    pub fn usage(message: impl Into<String>) -> Self {
        CliError { code: EXIT_USAGE, message: message.into() }
    }
    pub fn files(message: impl Into<String>) -> Self {
        CliError { code: EXIT_FILES, message: message.into() }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
