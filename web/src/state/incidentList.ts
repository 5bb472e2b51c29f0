// The incident list's pure logic: which rows a filter keeps, the search over loaded rows, and
// folding a changed incident into the list (newest first, by number).
import type { IncidentFilter } from '@/api/incidents'
import type { IncidentSummary } from '@/api/types'
import { isOpen } from '@/format/incident'

export function matchesFilter(incident: IncidentSummary, filter: IncidentFilter): boolean {
  if (filter.status === 'open' ? !isOpen(incident.status) : filter.status && incident.status !== filter.status) {
    return false
  }
  if (filter.severity && incident.severity !== filter.severity) return false
  if (filter.service && !incident.services.includes(filter.service)) return false
  return true
}

/** Rows whose ID, title or a service contains every word of `query` (case-insensitive). */
export function searchIncidents(items: readonly IncidentSummary[], query: string): readonly IncidentSummary[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean)
  if (words.length === 0) return items
  return items.filter((incident) => {
    const text = `${incident.id} ${incident.title} ${incident.services.join(' ')}`.toLowerCase()
    return words.every((w) => text.includes(w))
  })
}

/**
 * The list with `incident` replacing the row of the same ID, inserted by number when new, or
 * removed when it no longer matches the filter. Returns the same array when nothing changed.
 */
export function upsertIncident(
  items: readonly IncidentSummary[],
  incident: IncidentSummary,
  filter: IncidentFilter,
): readonly IncidentSummary[] {
  const index = items.findIndex((i) => i.id === incident.id)
  const keep = matchesFilter(incident, filter)
  if (index === -1 && !keep) return items
  const next = items.slice()
  if (index !== -1) {
    if (keep) next[index] = incident
    else next.splice(index, 1)
    return next
  }
  const at = next.findIndex((i) => i.number < incident.number)
  next.splice(at === -1 ? next.length : at, 0, incident)
  return next
}
