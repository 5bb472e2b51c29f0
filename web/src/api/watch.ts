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
  generatorURL?: string
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

/** What a log source counts (GET /api/v1/watch/logs): lines read and every line cut or dropped. */
export interface LogSourceStats {
  lines: number
  bytes: number
  truncated: number
  invalid_utf8: number
  malformed: number
  rejected_connections?: number
  restarts?: number
  last_error: string
}

export interface LogSource {
  name: string
  type: 'file' | 'syslog-udp' | 'syslog-tcp' | 'http' | string
  /** The path or glob, the syslog address, the push URL. */
  target?: string
  stats: LogSourceStats
}

export interface LogRule {
  name: string
  /** threshold: N per key within a window; rate: a spike over the baseline; match: every match. */
  kind?: 'threshold' | 'rate' | 'match'
  severity?: string
  match?: string[]
  ignore?: string[]
  filter?: string
  threshold?: { count: number; within_seconds: number; by: string } | null
  rate?: { factor: number; per_seconds: number; baseline_seconds: number; min_count: number } | null
  matched: number
  ignored: number
  nofail?: number
  no_key?: number
  alerts: number
  keys?: number
  keys_evicted: number
  keys_expired?: number
  /** RFC 3339, from the lines' own times; null before the first. */
  last_match?: string | null
  last_alert?: string | null
}

export interface LogState {
  sources: LogSource[]
  rules: LogRule[]
  lines: number
  dropped?: { truncated: number; binary: number; no_time: number; scan_errors: number; limit_hits: number }
}

/** A maintenance window (维护窗口): the service's alerts are muted and marked from start to end. */
export interface MaintenanceWindow {
  id: number
  service: string
  starts_at: string
  ends_at: string
  reason: string
  created_by: string
  active: boolean
}

export interface NewMaintenanceWindow {
  service: string
  /** Omitted: now. */
  starts_at?: string
  ends_at: string
  reason: string
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
export const getLogState = () => api.get<LogState>('/watch/logs')

export const listMaintenanceWindows = async () => (await api.get<{ items: MaintenanceWindow[] }>('/maintenance-windows')).items
export const createMaintenanceWindow = (w: NewMaintenanceWindow) => api.post<MaintenanceWindow>('/maintenance-windows', w)
/** Ends the window now (a planned one never starts); it stays in the list. */
export const endMaintenanceWindow = (id: number) => api.del(`/maintenance-windows/${id}`)
