// The exposition parser (exposition.h): one line at a time, a cursor per line.
#include "watch/metrics/exposition.h"

#include <array>
#include <unordered_map>

#include "base/utf8.h"
#include "watch/metrics/exposition_tokens.h"

namespace failsafe::watch {
namespace {

using exposition::DescribeChar;

bool IsBlank(char c) {
  return c == ' ' || c == '\t';
}
bool IsNameStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

struct TypeName {
  std::string_view name;
  MetricType type;
  bool text_format;  // also valid in the Prometheus text format
};
constexpr std::array<TypeName, 9> kTypeNames = {{
    {"counter", MetricType::kCounter, true},
    {"gauge", MetricType::kGauge, true},
    {"histogram", MetricType::kHistogram, true},
    {"summary", MetricType::kSummary, true},
    {"untyped", MetricType::kUnknown, true},
    {"unknown", MetricType::kUnknown, false},
    {"gaugehistogram", MetricType::kGaugeHistogram, false},
    {"info", MetricType::kInfo, false},
    {"stateset", MetricType::kStateSet, false},
}};

// Which sample names a family of each type owns, by suffix of the family name.
struct SuffixRule {
  std::string_view suffix;
  MetricType type;
  std::string_view required_label;  // the label a sample of this kind must carry
};
constexpr std::array<SuffixRule, 11> kSuffixRules = {{
    {"_bucket", MetricType::kHistogram, "le"},
    {"_bucket", MetricType::kGaugeHistogram, "le"},
    {"_count", MetricType::kHistogram, ""},
    {"_sum", MetricType::kHistogram, ""},
    {"_count", MetricType::kSummary, ""},
    {"_sum", MetricType::kSummary, ""},
    {"_gcount", MetricType::kGaugeHistogram, ""},
    {"_gsum", MetricType::kGaugeHistogram, ""},
    {"_total", MetricType::kCounter, ""},
    {"_info", MetricType::kInfo, ""},
    {"_created", MetricType::kCounter, ""},  // and histograms, summaries: see IsCreated
}};

class Parser {
 public:
  Parser(std::string_view text, const ExpositionOptions& options)
      : text_(text), options_(options), om_(options.format == ExpositionFormat::kOpenMetrics) {}

  Result<Exposition> Run() {
    size_t pos = 0;
    bool saw_eof = false;
    while (pos < text_.size()) {
      size_t nl = text_.find('\n', pos);
      if (nl == std::string_view::npos) nl = text_.size();
      line_ = text_.substr(pos, nl - pos);
      pos = nl + 1;
      ++line_no_;
      col_ = 0;
      if (saw_eof) return Err(ErrorAt(0, "nothing after # EOF"));
      if (!om_ && !line_.empty() && line_.back() == '\r') line_.remove_suffix(1);
      Status st = ParseLine(&saw_eof);
      if (!st.ok()) return Err(st);
    }
    if (om_ && !saw_eof) {
      ++line_no_;
      line_ = {};
      return Err(ErrorAt(0, "# EOF at the end of an OpenMetrics page"));
    }
    return std::move(out_);
  }

 private:
  Status ErrorAt(size_t col, std::string_view expected) const {
    const std::string found = col < line_.size() ? DescribeChar(line_[col]) : "end of line";
    return MessageAt(col, "expected " + std::string(expected) + ", found " + found);
  }

  Status MessageAt(size_t col, std::string_view message) const {
    const std::string where = std::to_string(line_no_) + ":" + std::to_string(col + 1);
    return InvalidArgument("line " + std::to_string(line_no_) + ", column " +
                               std::to_string(col + 1) + ": " + std::string(message),
                           where);
  }

  bool AtEnd() const { return col_ >= line_.size(); }
  char Peek() const { return AtEnd() ? '\0' : line_[col_]; }
  void SkipBlanks() {
    while (!AtEnd() && IsBlank(line_[col_])) ++col_;
  }
  // The text format allows blanks between tokens; OpenMetrics none (inside braces).
  void SkipOptionalBlanks() {
    if (!om_) SkipBlanks();
  }
  // Exactly one space in OpenMetrics, one or more blanks in the text format.
  bool SkipSeparator() {
    if (AtEnd() || !IsBlank(line_[col_])) return false;
    if (om_) {
      if (line_[col_] != ' ') return false;
      ++col_;
      return true;
    }
    SkipBlanks();
    return true;
  }
  std::string_view ReadToken() {
    const size_t start = col_;
    while (!AtEnd() && !IsBlank(line_[col_])) ++col_;
    return line_.substr(start, col_ - start);
  }
  std::string_view ReadName(bool metric) {
    const size_t start = col_;
    if (AtEnd() || !(IsNameStart(line_[col_]) || (metric && line_[col_] == ':'))) return {};
    ++col_;
    while (!AtEnd() &&
           (IsNameStart(line_[col_]) || IsDigit(line_[col_]) || (metric && line_[col_] == ':'))) {
      ++col_;
    }
    return line_.substr(start, col_ - start);
  }

