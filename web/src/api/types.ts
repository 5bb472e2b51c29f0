// Types of the API's JSON, written from GET /api/v1/openapi.json and the server's answers.
// Only the fields the console reads are listed.

export type Role = 'admin' | 'responder' | 'viewer'
export const SEVERITIES = ['P1', 'P2', 'P3', 'P4'] as const
export type Severity = (typeof SEVERITIES)[number]

export const INCIDENT_STATUSES = [
  'declared',
  'acknowledged',
  'mitigating',
  'recovered',
  'verified',
  'closed',
] as const
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number]
export type TransitionAction = 'ack' | 'mitigate' | 'resolve' | 'verify' | 'close' | 'reopen'

export type Language = 'zh-CN' | 'en'
export * from './catalogTypes'
/** A text the server keeps in both languages (plans). */
export type Localized = Partial<Record<Language, string>>

export interface User {
  id: number
  username: string
  display_name: string
  email: string
  role: Role
  disabled: boolean
  totp_enabled: boolean
  totp_required: boolean
  created_at: string
  updated_at: string
}

export interface Me extends User {
  /** The role in force: 'pending-2fa' until a user who must enrol TOTP has done so. */
  effective_role: Role | 'pending-2fa'
  auth: 'session' | 'token'
  /** Every "<resource>.<verb>" the effective role holds, from the server's permission table. */
  permissions: string[]
  csrf_token?: string
}

export interface LoginResponse {
  csrf_token: string
  user: User
  totp_enrollment_required: boolean
}

export interface PlanRef {
  key: string
  version: number
}

export interface IncidentSummary {
  id: string
  number: number
  title: string
  severity: Severity
  status: IncidentStatus
  summary: string
  services: string[]
  declared_by: string
  declared_at: string
  acknowledged_at: string | null
  mitigating_at: string | null
  recovered_at: string | null
  verified_at: string | null
  closed_at: string | null
  updated_at: string
  plan: PlanRef | null
  merged_into: string | null
}

export interface IncidentRole {
  role: string
  name: string
  person: { handle: string; name: string } | null
  assigned_at?: string
}

export interface ChecklistStep {
  position: number
  step: string
  phase: string
  role: string
  title: string
  instructions: string
  expected_duration_ms: number | null
  required: boolean
  done: boolean
  done_at: string | null
  done_by: string
  note: string
  /** The person the step is assigned to; null: whoever holds its role. */
  assignee: { handle: string; name: string } | null
}

export interface TimelineEntry {
  at: string
  actor: string
  kind: string
  text: string
  detail?: Record<string, unknown>
}

export const UPDATE_STAGES = ['investigating', 'identified', 'monitoring', 'resolved'] as const
export type UpdateStage = (typeof UPDATE_STAGES)[number]
export const AUDIENCES = ['internal', 'customers', 'leadership'] as const
export type Audience = (typeof AUDIENCES)[number]

export interface StatusUpdate {
  id: number
  at: string
  author: string
  stage: UpdateStage
  audience: Audience
  language: Language
  title: string
  body: string
  external: boolean
}

export interface IncidentTimer {
  kind: string
  due_at: string
  level: number
  round: number
}

export interface IncidentLink {
  id: string
  title: string
  severity: Severity
  status: IncidentStatus
  kind: 'related' | 'merged'
  linked_at: string
}

export interface Incident extends IncidentSummary {
  roles: IncidentRole[]
  checklist: ChecklistStep[]
  timeline: TimelineEntry[]
  updates: StatusUpdate[]
  timers: IncidentTimer[]
  links: IncidentLink[]
  /** The lifecycle actions the incident's status allows (the server's lifecycle table). */
  allowed_actions: TransitionAction[]
}

export interface DeclareRequest {
  title: string
  severity: Severity
  services?: string[]
  summary?: string
  plan?: string
}

export interface PostUpdateRequest {
  stage: UpdateStage
  audience: Audience
  language: Language
  title?: string
  body?: string
  eta?: string
  message?: string
}

export interface PlanListItem {
  key: string
  title: Localized
  owner: string
  latest_version: number
  latest_status: 'draft' | 'in_review' | 'approved' | 'retired'
  approved_version: number | null
  next_review_at: string | null
  review_overdue: boolean
}

