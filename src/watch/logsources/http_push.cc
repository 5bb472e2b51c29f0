#include "watch/logsources/http_push.h"

#include <cctype>

#include "base/json.h"
#include "watch/logsources/syslog_time.h"

namespace failsafe::watch {
namespace {

namespace bj = boost::json;

std::string MediaType(std::string_view content_type) {
  std::string out;
  for (char c : content_type.substr(0, content_type.find(';'))) {
    if (c != ' ' && c != '\t')
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

Status TooMany(const PushOptions& o) {
  return {ErrorCode::kPayloadTooLarge,
          "more than " + std::to_string(o.max_lines) + " lines in one body", "lines"};
}

struct Counts {
  uint64_t lines = 0, truncated = 0, invalid_utf8 = 0;
};

// Cuts `text` to the cap at a character boundary.
void Cap(std::string& text, size_t cap, Counts& counts) {
  if (text.size() <= cap) return;
  size_t end = cap;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  text.resize(end);
  ++counts.truncated;
}

Result<LogLine> DecodeItem(const bj::value& item, const std::string& field,
                           const PushOptions& options, Counts& counts) {
  LogLine line;
  line.source = options.source;
  if (item.is_string()) {
    line.text = std::string(item.as_string());
  } else if (item.is_object()) {
    // "time" takes a string or a number, which ObjectReader's typed getters do not: it is
    // read here and the reader checks the rest (and refuses unknown keys).
    bj::object rest = item.as_object();
    const bj::value time = rest.contains("time") ? rest["time"] : bj::value();
    rest.erase("time");
    json::ObjectReader r(rest, field);
    line.text = r.RequiredString("text", SIZE_MAX);  // cut to the cap below, not refused
    line.host = r.OptionalString("host", 255).value_or("");
    line.app = r.OptionalString("app", 255).value_or("");
    FS_RETURN_IF_ERROR(r.Finish());
    if (time.is_string()) {
      const std::string_view text = time.as_string();
      size_t consumed = 0;
      auto t = ParseRfc3339Prefix(text, &consumed);
      if (t && consumed == text.size()) line.time_ms = *t;
      if (!line.time_ms) {
        return Err(InvalidArgument("expected an RFC 3339 time such as 2026-11-22T08:30:00Z",
                                   r.FieldName("time")));
      }
    } else if (time.is_int64()) {
      line.time_ms = time.as_int64();
    } else if (!time.is_null()) {
      return Err(InvalidArgument("expected an RFC 3339 string or integer Unix milliseconds",
                                 r.FieldName("time")));
    }
  } else {
    return Err(InvalidArgument("expected a string or an object with \"text\"", field));
  }
  Cap(line.text, options.max_line_bytes, counts);
  ++counts.lines;
  return line;
}

Result<std::vector<LogLine>> DecodeJson(std::string_view body, const PushOptions& options,
                                        Counts& counts) {
  FS_ASSIGN_OR_RETURN(bj::value doc, json::Parse(body));
  const bj::array* items = nullptr;
  std::string prefix;
  if (doc.is_array()) {
    items = &doc.as_array();
  } else if (doc.is_object()) {
    json::ObjectReader r(doc.as_object());
    items = r.OptionalArray("lines");
    FS_RETURN_IF_ERROR(r.Finish());
    if (items == nullptr) return Err(InvalidArgument("expected an array of lines", "lines"));
    prefix = "lines";
  } else {
    return Err(InvalidArgument("expected {\"lines\": [...]} or an array of lines"));
  }
  if (items->size() > options.max_lines) return Err(TooMany(options));
  std::vector<LogLine> out;
  out.reserve(items->size());
  for (size_t i = 0; i < items->size(); ++i) {
    const std::string field = prefix + "[" + std::to_string(i) + "]";
    FS_ASSIGN_OR_RETURN(LogLine line, DecodeItem((*items)[i], field, options, counts));
    out.push_back(std::move(line));
  }
  return out;
}

Result<std::vector<LogLine>> DecodeText(std::string_view body, const PushOptions& options,
                                        SourceStats& scratch) {
  std::vector<LogLine> out;
  LineSplitter splitter(options.max_line_bytes);
  bool too_many = false;
  const auto emit = [&](const SplitLine& line) {
    if (line.text.empty() || too_many) return;
    if (out.size() >= options.max_lines) {
      too_many = true;
      return;
    }
    out.push_back(MakeLogLine(options.source, line, scratch));
  };
  splitter.Feed(body, emit);
  splitter.Flush(emit);
  if (too_many) return Err(TooMany(options));
  return out;
}

}  // namespace

Result<std::vector<LogLine>> DecodePushBody(std::string_view body, std::string_view content_type,
                                            const PushOptions& options, SourceStats& stats) {
  const std::string type = MediaType(content_type);
  Counts counts;
  std::vector<LogLine> lines;
  if (type.empty() || type == "text/plain") {
    SourceStats scratch;  // counted into `stats` only when the whole body is accepted
    FS_ASSIGN_OR_RETURN(lines, DecodeText(body, options, scratch));
    counts.lines = scratch.lines, counts.truncated = scratch.truncated;
    counts.invalid_utf8 = scratch.invalid_utf8;
  } else if (type == "application/json") {
    FS_ASSIGN_OR_RETURN(lines, DecodeJson(body, options, counts));
  } else {
    return Err({ErrorCode::kUnsupportedMedia,
                "log lines are pushed as text/plain or application/json, not " + type,
                "Content-Type"});
  }
  stats.lines += counts.lines;
  stats.truncated += counts.truncated;
  stats.invalid_utf8 += counts.invalid_utf8;
  stats.bytes += body.size();
  return lines;
}

}  // namespace failsafe::watch
