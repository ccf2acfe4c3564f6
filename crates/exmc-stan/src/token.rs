//! Tokens of the Stan language and source spans.
//!
//! A [`Span`] is a half-open byte range `start..end` into the source text; every
//! token and every AST node carries one so that diagnostics can point at it.

use std::fmt;

/// Half-open byte range `start..end` into the source.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }
    /// The smallest span covering `self` and `other`.
    pub fn to(self, other: Span) -> Span {
        Span { start: self.start.min(other.start), end: self.end.max(other.end) }
    }
    /// Empty span at the end of `self`.
    pub fn end_point(self) -> Span {
        Span { start: self.end, end: self.end }
    }
    pub fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }
}

/// Reserved words of Stan (and a few legacy ones the parser recognises).
///
/// Block names `transformed`, `generated`, `quantities` and the contextual
/// words `lower`, `upper`, `offset`, `multiplier`, `T`, `jacobian` are plain
/// identifiers that the parser interprets by position.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Keyword {
    Functions,
    Data,
    Parameters,
    Model,
    // control flow
    For,
    In,
    While,
    If,
    Else,
    Break,
    Continue,
    Return,
    // types
    Void,
    Int,
    Real,
    Complex,
    Vector,
    RowVector,
    Matrix,
    ComplexVector,
    ComplexRowVector,
    ComplexMatrix,
    Array,
    Tuple,
    Ordered,
    PositiveOrdered,
    Simplex,
    UnitVector,
    SumToZeroVector,
    SumToZeroMatrix,
    CholeskyFactorCorr,
    CholeskyFactorCov,
    CorrMatrix,
    CovMatrix,
    ColumnStochasticMatrix,
    RowStochasticMatrix,
    // statements / builtins with special syntax
    Print,
    Reject,
    FatalError,
    Target,
    Profile,
    // legacy
    GetLp,
    IncrementLogProb,
}

