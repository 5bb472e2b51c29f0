// DecodeV2Alerts: POST /api/v2/alerts read in one pass with Boost.JSON's SAX parser, straight
// into Alert values. The intake's hottest path: building a DOM first (decode_alertmanager.cc
// keeps that version as DecodeV2AlertsDom, the reference the tests and the fuzzer compare this
// one against) costs an allocation per node and a second walk. The answers are the same: a
// malformed body is refused as malformed JSON before any field is judged, alerts are judged in
// order, and within one alert the members in the DOM version's order (labels, annotations,
// generatorURL, startsAt, endsAt) whatever order the sender wrote them in. A repeated key
// keeps its last value, as in the DOM.
#include <algorithm>
#include <boost/json/basic_parser_impl.hpp>
#include <numeric>

#include "watch/alerts/decode_common.h"

namespace failsafe::watch::alerts {
namespace {

namespace bj = boost::json;

// A label-set member (labels or annotations) as read: entries in the sender's order, repeats
// included, judged when the alert ends.
struct RawLabels {
  enum class State { kAbsent, kObject, kWrongType } state = State::kAbsent;
  struct Entry {
    std::string name, value;
    uint32_t position = 0;  // order of the first appearance of the name
    bool is_string = true;
  };
  std::vector<Entry> entries;

  void Reset(State s) {
    state = s;
    entries.clear();
  }
};

// A string member (generatorURL, startsAt, endsAt) as read.
struct RawText {
  enum class State { kAbsent, kString, kWrongType } state = State::kAbsent;
  std::string text;
};

// Which member of the alert object a value belongs to.
enum class Member { kLabels, kAnnotations, kGeneratorUrl, kStartsAt, kEndsAt, kOther };

Member MemberOf(std::string_view key) {
  if (key == "labels") return Member::kLabels;
  if (key == "annotations") return Member::kAnnotations;
  if (key == "generatorURL") return Member::kGeneratorUrl;
  if (key == "startsAt") return Member::kStartsAt;
  if (key == "endsAt") return Member::kEndsAt;
  return Member::kOther;
}

// Turns read entries into a label set as LabelsFromJson does with a DOM object: a repeated
// name keeps its first position and last value; the first invalid name or non-string value
// (in that order) is the error; empty values are dropped; sorted by name. `field()` names the
// member in an error; it is only called then, since building it for every alert of a batch
// cost more than judging the labels.
template <typename FieldName>
Result<Labels> JudgeLabels(RawLabels& raw, const FieldName& field, bool required) {
  if (raw.state == RawLabels::State::kAbsent) {
    if (required) {
      return Err(InvalidArgument("is required (a non-empty object of labels)", field()));
    }
    return Labels{};
  }
  if (raw.state == RawLabels::State::kWrongType) {
    return Err(InvalidArgument("must be an object of string labels", field()));
  }
  auto& e = raw.entries;
  // By name, then by arrival (`position` is still the arrival index here): a stable sort
  // without the temporary buffer std::stable_sort allocates.
  std::sort(e.begin(), e.end(), [](const auto& a, const auto& b) {
    return a.name < b.name || (a.name == b.name && a.position < b.position);
  });
  size_t kept = 0;
  for (size_t i = 0; i < e.size(); ++i) {
    if (kept > 0 && e[kept - 1].name == e[i].name) {
      const uint32_t first = e[kept - 1].position;
      e[kept - 1] = std::move(e[i]);
      e[kept - 1].position = first;
    } else {
      if (kept != i) e[kept] = std::move(e[i]);
      ++kept;
    }
  }
  e.resize(kept);
  const RawLabels::Entry* bad = nullptr;
  for (const auto& entry : e) {
    if ((!ValidLabelName(entry.name) || !entry.is_string) &&
        (bad == nullptr || entry.position < bad->position)) {
      bad = &entry;
    }
  }
  if (bad != nullptr) {
    if (!ValidLabelName(bad->name)) {
      return Err(InvalidArgument(
          "invalid label name '" + bad->name.substr(0, 64) + "' (names are [a-zA-Z_][a-zA-Z0-9_]*)",
          field()));
    }
    return Err(InvalidArgument("label values must be strings", field() + "." + bad->name));
  }
  Labels out;
  out.reserve(e.size());
  for (auto& entry : e) {
    if (!entry.value.empty()) out.push_back({std::move(entry.name), std::move(entry.value)});
  }
  if (required && out.empty()) {
    return Err(InvalidArgument("must have at least one label with a value", field()));
  }
  return out;
}

template <typename FieldName>
Result<std::optional<int64_t>> JudgeTime(const RawText& raw, const FieldName& field) {
  if (raw.state == RawText::State::kWrongType) {
    return Err(InvalidArgument("must be an RFC 3339 time string", field()));
  }
  if (raw.state == RawText::State::kAbsent) return std::optional<int64_t>();
  auto t = decode::TimeFromText(raw.text, std::string());
  if (!t) return Err(t.error().WithField(field()));
  return t;
}

// The SAX handler. Depth 0 is the body, 1 the array's elements (alerts), 2 an alert's members,
// 3 a label set's entries. Values nobody asked for (unknown members, nested values where a
// string was expected) are skipped with `skip_`. The first error is kept; parsing goes on so
// that a malformed body is still reported as such.
class V2Handler {
 public:
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);

