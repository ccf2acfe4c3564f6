//! The seven benchmark posteriors of `models/bench/` (the same models and
//! data as the shared benchmark specs), written with the builder API.
//!
//! Each takes its data as CmdStan-style JSON (the files in `models/bench/`
//! are embedded, so `by_name` needs no file).

use exmc_model::dist::{bernoulli_logit, exponential, gaussian_random_walk, half_normal, normal, student_t};
use exmc_model::{matvec, Expr, Model, ModelError, Shape};
use serde_json::Value;

/// Names of the benchmark models, in the order of the benchmark table.
pub const NAMES: [&str; 7] = ["simple", "medium", "stress", "eight_schools", "funnel", "logistic", "sv"];

/// The embedded data file of a benchmark model.
pub fn data_json(name: &str) -> Option<&'static str> {
    Some(match name {
        "simple" => include_str!("../../../models/bench/simple.data.json"),
        "medium" => include_str!("../../../models/bench/medium.data.json"),
        "stress" => include_str!("../../../models/bench/stress.data.json"),
        "eight_schools" => include_str!("../../../models/bench/eight_schools.data.json"),
        "funnel" => include_str!("../../../models/bench/funnel.data.json"),
        "logistic" => include_str!("../../../models/bench/logistic.data.json"),
        "sv" => include_str!("../../../models/bench/sv.data.json"),
        _ => return None,
    })
}

/// Builds a benchmark model by name with its embedded data.
pub fn by_name(name: &str) -> Result<Model, ModelError> {
    let json = data_json(name).ok_or_else(|| ModelError::UnknownName {
        name: name.into(),
        suggestion: exmc_model::suggest(name, NAMES),
    })?;
    let data: Value = serde_json::from_str(json).map_err(|e| invalid(name, &e.to_string()))?;
    build(name, &data)
}

/// Builds a benchmark model from its data (as in the shared specs).
pub fn build(name: &str, data: &Value) -> Result<Model, ModelError> {
    match name {
        "simple" => simple(data),
        "medium" => medium(data),
        "stress" => stress(data),
        "eight_schools" => eight_schools(data),
        "funnel" => funnel(data),
        "logistic" => logistic(data),
        "sv" => sv(data),
        _ => Err(ModelError::UnknownName { name: name.into(), suggestion: exmc_model::suggest(name, NAMES) }),
    }
}

fn invalid(var: &str, message: &str) -> ModelError {
    ModelError::InvalidData { var: var.into(), message: message.into() }
}

fn reals(data: &Value, key: &str) -> Result<Vec<f64>, ModelError> {
    data.get(key)
        .and_then(|v| v.as_array())
        .ok_or_else(|| invalid(key, "missing or not an array in the data"))?
        .iter()
        .map(|x| x.as_f64().ok_or_else(|| invalid(key, "not a number")))
        .collect()
}

fn ints(data: &Value, key: &str) -> Result<Vec<i64>, ModelError> {
    data.get(key)
        .and_then(|v| v.as_array())
        .ok_or_else(|| invalid(key, "missing or not an array in the data"))?
        .iter()
        .map(|x| x.as_i64().ok_or_else(|| invalid(key, "not an integer")))
        .collect()
}

fn int(data: &Value, key: &str) -> Result<usize, ModelError> {
    data.get(key)
        .and_then(|v| v.as_u64())
        .map(|v| v as usize)
        .ok_or_else(|| invalid(key, "missing or not a non-negative integer"))
}

/// `mu ~ N(0, 10)`, `sigma ~ Exponential(1)`, `y ~ N(mu, sigma)`.
pub fn simple(data: &Value) -> Result<Model, ModelError> {
    let mut m = Model::new();
    let mu = m.param("mu", normal(0.0, 10.0))?;
    let sigma = m.param("sigma", exponential(1.0))?;
    m.observe("y", normal(&mu, &sigma), reals(data, "y")?)?;
    Ok(m)
}

