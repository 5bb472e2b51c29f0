import { describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'
import type { BackupDrill, JobProgress, ThreeTwoOne } from '@/api/backup'
import en from '@/locales/en'
import zhCN from '@/locales/zh-CN'
import {
  backupFreshness,
  formatBytes,
  formatEta,
  formatRate,
  isoOf,
  JOB_PHASES,
  RESULTS,
  TRIGGERS,
  marginText,
  progressPercent,
  RECENT_WITHOUT_RPO_MS,
  restoreVerdict,
  runTone,
  threeTwoOneChecks,
  ruleCheckText,
} from './backup'
import { formatDuration } from './time'

const HOUR = 3600_000

const drill = (over: Partial<BackupDrill>): BackupDrill => ({
  id: 1,
  policy: 'erp-db',
  service: 'erp',
  destination: '/backup/erp',
  trigger: 'schedule',
  snapshot_id: 'ab',
  started_at: 1_000,
  duration_ms: 60_000,
  restored_bytes: 100,
  verified_bytes: 100,
  snapshot_bytes: 100,
  projected_ms: HOUR,
  rto_ms: 4 * HOUR,
  margin_ms: 3 * HOUR,
  status: 'pass',
  detail: '',
  ...over,
})

const rule = (copies: number, media_kinds: number, offsite: number): ThreeTwoOne => ({
  ok: copies >= 3 && media_kinds >= 2 && offsite >= 1,
  copies,
  media_kinds,
  media: [],
  offsite,
  missing: [],
  destinations: [],
})

function translator(locale: 'en' | 'zh-CN') {
  const i18n = createI18n({ legacy: false, locale, messages: { en, 'zh-CN': zhCN } })
  return (key: string, params?: Record<string, unknown>) => i18n.global.t(key, params ?? {})
}

describe('backup age against the RPO', () => {
  it('is green well within, amber in the last quarter, red past it', () => {
    expect(backupFreshness(HOUR, 24 * HOUR)).toBe('fresh')
    expect(backupFreshness(18 * HOUR, 24 * HOUR)).toBe('fresh')
    expect(backupFreshness(18 * HOUR + 1, 24 * HOUR)).toBe('aging')
    expect(backupFreshness(24 * HOUR, 24 * HOUR)).toBe('aging')
    expect(backupFreshness(24 * HOUR + 1, 24 * HOUR)).toBe('late')
  })
  it('without a good backup is red; without an RPO a week counts as recent', () => {
    expect(backupFreshness(null, 24 * HOUR)).toBe('never')
    expect(backupFreshness(undefined, 0)).toBe('never')
    expect(backupFreshness(3 * 24 * HOUR, 0)).toBe('fresh')
    expect(backupFreshness(RECENT_WITHOUT_RPO_MS + 1, 0)).toBe('late')
  })
})

describe('restore drill against the RTO', () => {
  it('passes with the margin when the projected restore fits the RTO', () => {
    expect(restoreVerdict(drill({}), drill({}), 4 * HOUR)).toMatchObject({ state: 'pass', marginMs: 3 * HOUR, projectedMs: HOUR })
  })
  it('fails with a negative margin when the service RTO is shorter than the projection', () => {
    expect(restoreVerdict(drill({}), drill({}), 30 * 60_000)).toMatchObject({ state: 'fail', marginMs: -30 * 60_000 })
  })
  it('lets the newest drill decide: a later failed restore is a failure', () => {
    const failed = drill({ id: 2, started_at: 5_000, status: 'fail', restored_bytes: 0, verified_bytes: 0, margin_ms: null, detail: 'no snapshot' })
    const v = restoreVerdict(drill({}), failed, 4 * HOUR)
    expect(v.state).toBe('failed')
    expect(v.drill?.detail).toBe('no snapshot')
    // A drill that failed only on time is judged on its margin.
    const slow = drill({ id: 3, started_at: 6_000, status: 'fail', projected_ms: 5 * HOUR, margin_ms: -HOUR })
    expect(restoreVerdict(drill({}), slow, 4 * HOUR)).toMatchObject({ state: 'fail', marginMs: -HOUR })
    // An older newest-list entry does not override a more recent pass.
    expect(restoreVerdict(drill({ started_at: 9_000 }), failed, 4 * HOUR).state).toBe('pass')
  })
  it('words the margin in both languages', () => {
    expect(marginText(3 * HOUR, translator('en'), (ms) => formatDuration(ms, 'en'))).toBe('3h to spare')
    expect(marginText(-30 * 60_000, translator('en'), (ms) => formatDuration(ms, 'en'))).toBe('30m too slow')
    expect(marginText(3 * HOUR, translator('zh-CN'), (ms) => formatDuration(ms, 'zh-CN'))).toBe('余量 3小时')
    expect(marginText(-30 * 60_000, translator('zh-CN'), (ms) => formatDuration(ms, 'zh-CN'))).toBe('超出 30分')
  })
  it('says when nothing was drilled or there is no RTO to compare with', () => {
    expect(restoreVerdict(null, null, 4 * HOUR)).toMatchObject({ state: 'never', drill: null })
    expect(restoreVerdict(drill({ rto_ms: 0, margin_ms: null }), null, 0)).toMatchObject({ state: 'unmeasured', marginMs: null })
  })
})

describe('3-2-1', () => {
  it('checks each part against its need', () => {
    expect(threeTwoOneChecks(rule(1, 1, 0))).toEqual([
      { rule: 'copies', have: 1, need: 3, met: false },
      { rule: 'media', have: 1, need: 2, met: false },
      { rule: 'offsite', have: 0, need: 1, met: false },
    ])
    expect(threeTwoOneChecks(rule(3, 2, 1)).every((c) => c.met)).toBe(true)
  })
  it('names each part, met or missing, in both languages', () => {
    const [copies, media, offsite] = threeTwoOneChecks(rule(2, 2, 0))
    expect([copies, media, offsite].map((c) => ruleCheckText(c!, translator('en')))).toEqual(['✗ copies 2 of 3', '✓ media kinds 2 of 2', '✗ offsite 0 of 1'])
    expect([copies, media, offsite].map((c) => ruleCheckText(c!, translator('zh-CN')))).toEqual(['✗ 副本 2/3', '✓ 介质种类 2/2', '✗ 异地 0/1'])
  })
})

describe('progress numbers', () => {
  const progress = (over: Partial<JobProgress>): JobProgress => ({
    files_done: 0,
    files_total: 0,
    bytes_done: 0,
    bytes_total: 0,
    errors: 0,
    totals_final: false,
    fraction: 0,
    bytes_per_second: 0,
    eta_seconds: -1,
    ...over,
  })
  it('formats sizes and rates in binary units', () => {
    expect(formatBytes(0)).toBe('0 B')
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(1536)).toBe('1.5 KiB')
    expect(formatBytes(2.5 * 1024 ** 3)).toBe('2.5 GiB')
    expect(formatBytes(-1)).toBe('—')
    expect(formatRate(12.3 * 1024 ** 2)).toBe('12.3 MiB/s')
    expect(formatRate(0)).toBe('—')
  })
  it('gives the time left in the reader\'s language, or null while estimating', () => {
    expect(formatEta(-1, 'en')).toBeNull()
    expect(formatEta(0.4, 'en')).toBe('<1s')
    expect(formatEta(0.4, 'zh-CN')).toBe('不到1秒')
    expect(formatEta(4 * 3600 + 30 * 60, 'en')).toBe('4h 30m')
    expect(formatEta(4 * 3600 + 30 * 60, 'zh-CN')).toBe('4小时30分')
    expect(formatEta(95, 'en')).toBe('1m 35s')
  })
  it('has a percentage only once there is something to count', () => {
    expect(progressPercent(null)).toBeNull()
    expect(progressPercent(progress({}))).toBeNull()
    expect(progressPercent(progress({ bytes_total: 100, bytes_done: 48, fraction: 0.487 }))).toBe(48)
    expect(progressPercent(progress({ bytes_total: 100, fraction: 1.2 }))).toBe(100)
  })
  it('colours results and turns API times into ISO text', () => {
    expect(runTone('ok')).toBe('success')
    expect(runTone('pass')).toBe('success')
    expect(runTone('incomplete')).toBe('warning')
    expect(runTone('failed')).toBe('danger')
    expect(isoOf(Date.UTC(2026, 10, 22, 4, 5, 6))).toBe('2026-11-22T04:05:06.000Z')
    expect(isoOf(0)).toBeNull()
  })
})

describe('texts', () => {
  it('exist in both languages for every value the server sends', () => {
    const families: [string, readonly string[]][] = [
      ['backups.phase', JOB_PHASES],
      ['backups.result', RESULTS],
      ['backups.trigger', TRIGGERS],
      ['backups.kind', ['backup', 'drill']],
      ['backups.freshness', ['fresh', 'aging', 'late', 'never']],
      ['backups.restore', ['pass', 'fail', 'failed', 'unmeasured', 'never']],
      ['backups.finished', ['ok', 'incomplete', 'failed', 'pass', 'fail']],
    ]
    for (const locale of ['en', 'zh-CN'] as const) {
      const i18n = createI18n({ legacy: false, locale, messages: { en, 'zh-CN': zhCN } })
      for (const [prefix, values] of families) {
        for (const v of values) expect(i18n.global.te(`${prefix}.${v}`, locale), `${locale} ${prefix}.${v}`).toBe(true)
      }
    }
  })
})
