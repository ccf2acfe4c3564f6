//! The abstract syntax tree of a Stan program.
//!
//! Every node carries the [`Span`] of the source it came from. Legacy syntax is
//! normalised while parsing (with a warning): `<-` becomes `=`,
//! `increment_log_prob(e)` becomes `target += e`, `get_lp()` becomes
//! `target()`, old array declarations `real y[N]` become `array[N] real y`.
//! Multiple declarators (`real a, b = 2;`) become one [`VarDecl`] each.

use crate::token::Span;

/// A name with its location.
#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A whole program: each block is optional; order is fixed by the language.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Program {
    pub functions: Option<FunctionsBlock>,
    pub data: Option<Block>,
    pub transformed_data: Option<Block>,
    pub parameters: Option<Block>,
    pub transformed_parameters: Option<Block>,
    pub model: Option<Block>,
    pub generated_quantities: Option<Block>,
    pub span: Span,
}

impl Program {
    /// The statement blocks present, in program order (functions excluded).
    pub fn blocks(&self) -> impl Iterator<Item = &Block> {
        [
            &self.data,
            &self.transformed_data,
            &self.parameters,
            &self.transformed_parameters,
            &self.model,
            &self.generated_quantities,
        ]
        .into_iter()
        .flatten()
    }
}

/// Which program block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BlockKind {
    Functions,
    Data,
    TransformedData,
    Parameters,
    TransformedParameters,
    Model,
    GeneratedQuantities,
}

impl BlockKind {
    pub const ALL: [BlockKind; 7] = [
        BlockKind::Functions,
        BlockKind::Data,
        BlockKind::TransformedData,
        BlockKind::Parameters,
        BlockKind::TransformedParameters,
        BlockKind::Model,
        BlockKind::GeneratedQuantities,
    ];
    /// The block's name as written in source, e.g. `"transformed data"`.
    pub fn name(self) -> &'static str {
        match self {
            BlockKind::Functions => "functions",
            BlockKind::Data => "data",
            BlockKind::TransformedData => "transformed data",
            BlockKind::Parameters => "parameters",
            BlockKind::TransformedParameters => "transformed parameters",
            BlockKind::Model => "model",
            BlockKind::GeneratedQuantities => "generated quantities",
        }
    }
    /// Top-level declarations in this block may carry constraints
    /// (`<lower=..>`, `simplex`, ...). False for `model` (locals only).
    pub fn allows_constraints(self) -> bool {
        !matches!(self, BlockKind::Model | BlockKind::Functions)
    }
    /// Only declarations without definitions (`data`, `parameters`).
    pub fn declarations_only(self) -> bool {
        matches!(self, BlockKind::Data | BlockKind::Parameters)
    }
}

/// A statement block: `data { ... }`, `model { ... }`, ...
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    pub kind: BlockKind,
    pub stmts: Vec<Stmt>,
    /// From the block name to the closing brace.
    pub span: Span,
}

/// The `functions { ... }` block.
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionsBlock {
    pub functions: Vec<FunDef>,
    pub span: Span,
}

// ---------------------------------------------------------------- functions

/// Naming convention a function name follows; it decides how the function may
/// be called (`~`, `|`, access to `target`, use of RNGs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FunSuffix {
    None,
    /// `_lpdf`: log density of a continuous variate (`foo_lpdf(y | theta)`).
    Lpdf,
    /// `_lpmf`: log mass of a discrete variate.
    Lpmf,
    /// `_lupdf`: density dropping constants.
    Lupdf,
    /// `_lupmf`: mass dropping constants.
    Lupmf,
    /// `_lcdf`, `_lccdf`: log (complementary) CDF.
    Lcdf,
    Lccdf,
    /// `_rng`: draws random numbers (transformed data / generated quantities).
    Rng,
    /// `_lp`: may access and increment `target`.
    Lp,
}

impl FunSuffix {
    /// Classify a function name by its suffix.
    pub fn of(name: &str) -> FunSuffix {
        const TABLE: [(&str, FunSuffix); 8] = [
            ("_lpdf", FunSuffix::Lpdf),
            ("_lpmf", FunSuffix::Lpmf),
            ("_lupdf", FunSuffix::Lupdf),
            ("_lupmf", FunSuffix::Lupmf),
            ("_lcdf", FunSuffix::Lcdf),
            ("_lccdf", FunSuffix::Lccdf),
            ("_rng", FunSuffix::Rng),
            ("_lp", FunSuffix::Lp),
        ];
        TABLE.iter().find(|(s, _)| name.ends_with(s)).map(|&(_, k)| k).unwrap_or(FunSuffix::None)
    }
    /// True for suffixes that allow the conditional call form `f(y | ...)`.
    pub fn is_conditional(self) -> bool {
        matches!(
            self,
            FunSuffix::Lpdf | FunSuffix::Lpmf | FunSuffix::Lupdf | FunSuffix::Lupmf | FunSuffix::Lcdf | FunSuffix::Lccdf
        )
    }
}

