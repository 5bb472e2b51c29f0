// Fuzzes the rule expression parser and evaluator, and the alert template parser: any input
// must parse or give an error "line:col: message" pointing inside the input, never crash or
// hang. An expression that parses must format to text that parses to the same expression,
// and must evaluate (or fail cleanly) over a small store.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "watch/metrics/memory_store.h"
#include "watch/rules/alert_template.h"
#include "watch/rules/eval.h"

namespace {

constexpr int64_t kT = 1'700'000'000'000;

const failsafe::watch::MemoryStore& Store() {
  static failsafe::watch::MemoryStore* store = [] {
    auto* s = new failsafe::watch::MemoryStore();
    for (const char* job : {"a", "b"}) {
      for (const char* name : {"up", "x", "node_cpu_seconds_total"}) {
        auto labels =
            failsafe::watch::MakeLabels({{"__name__", name}, {"job", job}, {"mode", "idle"}});
        for (int i = 0; i < 40; ++i) s->Append(*labels, {kT - 600'000 + i * 15'000, i * 1.5});
      }
    }
    return s;
  }();
  return *store;
}

// The error names a position inside the input.
void CheckPosition(const std::string& message, const std::string& input) {
  char* end = nullptr;
  const long line = std::strtol(message.c_str(), &end, 10);
  if (end == message.c_str() || *end != ':') __builtin_trap();
  const char* col_start = end + 1;
  const long col = std::strtol(col_start, &end, 10);
  if (end == col_start || *end != ':') __builtin_trap();
  long lines = 1;
  for (char c : input) lines += c == '\n';
  if (line < 1 || line > lines || col < 1 || col > static_cast<long>(input.size()) + 1)
    __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace failsafe::watch::rules;
  if (size > 4096) return 0;
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto expr = ParseExpr(text);
  if (!expr) {
    CheckPosition(expr.error().message(), text);
  } else {
    const std::string once = FormatExpr(**expr);
    auto again = ParseExpr(once);
    if (!again) __builtin_trap();
    if (FormatExpr(**again) != once) __builtin_trap();
    auto query = Query::Make(std::move(*expr));
    if (query) (void)query->Eval(Store(), kT);
  }
  auto tmpl = AlertTemplate::Parse(text);
  if (!tmpl) {
    CheckPosition(tmpl.error().message(), text);
  } else {
    auto labels = failsafe::watch::MakeLabels({{"instance", "h:9100"}});
    (void)tmpl->Render(*labels, 0.25);
  }
  return 0;
}
