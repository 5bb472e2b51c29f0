import { describe, expect, it } from 'vitest'
import type { RunningJob } from '@/api/backup'
import { applyBackupEvent, parseBackupEvent } from './backupJobs'

// The data the server sends (src/backup/service/live_events.cc).
const progressData = (phase: string, bytes: number) =>
  JSON.stringify({
    policy: 'erp-db',
    service: 'erp',
    kind: 'backup',
    phase,
    destination: '/backup/erp',
    destination_index: 1,
    destinations: 2,
    trigger: 'manual',
    started_at: 1,
    progress: bytes ? { files_done: 1, files_total: 2, bytes_done: bytes, bytes_total: 1000, errors: 0, totals_final: true, fraction: bytes / 1000, bytes_per_second: 100, eta_seconds: 5 } : null,
  })

describe('backup live events', () => {
  it('reads progress and outcomes', () => {
    const p = parseBackupEvent('backup.progress', progressData('saving', 500))
    expect(p).toMatchObject({ type: 'progress', job: { policy: 'erp-db', phase: 'saving', progress: { bytes_done: 500 } } })
    const run = parseBackupEvent('backup.run.finished', '{"policy":"erp-db","service":"erp","kind":"backup","status":"ok","runs":[{"id":4}]}')
    expect(run).toMatchObject({ type: 'finished', kind: 'backup', status: 'ok', runs: [{ id: 4 }] })
    const drill = parseBackupEvent('backup.drill.finished', '{"policy":"erp-db","service":"erp","kind":"drill","status":"pass","id":9,"margin_ms":5}')
    expect(drill).toMatchObject({ type: 'finished', kind: 'drill', status: 'pass', drill: { id: 9, margin_ms: 5 } })
  })
  it('drops what it cannot read', () => {
    expect(parseBackupEvent('backup.progress', 'not json')).toBeNull()
    expect(parseBackupEvent('backup.progress', '[]')).toBeNull()
    expect(parseBackupEvent('backup.progress', '{"policy":"x","kind":"restore"}')).toBeNull()
    expect(parseBackupEvent('backup.progress', '{"policy":"x","kind":"backup","progress":3}')).toBeNull()
    expect(parseBackupEvent('backup.run.finished', '{"policy":"x","status":"ok"}')).toBeNull()
    expect(parseBackupEvent('backup.run.finished', '{"status":"ok","runs":[]}')).toBeNull()
    expect(parseBackupEvent('backup.other', '{"policy":"x","status":"ok"}')).toBeNull()
  })
  it('keeps one entry per job: progress replaces it, the outcome removes it', () => {
    let jobs: RunningJob[] = []
    jobs = applyBackupEvent(jobs, parseBackupEvent('backup.progress', progressData('staging', 0))!)
    jobs = applyBackupEvent(jobs, parseBackupEvent('backup.progress', progressData('saving', 250))!)
    const drillJob = JSON.parse(progressData('restoring', 10)) as RunningJob
    jobs = applyBackupEvent(jobs, { type: 'progress', job: { ...drillJob, kind: 'drill' } })
    expect(jobs.map((j) => `${j.kind}:${j.phase}`)).toEqual(['backup:saving', 'drill:restoring'])
    jobs = applyBackupEvent(jobs, parseBackupEvent('backup.run.finished', '{"policy":"erp-db","kind":"backup","status":"ok","runs":[]}')!)
    expect(jobs.map((j) => j.kind)).toEqual(['drill'])
  })
})
