//! Errors and warnings with source spans, and their rendering.
//!
//! A [`Diagnostic`] points at a byte range of the source, says what is wrong
//! and may carry secondary labels (e.g. "the '{' opened here"), notes and a
//! help line. [`render`] turns a list of them into the familiar
//! `file:line:col` report with the source line and carets, using
//! `codespan-reporting` with colour off.

use crate::token::Span;
use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One error or warning about the source.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// One-line summary, e.g. `expected ';' after expression, found 'real'`.
    pub message: String,
    /// Where the problem is.
    pub span: Span,
    /// Optional text under the primary caret.
    pub label: Option<String>,
    /// Other relevant places, each with a short text.
    pub secondary: Vec<(Span, String)>,
    /// Extra explanation lines.
    pub notes: Vec<String>,
    /// A suggestion the user can act on.
    pub help: Option<String>,
}

/// Deprecation and other non-fatal messages have the same shape as errors.
pub type Warning = Diagnostic;

impl Diagnostic {
    pub fn error(span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            span,
            label: None,
            secondary: Vec::new(),
            notes: Vec::new(),
            help: None,
        }
    }
    pub fn warning(span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(span, message) }
    }
    pub fn with_label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }
    pub fn with_secondary(mut self, span: Span, text: impl Into<String>) -> Diagnostic {
        self.secondary.push((span, text.into()));
        self
    }
    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// 1-based (line, column) of the start of the primary span; the column
    /// counts characters.
    pub fn line_col(&self, source: &str) -> (usize, usize) {
        line_col(source, self.span.start)
    }

    fn to_codespan(&self, source_len: usize) -> cs::Diagnostic<()> {
        let clamp = |s: Span| {
            let start = s.start.min(source_len);
            start..s.end.clamp(start, source_len)
        };
        let mut primary = cs::Label::primary((), clamp(self.span));
        if let Some(l) = &self.label {
            primary = primary.with_message(l);
        }
        let mut labels = vec![primary];
        for (s, text) in &self.secondary {
            labels.push(cs::Label::secondary((), clamp(*s)).with_message(text));
        }
        let mut notes = self.notes.clone();
        if let Some(h) = &self.help {
            notes.push(format!("help: {h}"));
        }
        let d = match self.severity {
            Severity::Error => cs::Diagnostic::error(),
            Severity::Warning => cs::Diagnostic::warning(),
        };
        d.with_message(&self.message).with_labels(labels).with_notes(notes)
    }
}

/// 1-based (line, column) of byte `offset` in `source`; columns count chars.
/// Offsets past the end (or inside a UTF-8 sequence) are clamped.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let mut off = offset.min(source.len());
    while !source.is_char_boundary(off) {
        off -= 1;
    }
    let before = &source[..off];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let col = source[line_start..off].chars().count() + 1;
    (line, col)
}

/// Render diagnostics as plain text (no colour):
///
/// ```text
/// error: expected ';' after expression, found 'real'
///   ┌─ model.stan:3:10
///   │
/// 3 │   y = x + 1
///   │          ^ ...
/// ```
pub fn render(diags: &[Diagnostic], file_name: &str, source: &str) -> String {
    let file = SimpleFile::new(file_name, source);
    let mut out = term::termcolor::NoColor::new(Vec::<u8>::new());
    let config = term::Config::default();
    for d in diags {
        let cd = d.to_codespan(source.len());
        if term::emit(&mut out, &config, &file, &cd).is_err() {
            // Fall back to a plain line if codespan cannot render the span.
            let (l, c) = d.line_col(source);
            let sev = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let fallback = format!("{sev}: {}\n  at {file_name}:{l}:{c}\n", d.message);
            out.get_mut().extend_from_slice(fallback.as_bytes());
        }
    }
    String::from_utf8_lossy(&out.into_inner()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_lines_and_chars() {
        let src = "ab\ncdé\nf";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 3), (2, 1));
        assert_eq!(line_col(src, 7), (2, 4)); // after 'é' (2 bytes)
        assert_eq!(line_col(src, 100), (3, 2));
    }

    #[test]
    fn render_shows_file_line_col_and_caret() {
        let src = "model {\n  y = 1\n}\n";
        let d = Diagnostic::error(Span::new(15, 16), "expected ';' after expression, found '}'")
            .with_label("expected ';' here")
            .with_help("add ';'");
        let text = render(&[d], "m.stan", src);
        assert!(text.contains("error: expected ';' after expression, found '}'"), "{text}");
        assert!(text.contains("m.stan:2:8"), "{text}");
        assert!(text.contains("  y = 1"), "{text}");
        assert!(text.contains('^'), "{text}");
        assert!(text.contains("help: add ';'"), "{text}");
    }

    #[test]
    fn render_survives_out_of_range_spans() {
        let d = Diagnostic::error(Span::new(50, 70), "boom");
        let text = render(&[d], "x.stan", "abc");
        assert!(text.contains("boom"));
    }
}