/// A user-defined function: a definition, or a forward declaration when
/// `body` is `None`.
#[derive(Clone, Debug, PartialEq)]
pub struct FunDef {
    pub return_type: ReturnType,
    pub name: Ident,
    pub suffix: FunSuffix,
    pub args: Vec<FunArg>,
    pub body: Option<Stmt>,
    /// Annotated `@extern`: defined outside Stan (in C++), so a forward
    /// declaration without a body is complete.
    pub external: bool,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ReturnType {
    Void,
    Type(UnsizedType),
}

/// A function argument: `data array[] real x`.
#[derive(Clone, Debug, PartialEq)]
pub struct FunArg {
    /// Declared with the `data` qualifier (must not depend on parameters).
    pub data_only: bool,
    pub ty: UnsizedType,
    pub name: Ident,
    pub span: Span,
}

/// Element type without sizes, for function signatures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnsizedBase {
    Int,
    Real,
    Vector,
    RowVector,
    Matrix,
    /// `complex`, `complex_vector`, ... (parsed; exmc does not support them).
    Complex,
    ComplexVector,
    ComplexRowVector,
    ComplexMatrix,
    /// `tuple(T1, T2, ...)`; the element types are in [`UnsizedType::tuple`].
    Tuple,
}

impl UnsizedBase {
    /// The unsupported feature this base belongs to, if any.
    pub fn unsupported(self) -> Option<&'static str> {
        match self {
            UnsizedBase::Complex | UnsizedBase::ComplexVector | UnsizedBase::ComplexRowVector | UnsizedBase::ComplexMatrix => {
                Some("complex types")
            }
            UnsizedBase::Tuple => Some("tuple types"),
            _ => None,
        }
    }
}

/// An unsized type: `array[,] real` has `array_dims == 2`.
#[derive(Clone, Debug, PartialEq)]
pub struct UnsizedType {
    pub array_dims: usize,
    pub base: UnsizedBase,
    /// Element types when `base` is [`UnsizedBase::Tuple`], else empty.
    pub tuple: Vec<UnsizedType>,
    pub span: Span,
}

// ------------------------------------------------------------- declarations

/// Element type of a declaration, with sizes.
#[derive(Clone, Debug, PartialEq)]
pub enum SizedBase {
    Int,
    Real,
    Vector(Expr),
    RowVector(Expr),
    Matrix(Expr, Expr),
    /// Constrained vectors: `simplex[K]`, ... (size is the vector length).
    Simplex(Expr),
    UnitVector(Expr),
    SumToZeroVector(Expr),
    Ordered(Expr),
    PositiveOrdered(Expr),
    /// Constrained matrices.
    SumToZeroMatrix(Expr, Expr),
    ColumnStochasticMatrix(Expr, Expr),
    RowStochasticMatrix(Expr, Expr),
    CholeskyFactorCorr(Expr),
    /// `cholesky_factor_cov[M]` or `cholesky_factor_cov[M, N]` (rows, cols).
    CholeskyFactorCov(Expr, Option<Expr>),
    CorrMatrix(Expr),
    CovMatrix(Expr),
    /// Complex types (parsed; exmc does not support them).
    Complex,
    ComplexVector(Expr),
    ComplexRowVector(Expr),
    ComplexMatrix(Expr, Expr),
    /// `tuple(T1, T2, ...)`, each element with its own sizes and bounds
    /// (parsed; exmc does not support them).
    Tuple(Vec<DeclType>),
}

impl SizedBase {
    /// True for the types that are themselves a constraint (`simplex`, ...).
    pub fn is_constrained(&self) -> bool {
        !matches!(
            self,
            SizedBase::Int
                | SizedBase::Real
                | SizedBase::Vector(_)
                | SizedBase::RowVector(_)
                | SizedBase::Matrix(..)
                | SizedBase::Complex
                | SizedBase::ComplexVector(_)
                | SizedBase::ComplexRowVector(_)
                | SizedBase::ComplexMatrix(..)
                | SizedBase::Tuple(_)
        )
    }
    /// The unsupported feature this base belongs to, if any.
    pub fn unsupported(&self) -> Option<&'static str> {
        match self {
            SizedBase::Complex | SizedBase::ComplexVector(_) | SizedBase::ComplexRowVector(_) | SizedBase::ComplexMatrix(..) => {
                Some("complex types")
            }
            SizedBase::Tuple(_) => Some("tuple types"),
            _ => None,
        }
    }
}

