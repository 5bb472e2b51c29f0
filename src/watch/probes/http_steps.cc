#include "watch/probes/http_steps.h"

#include <memory>

#include "watch/probes/step_values.h"

namespace failsafe::watch::probes {
namespace {

using Clock = std::chrono::steady_clock;

// The state of one run, owned by the callback of the step in flight.
class StepsRun : public std::enable_shared_from_this<StepsRun> {
 public:
  StepsRun(CurlDriver& driver, std::vector<HttpStep> steps, std::chrono::milliseconds timeout,
           ProbeCallback done)
      : driver_(driver),
        steps_(std::move(steps)),
        deadline_(Clock::now() + timeout),
        done_(std::move(done)),
        share_(curl_share_init()) {
    // Cookies set by one step (a login session) go with the next, as in a browser. The steps
    // run one at a time on the driver thread, so the share needs no lock callbacks.
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_COOKIE);
  }
  ~StepsRun() { curl_share_cleanup(share_); }

  void Next() {
    if (index_ == steps_.size()) {
      total_.success = true;
      return done_(std::move(total_));
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now());
    if (left.count() <= 0) return Fail("timed out before the step started");
    const HttpStep& step = steps_[index_];
    HttpRequestSpec request = SubstituteRequest(step.request, values_);
    const bool keep_body = NeedsBody(request) || !step.extract.empty();
    StartHttpExchange(driver_, request, left, keep_body, share_,
                      [self = shared_from_this(), request](HttpAnswer answer) {
                        self->OnAnswer(request, answer);
                      });
  }

 private:
  void OnAnswer(const HttpRequestSpec& request, const HttpAnswer& answer) {
    ProbeResult r = JudgeHttpAnswer(request, answer);
    total_.duration_seconds += r.duration_seconds;
    total_.http_status = r.http_status;
    total_.redirects = r.redirects;
    total_.content_length = r.content_length;
    total_.http_phases = r.http_phases;
    if (r.ssl_earliest_cert_expiry &&
        (!total_.ssl_earliest_cert_expiry ||
         *r.ssl_earliest_cert_expiry < *total_.ssl_earliest_cert_expiry))
      total_.ssl_earliest_cert_expiry = r.ssl_earliest_cert_expiry;
    if (!r.tls_version.empty()) total_.tls_version = r.tls_version;
    if (!r.success) return Fail(r.error);
    for (const Extraction& how : steps_[index_].extract) {
      auto value = Extract(how, answer);
      if (!value) return Fail("extracting " + how.name + ": " + value.error().message());
      values_[how.name] = *value;
    }
    ++index_;
    Next();
  }

  void Fail(const std::string& why) {
    total_.success = false;
    total_.failed_step = steps_[index_].name;
    total_.error = "step " + steps_[index_].name + ": " + why;
    done_(std::move(total_));
  }

  CurlDriver& driver_;
  std::vector<HttpStep> steps_;
  Clock::time_point deadline_;
  ProbeCallback done_;
  CURLSH* share_;
  size_t index_ = 0;
  StepValues values_;
  ProbeResult total_;
};

}  // namespace

void RunHttpSteps(CurlDriver& driver, const std::vector<HttpStep>& steps,
                  std::chrono::milliseconds timeout, ProbeCallback done) {
  std::make_shared<StepsRun>(driver, steps, timeout, std::move(done))->Next();
}

}  // namespace failsafe::watch::probes