  explicit V2Handler(const DecodeOptions& o) : options_(o) {}

  std::vector<Alert> alerts;
  std::optional<Status> error;

  bool on_document_begin(bj::error_code&) { return true; }
  bool on_document_end(bj::error_code&) { return true; }

  bool on_array_begin(bj::error_code&) {
    if (Enter()) return true;
    if (depth_ != 0) return Skip();
    is_array_ = true;
    ++depth_;
    return true;
  }
  bool on_array_end(std::size_t, bj::error_code&) {
    if (Leave()) return true;
    --depth_;
    return true;
  }

  bool on_object_begin(bj::error_code&) {
    if (Enter()) return true;
    if (depth_ == 1) {
      BeginAlert();
    } else if (depth_ == 2 && labels_target() != nullptr) {
      labels_target()->Reset(RawLabels::State::kObject);
    } else {
      return Skip();
    }
    ++depth_;
    return true;
  }
  bool on_object_end(std::size_t, bj::error_code&) {
    if (Leave()) return true;
    --depth_;
    if (depth_ == 1 && in_alert_) EndAlert();
    return true;
  }

  bool on_key_part(bj::string_view s, std::size_t, bj::error_code&) {
    if (skip_ == 0) key_.append(s.data(), s.size());
    return true;
  }
  bool on_key(bj::string_view s, std::size_t, bj::error_code&) {
    if (skip_ > 0) return true;
    key_.append(s.data(), s.size());
    if (depth_ == 2) {
      member_ = MemberOf(key_);
    } else if (depth_ == 3) {
      RawLabels& set = *labels_target();
      set.entries.push_back({std::move(key_), {}, static_cast<uint32_t>(set.entries.size()), true});
    }
    key_.clear();
    return true;
  }

  bool on_string_part(bj::string_view s, std::size_t, bj::error_code&) {
    if (skip_ == 0) text_.append(s.data(), s.size());
    return true;
  }
  bool on_string(bj::string_view s, std::size_t, bj::error_code&) {
    if (skip_ > 0) return true;
    text_.append(s.data(), s.size());
    if (depth_ == 3) {
      labels_target()->entries.back().value = std::move(text_);
    } else if (depth_ == 2 && text_target() != nullptr) {
      text_target()->state = RawText::State::kString;
      text_target()->text = std::move(text_);
    } else {
      Scalar();
    }
    text_.clear();
    return true;
  }

  bool on_number_part(bj::string_view, bj::error_code&) { return true; }
  bool on_int64(int64_t, bj::string_view, bj::error_code&) { return Scalar(); }
  bool on_uint64(uint64_t, bj::string_view, bj::error_code&) { return Scalar(); }
  bool on_double(double, bj::string_view, bj::error_code&) { return Scalar(); }
  bool on_bool(bool, bj::error_code&) { return Scalar(); }
  bool on_null(bj::error_code&) {
    if (skip_ > 0) return true;
    if (depth_ == 2) {
      // null is "not given" for every member the DOM version reads.
      if (labels_target() != nullptr) labels_target()->Reset(RawLabels::State::kAbsent);
      if (text_target() != nullptr) *text_target() = RawText{};
      return true;
    }
    return Scalar();
  }
  bool on_comment_part(bj::string_view, bj::error_code&) { return true; }
  bool on_comment(bj::string_view, bj::error_code&) { return true; }

  // After the parse succeeded: a body that is not an array is refused.
  void CheckWasArray() {
    if (!is_array_ && !error) {
      error = InvalidArgument("the body must be a JSON array of alerts ([{\"labels\": {...}}])");
    }
  }

 private:
  // Nested containers inside a skipped value only move the skip depth.
  bool Enter() {
    if (skip_ == 0) return false;
    ++skip_;
    return true;
  }
  bool Leave() {
    if (skip_ == 0) return false;
    --skip_;
    return true;
  }

