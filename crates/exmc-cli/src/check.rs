//! `exmc check FILES...`: parse and type-check Stan programs, as a linter.
//! Messages are `file:line:col` with the source line and a caret; exit 0
//! when every file is valid (warnings allowed), 1 when any has an error, 3
//! when a file cannot be read.

use crate::cli::CheckArgs;
use crate::error::{CliError, EXIT_OK};

/// Exit code for programs with errors (the linter convention).
pub const EXIT_INVALID: u8 = 1;

pub fn run(a: CheckArgs) -> Result<u8, CliError> {
    let mut code = EXIT_OK;
    for path in &a.files {
        let name = path.display().to_string();
        let source = std::fs::read_to_string(path).map_err(|e| CliError::files(format!("cannot read {name}: {e}")))?;
        match check_source(&source) {
            Ok(warnings) => {
                if !warnings.is_empty() {
                    eprint!("{}", exmc_stan::render_diagnostics(&warnings, &name, &source));
                }
                println!("{name}: ok");
            }
            Err(diags) => {
                eprint!("{}", exmc_stan::render_diagnostics(&diags, &name, &source));
                println!("{name}: {} error{}", diags.iter().filter(|d| d.severity == exmc_stan::Severity::Error).count(), if diags.len() == 1 { "" } else { "s" });
                code = EXIT_INVALID;
            }
        }
    }
    Ok(code)
}

/// Parse, then type-check (unsupported functions are errors too).
fn check_source(source: &str) -> Result<Vec<exmc_stan::Diagnostic>, Vec<exmc_stan::Diagnostic>> {
    // Never let a front-end bug take the linter down: report it as an error.
    let result = std::panic::catch_unwind(|| {
        let (program, mut warnings) = exmc_stan::parse(source)?;
        let checked = exmc_stan::check(&program)?;
        warnings.extend(checked.warnings);
        Ok(warnings)
    });
    match result {
        Ok(r) => r,
        Err(_) => Err(vec![exmc_stan::Diagnostic::error(
            exmc_stan::Span::new(0, 0),
            "internal error in the Stan front end (please report this program)",
        )]),
    }
}
