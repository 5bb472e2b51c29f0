#include "watch/logs/pattern.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <mutex>

#include "watch/logs/conditional_guard.h"

namespace failsafe::watch::logs {
namespace {

constexpr int64_t kRe2MaxMem = 64 << 20;  // fail2ban's host regexes make big automata
// Backtracking steps per line before RE2 takes over: a log line matched normally takes
// hundreds; pathological regex and line pairs take millions.
constexpr uint32_t kPcreMatchLimit = 20'000;

class Re2Pattern final : public Pattern {
 public:
  explicit Re2Pattern(std::unique_ptr<re2::RE2> re) : re_(std::move(re)) {
    groups_ = re_->NumberOfCapturingGroups() + 1;
    for (const auto& [name, index] : re_->NamedCapturingGroups()) names_[name] = index;
  }

  bool Search(std::string_view text, Groups* groups) const override {
    // Thread-safe: RE2 is, and the scratch vector is per thread.
    thread_local std::vector<re2::StringPiece> sub;
    sub.resize(groups_);
    if (!re_->Match(re2::StringPiece(text.data(), text.size()), 0, text.size(),
                    re2::RE2::UNANCHORED, sub.data(), groups_)) {
      return false;
    }
    groups->spans.assign(groups_, {});
    for (int i = 0; i < groups_; ++i) {
      if (sub[i].data() != nullptr)
        groups->spans[i] = std::string_view(sub[i].data(), sub[i].size());
    }
    return true;
  }
  bool MatchPrefix(std::string_view text, size_t* end) const override {
    re2::StringPiece whole;
    if (!re_->Match(re2::StringPiece(text.data(), text.size()), 0, text.size(),
                    re2::RE2::ANCHOR_START, &whole, 1)) {
      return false;
    }
    *end = static_cast<size_t>(whole.data() + whole.size() - text.data());
    return true;
  }
  int GroupIndex(const std::string& name) const override {
    auto it = names_.find(name);
    return it == names_.end() ? -1 : it->second;
  }
  std::vector<std::string> GroupNames() const override {
    std::vector<std::string> out;
    for (const auto& [n, i] : names_) out.push_back(n);
    return out;
  }
  bool backtracking() const override { return false; }

 private:
  std::unique_ptr<re2::RE2> re_;
  int groups_ = 1;
  std::map<std::string, int> names_;
};

Result<std::unique_ptr<Pattern>> CompileRe2(const std::string& regex) {
  re2::RE2::Options options;
  options.set_encoding(re2::RE2::Options::EncodingLatin1);
  options.set_log_errors(false);
  options.set_max_mem(kRe2MaxMem);
  auto re = std::make_unique<re2::RE2>(regex, options);
  if (!re->ok()) {
    return Err(InvalidArgument("invalid regex: " + re->error() +
                               (re->error_arg().empty() ? "" : " at '" + re->error_arg() + "'")));
  }
  return std::unique_ptr<Pattern>(new Re2Pattern(std::move(re)));
}

// Per-thread match data, big enough for any regex's groups (PCRE2 caps what it reports).
pcre2_match_data* MatchData() {
  thread_local std::unique_ptr<pcre2_match_data, decltype(&pcre2_match_data_free)> data(
      pcre2_match_data_create(256, nullptr), &pcre2_match_data_free);
  return data.get();
}

// A compiled regex. The JIT compiles it on first use (a filter's regexes that never see a
// line they could match cost no JIT time); when the JIT took it, pcre2_jit_match runs it
// directly, without pcre2_match's checks of options nothing here uses.
struct Code {
  std::unique_ptr<pcre2_code, decltype(&pcre2_code_free)> code{nullptr, &pcre2_code_free};
  std::unique_ptr<std::once_flag> jit_once = std::make_unique<std::once_flag>();
  mutable bool jit = false;

