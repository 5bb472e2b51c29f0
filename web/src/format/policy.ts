// Escalation policies as people read them: "after 5m: Primary on call, Ops team".
import type { EscalationPolicy, PolicyTarget } from '@/api/types'

/** The incident roles every plan has unless it declares its own (docs/plans-yaml.md). */
export const DEFAULT_ROLES = ['commander', 'tech_support', 'business_coordinator', 'comms_liaison', 'logistics'] as const

/** A target's display: the named entry's name when known, else its key (or the role's key). */
export function targetLabel(target: PolicyTarget, names: Record<string, Record<string, string>>): string {
  if (target.type === 'role') return target.role ?? ''
  const key = target.key ?? ''
  return names[target.type]?.[key] ?? key
}

/** Total delay before the last level is paged in one round, in ms (delays are cumulative). */
export function policySpanMs(policy: EscalationPolicy, parse: (d: string) => number | null): number {
  return policy.levels.reduce((sum, l) => sum + (parse(l.delay) ?? 0), 0)
}

/** Parses the server's durations: "45s", "30m", "4h", "1h30m", "2d". */
export function parseDuration(text: string): number | null {
  const units: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 }
  const trimmed = text.trim()
  if (!/^(\d+[dhms])+$/.test(trimmed)) return null
  let ms = 0
  for (const m of trimmed.matchAll(/(\d+)([dhms])/g)) ms += Number(m[1]) * units[m[2]!]!
  return ms
}
