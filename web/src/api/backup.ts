// The backup service's API (/api/v1/backup; docs/backup/policies.md): policies per service, their
// runs and restore drills, what is running now, and each service's status against its RPO, RTO
// and the 3-2-1 rule. Times are Unix milliseconds.
import { api } from './client'

export type RunStatus = 'ok' | 'failed' | 'incomplete' | 'missed'
export type DrillStatus = 'pass' | 'fail'
export type JobKind = 'backup' | 'drill'

export interface BackupDestination {
  url: string
  media: string
  offsite: boolean
  secrets_set?: Record<string, boolean>
}

export interface BackupPolicy {
  id: number
  name: string
  service: string
  schedule: string
  full_schedule?: string
  drill_schedule?: string
  time_zone: string
  enabled: boolean
  destinations: BackupDestination[]
  updated_at: number
}

export interface BackupRun {
  id: number
  policy: string
  service: string
  destination: string
  trigger: string
  full: boolean
  snapshot_id: string
  started_at: number
  duration_ms: number
  bytes_read: number
  data_added: number
  files: number
  error_count: number
  errors: string
  retention: string
  status: RunStatus
}

export interface BackupDrill {
  id: number
  policy: string
  service: string
  destination: string
  trigger: string
  snapshot_id: string
  started_at: number
  duration_ms: number
  restored_bytes: number
  verified_bytes: number
  snapshot_bytes: number
  projected_ms: number
  /** 0: the service has no RTO. */
  rto_ms: number
  /** RTO − projected restore time; null without an RTO. */
  margin_ms: number | null
  status: DrillStatus
  detail: string
}

export interface JobProgress {
  files_done: number
  files_total: number
  bytes_done: number
  bytes_total: number
  errors: number
  /** False while the totals are still being counted beside the work. */
  totals_final: boolean
  fraction: number
  bytes_per_second: number
  /** Negative when it cannot be estimated yet. */
  eta_seconds: number
}

/** A running job, from GET /progress or a `backup.progress` live event. */
export interface RunningJob {
  policy: string
  service?: string
  kind: JobKind
  phase?: string
  destination: string
  destination_index?: number
  destinations?: number
  trigger: string
  started_at: number
  progress: JobProgress | null
}

export interface QueuedJob {
  policy: string
  kind: JobKind
  full: boolean
  trigger: string
}

export interface ThreeTwoOne {
  ok: boolean
  copies: number
  media_kinds: number
  media: string[]
  offsite: number
  missing: string[]
  destinations: { policy: string; url: string; media: string; offsite: boolean; recent: boolean; last_good_at: number | null }[]
}

export interface ServiceBackupStatus {
  service: string
  name: string
  tier: string
  in_catalog: boolean
  /** 0: none set. */
  rpo_ms: number
  rto_ms: number
  policies: string[]
  last_good_backup: BackupRun | null
  backup_age_ms: number | null
  rpo_met: boolean | null
  last_verified_restore: BackupDrill | null
  rto_met: boolean | null
  three_two_one: ThreeTwoOne
}

export const listBackupPolicies = async () => (await api.get<{ items: BackupPolicy[] }>('/backup/policies')).items
export const listBackupStatus = async () => (await api.get<{ items: ServiceBackupStatus[] }>('/backup/status')).items
export const listBackupRuns = async (limit = 20) => (await api.get<{ items: BackupRun[] }>('/backup/runs', { limit })).items
export const listBackupDrills = async (limit = 20) => (await api.get<{ items: BackupDrill[] }>('/backup/drills', { limit })).items
export const getBackupProgress = () => api.get<{ running: RunningJob[]; queued: QueuedJob[] }>('/backup/progress')

export interface TriggerAnswer {
  policy: string
  kind: JobKind
  queued: boolean
  detail: string
}
const policyPath = (name: string, action: 'run' | 'drill') => `/backup/policies/${encodeURIComponent(name)}/${action}`
export const runBackupNow = (name: string) => api.post<TriggerAnswer>(policyPath(name, 'run'))
export const drillNow = (name: string) => api.post<TriggerAnswer>(policyPath(name, 'drill'))