export interface PlanTemplate {
  stage: UpdateStage
  audience: Audience
  language: Language
  title: string
  body: string
}

export interface PlanRole {
  key: string
  name: Localized
  responsibilities: Localized
}

export interface PlanStep {
  key: string
  phase: string
  role: string
  title: Localized
  instructions: Localized
  expected_duration_ms: number | null
  required: boolean
}

export interface Plan {
  id: number
  key: string
  version: number
  status: PlanListItem['latest_status']
  title: Localized
  owner: string
  services: string[]
  review_interval_days: number
  next_review_at: string | null
  summary: Localized
  roles: PlanRole[]
  steps: PlanStep[]
  templates: PlanTemplate[]
  fallback: { tool: Localized; location: string; instructions: Localized } | null
}

export interface IncidentReportRow {
  ref: string
  title: string
  severity: Severity
  status: IncidentStatus
  declared_at: string
  time_to_ack_ms: number | null
  time_to_recover_ms: number | null
  ack_result: 'met' | 'missed' | 'pending' | 'no_target'
  resolve_result: 'met' | 'missed' | 'pending' | 'no_target'
  postmortem_status: string | null
}

export interface IncidentReport {
  from: string
  to: string
  total: number
  mtta_ms: number | null
  mttr_ms: number | null
  by_severity: { severity: Severity; count: number; mtta_ms: number | null; mttr_ms: number | null }[]
  incidents: IncidentReportRow[]
}

export const ACTION_STATUSES = ['open', 'in_progress', 'done', 'cancelled'] as const
export type ActionStatus = (typeof ACTION_STATUSES)[number]

export interface ActionItem {
  id: number
  title: string
  owner: string
  due_date: string
  status: ActionStatus
  notes: string
  overdue?: boolean
  postmortem_id?: number
  incident_ref?: string
}

export const CAUSE_CATEGORIES = [
  'hardware',
  'network',
  'software_defect',
  'human_error',
  'natural_disaster',
  'malicious_attack',
  'process',
  'vendor',
  'other',
] as const
export type CauseCategory = (typeof CAUSE_CATEGORIES)[number]

export interface RootCause {
  category: CauseCategory
  description: string
  whys: string[]
}

export const VERDICTS = ['worked', 'missing', 'wrong', 'not_used'] as const
export type Verdict = (typeof VERDICTS)[number]

export interface StepEvaluation {
  step_key: string
  position: number
  phase: string
  role: string
  title: string
  done: boolean
  verdict: Verdict
  comment: string
}

export interface Measure {
  name: 'to_acknowledge' | 'to_mitigate' | 'to_recover' | 'to_verify' | 'update_gap'
  duration_ms: number | null
  target_ms: number | null
  result: 'met' | 'missed' | 'no_target' | 'not_reached'
  delta_ms: number | null
}

export type PostmortemStatus = 'draft' | 'in_review' | 'published'

export interface PostmortemSummary {
  id: number
  incident_ref: string
  title: string
  status: PostmortemStatus
  created_at: string
  updated_at: string
}

export interface Postmortem extends PostmortemSummary {
  summary: string
  incident: { ref: string; severity: Severity; declared_at: string; services: string[] }
  impact: { duration_ms: number | null; services: string[]; users_affected: string; description: string }
  measures: Measure[]
  timeline: TimelineEntry[]
  timeline_refreshed_at: string
  root_causes: RootCause[]
  went_well: string[]
  went_badly: string[]
  plan: { key: string; version: number } | null
  step_evaluations: StepEvaluation[]
  extra_revisions: string[]
  proposed_revisions: string[]
  actions: ActionItem[]
}

export interface PostmortemPatch {
  title?: string
  summary?: string
  impact?: string
  root_causes?: RootCause[]
  went_well?: string[]
  went_badly?: string[]
  step_evaluations?: { step_key: string; verdict: Verdict; comment: string }[]
  status?: PostmortemStatus
}

export interface AuditEntry {
  seq: number
  at: string
  actor: string
  action: string
  target_type: string
  target_id: string
  remote_addr: string
}

export interface AuditVerify {
  ok: boolean
  entries_checked: number
  reason: string
}
