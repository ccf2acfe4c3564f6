//! Resolution of calls (builtins by signature, user-defined functions),
//! user function definitions, and `~` statements.

use super::flow::always_returns;
use super::suggest::did_you_mean;
use super::types::{RetType, Type};
use super::{CallTarget, Checker, FunCtx, Local, TildeInfo, UserFunction, VarRef};
use crate::ast::{BlockKind, Expr, FunSuffix, FunctionsBlock, Ident, ReturnType, Truncation};
use crate::diagnostic::Diagnostic;
use crate::library::{self, DistFn, Entry};
use crate::token::Span;

/// Most signatures listed in a "wrong arguments" note.
const MAX_LISTED: usize = 12;

fn arg_list(tys: &[Type], conditional: bool) -> String {
    let mut s = String::from("(");
    for (i, t) in tys.iter().enumerate() {
        if i > 0 {
            s.push_str(if i == 1 && conditional { " | " } else { ", " });
        }
        s.push_str(&t.to_string());
    }
    s.push(')');
    s
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

impl Checker {
    // ------------------------------------------------------------ functions

    pub fn functions(&mut self, block: &FunctionsBlock) {
        // Pass 1: every signature, so calls may come before definitions
        // (recursion, mutual recursion, forward declarations).
        for (i, f) in block.functions.iter().enumerate() {
            if f.external {
                if self.opaque_fns.insert(f.name.name.clone()) {
                    self.unsupported(f.name.span, &format!("'@extern' functions (defined outside Stan): '{}'", f.name.name));
                }
                continue;
            }
            if let Some((span, what)) = super::unsupported::unsupported_in_signature(f) {
                // Reported once per name (a forward declaration and its definition).
                if self.opaque_fns.insert(f.name.name.clone()) {
                    self.unsupported(span, &format!("{what} (in the signature of '{}')", f.name.name));
                }
                continue;
            }
            let args: Vec<Type> = f.args.iter().filter_map(|a| Type::from_unsized(&a.ty)).collect();
            let ret = match &f.return_type {
                ReturnType::Void => RetType::Void,
                ReturnType::Type(t) => match Type::from_unsized(t) {
                    Some(t) => RetType::Value(t),
                    None => continue,
                },
            };
            self.suffix_rules(&f.name, f.suffix, &args, ret);
            let existing = self.user_fns.get(&f.name.name).and_then(|ids| {
                ids.iter().copied().find(|&k| self.out.functions.get(k).is_some_and(|u| u.args == args))
            });
            match existing {
                Some(k) => {
                    let prev = self.out.functions[k].clone();
                    if prev.ret != ret {
                        let d = Diagnostic::error(f.name.span, format!("'{}' was declared returning '{}', here it returns '{ret}'", f.name.name, prev.ret))
                            .with_secondary(prev.span, "declared here");
                        self.error(d);
                    } else if prev.def.is_some() && f.body.is_some() {
                        let d = Diagnostic::error(f.name.span, format!("function '{}' is already defined with these argument types", f.name.name))
                            .with_secondary(prev.span, "first defined here");
                        self.error(d);
                    } else if f.body.is_some() {
                        self.out.functions[k].def = Some(i);
                        self.out.functions[k].span = f.name.span;
                    }
                }
                None => {
                    let k = self.out.functions.len();
                    self.out.functions.push(UserFunction {
                        name: f.name.name.clone(),
                        suffix: f.suffix,
                        args,
                        data_only: f.args.iter().map(|a| a.data_only).collect(),
                        ret,
                        span: f.name.span,
                        def: f.body.as_ref().map(|_| i),
                    });
                    self.user_fns.entry(f.name.name.clone()).or_default().push(k);
                }
            }
        }
        for u in self.out.functions.clone() {
            if u.def.is_none() {
                self.err(u.span, format!("function '{}' is declared but never defined", u.name));
            }
        }
        // Pass 2: bodies.
        for f in &block.functions {
            let Some(body) = &f.body else { continue };
            if super::unsupported::unsupported_in_signature(f).is_some() {
                continue;
            }
            let ret = match &f.return_type {
                ReturnType::Void => RetType::Void,
                ReturnType::Type(t) => match Type::from_unsized(t) {
                    Some(t) => RetType::Value(t),
                    None => continue,
                },
            };
            self.fun = Some(FunCtx { name: f.name.name.clone(), suffix: f.suffix, ret });
            self.push();
            for a in &f.args {
                let Some(ty) = Type::from_unsized(&a.ty) else { continue };
                let l = Local { ty, kind: VarRef::Arg, block: None, span: a.name.span, data: a.data_only || ty.is_int_valued() };
                self.declare(&a.name, l);
            }
            self.stmt(body, false);
            self.pop();
            if ret != RetType::Void && !always_returns(body) {
                self.err(f.name.span, format!("function '{}' may end without returning a value", f.name.name));
            }
            self.fun = None;
        }
    }

    /// The naming conventions: `_lpdf` takes a real-valued first argument,
    /// `_lpmf` an int-valued one, densities and CDFs return `real`.
    fn suffix_rules(&mut self, name: &Ident, suffix: FunSuffix, args: &[Type], ret: RetType) {
        let n = &name.name;
        match suffix {
            FunSuffix::Lupdf | FunSuffix::Lupmf => {
                self.err(name.span, format!("'{n}': user-defined functions cannot end in _lupdf or _lupmf; define '_lpdf'/'_lpmf' and call it with '_lupdf'/'_lupmf'"));
            }
            FunSuffix::Lpdf | FunSuffix::Lpmf | FunSuffix::Lcdf | FunSuffix::Lccdf => {
                if ret != RetType::Value(Type::REAL) {
                    self.err(name.span, format!("'{n}' must return 'real' (functions ending in a density or CDF suffix return a log probability)"));
                }
                match args.first() {
                    None => self.err(name.span, format!("'{n}' needs at least one argument (the variate)")),
                    Some(t) if suffix == FunSuffix::Lpdf && t.base == super::types::Base::Int => {
                        self.err(name.span, format!("the first argument of '{n}' must be real-valued (an _lpdf is a density of a continuous variate); use _lpmf for integers"))
                    }
                    Some(t) if suffix == FunSuffix::Lpmf && t.base != super::types::Base::Int => {
                        self.err(name.span, format!("the first argument of '{n}' must be int-valued (an _lpmf is a mass function); use _lpdf for reals"))
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }

    // ------------------------------------------------------------ calls

    /// A call used as a value.
    pub fn call_value(&mut self, span: Span, name: &Ident, suffix: FunSuffix, tys: &[Type], conditional: bool) -> Option<Type> {
        match self.resolve(span, name, suffix, tys, conditional)? {
            RetType::Value(t) => Some(t),
            RetType::Void => {
                self.err(span, format!("function '{}' returns void and cannot be used as a value", name.name));
                None
            }
        }
    }

    /// A call used as a statement (must return void).
    pub fn call_stmt(&mut self, span: Span, name: &Ident, args: &[Expr]) {
        let tys: Vec<Option<Type>> = args.iter().map(|a| self.expr(a)).collect();
        let Some(tys) = tys.into_iter().collect::<Option<Vec<Type>>>() else { return };
        if let Some(RetType::Value(t)) = self.resolve(span, name, FunSuffix::of(&name.name), &tys, false) {
            self.err(span, format!("function '{}' returns '{t}'; its value would be discarded (only void functions can be called as statements)", name.name));
        }
        self.data_only_args(span, &name.name, &args.iter().collect::<Vec<_>>());
    }

    fn context_rules(&mut self, span: Span, name: &str, suffix: FunSuffix) {
        let fsuf = self.fun.as_ref().map(|f| f.suffix);
        let block = self.block;
        match suffix {
            FunSuffix::Rng => {
                let ok = match fsuf {
                    Some(s) => s == FunSuffix::Rng,
                    None => matches!(block, Some(BlockKind::TransformedData | BlockKind::GeneratedQuantities)),
                };
                if !ok {
                    self.err(span, format!("random number generator '{name}' is only allowed in transformed data, generated quantities and functions ending in _rng"));
                }
            }
            FunSuffix::Lp => {
                let ok = match fsuf {
                    Some(s) => s == FunSuffix::Lp,
                    None => matches!(block, Some(BlockKind::TransformedParameters | BlockKind::Model)),
                };
                if !ok {
                    self.err(span, format!("'{name}' (which changes target) is only allowed in transformed parameters, the model block and functions ending in _lp"));
                }
            }
            FunSuffix::Lupdf | FunSuffix::Lupmf => {
                let ok = match fsuf {
                    Some(s) => matches!(s, FunSuffix::Lpdf | FunSuffix::Lpmf | FunSuffix::Lp),
                    None => block == Some(BlockKind::Model),
                };
                if !ok {
                    self.err(span, format!("'{name}' (an unnormalised density) is only allowed in the model block and in functions ending in _lpdf, _lpmf or _lp; use the _lpdf/_lpmf form"));
                }
            }
            _ => {}
        }
        // `*_jacobian` functions increment the Jacobian adjustment.
        if name.ends_with("_jacobian") {
            let ok = match &self.fun {
                Some(f) => f.name.ends_with("_jacobian"),
                None => block == Some(BlockKind::TransformedParameters),
            };
            if !ok {
                self.err(span, format!("'{name}' (which changes the Jacobian adjustment) is only allowed in transformed parameters and functions ending in _jacobian"));
            }
        }
    }

    /// Resolve a call; records the target. `None` after an error.
    pub fn resolve(&mut self, span: Span, name: &Ident, suffix: FunSuffix, tys: &[Type], conditional: bool) -> Option<RetType> {
        self.context_rules(span, &name.name, suffix);
        let (target, ret) = self.resolve_target(span, &name.name, tys, conditional, None)?;
        self.out.calls.insert(span, target);
        Some(ret)
    }

    /// Arguments declared `data` in a user function must not depend on parameters.
    pub fn data_only_args(&mut self, span: Span, name: &str, args: &[&Expr]) {
        let Some(super::CallTarget::User(k)) = self.out.calls.get(&span) else { return };
        let flags = self.out.functions[*k].data_only.clone();
        for (i, (a, d)) in args.iter().zip(flags).enumerate() {
            if !d {
                continue;
            }
            if let Some(v) = self.first_non_data(a) {
                self.err(a.span, format!("argument {} of '{name}' is declared 'data', but '{v}' is not data", i + 1));
            }
        }
    }

    /// The first variable of `e` that is not data-only. In generated
    /// quantities every value is data (no derivatives are taken there).
    pub fn first_non_data(&self, e: &Expr) -> Option<String> {
        if self.fun.is_none() && self.block == Some(BlockKind::GeneratedQuantities) {
            return None;
        }
        let mut found = None;
        super::stmt::visit_vars(e, &mut |n| {
            if found.is_none() && self.lookup(n).is_some_and(|l| !l.data) {
                found = Some(n.to_string());
            }
        });
        found
    }

    /// Find the function `fname` for argument types `tys`. `what` overrides
    /// the noun in "unknown function" messages (e.g. for `~`).
    fn resolve_target(&mut self, span: Span, fname: &str, tys: &[Type], conditional: bool, what: Option<&str>) -> Option<(CallTarget, RetType)> {
        // User-defined (calling `foo_lupdf` uses the user's `foo_lpdf`).
        let user_name = if let Some(b) = fname.strip_suffix("_lupdf") {
            format!("{b}_lpdf")
        } else if let Some(b) = fname.strip_suffix("_lupmf") {
            format!("{b}_lpmf")
        } else {
            fname.to_string()
        };
        if let Some(ids) = self.user_fns.get(&user_name).cloned() {
            let mut best: Option<(usize, usize)> = None;
            for k in &ids {
                let u = &self.out.functions[*k];
                if u.args.len() != tys.len() {
                    continue;
                }
                let mut cost = 0;
                let fits = u.args.iter().zip(tys).all(|(want, got)| {
                    cost += usize::from(want != got);
                    got.promotes_to(*want)
                });
                if fits && best.is_none_or(|(_, c)| cost < c) {
                    best = Some((*k, cost));
                }
            }
            if let Some((k, _)) = best {
                return Some((CallTarget::User(k), self.out.functions[k].ret));
            }
            if self.opaque_fns.contains(&user_name) {
                // Maybe an overload with an unsupported signature (reported there).
                return None;
            }
            if library::lookup(fname).is_none() {
                let sigs: Vec<String> = ids
                    .iter()
                    .map(|k| {
                        let u = &self.out.functions[*k];
                        format!("{}{} => {}", u.name, arg_list(&u.args, conditional), u.ret)
                    })
                    .collect();
                self.bad_args(span, fname, tys, conditional, &sigs, ids.iter().map(|k| self.out.functions[*k].args.len()).collect());
                return None;
            }
        }
        if self.opaque_fns.contains(&user_name) {
            return None;
        }
        let Some(entry) = library::lookup(fname) else {
            if let Some(modern) = library::legacy_alias(fname) {
                self.diags.push(
                    Diagnostic::warning(span, format!("'{fname}' is the removed spelling of '{modern}' (removed in Stan 2.33)"))
                        .with_help(format!("use '{modern}'")),
                );
                let entry = library::lookup(&modern)?;
                return self.match_builtin(span, entry, tys, conditional);
            }
            self.unknown_function(span, fname, what);
            return None;
        };
        self.match_builtin(span, entry, tys, conditional)
    }

    fn match_builtin(&mut self, span: Span, entry: &'static Entry, tys: &[Type], conditional: bool) -> Option<(CallTarget, RetType)> {
        let mut best: Option<(usize, RetType, usize)> = None;
        for (i, s) in entry.sigs.iter().enumerate() {
            if let Some((ret, cost)) = s.matches(tys) {
                if best.is_none_or(|(_, _, c)| cost < c) {
                    best = Some((i, ret, cost));
                }
            }
        }
        let Some((sig, ret, _)) = best else {
            let sigs: Vec<String> = entry.sigs.iter().map(|s| s.display(&entry.name)).collect();
            let arities = entry.sigs.iter().map(|s| s.args.len()).collect();
            self.bad_args(span, &entry.name, tys, conditional, &sigs, arities);
            return None;
        };
        // The lowering's own list is the authority on what compiles.
        let supported = entry.sig_supported(sig) || crate::lower::supports(&entry.name);
        if !supported && self.opts.reject_unsupported {
            let d = Diagnostic::error(span, format!("`{}` is not supported by exmc yet", entry.name))
                .with_help("it is a valid Stan function, but exmc cannot compile it yet");
            self.error(d);
        }
        Some((CallTarget::Builtin { id: entry.id, name: entry.name.clone(), sig, supported }, ret))
    }

    fn bad_args(&mut self, span: Span, name: &str, tys: &[Type], conditional: bool, sigs: &[String], mut arities: Vec<usize>) {
        arities.sort_unstable();
        arities.dedup();
        let msg = if !arities.contains(&tys.len()) {
            let expected = match arities.as_slice() {
                [one] => one.to_string(),
                [init @ .., last] => {
                    format!("{} or {last}", init.iter().map(|a| a.to_string()).collect::<Vec<_>>().join(", "))
                }
                [] => "0".into(),
            };
            let last = arities.last().copied().unwrap_or(0);
            format!("'{name}' takes {expected} argument{}, found {}", plural(last), tys.len())
        } else {
            format!("no signature of '{name}' accepts the arguments {}", arg_list(tys, conditional))
        };
        let mut note = String::from("accepted signatures:");
        for s in sigs.iter().take(MAX_LISTED) {
            note.push_str("\n  ");
            note.push_str(s);
        }
        if sigs.len() > MAX_LISTED {
            note.push_str(&format!("\n  ... and {} more", sigs.len() - MAX_LISTED));
        }
        self.error(Diagnostic::error(span, msg).with_note(note));
    }

    fn unknown_function(&mut self, span: Span, name: &str, what: Option<&str>) {
        if let Some(feature) = library::unknown::unsupported_feature(name) {
            self.unsupported(span, &format!("'{name}' ({feature})"));
            return;
        }
        let what = what.unwrap_or("function");
        let mut msg = format!("unknown {what} '{name}'");
        let user: Vec<String> = self.user_fns.keys().cloned().collect();
        let mut candidates: Vec<&str> = library::names().collect();
        candidates.extend(user.iter().map(|s| s.as_str()));
        if let Some(s) = did_you_mean(name, candidates) {
            msg.push_str(&format!(" (did you mean '{s}'?)"));
        } else if self.lookup(name).is_some() {
            msg = format!("'{name}' is a variable, not a function");
        }
        self.err(span, msg);
    }

    // ------------------------------------------------------------ `~`

    pub fn tilde(&mut self, span: Span, lhs: &Expr, dist: &Ident, args: &[Expr], truncation: Option<&Truncation>) {
        if !self.target_increment_allowed() {
            self.err(span, "'~' statements are only allowed in the model block, transformed parameters and functions ending in _lp");
        }
        let mut tys = vec![self.expr(lhs)];
        tys.extend(args.iter().map(|a| self.expr(a)));
        let trunc: Vec<Option<Type>> = match truncation {
            Some(t) => [&t.lower, &t.upper].into_iter().flatten().map(|e| self.expr(e)).collect(),
            None => vec![],
        };
        let Some(tys) = tys.into_iter().collect::<Option<Vec<Type>>>() else { return };
        let d = &dist.name;
        if FunSuffix::of(d) != FunSuffix::None && FunSuffix::of(d) != FunSuffix::Lp {
            let base = d.rsplit_once('_').map(|(b, _)| b).unwrap_or(d);
            self.error(
                Diagnostic::error(dist.span, format!("'~' takes a distribution name without suffix, found '{d}'"))
                    .with_help(format!("write 'y ~ {base}(...)'")),
            );
            return;
        }
        // The density: a user-defined `d_lpdf`/`d_lpmf`, else a builtin family.
        let user_pdf = format!("{d}_lpdf");
        let user_pmf = format!("{d}_lpmf");
        let user_log = format!("{d}_log");
        let fname = if self.user_fns.contains_key(&user_pdf) {
            Some(user_pdf)
        } else if self.user_fns.contains_key(&user_pmf) {
            Some(user_pmf)
        } else if self.user_fns.contains_key(&user_log) {
            // removed `_log` suffix convention for user densities
            Some(user_log)
        } else {
            library::family(d).map(|f| f.fn_name(DistFn::Lpdf))
        };
        let Some(fname) = fname else {
            if let Some(feature) = library::unknown::unsupported_feature(d) {
                self.unsupported(dist.span, &format!("'{d}' ({feature})"));
                return;
            }
            let mut msg = format!("unknown distribution '{d}'");
            let user: Vec<String> = self
                .user_fns
                .keys()
                .filter_map(|k| k.strip_suffix("_lpdf").or_else(|| k.strip_suffix("_lpmf")).map(String::from))
                .collect();
            let mut candidates: Vec<&str> = library::family_names().collect();
            candidates.extend(user.iter().map(|s| s.as_str()));
            if let Some(s) = did_you_mean(d, candidates) {
                msg.push_str(&format!(" (did you mean '{s}'?)"));
            }
            self.err(dist.span, msg);
            return;
        };
        let Some((density, _)) = self.resolve_target(span, &fname, &tys, true, Some("distribution")) else { return };
        let mut info = TildeInfo { density, lcdf: None, lccdf: None };
        if let Some(t) = truncation {
            if trunc.iter().any(|x| x.is_none()) {
                return;
            }
            for (e, ty) in [&t.lower, &t.upper].into_iter().flatten().zip(trunc.iter().flatten()) {
                if !ty.promotes_to(tys[0].promoted()) && !ty.is_scalar() {
                    self.err(e.span, format!("a truncation bound must be a scalar or of the variate's type '{}', found '{ty}'", tys[0]));
                }
            }
            let mut params = tys.clone();
            for (needed, want) in [(t.upper.is_some(), "lcdf"), (t.lower.is_some(), "lccdf")] {
                if !needed {
                    continue;
                }
                let name = fname.rsplit_once('_').map(|(b, _)| format!("{b}_{want}")).unwrap_or_default();
                let exists = self.user_fns.contains_key(&name) || library::lookup(&name).is_some();
                if !exists {
                    self.err(t.span, format!("truncation needs '{name}', which does not exist"));
                    continue;
                }
                // The CDF is evaluated at the bound: its variate is the bound's type.
                params[0] = tys[0];
                if let Some((target, _)) = self.resolve_target(t.span, &name, &params, true, None) {
                    if want == "lcdf" {
                        info.lcdf = Some(target);
                    } else {
                        info.lccdf = Some(target);
                    }
                }
            }
        }
        self.out.tildes.insert(span, info);
    }
}