  Status ParseLine(bool* saw_eof) {
    if (!om_) {
      SkipBlanks();
      if (AtEnd()) return Status::Ok();
    } else if (line_.empty()) {
      return ErrorAt(0, "a sample or a # line (OpenMetrics allows no empty lines)");
    }
    if (Peek() == '#') return om_ ? ParseOpenMetricsComment(saw_eof) : ParseTextComment();
    return ParseSample();
  }

  Status ParseTextComment() {
    ++col_;
    SkipBlanks();
    const std::string_view keyword = ReadName(false);
    if ((keyword != "HELP" && keyword != "TYPE") || !IsBlank(Peek())) {
      return Status::Ok();  // any other comment is just a comment
    }
    SkipBlanks();
    return ParseDescriptor(keyword);
  }

  Status ParseOpenMetricsComment(bool* saw_eof) {
    if (line_ == "# EOF") {
      *saw_eof = true;
      return Status::Ok();
    }
    for (std::string_view keyword : {"HELP", "TYPE", "UNIT"}) {
      if (line_.substr(0, 2) == "# " && line_.substr(2, 4) == keyword && line_.size() > 6 &&
          line_[6] == ' ') {
        col_ = 7;
        return ParseDescriptor(keyword);
      }
    }
    return ErrorAt(0, "# HELP, # TYPE, # UNIT or # EOF (OpenMetrics has no other comments)");
  }

  // The rest of a HELP, TYPE or UNIT line, from the metric name on.
  Status ParseDescriptor(std::string_view keyword) {
    const size_t name_col = col_;
    const std::string_view name = ReadName(true);
    if (name.empty()) return ErrorAt(name_col, "a metric name after # " + std::string(keyword));
    const bool has_rest = SkipSeparator();
    if (!has_rest && !AtEnd()) return ErrorAt(col_, "a blank after the metric name");
    MetricFamily& family = FamilyNamed(name);
    const std::string_view rest = line_.substr(col_);
    if (keyword == "HELP") {
      family.help = exposition::Unescape(rest, om_);
      return Status::Ok();
    }
    if (keyword == "UNIT") {
      family.unit = std::string(rest);
      return Status::Ok();
    }
    const size_t type_col = col_;
    const std::string_view type = ReadToken();
    SkipOptionalBlanks();
    const TypeName* found = nullptr;
    for (const TypeName& t : kTypeNames) {
      if (t.name == type && (om_ || t.text_format)) found = &t;
    }
    if (found == nullptr || !AtEnd()) {
      return ErrorAt(type_col, om_ ? "a type: counter, gauge, histogram, gaugehistogram, "
                                     "summary, info, stateset or unknown"
                                   : "a type: counter, gauge, histogram, summary or untyped");
    }
    if (typed_[&family - out_.families.data()]) {
      return ErrorAt(name_col, "one # TYPE line per metric family (\"" + std::string(name) +
                                   "\" has one already)");
    }
    typed_[&family - out_.families.data()] = true;
    family.type = found->type;
    return Status::Ok();
  }

  MetricFamily& FamilyNamed(std::string_view name) {
    auto [it, inserted] = family_index_.try_emplace(std::string(name), out_.families.size());
    if (inserted) {
      MetricFamily family;
      family.name = std::string(name);
      out_.families.push_back(std::move(family));
      typed_.push_back(false);
    }
    return out_.families[it->second];
  }

  const MetricFamily* DeclaredFamily(std::string_view name) const {
    auto it = family_index_.find(std::string(name));
    return it == family_index_.end() ? nullptr : &out_.families[it->second];
  }

  enum class SampleKind { kKeep, kSkipCreated };

