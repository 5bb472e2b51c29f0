#include "watch/probes/step_values.h"

#include <re2/re2.h>

#include <boost/json.hpp>

namespace failsafe::watch::probes {
namespace {

bool IsNameChar(char c, bool first) {
  const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  return first ? alpha : alpha || (c >= '0' && c <= '9');
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// Calls visit(literal_text) and visit_name(name) in order; false on the first syntax error.
template <typename Literal, typename Name>
bool Walk(std::string_view text, Literal literal, Name name, std::string* error) {
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t open = text.find("{{", pos);
    if (open == std::string_view::npos) break;
    literal(text.substr(pos, open - pos));
    const size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos) {
      *error = "unterminated '{{' at offset " + std::to_string(open);
      return false;
    }
    const std::string_view n = Trim(text.substr(open + 2, close - open - 2));
    bool valid = !n.empty();
    for (size_t i = 0; valid && i < n.size(); ++i) valid = IsNameChar(n[i], i == 0);
    if (!valid) {
      *error = "'{{" + std::string(text.substr(open + 2, close - open - 2)) +
               "}}' is not a value name ([A-Za-z_][A-Za-z0-9_]*)";
      return false;
    }
    name(n);
    pos = close + 2;
  }
  literal(text.substr(pos));
  return true;
}

}  // namespace

Result<std::vector<std::string>> ReferencedNames(std::string_view text, const std::string& field) {
  std::vector<std::string> names;
  std::string error;
  if (!Walk(
          text, [](std::string_view) {}, [&](std::string_view n) { names.emplace_back(n); },
          &error))
    return Err(InvalidArgument(error, field));
  return names;
}

std::string Substitute(std::string_view text, const StepValues& values) {
  if (text.find("{{") == std::string_view::npos) return std::string(text);
  std::string out;
  std::string error;
  const bool ok = Walk(
      text, [&](std::string_view lit) { out += lit; },
      [&](std::string_view n) {
        auto it = values.find(n);
        if (it != values.end()) out += it->second;
      },
      &error);
  return ok ? out : std::string(text);
}

HttpRequestSpec SubstituteRequest(const HttpRequestSpec& request, const StepValues& values) {
  HttpRequestSpec out = request;
  out.url = Substitute(request.url, values);
  out.body = Substitute(request.body, values);
  for (auto& [name, value] : out.headers) value = Substitute(value, values);
  return out;
}

Result<std::string> Extract(const Extraction& how, const HttpAnswer& answer) {
  switch (how.from) {
    case Extraction::From::kHeader: {
      const std::string_view v = FindHeader(answer, how.expression);
      if (v.empty()) return Err(InvalidArgument("header " + how.expression + " not in the answer"));
      return std::string(v);
    }
    case Extraction::From::kRegex: {
      // The config check requires a capture group; the first one is the value.
      std::string capture;
      if (how.regex->NumberOfCapturingGroups() < 1 ||
          !RE2::PartialMatch(answer.body, *how.regex, &capture))
        return Err(InvalidArgument("regex /" + how.expression + "/ does not match the body"));
      return capture;
    }
    case Extraction::From::kJsonPointer: {
      boost::system::error_code ec;
      boost::json::value doc = boost::json::parse(answer.body, ec);
      if (ec) return Err(InvalidArgument("the body is not JSON: " + ec.message()));
      const boost::json::value* v = doc.find_pointer(how.expression, ec);
      if (v == nullptr || ec)
        return Err(InvalidArgument("JSON pointer " + how.expression + " not found in the body"));
      if (v->is_string()) return std::string(v->get_string());
      return boost::json::serialize(*v);
    }
  }
  return Err(InvalidArgument("unknown extraction"));
}

}  // namespace failsafe::watch::probes