  int Match(std::string_view text, pcre2_match_data* data, pcre2_match_context* context) const {
    // Without the JIT (out of executable memory, say) the interpreter runs it.
    std::call_once(*jit_once,
                   [this] { jit = pcre2_jit_compile(code.get(), PCRE2_JIT_COMPLETE) == 0; });
    const auto subject = reinterpret_cast<PCRE2_SPTR>(text.data());
    return jit ? pcre2_jit_match(code.get(), subject, text.size(), 0, 0, data, context)
               : pcre2_match(code.get(), subject, text.size(), 0, 0, data, context);
  }
};

// The regex compiled once for each set of guarded groups failed (conditional_guard.h):
// variants[mask - 1] has the groups of the bits in `mask` failed.
struct GuardedVariants {
  std::vector<ConditionalGuard> guards;
  std::vector<Code> variants;
};

class PcrePattern final : public Pattern {
 public:
  // `fallback_regex`: the regex for RE2, compiled when PCRE2 first gives up on a line (most
  // runs never need it, and compiling it would be most of the filter's start-up); empty when
  // RE2 cannot run it.
  PcrePattern(Code code, pcre2_match_context* context, std::string fallback_regex,
              GuardedVariants guarded)
      : code_(std::move(code)),
        context_(context),
        fallback_regex_(std::move(fallback_regex)),
        guarded_(std::move(guarded)) {
    uint32_t count = 0;
    pcre2_pattern_info(code_.code.get(), PCRE2_INFO_CAPTURECOUNT, &count);
    groups_ = static_cast<int>(count) + 1;
    uint32_t name_count = 0, entry_size = 0;
    PCRE2_SPTR table = nullptr;
    pcre2_pattern_info(code_.code.get(), PCRE2_INFO_NAMECOUNT, &name_count);
    pcre2_pattern_info(code_.code.get(), PCRE2_INFO_NAMEENTRYSIZE, &entry_size);
    pcre2_pattern_info(code_.code.get(), PCRE2_INFO_NAMETABLE, &table);
    for (uint32_t i = 0; i < name_count; ++i) {
      const PCRE2_SPTR entry = table + i * entry_size;
      const int index = (entry[0] << 8) | entry[1];
      names_[reinterpret_cast<const char*>(entry + 2)] = index;
    }
  }
  ~PcrePattern() override { pcre2_match_context_free(context_); }

  bool Search(std::string_view text, Groups* groups) const override {
    pcre2_match_data* data = MatchData();
    const int rc = CodeFor(text).Match(text, data, context_);
    if (rc == PCRE2_ERROR_NOMATCH) return false;
    if (rc < 0) {  // the match limit (or another resource limit)
      ++limit_hits_;
      const Pattern* fallback = Fallback();
      return fallback != nullptr && fallback->Search(text, groups);
    }
    // rc is one more than the highest group set: the ones after it did not take part (0:
    // more groups than the match data holds, all of it is set).
    const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(data);
    const int reported = rc > 0 ? rc : static_cast<int>(pcre2_get_ovector_count(data));
    const int set = std::min(reported, groups_);
    groups->spans.resize(groups_);
    for (int i = 0; i < set; ++i) {
      groups->spans[i] = ov[2 * i] == PCRE2_UNSET
                             ? std::string_view()
                             : std::string_view(text.data() + ov[2 * i], ov[2 * i + 1] - ov[2 * i]);
    }
    std::fill(groups->spans.begin() + set, groups->spans.end(), std::string_view());
    return true;
  }
  bool MatchPrefix(std::string_view text, size_t* end) const override {
    pcre2_match_data* data = MatchData();
    // Not PCRE2_ANCHORED: that option at match time turns the JIT off. The leftmost match
    // starts at 0 exactly when a match at 0 exists.
    const int rc = CodeFor(text).Match(text, data, context_);
    if (rc == PCRE2_ERROR_NOMATCH) return false;
    if (rc < 0) {
      ++limit_hits_;
      const Pattern* fallback = Fallback();
      return fallback != nullptr && fallback->MatchPrefix(text, end);
    }
    const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(data);
    if (ov[0] != 0) return false;
    *end = ov[1];
    return true;
  }
  int GroupIndex(const std::string& name) const override {
    auto it = names_.find(name);
    return it == names_.end() ? -1 : it->second;
  }
  std::vector<std::string> GroupNames() const override {
    std::vector<std::string> out;
    for (const auto& [n, i] : names_) out.push_back(n);
    return out;
  }
  bool backtracking() const override { return fallback_regex_.empty(); }
  size_t guards() const override { return guarded_.guards.size(); }

