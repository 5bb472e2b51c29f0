// The early-warning pages' logic: filters over live alerts, a silence built from an alert's
// labels, a silence's state at a given time, rule health summaries and query_range matrices
// turned into chart series.
import type { Alert, Labels, MatrixResponse, RuleGroup, Silence, SilenceMatcher } from '@/api/watch'
import type { UiLocale } from './time'

export interface AlertFilter {
  state: '' | 'active' | 'suppressed'
  severity: string
  service: string
}

export function filterAlerts(alerts: readonly Alert[], f: AlertFilter): Alert[] {
  return alerts.filter(
    (a) =>
      (!f.state || a.status.state === f.state) &&
      (!f.severity || a.labels.severity === f.severity) &&
      (!f.service || a.labels.service === f.service),
  )
}

/** The distinct values of one label over the alerts, sorted (the filter's choices). */
export function labelValues(alerts: readonly Alert[], name: string): string[] {
  const seen = new Set<string>()
  for (const a of alerts) {
    const v = a.labels[name]
    if (v) seen.add(v)
  }
  return [...seen].sort()
}

/** Newest first; among equals the most severe (P1 before P2) first. */
export function sortAlerts(alerts: readonly Alert[]): Alert[] {
  return [...alerts].sort(
    (a, b) => (a.labels.severity ?? '~').localeCompare(b.labels.severity ?? '~') || b.startsAt.localeCompare(a.startsAt),
  )
}

/** The summary in the reader's language: summary_zh in Chinese when the rule gives one. */
export function alertSummary(annotations: Labels | undefined, locale: UiLocale): string {
  if (!annotations) return ''
  if (locale === 'zh-CN' && annotations.summary_zh) return annotations.summary_zh
  return annotations.summary ?? annotations.description ?? annotations.summary_zh ?? ''
}

/** "name=value" pairs, alertname first, for a compact label column. */
export function labelPairs(labels: Labels): string[] {
  return Object.keys(labels)
    .sort((a, b) => (a === 'alertname' ? -1 : b === 'alertname' ? 1 : a.localeCompare(b)))
    .map((k) => `${k}=${labels[k]}`)
}

// Labels that identify one alert series (its instance, the probe) rather than the problem: a
// silence built from an alert leaves them out by default so it also covers the next instance.
const VOLATILE = new Set(['instance', 'job', 'probe', 'target'])

/** Equality matchers for an alert's labels (every label, or without the volatile ones). */
export function matchersFromLabels(labels: Labels, { all = false } = {}): SilenceMatcher[] {
  return Object.keys(labels)
    .filter((k) => labels[k] !== '' && (all || !VOLATILE.has(k)))
    .sort((a, b) => (a === 'alertname' ? -1 : b === 'alertname' ? 1 : a.localeCompare(b)))
    .map((name) => ({ name, value: labels[name] ?? '', isRegex: false, isEqual: true }))
}

/** A matcher as amtool writes it: name="value", name=~"re", name!="value", name!~"re". */
export function matcherText(m: SilenceMatcher): string {
  const op = `${m.isEqual === false ? '!' : '='}${m.isRegex ? '~' : ''}`
  const eq = op === '=' ? '=' : op === '!' ? '!=' : op
  return `${m.name}${eq}"${m.value}"`
}

/** Problems with a silence form, as message keys; none means it can be sent. */
export function silenceProblems(matchers: readonly SilenceMatcher[], durationMinutes: number, comment: string): string[] {
  const out: string[] = []
  const real = matchers.filter((m) => m.name.trim() !== '')
  if (!real.length) out.push('watch.silence.needMatcher')
  // The server refuses a silence every alert would match: one matcher must need a value.
  else if (!real.some((m) => m.isEqual !== false && !(m.isRegex ? new RegExp(`^(?:${m.value})$`).test('') : m.value === '')))
    out.push('watch.silence.matchesAll')
  if (!(durationMinutes > 0)) out.push('watch.silence.needDuration')
  if (!comment.trim()) out.push('watch.silence.needComment')
  return out
}

/** A silence's state at `nowMs` from its times (the server's `status.state` says the same). */
export function silenceState(s: Pick<Silence, 'startsAt' | 'endsAt'>, nowMs: number): 'active' | 'pending' | 'expired' {
  if (Date.parse(s.endsAt) <= nowMs) return 'expired'
  if (Date.parse(s.startsAt) > nowMs) return 'pending'
  return 'active'
}