/// `<lower=.., upper=..>` or `<offset=.., multiplier=..>`.
#[derive(Clone, Debug, PartialEq)]
pub enum Bounds {
    None,
    Range { lower: Option<Expr>, upper: Option<Expr> },
    Affine { offset: Option<Expr>, multiplier: Option<Expr> },
}

/// A full declared type: `array[dims] base<bounds>`.
#[derive(Clone, Debug, PartialEq)]
pub struct DeclType {
    /// Array sizes, outermost first (`array[3, 4] real` → `[3, 4]`).
    pub array_dims: Vec<Expr>,
    pub base: SizedBase,
    pub bounds: Bounds,
    pub span: Span,
}

/// `T name (= init)?;`
#[derive(Clone, Debug, PartialEq)]
pub struct VarDecl {
    pub ty: DeclType,
    pub name: Ident,
    pub init: Option<Expr>,
    /// Written with the removed `real y[N]` syntax (a warning was issued).
    pub legacy_array_syntax: bool,
    pub span: Span,
}

// --------------------------------------------------------------- statements

#[derive(Clone, Debug, PartialEq)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AssignOp {
    /// `=` (also the legacy `<-`)
    Assign,
    /// `+=`
    Add,
    /// `-=`
    Sub,
    /// `*=`
    Mul,
    /// `/=`
    Div,
    /// `.*=`
    EltMul,
    /// `./=`
    EltDiv,
}

impl AssignOp {
    pub fn as_str(self) -> &'static str {
        match self {
            AssignOp::Assign => "=",
            AssignOp::Add => "+=",
            AssignOp::Sub => "-=",
            AssignOp::Mul => "*=",
            AssignOp::Div => "/=",
            AssignOp::EltMul => ".*=",
            AssignOp::EltDiv => "./=",
        }
    }
    /// The binary operator a compound assignment applies.
    pub fn binop(self) -> Option<BinOp> {
        match self {
            AssignOp::Assign => None,
            AssignOp::Add => Some(BinOp::Add),
            AssignOp::Sub => Some(BinOp::Sub),
            AssignOp::Mul => Some(BinOp::Mul),
            AssignOp::Div => Some(BinOp::Div),
            AssignOp::EltMul => Some(BinOp::EltMul),
            AssignOp::EltDiv => Some(BinOp::EltDiv),
        }
    }
}

/// Left side of an assignment: `x`, `x[i, j]`, `x[i][j]`, `x[2:3]`.
#[derive(Clone, Debug, PartialEq)]
pub struct LValue {
    pub base: Ident,
    /// One entry per bracket pair, in source order.
    pub indices: Vec<Vec<Index>>,
    pub span: Span,
}

/// Truncation bounds of a `~` statement: `T[a, b]`, `T[a, ]`, `T[, b]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Truncation {
    pub lower: Option<Expr>,
    pub upper: Option<Expr>,
    pub span: Span,
}

/// An argument of `print`, `reject`, `fatal_error`.
#[derive(Clone, Debug, PartialEq)]
pub enum Printable {
    Str(String, Span),
    Expr(Expr),
}

#[derive(Clone, Debug, PartialEq)]
pub enum StmtKind {
    /// Variable declaration (locals and block-level variables).
    Decl(Box<VarDecl>),
    /// `lhs op rhs;`
    Assign { lhs: LValue, op: AssignOp, rhs: Expr },
    /// Assignment to a tuple element (`t.1 = e;`, `x[2].1 += e;`) or tuple
    /// unpacking (`(a, _, b[1]) = e;`, `_` skips an element). `lhs` is kept
    /// as parsed: tuple expressions of variables, indexings, projections
    /// and `_` (parsed; exmc does not support tuples).
    TupleAssign { lhs: Expr, op: AssignOp, rhs: Expr },
    /// `lhs ~ dist(args) T[..];`
    Tilde { lhs: Expr, dist: Ident, args: Vec<Expr>, truncation: Option<Truncation> },
    /// `target += e;` (also legacy `increment_log_prob(e);`)
    TargetPlus(Expr),
    /// `jacobian += e;` (transformed parameters / `_jacobian` functions).
    /// Older programs may declare a variable named `jacobian`; the type
    /// checker must then read this as the compound assignment
    /// `jacobian = jacobian + e` (as stanc3 does, with a warning).
    JacobianPlus(Expr),
    /// `for (var in lower:upper) body`
    For { var: Ident, lower: Expr, upper: Expr, body: Box<Stmt> },
    /// `for (var in container) body`
    ForEach { var: Ident, iter: Expr, body: Box<Stmt> },
    While { cond: Expr, body: Box<Stmt> },
    If { cond: Expr, then: Box<Stmt>, els: Option<Box<Stmt>> },
    Break,
    Continue,
    Return(Option<Expr>),
    /// `{ ... }` with its local declarations.
    Block(Vec<Stmt>),
    Print(Vec<Printable>),
    Reject(Vec<Printable>),
    FatalError(Vec<Printable>),
    /// A call of a void function as a statement: `f(a, b);`
    Call { name: Ident, args: Vec<Expr> },
    /// `profile("name") { ... }`
    Profile { name: String, body: Vec<Stmt> },
    /// `;`
    Empty,
}

