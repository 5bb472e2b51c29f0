// The fixed vocabularies of a plan and its default roles.
#include "plans/plan_yaml.h"

namespace failsafe::plans {

const std::vector<std::string>& ScenarioTypes() {
  static const std::vector<std::string> k = {"hardware",    "network",          "software_defect",
                                             "human_error", "natural_disaster", "malicious_attack",
                                             "other"};
  return k;
}

const std::vector<std::string>& StepPhases() {
  static const std::vector<std::string> k = {"report",      "assess",  "respond",
                                             "communicate", "recover", "verify"};
  return k;
}

const std::vector<std::string>& TemplateStages() {
  static const std::vector<std::string> k = {"investigating", "identified", "monitoring",
                                             "resolved"};
  return k;
}

// The same words as catalog::kAudiences (catalog/catalog.h documents the one vocabulary).
const std::vector<std::string>& TemplateAudiences() {
  static const std::vector<std::string> k = {"internal", "customers", "leadership"};
  return k;
}

const std::vector<std::string>& TemplateLanguages() {
  static const std::vector<std::string> k = {"en", "zh-CN"};
  return k;
}

const std::vector<PlanRole>& DefaultRoles() {
  static const std::vector<PlanRole> k = {
      {"commander", "Incident commander", "应急指挥",
       "Declares the severity, activates the plan, assigns roles, decides and closes.",
       "确定事件级别，启动预案，分派角色，做出决策并宣布结束。"},
      {"tech_support", "Technical support", "技术支持",
       "Diagnoses the cause, works with vendors, restores and verifies the service.",
       "定位原因，对接厂商，恢复并验证服务。"},
      {"business_coordinator", "Business coordinator", "业务协调",
       "Keeps the business running on the fallback and tells every group what to do.",
       "组织各业务组切换到备用方案，保证业务不停。"},
      {"comms_liaison", "Communication liaison", "沟通联络",
       "Posts status updates to staff, customers and leadership on the agreed cadence.",
       "按约定节奏向员工、客户和管理层发布进展。"},
      {"logistics", "Logistics", "后勤保障",
       "Provides people, equipment, access and everything the responders need.",
       "保障人员、设备、权限等应急所需资源。"},
  };
  return k;
}

}  // namespace failsafe::plans
