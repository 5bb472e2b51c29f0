// The Backups page's judgements and numbers: a backup's age against the RPO, the last restore
// drill against the RTO, the 3-2-1 rule, and the sizes, rates and times left of running jobs.
import type { BackupDrill, JobProgress, ThreeTwoOne } from '@/api/backup'
import { formatDuration, type UiLocale } from './time'

export type Tone = 'success' | 'warning' | 'danger' | 'info'
type Translate = (key: string, params?: Record<string, unknown>) => string

/** Past this share of the RPO a backup shows amber: one more failed run and the RPO is broken. */
export const RPO_AMBER_SHARE = 0.75
/** Without an RPO a backup counts as recent for a week (the server's 3-2-1 rule uses the same). */
export const RECENT_WITHOUT_RPO_MS = 7 * 24 * 3600 * 1000

/** fresh (green), aging (amber: within the RPO but close to it), late (red: past it), never. */
export type Freshness = 'fresh' | 'aging' | 'late' | 'never'

export function backupFreshness(ageMs: number | null | undefined, rpoMs: number): Freshness {
  if (ageMs === null || ageMs === undefined) return 'never'
  const limit = rpoMs > 0 ? rpoMs : RECENT_WITHOUT_RPO_MS
  if (ageMs > limit) return 'late'
  return ageMs > limit * RPO_AMBER_SHARE ? 'aging' : 'fresh'
}

export const FRESHNESS_TONE: Record<Freshness, Tone> = { fresh: 'success', aging: 'warning', late: 'danger', never: 'danger' }

/**
 * The restore verdict of a service: the newest drill decides. `pass`/`fail` against the RTO with
 * the margin (negative when the projected restore takes longer); `failed` when the drill itself
 * failed (nothing restored or a byte did not verify); `unmeasured` when it passed but the service
 * has no RTO to compare with; `never` without any drill.
 */
export interface RestoreVerdict {
  state: 'pass' | 'fail' | 'failed' | 'unmeasured' | 'never'
  drill: BackupDrill | null
  projectedMs: number | null
  marginMs: number | null
}

export function restoreVerdict(lastPassed: BackupDrill | null, newest: BackupDrill | null, rtoMs: number): RestoreVerdict {
  const drill = newest && (!lastPassed || newest.started_at >= lastPassed.started_at) ? newest : lastPassed
  if (!drill) return { state: 'never', drill: null, projectedMs: null, marginMs: null }
  // A failure not explained by a projection over the RTO: the restore or its verification failed.
  if (drill.status === 'fail' && !(drill.margin_ms !== null && drill.margin_ms < 0)) {
    return { state: 'failed', drill, projectedMs: null, marginMs: null }
  }
  // Judged against the service's RTO now (it may have changed since the drill).
  if (rtoMs <= 0) return { state: 'unmeasured', drill, projectedMs: drill.projected_ms, marginMs: null }
  const marginMs = rtoMs - drill.projected_ms
  return { state: marginMs >= 0 ? 'pass' : 'fail', drill, projectedMs: drill.projected_ms, marginMs }
}

export const RESTORE_TONE: Record<RestoreVerdict['state'], Tone> = {
  pass: 'success',
  fail: 'danger',
  failed: 'danger',
  unmeasured: 'info',
  never: 'danger',
}

/** One part of the 3-2-1 rule: 3 recent copies, on 2 kinds of media, 1 of them offsite. */
export interface RuleCheck {
  rule: 'copies' | 'media' | 'offsite'
  have: number
  need: number
  met: boolean
}

export function threeTwoOneChecks(t: ThreeTwoOne): RuleCheck[] {
  const check = (rule: RuleCheck['rule'], have: number, need: number): RuleCheck => ({ rule, have, need, met: have >= need })
  return [check('copies', t.copies, 3), check('media', t.media_kinds, 2), check('offsite', t.offsite, 1)]
}

/** One check in the reader's language: "✗ copies 1 of 3", "✓ 异地 1/1". */
export function ruleCheckText(c: RuleCheck, translate: Translate): string {
  return `${c.met ? '✓' : '✗'} ${translate(`backups.rule.${c.rule}`, { have: c.have, need: c.need })}`
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB']

/** Bytes in binary units with one decimal from KiB on: "512 B", "1.5 KiB", "2.3 GiB". */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '—'
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit++
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit]}`
}

export function formatRate(bytesPerSecond: number | null | undefined): string {
  if (!bytesPerSecond || bytesPerSecond <= 0) return '—'
  return `${formatBytes(bytesPerSecond)}/s`
}

/** Time left: null while it cannot be estimated (the server says so with a negative number). */
export function formatEta(seconds: number | null | undefined, locale: UiLocale): string | null {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return null
  if (seconds < 1) return locale === 'zh-CN' ? '不到1秒' : '<1s'
  return formatDuration(Math.round(seconds) * 1000, locale)
}

/** Whole percent done, or null without numbers (indeterminate bar). */
export function progressPercent(p: JobProgress | null | undefined): number | null {
  if (!p || !Number.isFinite(p.fraction)) return null
  if (p.bytes_total === 0 && p.files_total === 0) return null
  return Math.max(0, Math.min(100, Math.floor(p.fraction * 100)))
}

export function runTone(status: string): Tone {
  if (status === 'ok' || status === 'pass') return 'success'
  if (status === 'incomplete' || status === 'missed') return 'warning'
  return 'danger'
}

/** The API's Unix milliseconds as ISO text for the date formatters; null for none. */
export function isoOf(ms: number | null | undefined): string | null {
  return ms ? new Date(ms).toISOString() : null
}

/** "3h to spare" / "30m too slow": a margin to the RTO in the reader's words. */
export function marginText(marginMs: number, translate: Translate, duration: (ms: number) => string): string {
  return marginMs >= 0 ? translate('backups.margin', { margin: duration(marginMs) }) : translate('backups.over', { margin: duration(-marginMs) })
}

/** Values the server sends that the page turns into texts (backups.phase.*, .result.*, .trigger.*). */
export const JOB_PHASES = ['staging', 'saving', 'opening', 'restoring', 'finishing'] as const
export const RESULTS = ['ok', 'failed', 'incomplete', 'missed', 'pass', 'fail'] as const
export const TRIGGERS = ['schedule', 'manual', 'catch-up'] as const
