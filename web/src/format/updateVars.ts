// The template variables of a status update, as the server sets them when it sends one
// (src/incidents/operations.cc), for the composer's preview.
import type {
  Audience,
  Incident,
  Language,
  Plan,
  PlanTemplate,
  Service,
  SeverityPolicy,
  UpdateStage,
} from '@/api/types'
import { localize } from './localize'
import type { TemplateVars } from './template'

export interface UpdateContext {
  incident: Incident
  plan: Plan | null
  severity: SeverityPolicy | undefined
  services: readonly Service[]
  language: Language
  eta: string
  message: string
  origin: string
  now: Date
}


export function updateVars(c: UpdateContext): TemplateVars {
  const names = c.incident.services.map((key) => c.services.find((s) => s.key === key)?.name ?? key)
  const commander = c.incident.roles.find((r) => r.role === 'commander')?.person?.name ?? ''
  return {
    'incident.id': c.incident.id,
    'incident.title': c.incident.title,
    'incident.status': c.incident.status,
    'incident.severity': c.incident.severity,
    'incident.severity_name': c.severity
      ? c.language === 'zh-CN'
        ? c.severity.name_zh
        : c.severity.name_en
      : c.incident.severity,
    'incident.services': names.join(', '),
    'incident.url': `${c.origin}/incidents/${c.incident.id}`,
    'incident.started_at': c.incident.declared_at,
    'incident.commander': commander,
    'plan.key': c.plan?.key,
    'plan.title': localize(c.plan?.title, c.language),
    'plan.version': c.plan ? String(c.plan.version) : undefined,
    'fallback.tool': localize(c.plan?.fallback?.tool, c.language),
    'fallback.location': c.plan?.fallback?.location,
    eta: c.eta,
    message: c.message,
    now: c.now.toISOString(),
  }
}

/** The plan's template for a stage and audience in a language, else in the other language. */
export function findTemplate(
  templates: readonly PlanTemplate[],
  stage: UpdateStage,
  audience: Audience,
  language: Language,
): PlanTemplate | undefined {
  const matching = templates.filter((t) => t.stage === stage && t.audience === audience)
  return matching.find((t) => t.language === language) ?? matching[0]
}