  RawLabels* labels_target() {
    if (member_ == Member::kLabels) return &labels_;
    if (member_ == Member::kAnnotations) return &annotations_;
    return nullptr;
  }
  RawText* text_target() {
    switch (member_) {
      case Member::kGeneratorUrl: return &generator_url_;
      case Member::kStartsAt: return &starts_at_;
      case Member::kEndsAt: return &ends_at_;
      default: return nullptr;
    }
  }

  // A container where none belongs (or nobody asked for one): judged like a scalar there (a
  // wrong type, or an array element that is not an object), then its content is skipped; its
  // end only closes the skip, so depth_ stays.
  bool Skip() {
    Scalar();
    skip_ = 1;
    return true;
  }
  // A scalar (number, bool, string where none belongs, null inside a label set).
  bool Scalar() {
    if (skip_ > 0) return true;
    if (depth_ == 0) return true;  // not an array: CheckWasArray says so
    if (depth_ == 1) {
      NotAnObject();
      return true;
    }
    MarkWrongType();
    return true;
  }
  void MarkWrongType() {
    if (depth_ == 3) {
      labels_target()->entries.back().is_string = false;
    } else if (depth_ == 2) {
      if (labels_target() != nullptr) labels_target()->Reset(RawLabels::State::kWrongType);
      if (text_target() != nullptr) *text_target() = RawText{RawText::State::kWrongType, {}};
    }
  }

  void NotAnObject() {
    if (!error) error = InvalidArgument("each alert must be an object", "[" + Index() + "]");
    ++index_;
  }
  std::string Index() const { return std::to_string(index_); }

  void BeginAlert() {
    in_alert_ = true;
    member_ = Member::kOther;
    labels_.Reset(RawLabels::State::kAbsent);
    annotations_.Reset(RawLabels::State::kAbsent);
    generator_url_ = starts_at_ = ends_at_ = RawText{};
  }

  void EndAlert() {
    in_alert_ = false;
    member_ = Member::kOther;
    if (!error) {
      auto a = Judge();
      if (a) {
        alerts.push_back(std::move(*a));
      } else {
        error = a.error();
        alerts.clear();
      }
    }
    ++index_;
  }

  // The alert's field name in errors, e.g. "[3].labels".
  auto FieldOf(std::string_view member) const {
    return [this, member] { return "[" + Index() + "]" + std::string(member); };
  }

  Result<Alert> Judge() {
    Alert a;
    FS_ASSIGN_OR_RETURN(a.labels, JudgeLabels(labels_, FieldOf(".labels"), true));
    FS_ASSIGN_OR_RETURN(a.annotations, JudgeLabels(annotations_, FieldOf(".annotations"), false));
    if (generator_url_.state == RawText::State::kWrongType) {
      return Err(InvalidArgument("must be a string", FieldOf(".generatorURL")()));
    }
    a.generator_url = std::move(generator_url_.text);
    FS_ASSIGN_OR_RETURN(auto starts, JudgeTime(starts_at_, FieldOf(".startsAt")));
    FS_ASSIGN_OR_RETURN(auto ends, JudgeTime(ends_at_, FieldOf(".endsAt")));
    // Finish's one refusal (endsAt before startsAt) names "<field>.endsAt".
    Status finished = decode::Finish(a, starts, ends, false, options_, std::string());
    if (!finished.ok()) return Err(finished.WithField(FieldOf(".endsAt")()));
    return a;
  }

  const DecodeOptions& options_;
  int depth_ = 0;
  int skip_ = 0;  // > 0: inside a value being skipped, at that nesting
  bool is_array_ = false;
  bool in_alert_ = false;
  size_t index_ = 0;
  Member member_ = Member::kOther;
  std::string key_, text_;
  RawLabels labels_, annotations_;
  RawText generator_url_, starts_at_, ends_at_;
};

}  // namespace

Result<std::vector<Alert>> DecodeV2Alerts(std::string_view body, const DecodeOptions& o) {
  bj::parse_options opts;
  opts.max_depth = decode::kMaxJsonDepth;
  bj::basic_parser<V2Handler> parser(opts, o);
  bj::error_code ec;
  const size_t consumed = parser.write_some(true, body.data(), body.size(), ec);
  if (!ec && consumed < body.size()) {
    return Err(
        InvalidArgument("alerts: malformed JSON: unexpected data after the document at byte " +
                        std::to_string(consumed)));
  }
  if (!ec) parser.write_some(false, nullptr, 0, ec);
  if (ec) {
    return Err(InvalidArgument("alerts: malformed JSON at byte " + std::to_string(consumed) + ": " +
                               ec.message()));
  }
  V2Handler& h = parser.handler();
  h.CheckWasArray();
  if (h.error) return Err(std::move(*h.error));
  return std::move(h.alerts);
}

}  // namespace failsafe::watch::alerts
