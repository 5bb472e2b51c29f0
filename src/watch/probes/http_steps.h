#pragma once
// The multi-step HTTP check: steps run in order over fresh connections, sharing cookies, each
// judged like an HTTP probe; values extracted from one answer feed later steps as {{name}}.
// The first failing step ends the check and is named in the result.
#include <chrono>
#include <vector>

#include "watch/probes/curl_driver.h"
#include "watch/probes/http_probe.h"
#include "watch/probes/probe_spec.h"

namespace failsafe::watch::probes {

// Runs the steps within `timeout` in total; `done` runs on the driver's thread. The result's
// duration and TLS fields cover all steps run; status and phases are those of the last one.
void RunHttpSteps(CurlDriver& driver, const std::vector<HttpStep>& steps,
                  std::chrono::milliseconds timeout, ProbeCallback done);

}  // namespace failsafe::watch::probes
