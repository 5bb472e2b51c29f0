// The catalog's JSON (services, teams, people, schedules, escalation policies, severities), from
// GET /api/v1/openapi.json. Durations are written as the server takes them ("4h", "1h30m") and
// come back also in milliseconds (`*_ms`).
import type { Language, Severity } from './types'

export const TIERS = ['critical', 'high', 'medium', 'low'] as const
export type Tier = (typeof TIERS)[number]

export interface ServiceContact {
  kind: 'internal' | 'external'
  name: string
  organisation?: string
  role?: string
  phone?: string
  email?: string
  notes?: string
}

export interface Service {
  id?: number
  key: string
  name: string
  tier: Tier
  owner_team?: string | null
  rto: string
  rpo: string
  rto_ms?: number
  rpo_ms?: number
  status_group?: string
  depends_on?: string[]
  contacts?: ServiceContact[]
}

export interface Team {
  id?: number
  key: string
  name: string
  members: string[]
}

export interface Person {
  id: number
  handle: string
  name: string
  language: Language
  user_id?: number | null
  email: string
  phone: string
  dingtalk_user_id?: string
  feishu_user_id?: string
  wecom_user_id?: string
}

export const ROTATIONS = ['daily', 'weekly'] as const

export interface Schedule {
  id?: number
  key: string
  name: string
  rotation?: (typeof ROTATIONS)[number]
  handoff_time?: string
  time_zone?: string
  start_date?: string
  members?: string[]
}

export interface Shift {
  start: string
  end: string
  person: string | null
  override_id: number | null
}

export interface Override {
  id: number
  person: string
  start: string
  end: string
}

export interface OnCall {
  schedule: string
  at: string
  on_call: Person[]
  shift: Shift | null
}

/** `GET /oncall`: every schedule's on-call at one time. */
export interface OnCallBoard {
  at: string
  items: (OnCall & { name: string })[]
}

export const TARGET_TYPES = ['person', 'schedule', 'team', 'role'] as const
export type TargetType = (typeof TARGET_TYPES)[number]

export interface PolicyTarget {
  type: TargetType
  key?: string
  role?: string
}

export interface PolicyLevel {
  delay: string
  targets: PolicyTarget[]
}

export interface EscalationPolicy {
  id?: number
  key: string
  name: string
  repeat: number
  levels: PolicyLevel[]
}

export interface SeverityPolicy {
  level: Severity
  rank: number
  name_zh: string
  name_en: string
  criteria_zh: string
  criteria_en: string
  ack_target?: string
  update_cadence?: string
  resolve_target?: string
  ack_target_ms: number | null
  update_cadence_ms: number | null
  resolve_target_ms: number | null
  audiences?: string[]
  escalation_policy: string | null
}
