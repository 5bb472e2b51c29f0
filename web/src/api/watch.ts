// The early-warning API: alerts and silences over the Alertmanager API v2 (same server, /api/v2)
// and the watch module's read API (/api/v1/watch/*).
import { api, request } from './client'

export type Labels = Record<string, string>

export interface Alert {
  labels: Labels
  annotations: Labels
  startsAt: string
  endsAt: string
  updatedAt?: string
  fingerprint: string
  receivers?: { name: string }[]
  status: { state: 'active' | 'suppressed' | 'unprocessed'; silencedBy: string[]; inhibitedBy: string[] }
}

export interface SilenceMatcher {
  name: string
  value: string
  isRegex: boolean
  isEqual?: boolean
}

export interface Silence {
  id: string
  matchers: SilenceMatcher[]
  startsAt: string
  endsAt: string
  updatedAt?: string
  createdBy: string
  comment: string
  status: { state: 'active' | 'pending' | 'expired' }
}

export interface NewSilence {
  matchers: SilenceMatcher[]
  startsAt: string
  endsAt: string
  createdBy: string
  comment: string
}

export interface RuleAlert {
  labels: Labels
  annotations: Labels
  state: string
  value: number
  active_at: string
}

export interface Rule {
  name: string
  type: 'alerting' | 'recording'
  expr: string
  source: string
  for_seconds: number
  health: 'ok' | 'err' | 'unknown'
  last_error: string
  last_evaluation: string
  evaluation_seconds: number
  state?: string
  alerts: RuleAlert[]
}

export interface RuleGroup {
  name: string
  interval_seconds: number
  rules: Rule[]
}

export interface Target {
  job: string
  instance: string
  url: string
  up: boolean
  last_error: string
  last_scrape: string
  duration_seconds: number
  samples: number
}

export interface ProbeResult {
  time: string
  success: boolean
  error: string
  duration_seconds: number
  attempts: number
  http_status?: number
  failed_step?: string
  cert_expiry_days?: number
}

export interface Probe {
  name: string
  type: string
  target: string
  service: string
  interval_seconds: number
  labels: Labels
  last: ProbeResult | null
}

/** Prometheus's query_range answer: a matrix of [unix seconds, "value"] pairs per series. */
export interface MatrixResponse {
  status: string
  data: { resultType: string; result: { metric: Labels; values: [number, string][] }[] }
}

const v2 = <T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) =>
  request<T>(method, path, { body, root: '/api/v2' })

export const listAlerts = () => v2<Alert[]>('GET', '/alerts')
export const listSilences = () => v2<Silence[]>('GET', '/silences')
export const createSilence = (s: NewSilence) => v2<{ silenceID: string }>('POST', '/silences', s)
export const expireSilence = (id: string) => v2<void>('DELETE', `/silence/${encodeURIComponent(id)}`)

export const listRuleGroups = async () => (await api.get<{ groups: RuleGroup[] }>('/watch/rules')).groups
export const listTargets = async () => (await api.get<{ targets: Target[] }>('/watch/targets')).targets
export const listProbes = async () => (await api.get<{ probes: Probe[] }>('/watch/probes')).probes
export const queryRange = (query: string, startS: number, endS: number, stepS: number) =>
  api.get<MatrixResponse>('/watch/query_range', { query, start: startS, end: endS, step: stepS })