  // Checks a sample against the family it belongs to (found by name or name minus a suffix),
  // as far as the format requires.
  Result<SampleKind> CheckFamily(std::string_view name, const std::vector<Label>& labels,
                                 size_t name_col) const {
    auto has_label = [&](std::string_view l) {
      for (const Label& x : labels) {
        if (x.name == l) return true;
      }
      return false;
    };
    if (const MetricFamily* f = DeclaredFamily(name)) {
      switch (f->type) {
        case MetricType::kHistogram:
        case MetricType::kGaugeHistogram:
          return Err(ErrorAt(name_col, name_str(name) + "_bucket, _count or _sum (\"" +
                                           name_str(name) + "\" is a histogram)"));
        case MetricType::kSummary:
          if (!has_label("quantile")) {
            return Err(ErrorAt(col_, "a quantile label on summary \"" + name_str(name) + "\""));
          }
          return SampleKind::kKeep;
        case MetricType::kCounter:
          if (om_) {
            return Err(ErrorAt(name_col, name_str(name) + "_total (OpenMetrics counter samples "
                                                          "end in _total)"));
          }
          return SampleKind::kKeep;
        case MetricType::kInfo:
          return Err(ErrorAt(
              name_col, name_str(name) + "_info (\"" + name_str(name) + "\" is an info metric)"));
        default: return SampleKind::kKeep;
      }
    }
    for (const SuffixRule& rule : kSuffixRules) {
      if (!name.ends_with(rule.suffix)) continue;
      const MetricFamily* f = DeclaredFamily(name.substr(0, name.size() - rule.suffix.size()));
      if (f == nullptr) continue;
      if (rule.suffix == "_created" &&
          (f->type == MetricType::kCounter || f->type == MetricType::kHistogram ||
           f->type == MetricType::kSummary || f->type == MetricType::kGaugeHistogram)) {
        return SampleKind::kSkipCreated;
      }
      if (f->type != rule.type) continue;
      if (!rule.required_label.empty() && !has_label(rule.required_label)) {
        return Err(ErrorAt(col_, "an " + std::string(rule.required_label) +
                                     " label on histogram bucket \"" + name_str(name) + "\""));
      }
      return SampleKind::kKeep;
    }
    return SampleKind::kKeep;  // a sample of an undeclared (untyped) family
  }
  static std::string name_str(std::string_view s) { return std::string(s); }

  Status ParseLabels(std::vector<Label>* labels) {
    ++col_;  // '{'
    while (true) {
      SkipOptionalBlanks();
      if (Peek() == '}') {
        ++col_;
        return Status::Ok();
      }
      const size_t name_col = col_;
      const std::string_view name = ReadName(false);
      if (name.empty()) return ErrorAt(name_col, "a label name or '}'");
      SkipOptionalBlanks();
      if (Peek() != '=') return ErrorAt(col_, "'=' after label name \"" + name_str(name) + "\"");
      ++col_;
      SkipOptionalBlanks();
      if (Peek() != '"')
        return ErrorAt(col_, "'\"' to open the value of label \"" + name_str(name) + "\"");
      const size_t value_col = ++col_;
      while (!AtEnd() && line_[col_] != '"') col_ += line_[col_] == '\\' ? 2 : 1;
      if (AtEnd()) {
        col_ = line_.size();
        return ErrorAt(col_, "'\"' to close the value of label \"" + name_str(name) + "\"");
      }
      std::string value = exposition::Unescape(line_.substr(value_col, col_ - value_col), true);
      if (!IsValidUtf8(value)) {
        return ErrorAt(value_col, "a UTF-8 value for label \"" + name_str(name) + "\"");
      }
      ++col_;  // closing quote
      labels->push_back({std::string(name), std::move(value)});
      SkipOptionalBlanks();
      if (Peek() == ',') {
        ++col_;
        if (om_ && Peek() == '}') return ErrorAt(col_, "a label name after ','");
        continue;
      }
      if (Peek() != '}') return ErrorAt(col_, "',' or '}' after a label value");
    }
  }

