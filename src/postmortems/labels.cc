#include "postmortems/labels.h"

#include <array>
#include <cstdlib>

#include "base/clock.h"

namespace failsafe::postmortems {
namespace {

struct Entry {
  std::string_view key, en, zh;
};

constexpr std::array kLabels = {
    Entry{"postmortem", "Postmortem", "事后复盘"},
    Entry{"incident", "Incident", "事件"},
    Entry{"severity", "Severity", "级别"},
    Entry{"status", "Status", "状态"},
    Entry{"plan", "Plan", "预案"},
    Entry{"summary", "Summary", "概述"},
    Entry{"impact", "Impact", "影响"},
    Entry{"duration", "Duration", "持续时间"},
    Entry{"services", "Services", "受影响服务"},
    Entry{"users_affected", "Users affected", "受影响用户"},
    Entry{"declared_at", "Declared", "宣布时间"},
    Entry{"recovered_at", "Recovered", "恢复时间"},
    Entry{"measured_times", "Measured times", "响应时间测量"},
    Entry{"measure", "Measure", "指标"},
    Entry{"actual", "Actual", "实际"},
    Entry{"target", "Target", "目标"},
    Entry{"result", "Result", "结果"},
    Entry{"difference", "Difference", "差值"},
    Entry{"timeline", "Timeline", "时间线"},
    Entry{"time", "Time", "时间"},
    Entry{"actor", "Actor", "操作人"},
    Entry{"event", "Event", "事件记录"},
    Entry{"root_causes", "Root causes", "根本原因"},
    Entry{"why", "Why", "为什么"},
    Entry{"went_well", "What went well", "做得好的方面"},
    Entry{"went_badly", "What went badly", "需要改进的方面"},
    Entry{"plan_evaluation", "Plan evaluation", "预案执行评估"},
    Entry{"step", "Step", "步骤"},
    Entry{"phase", "Phase", "阶段"},
    Entry{"role", "Role", "角色"},
    Entry{"verdict", "Verdict", "评价"},
    Entry{"comment", "Comment", "说明"},
    Entry{"proposed_revisions", "Proposed plan revisions", "预案修订建议"},
    Entry{"action_items", "Action items", "改进措施"},
    Entry{"title", "Title", "标题"},
    Entry{"owner", "Owner", "负责人"},
    Entry{"due", "Due", "截止日期"},
    Entry{"overdue", "overdue", "已逾期"},
    Entry{"none", "None.", "无。"},
    Entry{"generated_at", "Generated", "生成时间"},
    Entry{"status.draft", "draft", "草稿"},
    Entry{"status.in_review", "in review", "评审中"},
    Entry{"status.published", "published", "已发布"},
    Entry{"action.open", "open", "待处理"},
    Entry{"action.in_progress", "in progress", "进行中"},
    Entry{"action.done", "done", "已完成"},
    Entry{"action.cancelled", "cancelled", "已取消"},
    Entry{"category.hardware", "Hardware", "硬件故障"},
    Entry{"category.network", "Network", "网络故障"},
    Entry{"category.software_defect", "Software defect", "软件缺陷"},
    Entry{"category.human_error", "Human error", "人为失误"},
    Entry{"category.natural_disaster", "Natural disaster", "自然灾害"},
    Entry{"category.malicious_attack", "Malicious attack", "恶意攻击"},
    Entry{"category.process", "Process", "流程问题"},
    Entry{"category.vendor", "Vendor", "供应商问题"},
    Entry{"category.other", "Other", "其他"},
    Entry{"verdict.worked", "worked", "有效"},
    Entry{"verdict.missing", "missing", "缺失"},
    Entry{"verdict.wrong", "wrong", "错误"},
    Entry{"verdict.not_used", "not used", "未使用"},
    Entry{"measure.to_acknowledge", "Time to acknowledge", "响应确认时间"},
    Entry{"measure.to_mitigate", "Time to mitigate", "开始处置时间"},
    Entry{"measure.to_recover", "Time to recover", "恢复时间"},
    Entry{"measure.to_verify", "Time to verify", "验证时间"},
    Entry{"measure.update_gap", "Longest gap between status updates", "状态通报最长间隔"},
    Entry{"result.met", "met", "达标"},
    Entry{"result.missed", "missed", "未达标"},
    Entry{"result.pending", "pending", "进行中"},
    Entry{"result.no_target", "no target", "无目标"},
    Entry{"result.not_reached", "not reached", "未发生"},
    Entry{"revision.add", "add", "补充"},
    Entry{"revision.change", "change", "修改"},
    Entry{"revision.other", "other", "其他"},
};

}  // namespace

Result<Lang> ParseLang(const std::optional<std::string>& text) {
  if (!text || text->empty() || *text == "en" || *text == "en-US") return Lang::kEn;
  if (*text == "zh-CN" || *text == "zh" || *text == "zh-cn") return Lang::kZh;
  return Err(InvalidArgument("lang must be zh-CN or en, got \"" + *text + "\"", "lang"));
}

std::string_view LangTag(Lang lang) {
  return lang == Lang::kZh ? "zh-CN" : "en";
}

std::string Label(Lang lang, std::string_view key) {
  for (const auto& e : kLabels) {
    if (e.key == key) return std::string(lang == Lang::kZh ? e.zh : e.en);
  }
  const size_t dot = key.find('.');
  return std::string(dot == std::string_view::npos ? key : key.substr(dot + 1));
}

std::string HumanTime(int64_t unix_ms) {
  std::string t = FormatRfc3339(unix_ms).substr(0, 16);
  if (t.size() > 10) t[10] = ' ';
  return t + " UTC";
}

std::string HumanDuration(int64_t ms) {
  const int64_t total_s = std::llabs(ms) / 1000;
  const int64_t d = total_s / 86400, h = total_s % 86400 / 3600, m = total_s % 3600 / 60,
                s = total_s % 60;
  std::string out = ms < 0 ? "-" : "";
  auto part = [&](int64_t v, const char* unit) {
    if (v == 0) return;
    if (out.size() > 1 || (out.size() == 1 && out != "-")) out += " ";
    out += std::to_string(v) + unit;
  };
  part(d, "d");
  part(h, "h");
  part(m, "m");
  if (d == 0 && h == 0) part(s, "s");
  if (out.empty() || out == "-") return "0s";
  return out;
}

}  // namespace failsafe::postmortems
