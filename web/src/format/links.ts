import type { TimelineEntry } from '@/api/types'

const REF = /INC-\d{4}-\d+/g

/**
 * The incidents this one is linked to or merged with, read from its `linked` and `merged`
 * timeline entries (the incident JSON has no list of links).
 */
export function linkedIncidents(timeline: readonly TimelineEntry[], self: string): string[] {
  const refs = new Set<string>()
  for (const entry of timeline) {
    if (entry.kind !== 'linked' && entry.kind !== 'merged') continue
    for (const ref of entry.text.match(REF) ?? []) if (ref !== self) refs.add(ref)
  }
  return [...refs]
}
