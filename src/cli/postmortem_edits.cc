#include "cli/postmortem_edits.h"

namespace failsafe::cli {
namespace {

namespace bj = boost::json;

std::string Trim(std::string s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  const auto last = s.find_last_not_of(" \t");
  return s.substr(first, last - first + 1);
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t end = s.find(sep, start);
    parts.push_back(Trim(s.substr(start, end - start)));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

bj::array Strings(const std::vector<std::string>& items) {
  bj::array a;
  for (const auto& s : items) a.push_back(bj::string(s));
  return a;
}

}  // namespace

Result<bj::object> ParseCause(const std::string& spec) {
  const auto parts = Split(spec, '|');
  if (parts[0].empty()) {
    return Err(InvalidArgument("--cause \"" + spec +
                                   "\": start with the category, e.g. \"software_defect|the "
                                   "cause|why 1|why 2\"",
                               "root_causes"));
  }
  bj::object cause{{"category", parts[0]}};
  if (parts.size() > 1) cause["description"] = parts[1];
  bj::array whys;
  for (size_t i = 2; i < parts.size(); ++i) {
    if (!parts[i].empty()) whys.push_back(bj::string(parts[i]));
  }
  cause["whys"] = std::move(whys);
  return cause;
}

Result<bj::object> ParseEvaluation(const std::string& spec) {
  const size_t eq = spec.find('=');
  if (eq == std::string::npos || Trim(spec.substr(0, eq)).empty()) {
    return Err(InvalidArgument(
        "--evaluate \"" + spec + "\": write STEP_KEY=VERDICT or STEP_KEY=VERDICT: comment",
        "step_evaluations"));
  }
  std::string verdict = spec.substr(eq + 1), comment;
  if (const size_t colon = verdict.find(':'); colon != std::string::npos) {
    comment = Trim(verdict.substr(colon + 1));
    verdict = verdict.substr(0, colon);
  }
  bj::object e{{"step_key", Trim(spec.substr(0, eq))}, {"verdict", Trim(verdict)}};
  if (!comment.empty()) e["comment"] = comment;
  return e;
}

Result<bj::object> PostmortemPatchBody(const PostmortemEdits& edits,
                                       const std::optional<std::string>& file_text) {
  bj::object body;
  if (file_text) {
    boost::system::error_code ec;
    bj::value v = bj::parse(*file_text, ec);
    if (ec || !v.is_object()) {
      return Err(InvalidArgument("--from-file " + edits.from_file.value_or("") +
                                     ": not a JSON object" +
                                     (ec ? " (" + ec.message() + ")" : std::string()),
                                 "from_file"));
    }
    body = std::move(v.as_object());
  }
  auto put = [&](const char* field, const std::optional<std::string>& value) {
    if (value) body[field] = *value;
  };
  put("title", edits.title);
  put("summary", edits.summary);
  put("impact", edits.impact);
  put("users_affected", edits.users_affected);
  put("status", edits.status);
  if (!edits.impacted_services.empty()) {
    body["impacted_services"] = Strings(edits.impacted_services);
  }
  if (!edits.went_well.empty()) body["went_well"] = Strings(edits.went_well);
  if (!edits.went_badly.empty()) body["went_badly"] = Strings(edits.went_badly);
  if (!edits.revisions.empty()) body["extra_revisions"] = Strings(edits.revisions);
  if (!edits.causes.empty()) {
    bj::array causes;
    for (const auto& spec : edits.causes) {
      FS_ASSIGN_OR_RETURN(auto cause, ParseCause(spec));
      causes.push_back(std::move(cause));
    }
    body["root_causes"] = std::move(causes);
  }
  if (!edits.evaluations.empty()) {
    bj::array evaluations;
    for (const auto& spec : edits.evaluations) {
      FS_ASSIGN_OR_RETURN(auto e, ParseEvaluation(spec));
      evaluations.push_back(std::move(e));
    }
    body["step_evaluations"] = std::move(evaluations);
  }
  if (body.empty()) {
    return Err(InvalidArgument("nothing to change: give at least one flag (see --help)"));
  }
  return body;
}

}  // namespace failsafe::cli
