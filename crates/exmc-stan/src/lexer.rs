//! The lexer: source text → tokens.
//!
//! Skips whitespace and comments (`//`, `/* */`, and the legacy `#`, which
//! yields a deprecation warning). `#include` is reported as unsupported.
//! Numbers follow stanc3's longest-match rule, so `2.*x` is `2.` `*` `x`.

use crate::diagnostic::Diagnostic;
use crate::token::{Keyword, Span, Token, TokenKind};

/// Result of lexing: tokens (always ending with `Eof`), errors and warnings.
#[derive(Debug, Default)]
pub struct Lexed {
    pub tokens: Vec<Token>,
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
}

/// Tokenise `src`. Never panics; unknown characters become errors and are skipped.
pub fn lex(src: &str) -> Lexed {
    let mut lx = Lexer { src, bytes: src.as_bytes(), pos: 0, out: Lexed::default() };
    lx.run();
    lx.out
}

struct Lexer<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    out: Lexed,
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}
fn is_ident_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl<'a> Lexer<'a> {
    fn peek(&self, k: usize) -> u8 {
        self.bytes.get(self.pos + k).copied().unwrap_or(0)
    }

    fn push(&mut self, kind: TokenKind, start: usize) {
        self.out.tokens.push(Token { kind, span: Span::new(start, self.pos) });
    }

    fn error(&mut self, span: Span, msg: impl Into<String>) -> &mut Diagnostic {
        self.out.errors.push(Diagnostic::error(span, msg));
        let n = self.out.errors.len();
        &mut self.out.errors[n - 1]
    }

    fn run(&mut self) {
        while self.pos < self.bytes.len() {
            let start = self.pos;
            let b = self.bytes[self.pos];
            match b {
                b' ' | b'\t' | b'\r' | b'\n' | 0x0c => self.pos += 1,
                b'/' if self.peek(1) == b'/' => self.skip_line(),
                b'/' if self.peek(1) == b'*' => self.block_comment(),
                b'#' => self.hash(),
                b'"' => self.string(),
                b'0'..=b'9' => self.number(),
                b'.' if self.peek(1).is_ascii_digit() => self.number(),
                b'@' if is_ident_start(self.peek(1)) => self.annotation(),
                _ if is_ident_start(b) => self.word(),
                _ if b >= 0x80 => {
                    let ch = self.src[start..].chars().next().unwrap_or('\u{FFFD}');
                    self.pos += ch.len_utf8().max(1);
                    let span = Span::new(start, self.pos);
                    self.error(span, format!("unexpected character '{ch}'"))
                        .notes
                        .push("Stan source may only use ASCII outside strings and comments".into());
                }
                _ => self.operator(),
            }
        }
        let end = self.bytes.len();
        self.out.tokens.push(Token { kind: TokenKind::Eof, span: Span::new(end, end) });
    }

    fn skip_line(&mut self) {
        while self.pos < self.bytes.len() && self.bytes[self.pos] != b'\n' {
            self.pos += 1;
        }
    }

    fn block_comment(&mut self) {
        let start = self.pos;
        self.pos += 2;
        loop {
            if self.pos >= self.bytes.len() {
                let open = Span::new(start, start + 2);
                let eof = Span::new(self.bytes.len(), self.bytes.len());
                let d = Diagnostic::error(eof, "unclosed comment: reached end of file inside '/* ... */'")
                    .with_secondary(open, "comment opened here")
                    .with_help("close the comment with '*/'");
                self.out.errors.push(d);
                return;
            }
            if self.bytes[self.pos] == b'*' && self.peek(1) == b'/' {
                self.pos += 2;
                return;
            }
            self.pos += 1;
        }
    }

    fn hash(&mut self) {
        let start = self.pos;
        let rest = &self.src[start + 1..];
        if rest.starts_with("include") {
            self.skip_line();
            let span = Span::new(start, self.pos);
            self.error(span, "'#include' is not supported")
                .help = Some("paste the included file's contents into the program".into());
            return;
        }
        self.skip_line();
        self.out.warnings.push(
            Diagnostic::warning(Span::new(start, start + 1), "'#' comments are deprecated")
                .with_help("use '//' for line comments"),
        );
    }

    fn string(&mut self) {
        let start = self.pos;
        self.pos += 1;
        loop {
            match self.bytes.get(self.pos) {
                None | Some(b'\n') => {
                    let span = Span::new(start, self.pos);
                    self.error(span, "unterminated string literal")
                        .help = Some("strings must end with '\"' on the same line".into());
                    return;
                }
                Some(b'"') => {
                    self.pos += 1;
                    let text = self.src[start + 1..self.pos - 1].to_string();
                    self.push(TokenKind::StringLit(text), start);
                    return;
                }
                // `\"` (and any other backslash pair) does not end the
                // string; the text is kept as written.
                Some(b'\\') if matches!(self.bytes.get(self.pos + 1), Some(&c) if c != b'\n') => self.pos += 2,
                Some(_) => self.pos += 1,
            }
        }
    }

    fn digits(&mut self) -> usize {
        let s = self.pos;
        while self.peek(0).is_ascii_digit() {
            self.pos += 1;
        }
        self.pos - s
    }

    fn number(&mut self) {
        let start = self.pos;
        let mut real = false;
        self.digits();
        if self.peek(0) == b'.' {
            real = true;
            self.pos += 1;
            self.digits();
        }
        if matches!(self.peek(0), b'e' | b'E') {
            let sign = matches!(self.peek(1), b'+' | b'-') as usize;
            if self.peek(1 + sign).is_ascii_digit() {
                real = true;
                self.pos += 1 + sign;
                self.digits();
            }
        }
        let text = self.src[start..self.pos].to_string();
        if self.peek(0) == b'i' && !is_ident_char(self.peek(1)) {
            self.pos += 1;
            self.push(TokenKind::ImagLit(text), start);
            return;
        }
        let kind = if real { TokenKind::RealLit(text) } else { TokenKind::IntLit(text) };
        self.push(kind, start);
    }

    /// `@name` annotation (stanc3 reads `@extern`, `@silent`).
    fn annotation(&mut self) {
        let start = self.pos;
        self.pos += 1;
        while is_ident_char(self.peek(0)) {
            self.pos += 1;
        }
        let name = self.src[start + 1..self.pos].to_string();
        self.push(TokenKind::Annotation(name), start);
    }

    fn word(&mut self) {
        let start = self.pos;
        while is_ident_char(self.peek(0)) {
            self.pos += 1;
        }
        let w = &self.src[start..self.pos];
        // A lone `_` is the placeholder of tuple unpacking `(x, _) = t;`.
        if w.starts_with('_') && w != "_" {
            let span = Span::new(start, self.pos);
            self.error(span, format!("identifier '{w}' must start with a letter"));
        }
        let kind = match Keyword::from_word(w) {
            Some(k) => TokenKind::Keyword(k),
            None => TokenKind::Ident(w.to_string()),
        };
        self.push(kind, start);
    }

    fn operator(&mut self) {
        use TokenKind::*;
        let start = self.pos;
        let (b0, b1, b2) = (self.peek(0), self.peek(1), self.peek(2));
        let (kind, len) = match (b0, b1, b2) {
            (b'%', b'/', b'%') => (PercentSlashPercent, 3),
            (b'.', b'*', b'=') => (DotStarAssign, 3),
            (b'.', b'/', b'=') => (DotSlashAssign, 3),
            (b'.', b'*', _) => (DotStar, 2),
            (b'.', b'/', _) => (DotSlash, 2),
            (b'.', b'^', _) => (DotCaret, 2),
            (b'<', b'-', _) => (LArrow, 2),
            (b'<', b'=', _) => (Le, 2),
            (b'>', b'=', _) => (Ge, 2),
            (b'=', b'=', _) => (EqEq, 2),
            (b'!', b'=', _) => (NotEq, 2),
            (b'&', b'&', _) => (AndAnd, 2),
            (b'|', b'|', _) => (OrOr, 2),
            (b'+', b'=', _) => (PlusAssign, 2),
            (b'-', b'=', _) => (MinusAssign, 2),
            (b'*', b'=', _) => (StarAssign, 2),
            (b'/', b'=', _) => (SlashAssign, 2),
            (b'%', _, _) => (Percent, 1),
            (b'+', _, _) => (Plus, 1),
            (b'-', _, _) => (Minus, 1),
            (b'*', _, _) => (Star, 1),
            (b'/', _, _) => (Slash, 1),
            (b'\\', _, _) => (Backslash, 1),
            (b'^', _, _) => (Caret, 1),
            (b'\'', _, _) => (Quote, 1),
            (b'!', _, _) => (Bang, 1),
            (b'<', _, _) => (Lt, 1),
            (b'>', _, _) => (Gt, 1),
            (b'=', _, _) => (Assign, 1),
            (b'?', _, _) => (Question, 1),
            (b':', _, _) => (Colon, 1),
            (b'~', _, _) => (Tilde, 1),
            (b'|', _, _) => (Bar, 1),
            (b',', _, _) => (Comma, 1),
            (b';', _, _) => (Semi, 1),
            (b'(', _, _) => (LParen, 1),
            (b')', _, _) => (RParen, 1),
            (b'[', _, _) => (LBracket, 1),
            (b']', _, _) => (RBracket, 1),
            (b'{', _, _) => (LBrace, 1),
            (b'}', _, _) => (RBrace, 1),
            _ => {
                self.pos += 1;
                let span = Span::new(start, self.pos);
                let ch = b0 as char;
                let d = self.error(span, format!("unexpected character '{}'", ch.escape_default()));
                if b0 == b'&' {
                    d.help = Some("logical and is written '&&'".into());
                }
                return;
            }
        };
        self.pos += len;
        self.push(kind, start);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use TokenKind::*;

    fn kinds(src: &str) -> Vec<TokenKind> {
        let l = lex(src);
        assert!(l.errors.is_empty(), "{:?}", l.errors);
        l.tokens.into_iter().map(|t| t.kind).collect()
    }

    #[test]
    fn numbers() {
        assert_eq!(
            kinds("1 1e-3 .5 2. 3.25E+2 7e"),
            vec![
                IntLit("1".into()),
                RealLit("1e-3".into()),
                RealLit(".5".into()),
                RealLit("2.".into()),
                RealLit("3.25E+2".into()),
                IntLit("7".into()),
                Ident("e".into()),
                Eof
            ]
        );
    }

    #[test]
    fn longest_match_on_dot_operators() {
        assert_eq!(kinds("2.*x"), vec![RealLit("2.".into()), Star, Ident("x".into()), Eof]);
        assert_eq!(kinds("a.*b"), vec![Ident("a".into()), DotStar, Ident("b".into()), Eof]);
        assert_eq!(kinds("a ./= b"), vec![Ident("a".into()), DotSlashAssign, Ident("b".into()), Eof]);
    }

    #[test]
    fn all_operators() {
        let src = "+ - * / % \\ %/% .* ./ ^ .^ ' ! && || == != < <= > >= ? : = += -= *= /= .*= ./= ~ | , ; ( ) [ ] { } <-";
        let expected = vec![
            Plus, Minus, Star, Slash, Percent, Backslash, PercentSlashPercent, DotStar, DotSlash, Caret,
            DotCaret, Quote, Bang, AndAnd, OrOr, EqEq, NotEq, Lt, Le, Gt, Ge, Question, Colon, Assign,
            PlusAssign, MinusAssign, StarAssign, SlashAssign, DotStarAssign, DotSlashAssign, Tilde, Bar,
            Comma, Semi, LParen, RParen, LBracket, RBracket, LBrace, RBrace, LArrow, Eof,
        ];
        assert_eq!(kinds(src), expected);
    }

    #[test]
    fn comments_and_keywords() {
        let l = lex("real x; // c\n/* multi\nline */ int # legacy\nvector");
        assert!(l.errors.is_empty());
        assert_eq!(l.warnings.len(), 1);
        assert_eq!(l.warnings[0].message, "'#' comments are deprecated");
        let k: Vec<_> = l.tokens.into_iter().map(|t| t.kind).collect();
        assert_eq!(
            k,
            vec![
                Keyword(crate::token::Keyword::Real),
                Ident("x".into()),
                Semi,
                Keyword(crate::token::Keyword::Int),
                Keyword(crate::token::Keyword::Vector),
                Eof
            ]
        );
    }

    #[test]
    fn strings_and_spans() {
        let l = lex("print(\"a b\");");
        assert_eq!(l.tokens[2].kind, StringLit("a b".into()));
        assert_eq!(l.tokens[2].span, Span::new(6, 11));
    }

    #[test]
    fn errors_with_locations() {
        let src = "model {\n /* never closed";
        let l = lex(src);
        assert_eq!(l.errors.len(), 1);
        assert!(l.errors[0].message.starts_with("unclosed comment"));
        assert_eq!(l.errors[0].secondary[0].0, Span::new(9, 11));

        let l = lex("#include foo.stan\n");
        assert_eq!(l.errors[0].message, "'#include' is not supported");
        assert_eq!(l.errors[0].span.start, 0);

        let l = lex("x = 2i + 1.5e1i; @extern real _;");
        assert!(l.errors.is_empty());
        assert_eq!(l.tokens[2].kind, TokenKind::ImagLit("2".into()));
        assert_eq!(l.tokens[4].kind, TokenKind::ImagLit("1.5e1".into()));
        assert_eq!(l.tokens[6].kind, TokenKind::Annotation("extern".into()));
        assert_eq!(l.tokens[8].kind, TokenKind::Ident("_".into()));

        let l = lex("a & b @ é \"open");
        let msgs: Vec<_> = l.errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            msgs,
            vec![
                "unexpected character '&'",
                "unexpected character '@'",
                "unexpected character 'é'",
                "unterminated string literal"
            ]
        );
    }
}