impl Keyword {
    /// Map an identifier-shaped word to a keyword.
    pub fn from_word(w: &str) -> Option<Keyword> {
        use Keyword::*;
        Some(match w {
            "functions" => Functions,
            "data" => Data,
            "parameters" => Parameters,
            "model" => Model,
            "for" => For,
            "in" => In,
            "while" => While,
            "if" => If,
            "else" => Else,
            "break" => Break,
            "continue" => Continue,
            "return" => Return,
            "void" => Void,
            "int" => Int,
            "real" => Real,
            "complex" => Complex,
            "vector" => Vector,
            "row_vector" => RowVector,
            "matrix" => Matrix,
            "complex_vector" => ComplexVector,
            "complex_row_vector" => ComplexRowVector,
            "complex_matrix" => ComplexMatrix,
            "array" => Array,
            "tuple" => Tuple,
            "ordered" => Ordered,
            "positive_ordered" => PositiveOrdered,
            "simplex" => Simplex,
            "unit_vector" => UnitVector,
            "sum_to_zero_vector" => SumToZeroVector,
            "sum_to_zero_matrix" => SumToZeroMatrix,
            "cholesky_factor_corr" => CholeskyFactorCorr,
            "cholesky_factor_cov" => CholeskyFactorCov,
            "corr_matrix" => CorrMatrix,
            "cov_matrix" => CovMatrix,
            "column_stochastic_matrix" => ColumnStochasticMatrix,
            "row_stochastic_matrix" => RowStochasticMatrix,
            "print" => Print,
            "reject" => Reject,
            "fatal_error" => FatalError,
            "target" => Target,
            "profile" => Profile,
            "get_lp" => GetLp,
            "increment_log_prob" => IncrementLogProb,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        use Keyword::*;
        match self {
            Functions => "functions",
            Data => "data",
            Parameters => "parameters",
            Model => "model",
            For => "for",
            In => "in",
            While => "while",
            If => "if",
            Else => "else",
            Break => "break",
            Continue => "continue",
            Return => "return",
            Void => "void",
            Int => "int",
            Real => "real",
            Complex => "complex",
            Vector => "vector",
            RowVector => "row_vector",
            Matrix => "matrix",
            ComplexVector => "complex_vector",
            ComplexRowVector => "complex_row_vector",
            ComplexMatrix => "complex_matrix",
            Array => "array",
            Tuple => "tuple",
            Ordered => "ordered",
            PositiveOrdered => "positive_ordered",
            Simplex => "simplex",
            UnitVector => "unit_vector",
            SumToZeroVector => "sum_to_zero_vector",
            SumToZeroMatrix => "sum_to_zero_matrix",
            CholeskyFactorCorr => "cholesky_factor_corr",
            CholeskyFactorCov => "cholesky_factor_cov",
            CorrMatrix => "corr_matrix",
            CovMatrix => "cov_matrix",
            ColumnStochasticMatrix => "column_stochastic_matrix",
            RowStochasticMatrix => "row_stochastic_matrix",
            Print => "print",
            Reject => "reject",
            FatalError => "fatal_error",
            Target => "target",
            Profile => "profile",
            GetLp => "get_lp",
            IncrementLogProb => "increment_log_prob",
        }
    }

    /// True for keywords that start a (sized or unsized) type.
    pub fn starts_type(self) -> bool {
        use Keyword::*;
        matches!(
            self,
            Int | Real
                | Complex
                | Vector
                | RowVector
                | Matrix
                | ComplexVector
                | ComplexRowVector
                | ComplexMatrix
                | Array
                | Tuple
                | Ordered
                | PositiveOrdered
                | Simplex
                | UnitVector
                | SumToZeroVector
                | SumToZeroMatrix
                | CholeskyFactorCorr
                | CholeskyFactorCov
                | CorrMatrix
                | CovMatrix
                | ColumnStochasticMatrix
                | RowStochasticMatrix
        )
    }
}

/// What a token is. Literal payloads keep the source text; the parser
/// converts numbers.
#[derive(Clone, Debug, PartialEq)]
pub enum TokenKind {
    Ident(String),
    Keyword(Keyword),
    /// Integer literal, e.g. `42`.
    IntLit(String),
    /// Real literal, e.g. `1.5`, `.5`, `2.`, `1e-3`.
    RealLit(String),
    /// String literal, without the quotes.
    StringLit(String),
    /// Imaginary literal `2.5i`, without the `i` (text `"2.5"`).
    ImagLit(String),
    /// Annotation `@name` (before a function or a top-level declaration),
    /// without the `@`.
    Annotation(String),

    // arithmetic
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    /// `\` left division
    Backslash,
    /// `%/%` integer division
    PercentSlashPercent,
    /// `.*`
    DotStar,
    /// `./`
    DotSlash,
    /// `^`
    Caret,
    /// `.^`
    DotCaret,
    /// `'` transpose
    Quote,
    // logical
    Bang,
    AndAnd,
    OrOr,
    EqEq,
    NotEq,
    Lt,
    Le,
    Gt,
    Ge,
    // ternary
    Question,
    Colon,
    // assignment
    Assign,
    PlusAssign,
    MinusAssign,
    StarAssign,
    SlashAssign,
    DotStarAssign,
    DotSlashAssign,
    /// legacy `<-`
    LArrow,
    // punctuation
    Tilde,
    Bar,
    Comma,
    Semi,
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    Eof,
}

impl TokenKind {
    /// Short human description used in "found ..." messages.
    pub fn describe(&self) -> String {
        match self {
            TokenKind::Ident(s) => format!("identifier '{s}'"),
            TokenKind::Keyword(k) => format!("'{}'", k.as_str()),
            TokenKind::IntLit(s) | TokenKind::RealLit(s) => format!("'{s}'"),
            TokenKind::StringLit(s) => format!("string \"{s}\""),
            TokenKind::ImagLit(s) => format!("'{s}i'"),
            TokenKind::Annotation(s) => format!("annotation '@{s}'"),
            TokenKind::Eof => "end of file".to_string(),
            other => format!("'{}'", other.punct_str()),
        }
    }

    /// The spelling of an operator or punctuation token.
    pub fn punct_str(&self) -> &'static str {
        use TokenKind::*;
        match self {
            Plus => "+",
            Minus => "-",
            Star => "*",
            Slash => "/",
            Percent => "%",
            Backslash => "\\",
            PercentSlashPercent => "%/%",
            DotStar => ".*",
            DotSlash => "./",
            Caret => "^",
            DotCaret => ".^",
            Quote => "'",
            Bang => "!",
            AndAnd => "&&",
            OrOr => "||",
            EqEq => "==",
            NotEq => "!=",
            Lt => "<",
            Le => "<=",
            Gt => ">",
            Ge => ">=",
            Question => "?",
            Colon => ":",
            Assign => "=",
            PlusAssign => "+=",
            MinusAssign => "-=",
            StarAssign => "*=",
            SlashAssign => "/=",
            DotStarAssign => ".*=",
            DotSlashAssign => "./=",
            LArrow => "<-",
            Tilde => "~",
            Bar => "|",
            Comma => ",",
            Semi => ";",
            LParen => "(",
            RParen => ")",
            LBracket => "[",
            RBracket => "]",
            LBrace => "{",
            RBrace => "}",
            Eof => "end of file",
            Ident(_) | Keyword(_) | IntLit(_) | RealLit(_) | StringLit(_) | ImagLit(_) | Annotation(_) => "",
        }
    }
}

impl fmt::Display for TokenKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

/// A token with its location.
#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}
