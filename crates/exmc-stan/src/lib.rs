//! exmc-stan: the Stan-language front end.
//!
//! This crate holds the syntax layer: [`lexer`] (source → tokens), [`parser`]
//! (tokens → [`ast::Program`], every node with a byte [`Span`]), and
//! [`diagnostic`] (errors/warnings rendered as `file:line:col` with the source
//! line and a caret), [`check`] (type checker: the type of every expression,
//! resolved calls, block rules; see [`check::CheckedProgram`]), [`library`]
//! (Stan's builtin functions and distributions with signatures and what exmc
//! implements) and [`data`] (CmdStan JSON data, validated against the data
//! block). Lowering to the model IR builds on the checked program.
//!
//! ```
//! let src = "parameters { real mu; } model { mu ~ normal(0, 1); }";
//! let (prog, warnings) = exmc_stan::parse(src).expect("valid program");
//! assert!(warnings.is_empty());
//! assert_eq!(
//!     exmc_stan::sexpr::program(&prog),
//!     "(program (parameters (decl real mu)) (model (~ mu normal 0 1)))"
//! );
//! ```

pub mod ast;
pub mod check;
pub mod data;
pub mod diagnostic;
pub mod lexer;
pub mod library;
mod parser;
pub mod sexpr;
pub mod token;

pub use ast::Program;
pub use check::{check, check_with, CheckOptions, CheckedProgram};
pub use diagnostic::{render, Diagnostic, Severity, Warning};
pub use parser::{MAX_CHAIN, MAX_DEPTH};
pub use token::Span;

/// Parse a Stan program.
///
/// On success returns the program and the deprecation warnings (legacy syntax
/// that was accepted). On failure returns one or more errors (the parser
/// recovers at statement boundaries to report several independent errors).
/// Never panics.
pub fn parse(source: &str) -> Result<(Program, Vec<Warning>), Vec<Diagnostic>> {
    let lexed = lexer::lex(source);
    if !lexed.errors.is_empty() {
        return Err(lexed.errors);
    }
    let (prog, errors, mut warnings) = parser::parse_tokens(source, lexed.tokens);
    match prog {
        Some(p) if errors.is_empty() => {
            let mut all = lexed.warnings;
            all.append(&mut warnings);
            all.sort_by_key(|w| w.span.start);
            Ok((p, all))
        }
        _ => Err(errors),
    }
}

/// Render diagnostics (errors or warnings) as plain text; see [`diagnostic::render`].
pub fn render_diagnostics(diags: &[Diagnostic], file_name: &str, source: &str) -> String {
    render(diags, file_name, source)
}

pub mod lower;
pub use lower::{BuildError, LowerError, StanModel, StanOutputs};
