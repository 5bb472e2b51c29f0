// Label sets: construction, lookup, fingerprint and printing (series.h).
#include <algorithm>
#include <string>

#include "watch/metrics/series.h"

namespace failsafe::watch {
namespace {

bool IsLabelNameStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool IsLabelNameChar(char c) {
  return IsLabelNameStart(c) || (c >= '0' && c <= '9');
}

// FNV-1a, 64 bit: stable across runs and builds (fingerprints end up in alert payloads and
// on disk), which std::hash does not promise.
constexpr uint64_t kFnvOffset = 14695981039346656037ull;
constexpr uint64_t kFnvPrime = 1099511628211ull;

uint64_t Mix(uint64_t h, std::string_view s) {
  for (unsigned char c : s) {
    h ^= c;
    h *= kFnvPrime;
  }
  return h;
}

uint64_t MixSeparator(uint64_t h) {
  // 0xff never occurs in UTF-8, so {a="bc"} and {ab="c"} hash differently.
  h ^= 0xff;
  return h * kFnvPrime;
}

}  // namespace

bool IsValidLabelName(std::string_view name) {
  if (name.empty() || !IsLabelNameStart(name[0])) return false;
  return std::all_of(name.begin() + 1, name.end(), IsLabelNameChar);
}

bool IsValidMetricName(std::string_view name) {
  if (name.empty()) return false;
  if (!IsLabelNameStart(name[0]) && name[0] != ':') return false;
  return std::all_of(name.begin() + 1, name.end(),
                     [](char c) { return IsLabelNameChar(c) || c == ':'; });
}

Result<Labels> MakeLabels(std::vector<Label> labels) {
  std::erase_if(labels, [](const Label& l) { return l.value.empty(); });
  std::sort(labels.begin(), labels.end());
  for (size_t i = 0; i < labels.size(); ++i) {
    const std::string& name = labels[i].name;
    if (!IsValidLabelName(name)) {
      return Err(InvalidArgument("invalid label name \"" + name + "\": want [a-zA-Z_][a-zA-Z0-9_]*",
                                 name));
    }
    if (i > 0 && labels[i - 1].name == name) {
      return Err(InvalidArgument("duplicate label name \"" + name + "\"", name));
    }
  }
  return labels;
}

std::string_view LabelValue(const Labels& labels, std::string_view name) {
  // Sorted by name, but label sets are short (under ~10): a linear scan beats binary search.
  for (const Label& l : labels) {
    if (l.name == name) return l.value;
  }
  return {};
}

uint64_t Fingerprint(const Labels& labels) {
  uint64_t h = kFnvOffset;
  for (const Label& l : labels) {
    h = MixSeparator(Mix(h, l.name));
    h = MixSeparator(Mix(h, l.value));
  }
  return h;
}

void AppendEscapedLabelValue(std::string& out, std::string_view value) {
  for (char c : value) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      default: out += c;
    }
  }
}

std::string FormatLabels(const Labels& labels) {
  std::string out(LabelValue(labels, kMetricNameLabel));
  out += '{';
  bool first = true;
  for (const Label& l : labels) {
    if (l.name == kMetricNameLabel) continue;
    if (!first) out += ", ";
    first = false;
    out += l.name;
    out += "=\"";
    AppendEscapedLabelValue(out, l.value);
    out += '"';
  }
  if (first && !out.starts_with('{')) {
    out.pop_back();  // a bare metric name: `up`, not `up{}`
    return out;
  }
  out += '}';
  return out;
}

}  // namespace failsafe::watch
