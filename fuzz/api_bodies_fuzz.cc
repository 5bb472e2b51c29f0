// Fuzzes the readers of the JSON bodies the response API takes from clients: catalog inputs
// (services, teams, people, schedules and overrides, escalation policies, severities),
// channels, and postmortem patches. Each must either accept the body or refuse it with a
// message, never crash or hang; a refused postmortem patch leaves the postmortem untouched.
#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <string>

#include "catalog/catalog_input.h"
#include "catalog/catalog_store.h"
#include "notify/channel.h"
#include "postmortems/patch.h"

namespace {

using namespace failsafe;

void Require(const Status& st) {
  if (!st.ok() && st.message().empty()) __builtin_trap();  // an error must say what
}

void Catalog(const boost::json::object& body) {
  for (bool creating : {true, false}) {
    catalog::Service service;
    Require(catalog::ApplyServiceInput(body, creating, service));
    catalog::Team team;
    Require(catalog::ApplyTeamInput(body, creating, team));
    catalog::Person person;
    Require(catalog::ApplyPersonInput(body, creating, person));
    catalog::Schedule schedule;
    Require(catalog::ApplyScheduleInput(body, creating, schedule));
    catalog::EscalationPolicy policy;
    Require(catalog::ApplyPolicyInput(body, creating, policy));
  }
  catalog::SeverityLevel severity;
  Require(catalog::ApplySeverityInput(body, severity));
  catalog::ScheduleOverride override_;
  Require(catalog::ReadOverrideInput(body, override_));
}

void Channel(const boost::json::object& body) {
  static const auth::SecretBox box = *auth::SecretBox::Create(std::string(32, 'k'));
  for (bool create : {true, false}) {
    auto in = notify::ParseChannelInput(body, create);
    if (!in) {
      Require(in.error());
      continue;
    }
    notify::Channel channel;
    Require(notify::ApplyChannelInput(*in, box, channel));
  }
}

void Postmortem(const boost::json::object& body) {
  postmortems::Postmortem p;
  p.title = "before";
  p.step_evaluations.push_back(
      {"switch-to-excel", 1, "respond", "tech_support", "Excel", true, "", ""});
  const Status st = postmortems::ApplyPatch(p, body, "fuzz", 1'700'000'000'000);
  Require(st);
  if (!st.ok() && p.title != "before") __builtin_trap();  // nothing half-applied
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return 0;
  const boost::json::object& body = v.as_object();
  Catalog(body);
  Channel(body);
  Postmortem(body);
  for (const auto& [key, value] : body) {
    if (value.is_string()) Require(StatusOf(catalog::ReadDurationText(value.as_string(), key)));
  }
  return 0;
}
