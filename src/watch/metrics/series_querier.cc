// SeriesQuerier's default Visit (series.h), for queriers that only implement Select.
#include "watch/metrics/series.h"

namespace failsafe::watch {

void SeriesQuerier::Visit(std::span<const LabelMatcher> matchers, int64_t start_ms, int64_t end_ms,
                          const SelectHints& hints, const SeriesVisitor& visit) const {
  for (const SeriesSamples& s : Select(matchers, start_ms, end_ms)) {
    if (hints.newest_only && !s.samples.empty()) {
      visit(s.labels, std::span<const Sample>(&s.samples.back(), 1));
    } else {
      visit(s.labels, s.samples);
    }
  }
}

}  // namespace failsafe::watch
