// The logs page's logic (GET /api/v1/watch/logs): what a source dropped, a rule's condition in
// words, and the alerts each log rule has firing now (log alerts carry generatorURL /watch/logs
// and their rule's name as alertname).
import type { Alert, LogRule, LogSource, LogState } from '@/api/watch'

/** Lines a source cut, repaired or dropped, and connections it refused. */
export function sourceDrops(s: LogSource): number {
  const st = s.stats
  return st.truncated + st.invalid_utf8 + st.malformed + (st.rejected_connections ?? 0)
}

/** 'err' when the source reports an error, 'warn' when it dropped or cut lines, else 'ok'. */
export function sourceCondition(s: LogSource): 'err' | 'warn' | 'ok' {
  if (s.stats.last_error) return 'err'
  return sourceDrops(s) > 0 ? 'warn' : 'ok'
}

/** A message key and its values that say when the rule fires. */
export function ruleCondition(r: LogRule, duration: (ms: number) => string): { key: string; values: Record<string, string | number> } {
  if (r.threshold) {
    return {
      key: 'watch.logs.condThreshold',
      values: { count: r.threshold.count, within: duration(r.threshold.within_seconds * 1000), by: r.threshold.by },
    }
  }
  if (r.rate) {
    return {
      key: 'watch.logs.condRate',
      values: { factor: r.rate.factor, per: duration(r.rate.per_seconds * 1000), baseline: duration(r.rate.baseline_seconds * 1000), min: r.rate.min_count },
    }
  }
  return { key: 'watch.logs.condMatch', values: {} }
}

/** Whether an alert came from the log rules (the server marks them with generatorURL /watch/logs). */
export function isLogAlert(a: Alert): boolean {
  return (a.generatorURL ?? '').endsWith('/watch/logs')
}

/** Live log alerts per rule name (muted ones included: they are firing, just quiet). */
export function firingByRule(alerts: readonly Alert[]): Map<string, Alert[]> {
  const out = new Map<string, Alert[]>()
  for (const a of alerts) {
    const rule = a.labels.alertname
    if (!rule || !isLogAlert(a)) continue
    const list = out.get(rule) ?? []
    list.push(a)
    out.set(rule, list)
  }
  return out
}

/** The threshold's key of each firing alert (the `by` label, lower-cased as the server writes it). */
export function firingKeys(r: LogRule, alerts: readonly Alert[]): string[] {
  const label = r.threshold?.by.toLowerCase()
  if (!label) return []
  return [...new Set(alerts.map((a) => a.labels[label]).filter((k): k is string => !!k))].sort()
}

export interface LogSummary {
  sources: number
  rules: number
  lines: number
  matched: number
  alerts: number
  dropped: number
}

/** Totals for the summary line; `dropped` counts the sources' drops and the lines the rules could not judge. */
export function summarizeLogs(s: LogState): LogSummary {
  const engine = s.dropped ? s.dropped.truncated + s.dropped.scan_errors : 0
  return {
    sources: s.sources.length,
    rules: s.rules.length,
    lines: s.lines,
    matched: s.rules.reduce((n, r) => n + r.matched, 0),
    alerts: s.rules.reduce((n, r) => n + r.alerts, 0),
    dropped: s.sources.reduce((n, src) => n + sourceDrops(src), 0) + engine,
  }
}

/** Bytes as B / KiB / MiB / GiB with one decimal above bytes. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  const units = ['KiB', 'MiB', 'GiB', 'TiB']
  let v = n / 1024
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${v.toFixed(1)} ${units[i]}`
}