const STATE_ORDER = { active: 0, pending: 1, expired: 2 } as const
/** Active first, then pending, then expired; within each the one ending soonest first (expired: latest first). */
export function sortSilences(list: readonly Silence[], nowMs: number): Silence[] {
  return [...list].sort((a, b) => {
    const sa = silenceState(a, nowMs)
    const sb = silenceState(b, nowMs)
    if (sa !== sb) return STATE_ORDER[sa] - STATE_ORDER[sb]
    return sa === 'expired' ? b.endsAt.localeCompare(a.endsAt) : a.endsAt.localeCompare(b.endsAt)
  })
}

export interface RuleSummary {
  rules: number
  ok: number
  err: number
  unknown: number
  firing: number
  pending: number
}

/** Counts over every group: rules by health, alerts by state. */
export function summarizeRules(groups: readonly RuleGroup[]): RuleSummary {
  const s: RuleSummary = { rules: 0, ok: 0, err: 0, unknown: 0, firing: 0, pending: 0 }
  for (const g of groups) {
    for (const r of g.rules) {
      s.rules++
      s[r.health]++
      for (const a of r.alerts) {
        if (a.state === 'firing') s.firing++
        else if (a.state === 'pending') s.pending++
      }
    }
  }
  return s
}

/** A group's worst condition: 'err' if a rule fails, else 'firing' if an alert fires, else 'ok'. */
export function groupCondition(g: RuleGroup): 'err' | 'firing' | 'pending' | 'ok' {
  if (g.rules.some((r) => r.health === 'err')) return 'err'
  if (g.rules.some((r) => r.alerts.some((a) => a.state === 'firing'))) return 'firing'
  if (g.rules.some((r) => r.alerts.some((a) => a.state === 'pending'))) return 'pending'
  return 'ok'
}

export interface ChartSeries {
  name: string
  /** [milliseconds, value]; NaN and ±Inf become null (a gap). */
  points: [number, number | null][]
}

/** The series' name: the chosen label's value, else every label, else the query's own name. */
export function seriesName(metric: Labels, legendLabel: string | undefined, fallback: string): string {
  const chosen = legendLabel ? metric[legendLabel] : undefined
  if (chosen) return chosen
  const pairs = Object.keys(metric)
    .filter((k) => k !== '__name__')
    .sort()
    .map((k) => `${k}="${metric[k]}"`)
  return pairs.length ? `{${pairs.join(', ')}}` : fallback
}

/** A query_range matrix as chart series. */
export function matrixToSeries(m: MatrixResponse, legendLabel?: string, fallback = ''): ChartSeries[] {
  if (m?.data?.resultType !== 'matrix' || !Array.isArray(m.data.result)) return []
  return m.data.result.map((r) => ({
    name: seriesName(r.metric ?? {}, legendLabel, fallback),
    points: (r.values ?? []).map(([t, v]): [number, number | null] => {
      const n = Number(v)
      return [Math.round(t * 1000), Number.isFinite(n) ? n : null]
    }),
  }))
}

/** A window ending now: [start, end] in Unix seconds and a step giving about `points` points. */
export function rangeWindow(nowMs: number, seconds: number, points = 120): { start: number; end: number; step: number } {
  const end = Math.floor(nowMs / 1000)
  return { start: end - seconds, end, step: Math.max(1, Math.ceil(seconds / points)) }
}

/** Certificate days left as a tag type: red under 7 days, orange under 30. */
export function certTone(days: number | undefined): 'danger' | 'warning' | 'success' | 'info' {
  if (days === undefined) return 'info'
  if (days < 7) return 'danger'
  if (days < 30) return 'warning'
  return 'success'
}

/** A label value inside a "..." matcher: backslashes and quotes escaped. */
export function quoteLabelValue(v: string): string {
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
}

/** A probe metric, for one service when given (probes carry their `service` label). */
export function probeQuery(metric: 'probe_duration_seconds' | 'probe_success', service: string): string {
  return service ? `${metric}{service=${quoteLabelValue(service)}}` : metric
}

/** The host charts: CPU and memory used in %, the 1-minute load, per instance. */
export const HOST_QUERIES = {
  cpu: '100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m])))',
  memory: '100 * (1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes)',
  load: 'node_load1',
} as const
