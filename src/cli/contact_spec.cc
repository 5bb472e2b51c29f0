#include "cli/contact_spec.h"

#include <array>
#include <string_view>

namespace failsafe::cli {
namespace {

constexpr std::array<std::string_view, 7> kFields = {"kind",  "name",  "organisation", "role",
                                                     "phone", "email", "notes"};

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

bool IsField(std::string_view name) {
  for (auto f : kFields) {
    if (f == name) return true;
  }
  return false;
}

}  // namespace

Result<boost::json::object> ParseContactSpec(const std::string& spec) {
  const std::string where = "--contact \"" + spec + "\"";
  boost::json::object contact;
  std::string_view rest = spec;
  while (!rest.empty()) {
    const size_t end = rest.find(';');
    const std::string_view part = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    if (Trim(part).empty()) continue;
    const size_t eq = part.find('=');
    if (eq == std::string_view::npos) {
      return Err(
          InvalidArgument(where + ": '" + Trim(part) +
                              "' is not field=value (fields: kind, name, organisation, role, "
                              "phone, email, notes; separated by ';')",
                          "contact"));
    }
    const std::string field = Trim(part.substr(0, eq));
    if (!IsField(field)) {
      return Err(
          InvalidArgument(where + ": unknown field '" + field +
                              "' (fields: kind, name, organisation, role, phone, email, notes)",
                          "contact"));
    }
    if (contact.contains(field)) {
      return Err(InvalidArgument(where + ": field '" + field + "' given twice", "contact"));
    }
    contact[field] = Trim(part.substr(eq + 1));
  }
  if (!contact.contains("name") || contact.at("name").as_string().empty()) {
    return Err(InvalidArgument(where + ": a contact needs name=...", "contact"));
  }
  if (!contact.contains("kind")) contact["kind"] = "external";
  return contact;
}

}  // namespace failsafe::cli
