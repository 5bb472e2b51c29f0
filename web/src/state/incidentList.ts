// The incident list's pure logic: which rows a filter keeps (as the server decides), and
// folding a changed incident into the list (newest first, by number).
import type { IncidentFilter } from '@/api/incidents'
import type { IncidentSummary } from '@/api/types'
import { isOpen } from '@/format/incident'

/** Whether the server would list `incident` under `filter` (for rows that change live). */
export function matchesFilter(incident: IncidentSummary, filter: IncidentFilter): boolean {
  const statuses = filter.status ?? []
  if (statuses.length && !statuses.some((s) => (s === 'open' ? isOpen(incident.status) : s === incident.status))) {
    return false
  }
  if (filter.severity?.length && !filter.severity.includes(incident.severity)) return false
  if (filter.service && !incident.services.includes(filter.service)) return false
  // Every word in the ID, the title or a service key (the server's q=).
  const words = (filter.q ?? '').toLowerCase().split(/[\s\u3000]+/).filter(Boolean)
  const fields = [incident.id, incident.title, ...incident.services].map((f) => f.toLowerCase())
  return words.every((word) => fields.some((f) => f.includes(word)))
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
