// Backup policy files (YAML or JSON) as `failsafe backup policy apply -f` and the API read
// them: any input is a policy or an error naming where, never a crash or a hang. An accepted
// policy's canonical JSON must read back to the same JSON.
#include <boost/json.hpp>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "backup/service/policy.h"
#include "backup/service/policy_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto policy = failsafe::backup::service::ParsePolicy(text, "fuzz");
  if (!policy) return 0;
  const std::string json = boost::json::serialize(failsafe::backup::service::SpecJson(*policy));
  auto again = failsafe::backup::service::ParsePolicy(json, "canonical");
  if (!again) std::abort();
  if (boost::json::serialize(failsafe::backup::service::SpecJson(*again)) != json) std::abort();
  return 0;
}
