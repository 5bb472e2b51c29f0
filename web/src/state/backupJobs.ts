// Running backup jobs as the Backups page shows them: fed by the live feed's backup events
// (backup.progress, backup.run.finished, backup.drill.finished; docs/backup/policies.md) or,
// without the feed, by polling GET /api/v1/backup/progress.
import type { BackupDrill, BackupRun, JobKind, RunningJob } from '@/api/backup'

export const BACKUP_EVENTS = ['backup.progress', 'backup.run.finished', 'backup.drill.finished'] as const
export type BackupEventName = (typeof BACKUP_EVENTS)[number]

export type BackupLiveEvent =
  | { type: 'progress'; job: RunningJob }
  | { type: 'finished'; kind: 'backup'; policy: string; service: string; status: string; runs: BackupRun[] }
  | { type: 'finished'; kind: 'drill'; policy: string; service: string; status: string; drill: BackupDrill }

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Reads one backup event's data; null for anything malformed (it is dropped). */
export function parseBackupEvent(name: string, data: string): BackupLiveEvent | null {
  let value: unknown
  try {
    value = JSON.parse(data)
  } catch {
    return null
  }
  if (!isObject(value) || typeof value.policy !== 'string' || !value.policy) return null
  const service = typeof value.service === 'string' ? value.service : ''
  if (name === 'backup.progress') {
    if (value.kind !== 'backup' && value.kind !== 'drill') return null
    if (value.progress !== null && !isObject(value.progress)) return null
    return { type: 'progress', job: value as unknown as RunningJob }
  }
  if (typeof value.status !== 'string') return null
  if (name === 'backup.run.finished' && Array.isArray(value.runs)) {
    return { type: 'finished', kind: 'backup', policy: value.policy, service, status: value.status, runs: value.runs as BackupRun[] }
  }
  if (name === 'backup.drill.finished') {
    return { type: 'finished', kind: 'drill', policy: value.policy, service, status: value.status, drill: value as unknown as BackupDrill }
  }
  return null
}

export const jobKey = (policy: string, kind: JobKind) => `${kind}:${policy}`

/** The running jobs after an event: progress replaces the job's entry, an outcome removes it. */
export function applyBackupEvent(jobs: readonly RunningJob[], event: BackupLiveEvent): RunningJob[] {
  const key = event.type === 'progress' ? jobKey(event.job.policy, event.job.kind) : jobKey(event.policy, event.kind)
  const others = jobs.filter((j) => jobKey(j.policy, j.kind) !== key)
  return event.type === 'progress' ? [...others, event.job] : others
}
