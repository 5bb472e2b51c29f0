// Evaluates expressions over samples read from Prometheus, for compare_prometheus.py to
// check failsafe's answers against Prometheus's own on the same data.
//
//   rules_crosscheck < input.json > output.json
// input:  {"at": <ms>, "series": [{"labels": {...}, "samples": [[<ms>, <value>], ...]}],
//          "queries": ["expr", ...]}
// output: {"results": [[{"labels": {...}, "value": <v>}, ...] or {"error": "..."}, ...]}
#include <iostream>
#include <iterator>
#include <string>

#include "base/json.h"
#include "watch/metrics/memory_store.h"
#include "watch/rules/eval.h"

int main() {
  namespace bj = boost::json;
  using namespace failsafe::watch;
  const std::string text(std::istreambuf_iterator<char>(std::cin), {});
  auto input = failsafe::json::ParseObject(text);
  if (!input) {
    std::cerr << input.error().message() << "\n";
    return 1;
  }
  MemoryStore store;
  for (const bj::value& s : input->at("series").as_array()) {
    std::vector<Label> labels;
    for (const auto& kv : s.at("labels").as_object())
      labels.push_back({std::string(kv.key()), std::string(kv.value().as_string())});
    auto made = MakeLabels(std::move(labels));
    if (!made) return 1;
    for (const bj::value& p : s.at("samples").as_array())
      store.Append(*made,
                   {p.as_array()[0].to_number<int64_t>(), p.as_array()[1].to_number<double>()});
  }
  const int64_t at = input->at("at").to_number<int64_t>();
  bj::array results;
  for (const bj::value& q : input->at("queries").as_array()) {
    auto query = rules::Query::Parse(std::string(q.as_string()));
    auto v = query ? query->Eval(store, at)
                   : failsafe::Result<rules::Vector>(failsafe::Err(query.error()));
    if (!v) {
      results.push_back(bj::object{{"error", v.error().message()}});
      continue;
    }
    bj::array samples;
    for (const rules::InstantSample& s : *v) {
      bj::object labels;
      for (const Label& l : s.labels) labels[l.name] = l.value;
      samples.push_back(bj::object{{"labels", std::move(labels)}, {"value", s.value}});
    }
    results.push_back(std::move(samples));
  }
  std::cout << bj::serialize(bj::object{{"results", std::move(results)}}) << "\n";
  return 0;
}