// -------------------------------------------------------------- expressions

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    /// `!`
    Not,
    /// `-`
    Neg,
    /// `+`
    Plus,
}

impl UnaryOp {
    pub fn as_str(self) -> &'static str {
        match self {
            UnaryOp::Not => "!",
            UnaryOp::Neg => "-",
            UnaryOp::Plus => "+",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    EltMul,
    EltDiv,
    /// `\` (left division, `A \ b` = inverse(A) * b)
    LeftDiv,
    /// `%/%`
    IntDiv,
    /// `^`
    Pow,
    /// `.^`
    EltPow,
}

impl BinOp {
    pub fn as_str(self) -> &'static str {
        use BinOp::*;
        match self {
            Or => "||",
            And => "&&",
            Eq => "==",
            Ne => "!=",
            Lt => "<",
            Le => "<=",
            Gt => ">",
            Ge => ">=",
            Add => "+",
            Sub => "-",
            Mul => "*",
            Div => "/",
            Mod => "%",
            EltMul => ".*",
            EltDiv => "./",
            LeftDiv => "\\",
            IntDiv => "%/%",
            Pow => "^",
            EltPow => ".^",
        }
    }
}

/// One index inside brackets.
///
/// Multiple indexing (`theta[{1, 3}]`, `theta[idx]` with an integer array) is
/// syntactically a `Single` index; the type checker tells them apart.
#[derive(Clone, Debug, PartialEq)]
pub struct Index {
    pub kind: IndexKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum IndexKind {
    /// `x[]` or `x[:]`
    All,
    /// `x[e]`
    Single(Expr),
    /// `x[a:]`
    From(Expr),
    /// `x[:b]`
    To(Expr),
    /// `x[a:b]`
    Between(Expr, Expr),
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    IntLit(i64),
    RealLit(f64),
    /// Imaginary literal `2.5i` (its value is `2.5`).
    ImagLit(f64),
    Var(String),
    Unary { op: UnaryOp, expr: Box<Expr> },
    Binary { op: BinOp, lhs: Box<Expr>, rhs: Box<Expr> },
    /// `cond ? then : els`
    Ternary { cond: Box<Expr>, then: Box<Expr>, els: Box<Expr> },
    /// Postfix `'`.
    Transpose(Box<Expr>),
    /// `e[indices]`; `x[i][j]` nests.
    Index { expr: Box<Expr>, indices: Vec<Index> },
    /// `f(args)`
    Call { name: Ident, suffix: FunSuffix, args: Vec<Expr> },
    /// `f(arg | args)` (densities, masses, CDFs)
    CondCall { name: Ident, suffix: FunSuffix, arg: Box<Expr>, args: Vec<Expr> },
    /// `{a, b}`
    ArrayLit(Vec<Expr>),
    /// `[a, b]` (a matrix is `[[..], [..]]`)
    RowVectorLit(Vec<Expr>),
    /// `( e )`, kept for faithful printing.
    Paren(Box<Expr>),
    /// `target()` (also legacy `get_lp()`)
    Target,
    /// Tuple expression `(a, b)`, or `(a,)` with one element.
    TupleLit(Vec<Expr>),
    /// Tuple element `e.1` (`index` counts from 1).
    TupleProj { expr: Box<Expr>, index: usize },
}

impl Expr {
    /// Strip any number of surrounding parentheses.
    pub fn unparen(&self) -> &Expr {
        let mut e = self;
        while let ExprKind::Paren(inner) = &e.kind {
            e = inner;
        }
        e
    }
}
