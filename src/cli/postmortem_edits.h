#pragma once
// `failsafe postmortem update ID ...`: the flags, turned into the PATCH body of
// /api/v1/postmortems/{id}. Only the shape is checked here; the server validates the values
// (categories, verdicts, step keys) and its errors name the field.
#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"

namespace failsafe::cli {

struct PostmortemEdits {
  std::optional<std::string> title, summary, impact, users_affected, status;
  std::optional<std::string> from_file;  // a JSON PATCH body; flags given as well win
  // Repeatable flags; an empty list means "not given" unless the matching *_given is set.
  std::vector<std::string> impacted_services, causes, went_well, went_badly, evaluations, revisions;
};

// "CATEGORY|description|why 1|why 2|..." -> {category, description, whys}.
Result<boost::json::object> ParseCause(const std::string& spec);
// "STEP_KEY=VERDICT" or "STEP_KEY=VERDICT: comment" -> {step_key, verdict, comment}.
Result<boost::json::object> ParseEvaluation(const std::string& spec);
// The PATCH body; `file_text` is the content of from_file when one was given.
Result<boost::json::object> PostmortemPatchBody(const PostmortemEdits& edits,
                                                const std::optional<std::string>& file_text);

}  // namespace failsafe::cli
