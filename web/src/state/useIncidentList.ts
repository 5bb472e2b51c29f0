// Loads the incident list page by page (the first page renders at once, the rest follow in the
// background) and keeps it current from live events.
import { ref, shallowRef, watch, type Ref } from 'vue'
import { getIncident, listIncidents, type IncidentFilter } from '@/api/incidents'
import type { IncidentSummary } from '@/api/types'
import { useLive } from '@/live/useLive'
import { showError } from '@/ui/feedback'
import { upsertIncident } from './incidentList'

export function useIncidentList(filter: Ref<IncidentFilter>) {
  const items = shallowRef<readonly IncidentSummary[]>([])
  const loading = ref(false)
  const complete = ref(false)
  let generation = 0

  async function load() {
    const mine = ++generation
    loading.value = true
    complete.value = false
    try {
      let cursor: string | null = null
      let loaded: IncidentSummary[] = []
      do {
        const page = await listIncidents(filter.value, cursor)
        if (mine !== generation) return
        loaded = loaded.concat(page.items)
        items.value = loaded
        cursor = page.next_cursor
      } while (cursor)
      complete.value = true
    } catch (e) {
      if (mine === generation) showError(e)
    } finally {
      if (mine === generation) loading.value = false
    }
  }

  async function refreshOne(id: string) {
    try {
      items.value = upsertIncident(items.value, await getIncident(id), filter.value)
    } catch (e) {
      showError(e)
    }
  }

  /** Without an event stream: fold the newest page into the list. */
  async function refreshNewest() {
    const page = await listIncidents(filter.value, null, 100)
    let next = items.value
    for (const incident of page.items) next = upsertIncident(next, incident, filter.value)
    items.value = next
  }

  useLive((event) => {
    if (event.kind === 'incident') void refreshOne(event.id)
    else if (!loading.value) void refreshNewest().catch(() => undefined)
  })

  watch(filter, () => void load(), { deep: true, immediate: true })

  return { items, loading, complete, reload: load }
}
