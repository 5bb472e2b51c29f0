#pragma once
// The probe config file (docs/watch/probes.md has the full schema):
//
//   probes:
//     - name: jira-home
//       type: http            # http | tcp | dns | http_steps
//       url: https://jira.example.com/status
//       interval: 15s
//       timeout: 5s
//       retries: 2
//       service: jira
//       labels: {team: ops}
//
// Parsing is strict: unknown or duplicate fields, bad durations, regexes that do not compile,
// {{values}} no earlier step extracts, and duplicate probe names are errors that name the
// file, line, column and field. Nothing is half-loaded.
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "watch/probes/probe_spec.h"

namespace failsafe::watch::probes {

// At most this many probes per file (a runaway generator, not a real setup).
inline constexpr size_t kMaxProbesPerFile = 10'000;

// `file` is only used in error messages.
Result<std::vector<ProbeSpec>> ParseProbeConfig(std::string_view yaml_text,
                                                const std::string& file);

}  // namespace failsafe::watch::probes
