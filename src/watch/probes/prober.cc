#include "watch/probes/prober.h"

#include "watch/probes/http_probe.h"
#include "watch/probes/http_steps.h"

namespace failsafe::watch::probes {

Prober::Prober(ProberOptions options)
    : work_(io_.get_executor()),
      dns_pool_(static_cast<size_t>(options.dns_threads)),
      curl_(options.max_http_in_flight) {
  for (int i = 0; i < options.io_threads; ++i) io_threads_.emplace_back([this] { io_.run(); });
}

Prober::~Prober() {
  work_.reset();
  io_.stop();
  for (auto& t : io_threads_) t.join();
  dns_pool_.join();
}

void Prober::RunOnce(const ProbeSpec& spec, std::function<void(ProbeResult)> done) {
  switch (spec.type) {
    case ProbeType::kHttp: return RunHttpProbe(curl_, spec.http, spec.timeout, std::move(done));
    case ProbeType::kHttpSteps:
      return RunHttpSteps(curl_, spec.steps, spec.timeout, std::move(done));
    case ProbeType::kTcp: return tcp_.Run(spec.tcp, spec.timeout, std::move(done));
    case ProbeType::kDns: return dns_.Run(spec.dns, spec.timeout, std::move(done));
  }
}

}  // namespace failsafe::watch::probes
