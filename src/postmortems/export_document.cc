#include "postmortems/export_document.h"

namespace failsafe::postmortems {
namespace {

std::string OrNone(Lang lang, const std::string& text) {
  return text.empty() ? Label(lang, "none") : text;
}

Block Paragraph(std::string text) {
  Block b;
  b.text = std::move(text);
  return b;
}

Block List(std::vector<std::string> items, Block::Kind kind = Block::Kind::kList) {
  Block b;
  b.kind = kind;
  b.items = std::move(items);
  return b;
}

Block Table(std::vector<std::string> headers) {
  Block b;
  b.kind = Block::Kind::kTable;
  b.headers = std::move(headers);
  return b;
}

std::string Join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

// A list section, or "None." when empty.
Section ListSection(Lang lang, std::string heading, const std::vector<std::string>& items) {
  Section s{std::move(heading), {}};
  if (items.empty()) {
    s.blocks.push_back(Paragraph(Label(lang, "none")));
  } else {
    s.blocks.push_back(List(items));
  }
  return s;
}

Section ImpactSection(const PostmortemView& v, Lang lang) {
  Section s{Label(lang, "impact"), {}};
  const auto duration = ImpactDurationMs(v.incident);
  std::vector<std::string> facts = {
      Label(lang, "duration") + ": " + (duration ? HumanDuration(*duration) : "-"),
      Label(lang, "services") + ": " + OrNone(lang, Join(v.postmortem.impacted_services, ", ")),
      Label(lang, "users_affected") + ": " + OrNone(lang, v.postmortem.users_affected)};
  s.blocks.push_back(List(std::move(facts)));
  if (!v.postmortem.impact.empty()) s.blocks.push_back(Paragraph(v.postmortem.impact));
  return s;
}

Section MeasuresSection(const PostmortemView& v, Lang lang) {
  Section s{Label(lang, "measured_times"), {}};
  Block t = Table({Label(lang, "measure"), Label(lang, "actual"), Label(lang, "target"),
                   Label(lang, "result"), Label(lang, "difference")});
  for (const auto& m : v.measures) {
    std::string delta = "-";
    if (m.delta_ms) delta = (*m.delta_ms > 0 ? "+" : "") + HumanDuration(*m.delta_ms);
    t.rows.push_back({Label(lang, "measure." + m.name),
                      m.duration_ms ? HumanDuration(*m.duration_ms) : "-",
                      m.target_ms ? HumanDuration(*m.target_ms) : "-",
                      Label(lang, "result." + m.result), delta});
  }
  s.blocks.push_back(std::move(t));
  return s;
}

Section TimelineSection(const PostmortemView& v, Lang lang) {
  Section s{Label(lang, "timeline"), {}};
  if (v.postmortem.timeline.empty()) {
    s.blocks.push_back(Paragraph(Label(lang, "none")));
    return s;
  }
  Block t = Table({Label(lang, "time"), Label(lang, "actor"), Label(lang, "event")});
  for (const auto& e : v.postmortem.timeline) {
    t.rows.push_back({HumanTime(e.at), e.actor, e.text.empty() ? e.kind : e.text});
  }
  s.blocks.push_back(std::move(t));
  return s;
}

Section RootCauseSection(const PostmortemView& v, Lang lang) {
  Section s{Label(lang, "root_causes"), {}};
  if (v.postmortem.root_causes.empty()) s.blocks.push_back(Paragraph(Label(lang, "none")));
  int n = 0;
  for (const auto& c : v.postmortem.root_causes) {
    Block h;
    h.kind = Block::Kind::kSubheading;
    h.text = std::to_string(++n) + ". " + Label(lang, "category." + c.category);
    s.blocks.push_back(std::move(h));
    if (!c.description.empty()) s.blocks.push_back(Paragraph(c.description));
    std::vector<std::string> whys;
    for (size_t i = 0; i < c.whys.size(); ++i) {
      whys.push_back(Label(lang, "why") + " " + std::to_string(i + 1) + ": " + c.whys[i]);
    }
    if (!whys.empty()) s.blocks.push_back(List(std::move(whys), Block::Kind::kOrderedList));
  }
  return s;
}

Section EvaluationSection(const PostmortemView& v, Lang lang) {
  Section s{Label(lang, "plan_evaluation"), {}};
  if (!v.postmortem.plan_key.empty()) {
    s.blocks.push_back(Paragraph(Label(lang, "plan") + ": " + v.postmortem.plan_key + " v" +
                                 std::to_string(v.postmortem.plan_version)));
  }
  if (v.postmortem.step_evaluations.empty()) {
    s.blocks.push_back(Paragraph(Label(lang, "none")));
  } else {
    Block t = Table({"#", Label(lang, "step"), Label(lang, "phase"), Label(lang, "role"),
                     Label(lang, "verdict"), Label(lang, "comment")});
    for (const auto& e : v.postmortem.step_evaluations) {
      t.rows.push_back({std::to_string(e.position), e.title, e.phase, e.role,
                        Label(lang, "verdict." + e.verdict), e.comment});
    }
    s.blocks.push_back(std::move(t));
  }
  Block h;
  h.kind = Block::Kind::kSubheading;
  h.text = Label(lang, "proposed_revisions");
  s.blocks.push_back(std::move(h));
  std::vector<std::string> items;
  for (const auto& r : v.revisions) {
    items.push_back("[" + Label(lang, "revision." + r.action) + "] " + r.text);
  }
  s.blocks.push_back(items.empty() ? Paragraph(Label(lang, "none")) : List(std::move(items)));
  return s;
}

Section ActionSection(const PostmortemView& v, Lang lang) {
  Section s{Label(lang, "action_items"), {}};
  if (v.actions.empty()) {
    s.blocks.push_back(Paragraph(Label(lang, "none")));
    return s;
  }
  Block t = Table(
      {"#", Label(lang, "title"), Label(lang, "owner"), Label(lang, "due"), Label(lang, "status")});
  for (const auto& a : v.actions) {
    std::string status = Label(lang, "action." + a.status);
    if (IsOverdue(a, v.today)) status += " (" + Label(lang, "overdue") + ")";
    t.rows.push_back({std::to_string(a.id), a.title, a.owner, a.due_date, status});
  }
  s.blocks.push_back(std::move(t));
  return s;
}

}  // namespace

Document BuildDocument(const PostmortemView& v, Lang lang, int64_t now) {
  Document doc;
  doc.lang = lang;
  doc.title = Label(lang, "postmortem") + ": " + v.postmortem.title;
  doc.facts = {
      {Label(lang, "incident"), v.incident.ref},
      {Label(lang, "severity"),
       v.incident.severity +
           (v.severity ? " " + (lang == Lang::kZh ? v.severity->name_zh : v.severity->name_en)
                       : "")},
      {Label(lang, "status"), Label(lang, "status." + v.postmortem.status)},
      {Label(lang, "declared_at"), HumanTime(v.incident.declared_at)},
      {Label(lang, "recovered_at"),
       v.incident.recovered_at ? HumanTime(*v.incident.recovered_at) : "-"},
      {Label(lang, "generated_at"), HumanTime(now)},
  };
  doc.sections.push_back({Label(lang, "summary"), {Paragraph(OrNone(lang, v.postmortem.summary))}});
  doc.sections.push_back(ImpactSection(v, lang));
  doc.sections.push_back(MeasuresSection(v, lang));
  doc.sections.push_back(TimelineSection(v, lang));
  doc.sections.push_back(RootCauseSection(v, lang));
  doc.sections.push_back(ListSection(lang, Label(lang, "went_well"), v.postmortem.went_well));
  doc.sections.push_back(ListSection(lang, Label(lang, "went_badly"), v.postmortem.went_badly));
  doc.sections.push_back(EvaluationSection(v, lang));
  doc.sections.push_back(ActionSection(v, lang));
  return doc;
}

}  // namespace failsafe::postmortems
