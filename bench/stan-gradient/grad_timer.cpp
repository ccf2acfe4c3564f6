// Times Stan's log density + gradient of one compiled program, in process
// (no sampler, no HTTP): `stan::model::log_prob_grad<true, true>` — what a
// NUTS leapfrog step calls. Built by run.py against the Stan headers that
// the httpstan wheel ships; MODEL_HPP is the stanc-generated C++ file.
//
// usage: grad_timer data.json point.txt reps
//   point.txt: the unconstrained point, whitespace-separated (its length must
//   be the model's number of unconstrained parameters; `grad_timer data.json
//   - 0` prints that number).
// prints one JSON object: {"dim", "ns_per_grad", "logp", "grad": [...]}.
#include MODEL_HPP
#include <stan/io/json/json_data.hpp>
#include <stan/model/log_prob_grad.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: grad_timer data.json point.txt reps\n";
    return 2;
  }
  std::ifstream data_file(argv[1]);
  stan::json::json_data data(data_file);
  stan_model model(data, 0, &std::cerr);
  std::vector<double> params_r;
  std::vector<int> params_i;
  std::vector<std::string> names;
  model.unconstrained_param_names(names, false, false);
  size_t dim = names.size();
  if (std::string(argv[2]) == "-") {
    std::printf("{\"dim\": %zu}\n", dim);
    return 0;
  }
  std::ifstream point_file(argv[2]);
  double v;
  while (point_file >> v) params_r.push_back(v);
  if (params_r.size() != dim) {
    std::cerr << "point has " << params_r.size() << " values, the model " << dim << "\n";
    return 2;
  }
  long reps = std::atol(argv[3]);
  std::vector<double> grad;
  double lp = stan::model::log_prob_grad<true, true>(model, params_r, params_i, grad);
  double best = 1e300;
  for (int round = 0; round < 5; ++round) {
    auto t0 = std::chrono::steady_clock::now();
    for (long r = 0; r < reps; ++r) {
      lp = stan::model::log_prob_grad<true, true>(model, params_r, params_i, grad);
    }
    auto t1 = std::chrono::steady_clock::now();
    double ns = std::chrono::duration<double, std::nano>(t1 - t0).count() / reps;
    if (ns < best) best = ns;
  }
  std::printf("{\"dim\": %zu, \"ns_per_grad\": %.1f, \"logp\": %.17g, \"grad\": [", dim, best, lp);
  for (size_t i = 0; i < grad.size(); ++i) std::printf(i ? ", %.17g" : "%.17g", grad[i]);
  std::printf("]}\n");
  return 0;
}
