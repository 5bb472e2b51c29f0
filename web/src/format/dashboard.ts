// The dashboard's numbers: open incidents by severity, acknowledgement and age, and the weekly
// MTTA/MTTR trend from the incident report.
import { SEVERITIES, type IncidentReportRow, type IncidentSummary, type Severity } from '@/api/types'

export const AGE_BUCKETS = ['h1', 'h4', 'd1', 'older'] as const
export type AgeBucket = (typeof AGE_BUCKETS)[number]

export interface OpenSummary {
  total: number
  bySeverity: Record<Severity, number>
  acked: number
  unacked: number
  byAge: Record<AgeBucket, number>
}

const HOUR = 3600_000

export function ageBucket(ms: number): AgeBucket {
  if (ms < HOUR) return 'h1'
  if (ms < 4 * HOUR) return 'h4'
  if (ms < 24 * HOUR) return 'd1'
  return 'older'
}

export function summarizeOpen(open: readonly IncidentSummary[], now: number): OpenSummary {
  const summary: OpenSummary = {
    total: open.length,
    bySeverity: Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>,
    acked: 0,
    unacked: 0,
    byAge: { h1: 0, h4: 0, d1: 0, older: 0 },
  }
  for (const incident of open) {
    summary.bySeverity[incident.severity] += 1
    if (incident.acknowledged_at) summary.acked += 1
    else summary.unacked += 1
    summary.byAge[ageBucket(now - Date.parse(incident.declared_at))] += 1
  }
  return summary
}

export interface TrendPoint {
  /** The week's first day (local midnight). */
  weekStart: Date
  mttaMs: number | null
  mttrMs: number | null
}

/** Monday 00:00 local time of the week holding `date`. */
export function weekStart(date: Date): Date {
  const d = new Date(date.getFullYear(), date.getMonth(), date.getDate())
  d.setDate(d.getDate() - ((d.getDay() + 6) % 7))
  return d
}

const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null)

/** Mean time to acknowledge and to recover per week, for the `weeks` weeks ending with `now`'s. */
export function weeklyTrend(rows: readonly IncidentReportRow[], now: Date, weeks: number): TrendPoint[] {
  const last = weekStart(now)
  const starts = Array.from({ length: weeks }, (_, i) => {
    const d = new Date(last)
    d.setDate(d.getDate() - 7 * (weeks - 1 - i))
    return d
  })
  const acks = starts.map(() => [] as number[])
  const recovers = starts.map(() => [] as number[])
  for (const row of rows) {
    const index = starts.findIndex((s) => s.getTime() === weekStart(new Date(row.declared_at)).getTime())
    if (index === -1) continue
    if (row.time_to_ack_ms !== null) acks[index]!.push(row.time_to_ack_ms)
    if (row.time_to_recover_ms !== null) recovers[index]!.push(row.time_to_recover_ms)
  }
  return starts.map((s, i) => ({ weekStart: s, mttaMs: mean(acks[i]!), mttrMs: mean(recovers[i]!) }))
}
