// A timeline entry in the reader's language, from its structured `detail` (the server's
// `text` is English and stays the fallback when a field the sentence needs is missing).
import type { TimelineEntry } from '@/api/types'

type Translate = (key: string, params?: Record<string, unknown>) => string
type Exists = (key: string) => boolean

export interface TimelineContext {
  t: Translate
  te: Exists
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined)
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)
const list = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined

/** The label of `value` under `prefix` when the locale has one, else the value as written. */
function label(ctx: TimelineContext, prefix: string, value: string): string {
  const key = `${prefix}.${value}`
  return ctx.te(key) ? ctx.t(key) : value
}

function names(ctx: TimelineContext, people: string[]): string {
  return people.length ? people.join(', ') : ctx.t('incident.entry.nobody')
}

/** "3. Title" for an entry about one checklist step (the detail names it since the server's
 * checklist entries carry the title); undefined without a title. */
function stepHeading(d: Record<string, unknown>): string | undefined {
  const title = str(d.title), position = num(d.position)
  if (!title) return undefined
  return position !== undefined ? `${position}. ${title}` : title
}

/** The sentence for one entry; `entry.text` when the detail lacks what the sentence needs. */
export function describeEntry(entry: TimelineEntry, ctx: TimelineContext): string {
  const d = entry.detail ?? {}
  const { t } = ctx
  const fallback = entry.text
  switch (entry.kind) {
    case 'declared': {
      const severity = str(d.severity), title = str(d.title)
      return severity && title ? t('incident.entry.declared', { severity, title }) : fallback
    }
    case 'status_changed': {
      const status = str(d.status)
      return status ? t('incident.entry.statusChanged', { status: label(ctx, 'status', status) }) : fallback
    }
    case 'plan_activated': {
      const plan = str(d.plan), version = num(d.version)
      return plan && version !== undefined ? t('incident.entry.planActivated', { plan, version }) : fallback
    }
    case 'role_assigned': {
      const role = str(d.role_name) ?? str(d.role), person = str(d.person_name) ?? str(d.person)
      if (!role || !person) return fallback
      const handle = str(d.person)
      return t('incident.entry.roleAssigned', { role, person: handle && handle !== person ? `${person} (${handle})` : person })
    }
    case 'checklist': {
      const step = stepHeading(d)
      if (!step || typeof d.done !== 'boolean') return fallback
      return t(d.done ? 'incident.entry.checkDone' : 'incident.entry.checkUndone', { step })
    }
    case 'step_assigned': {
      const step = stepHeading(d), handle = typeof d.person === 'string' ? d.person : undefined
      if (!step || handle === undefined) return fallback
      if (!handle) return t('incident.entry.stepUnassigned', { step })
      const name = str(d.person_name) ?? handle
      return t('incident.entry.stepAssigned', { step, person: name !== handle ? `${name} (${handle})` : name })
    }
    case 'status_update': {
      const stage = str(d.stage), audience = str(d.audience)
      if (!stage || !audience) return fallback
      return t('incident.entry.statusUpdate', {
        stage: label(ctx, 'composer.stages', stage),
        audience: label(ctx, 'composer.audiences', audience),
      })
    }
    case 'severity_changed': {
      const from = str(d.from), to = str(d.to)
      return from && to ? t('incident.entry.severityChanged', { from, to }) : fallback
    }
    case 'linked': {
      const other = str(d.other)
      return other ? t('incident.entry.linked', { other }) : fallback
    }
    case 'merged': {
      const into = str(d.into), merged = str(d.merged)
      if (into) return t('incident.entry.mergedInto', { into })
      if (merged) return t('incident.entry.mergedFrom', { merged, title: str(d.title) ?? '' })
      return fallback
    }
    case 'escalated': {
      const level = num(d.level), round = num(d.round), paged = list(d.paged)
      if (level === undefined || paged === undefined) return fallback
      const key = round ? 'incident.entry.escalatedRepeat' : 'incident.entry.escalated'
      return t(key, { level, round: round ?? 0, paged: names(ctx, paged) })
    }
    case 'reminder': {
      const minutes = num(d.minutes_since_update), reminded = list(d.reminded)
      if (minutes === undefined || reminded === undefined) return fallback
      return reminded.length
        ? t('incident.entry.reminder', { minutes, reminded: reminded.join(', ') })
        : t('incident.entry.reminderChannels', { minutes })
    }
    case 'notification': {
      const state = str(d.state)
      if (!state) return fallback
      if (state === 'queued') {
        const channels = num(d.channels), paged = list(d.paged)
        if (channels === undefined) return fallback
        return paged && paged.length
          ? t('incident.entry.queuedPaged', { channels, paged: paged.join(', ') })
          : t('incident.entry.queued', { channels })
      }
      const channel = str(d.channel), type = str(d.channel_type), title = str(d.title)
      if (channel && type && title) {
        const sentence = t('incident.entry.deliveryVia', {
          state: label(ctx, 'channels.states', state),
          channel,
          type: label(ctx, 'channels.types', type),
          title,
        })
        const error = str(d.error)
        return error ? `${sentence} — ${error}` : sentence
      }
      // Entries written before the server put the channel and message in the detail.
      const id = num(d.notification_id), attempt = num(d.attempt)
      if (id === undefined || attempt === undefined) return fallback
      return t('incident.entry.delivery', { state: label(ctx, 'channels.states', state), id, attempt })
    }
    case 'postmortem': {
      const status = str(d.status)
      return status ? t('incident.entry.postmortem', { status: label(ctx, 'postmortem.statuses', status) }) : fallback
    }
    default:
      return fallback
  }
}