/// Two groups sharing a normal hierarchy.
pub fn medium(data: &Value) -> Result<Model, ModelError> {
    let mut m = Model::new();
    let mu = m.param("mu_global", normal(0.0, 10.0))?;
    let sg = m.param("sigma_global", exponential(1.0))?;
    let alpha = m.param("alpha", normal(&mu, &sg))?;
    let beta = m.param("beta", normal(&mu, &sg))?;
    let so = m.param("sigma_obs", exponential(2.0))?;
    m.observe("y_a", normal(&alpha, &so), reals(data, "y_a")?)?;
    m.observe("y_b", normal(&beta, &so), reals(data, "y_b")?)?;
    Ok(m)
}

/// Three groups, each with its own noise scale.
pub fn stress(data: &Value) -> Result<Model, ModelError> {
    let mut m = Model::new();
    let mu = m.param("mu_pop", normal(0.0, 10.0))?;
    let sp = m.param("sigma_pop", exponential(0.5))?;
    let groups: Vec<Expr> =
        (1..=3).map(|j| m.param(&format!("group_{j}"), normal(&mu, &sp))).collect::<Result<_, _>>()?;
    let noises: Vec<Expr> =
        (1..=3).map(|j| m.param(&format!("noise_{j}"), exponential(1.0))).collect::<Result<_, _>>()?;
    for j in 0..3 {
        let key = format!("y_{}", j + 1);
        m.observe(&key, normal(&groups[j], &noises[j]), reals(data, &key)?)?;
    }
    Ok(m)
}

/// Eight schools, centred as specified (the compiler may non-centre it).
pub fn eight_schools(data: &Value) -> Result<Model, ModelError> {
    let y = reals(data, "y")?;
    let sigma = reals(data, "sigma")?;
    let j = int(data, "J")?;
    let mut m = Model::new();
    let mu = m.param("mu", normal(0.0, 5.0))?;
    let tau = m.param("tau", half_normal(5.0))?;
    let theta = m.param_vector("theta", j, normal(&mu, &tau))?;
    m.observe("y", normal(&theta, sigma), y)?;
    Ok(m)
}

/// Neal's funnel: `y ~ N(0, 3)`, `x[k] ~ N(0, exp(y/2))`.
pub fn funnel(data: &Value) -> Result<Model, ModelError> {
    let k = int(data, "K")?;
    let mut m = Model::new();
    let y = m.param("y", normal(0.0, 3.0))?;
    m.param_vector("x", k, normal(0.0, (&y / 2.0).exp()))?;
    Ok(m)
}

/// Logistic regression, `y ~ bernoulli_logit(alpha + X beta)`.
pub fn logistic(data: &Value) -> Result<Model, ModelError> {
    let (n, p) = (int(data, "N")?, int(data, "P")?);
    let rows = data.get("X").and_then(|v| v.as_array()).ok_or_else(|| invalid("X", "missing"))?;
    let mut flat = Vec::with_capacity(n * p);
    for r in rows {
        for v in r.as_array().ok_or_else(|| invalid("X", "rows must be arrays"))? {
            flat.push(v.as_f64().ok_or_else(|| invalid("X", "not a number"))?);
        }
    }
    let x = Expr::matrix(n, p, flat);
    let mut m = Model::new();
    let alpha = m.param("alpha", normal(0.0, 10.0))?;
    let beta = m.param_vector("beta", p, normal(0.0, 10.0))?;
    m.observe("y", bernoulli_logit(&alpha + matvec(&x, &beta)), ints(data, "y")?)?;
    Ok(m)
}

/// Stochastic volatility: a Gaussian random walk `s` with Student-t returns.
pub fn sv(data: &Value) -> Result<Model, ModelError> {
    let t = int(data, "T")?;
    let returns = reals(data, "returns")?;
    let mut m = Model::new();
    let sigma = m.param("sigma", exponential(50.0))?;
    let nu = m.param("nu", exponential(0.1))?;
    let s = m.param_with("s", Shape::Vector(t), None, exmc_model::Constraint::Real)?;
    // s[1] ~ N(0, sigma), s[t] ~ N(s[t-1], sigma) (one random-walk node).
    m.factor("s_1", normal(0.0, &sigma).lpdf(s.at(0)))?;
    m.factor("s_walk", gaussian_random_walk(&sigma).lpdf(&s))?;
    m.observe("returns", student_t(&nu, 0.0, s.exp()), returns)?;
    Ok(m)
}