 private:
  // The cheapest compiled form that finds the same match in `text`.
  const Code& CodeFor(std::string_view text) const {
    size_t mask = 0;
    for (size_t i = 0; i < guarded_.guards.size(); ++i) {
      if (GuardHolds(guarded_.guards[i], text)) mask |= size_t{1} << i;
    }
    return mask == 0 ? code_ : guarded_.variants[mask - 1];
  }

  const Pattern* Fallback() const {
    std::call_once(fallback_once_, [this] {
      if (fallback_regex_.empty()) return;
      if (auto re2 = CompileRe2(fallback_regex_)) fallback_ = std::move(*re2);
    });
    return fallback_.get();
  }

  Code code_;
  pcre2_match_context* context_;
  std::string fallback_regex_;
  mutable std::once_flag fallback_once_;
  mutable std::unique_ptr<Pattern> fallback_;  // RE2, once needed
  GuardedVariants guarded_;
  int groups_ = 1;
  std::map<std::string, int> names_;
};

Result<Code> CompileCode(const std::string& regex) {
  int error = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(regex.data()), regex.size(), 0,
                                   &error, &offset, nullptr);
  if (code == nullptr) {
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(error, message, sizeof(message));
    return Err(InvalidArgument("invalid regex at offset " + std::to_string(offset) + ": " +
                               reinterpret_cast<const char*>(message)));
  }
  Code out;
  out.code.reset(code);
  return out;
}

GuardedVariants CompileGuarded(const std::string& regex) {
  GuardedVariants out;
  auto guards = FindConditionalGuards(regex);
  for (size_t mask = 1; mask < (size_t{1} << guards.size()); ++mask) {
    std::vector<ConditionalGuard> failed;
    for (size_t i = 0; i < guards.size(); ++i) {
      if (mask & (size_t{1} << i)) failed.push_back(guards[i]);
    }
    auto code = CompileCode(WithGroupsFailed(regex, failed));
    if (!code) return {};  // not expected; the plain regex does the work then
    out.variants.push_back(std::move(*code));
  }
  out.guards = std::move(guards);
  return out;
}

Result<std::unique_ptr<Pattern>> CompilePcre(const std::string& regex, std::string fallback_regex,
                                             bool use_guards) {
  FS_ASSIGN_OR_RETURN(Code code, CompileCode(regex));
  pcre2_match_context* context = pcre2_match_context_create(nullptr);
  pcre2_set_match_limit(context, kPcreMatchLimit);
  return std::unique_ptr<Pattern>(
      new PcrePattern(std::move(code), context, std::move(fallback_regex),
                      use_guards ? CompileGuarded(regex) : GuardedVariants{}));
}

}  // namespace

Result<std::unique_ptr<Pattern>> Pattern::Compile(const std::string& regex, bool needs_backtracking,
                                                  bool use_guards) {
  if (needs_backtracking) return CompilePcre(regex, "", use_guards);
  // PCRE2 first, RE2 behind it (compiled when first needed). Should PCRE2 refuse the regex,
  // RE2 alone runs it, or says what is wrong with it.
  auto pcre = CompilePcre(regex, regex, use_guards);
  if (pcre) return pcre;
  return CompileRe2(regex);
}

}  // namespace failsafe::watch::logs
