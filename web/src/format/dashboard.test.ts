import { describe, expect, it } from 'vitest'
import type { IncidentReportRow, IncidentSummary } from '@/api/types'
import { ageBucket, summarizeOpen, weekStart, weeklyTrend } from './dashboard'

describe('summarizeOpen', () => {
  it('counts by severity, acknowledgement and age', () => {
    const now = Date.parse('2026-11-22T12:00:00Z')
    const open = [
      { severity: 'P1', acknowledged_at: null, declared_at: '2026-11-22T11:30:00Z' },
      { severity: 'P1', acknowledged_at: '2026-11-22T10:00:00Z', declared_at: '2026-11-22T09:00:00Z' },
      { severity: 'P3', acknowledged_at: null, declared_at: '2026-11-20T09:00:00Z' },
    ] as IncidentSummary[]
    const s = summarizeOpen(open, now)
    expect(s.total).toBe(3)
    expect(s.bySeverity).toEqual({ P1: 2, P2: 0, P3: 1, P4: 0 })
    expect([s.acked, s.unacked]).toEqual([1, 2])
    expect(s.byAge).toEqual({ h1: 1, h4: 1, d1: 0, older: 1 })
  })
  it('puts ages in buckets', () => {
    expect(ageBucket(59 * 60_000)).toBe('h1')
    expect(ageBucket(4 * 3600_000)).toBe('d1')
    expect(ageBucket(25 * 3600_000)).toBe('older')
  })
})

describe('weeklyTrend', () => {
  it('starts weeks on Monday', () => {
    const start = weekStart(new Date(2026, 10, 22, 15)) // Sunday 22 Nov 2026
    expect([start.getFullYear(), start.getMonth(), start.getDate(), start.getDay()]).toEqual([2026, 10, 16, 1])
  })
  it('averages per week and leaves empty weeks null', () => {
    const row = (declared: Date, ack: number | null, recover: number | null) =>
      ({ declared_at: declared.toISOString(), time_to_ack_ms: ack, time_to_recover_ms: recover }) as IncidentReportRow
    const now = new Date(2026, 10, 22, 12)
    const rows = [
      row(new Date(2026, 10, 17, 9), 60_000, 3600_000),
      row(new Date(2026, 10, 18, 9), 180_000, null),
      row(new Date(2026, 10, 3, 9), 30_000, 600_000),
      row(new Date(2026, 5, 1), 1, 1), // before the window
    ]
    const trend = weeklyTrend(rows, now, 3)
    expect(trend.map((p) => p.weekStart.getDate())).toEqual([2, 9, 16])
    expect(trend.map((p) => p.mttaMs)).toEqual([30_000, null, 120_000])
    expect(trend.map((p) => p.mttrMs)).toEqual([600_000, null, 3600_000])
  })
})