  Status ParseSample() {
    const size_t name_col = col_;
    const std::string_view name = ReadName(true);
    if (name.empty()) return ErrorAt(name_col, "a metric name or '#'");
    std::vector<Label> labels;
    labels.push_back({std::string(kMetricNameLabel), std::string(name)});
    // The text format allows blanks before '{'; a blank must then still precede the value.
    size_t before = col_;
    SkipOptionalBlanks();
    if (Peek() == '{') {
      FS_RETURN_STATUS_IF_ERROR(ParseLabels(&labels));
      before = col_;
      SkipOptionalBlanks();
    }
    const bool separated = om_ ? SkipSeparator() : col_ > before;
    if (!separated || AtEnd()) {
      return ErrorAt(col_, om_ ? "one space and a value" : "a blank and a value");
    }
    const size_t value_col = col_;
    ParsedSample sample;
    if (!exposition::ParseValue(ReadToken(), &sample.value)) {
      return ErrorAt(value_col, "a value (a number, NaN, +Inf or -Inf)");
    }
    FS_RETURN_STATUS_IF_ERROR(ParseTimestampAndExemplar(&sample));
    FS_ASSIGN_OR_RETURN_STATUS(SampleKind kind, CheckFamily(name, labels, name_col));
    if (kind == SampleKind::kSkipCreated) {
      ++out_.created_skipped;
      return Status::Ok();
    }
    auto made = MakeLabels(std::move(labels));
    if (!made) return MessageAt(name_col, made.error().message());
    sample.labels = std::move(*made);
    if (options_.max_samples != 0 && out_.samples.size() >= options_.max_samples) {
      ++out_.samples_dropped;
      return Status::Ok();
    }
    out_.samples.push_back(std::move(sample));
    return Status::Ok();
  }

  Status ParseTimestampAndExemplar(ParsedSample* sample) {
    const bool separated = SkipSeparator();
    if (AtEnd()) return Status::Ok();
    if (!separated) return ErrorAt(col_, "a blank after the value");
    if (om_ && Peek() == '#') return SkipExemplar();
    const size_t ts_col = col_;
    const std::string_view token = ReadToken();
    int64_t t_ms = 0;
    const bool ok = om_ ? exposition::ParseSecondsAsMillis(token, &t_ms)
                        : exposition::ParseMillis(token, &t_ms);
    if (!ok) {
      return ErrorAt(ts_col, om_ ? "a timestamp in seconds or an exemplar '# {...}'"
                                 : "a timestamp in integer milliseconds or end of line");
    }
    sample->t_ms = t_ms;
    const bool more = SkipSeparator();
    if (AtEnd()) return Status::Ok();
    if (om_ && more && Peek() == '#') return SkipExemplar();
    return ErrorAt(col_, om_ ? "an exemplar '# {...}' or end of line" : "end of line");
  }

  // Exemplars (`# {trace_id="abc"} 1.0 [ts]`) link a sample to a trace; they are not samples
  // and are not kept. Their shape is still checked so junk after a value is not waved through.
  Status SkipExemplar() {
    ++col_;
    if (Peek() != ' ' || col_ + 1 >= line_.size() || line_[col_ + 1] != '{') {
      return ErrorAt(col_, "' {' starting an exemplar's labels");
    }
    col_ += 1;
    std::vector<Label> ignored;
    FS_RETURN_STATUS_IF_ERROR(ParseLabels(&ignored));
    if (!SkipSeparator()) return ErrorAt(col_, "one space and the exemplar's value");
    const size_t value_col = col_;
    double v = 0;
    if (!exposition::ParseValue(ReadToken(), &v)) return ErrorAt(value_col, "an exemplar value");
    if (AtEnd()) return Status::Ok();
    if (!SkipSeparator()) return ErrorAt(col_, "end of line");
    const size_t ts_col = col_;
    int64_t t = 0;
    if (!exposition::ParseSecondsAsMillis(ReadToken(), &t)) {
      return ErrorAt(ts_col, "an exemplar timestamp in seconds");
    }
    return AtEnd() ? Status::Ok() : ErrorAt(col_, "end of line");
  }

  std::string_view text_;
  const ExpositionOptions& options_;
  const bool om_;
  std::string_view line_;
  size_t col_ = 0;
  size_t line_no_ = 0;
  Exposition out_;
  std::vector<bool> typed_;  // by family index: a TYPE line was seen
  std::unordered_map<std::string, size_t> family_index_;
};

}  // namespace

ExpositionFormat FormatFromContentType(std::string_view content_type) {
  return content_type.starts_with("application/openmetrics-text")
             ? ExpositionFormat::kOpenMetrics
             : ExpositionFormat::kPrometheusText;
}

std::string_view MetricTypeName(MetricType type) {
  switch (type) {
    case MetricType::kUnknown: return "unknown";
    case MetricType::kCounter: return "counter";
    case MetricType::kGauge: return "gauge";
    case MetricType::kHistogram: return "histogram";
    case MetricType::kGaugeHistogram: return "gaugehistogram";
    case MetricType::kSummary: return "summary";
    case MetricType::kInfo: return "info";
    case MetricType::kStateSet: return "stateset";
  }
  return "unknown";
}

Result<Exposition> ParseExposition(std::string_view text, const ExpositionOptions& options) {
  return Parser(text, options).Run();
}

}  // namespace failsafe::watch
