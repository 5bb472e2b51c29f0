// One incident and what its page needs beside it (the plan, people),
// refetched whenever a live event names it, and after every change made here.
import { ref, shallowRef, watch, type Ref } from 'vue'
import { listPeople } from '@/api/catalog'
import { ApiError } from '@/api/client'
import { getIncident } from '@/api/incidents'
import { getPlan } from '@/api/plans'
import type { Incident, Person, Plan } from '@/api/types'
import { useLive } from '@/live/useLive'
import { showError } from '@/ui/feedback'

export function useIncident(id: Ref<string>) {
  const incident = shallowRef<Incident | null>(null)
  const plan = shallowRef<Plan | null>(null)
  const people = shallowRef<Person[]>([])
  const notFound = ref(false)

  async function load() {
    try {
      const next = await getIncident(id.value)
      const planChanged = next.plan?.key !== plan.value?.key || next.plan?.version !== plan.value?.version
      incident.value = next
      notFound.value = false
      if (planChanged) plan.value = next.plan ? await getPlan(next.plan.key, next.plan.version) : null
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) notFound.value = true
      else showError(e)
    }
  }

  async function loadContext() {
    try {
      people.value = await listPeople()
    } catch (e) {
      showError(e)
    }
  }

  /** Runs a change, then shows the incident as the server now has it. */
  async function act(change: () => Promise<unknown>): Promise<boolean> {
    try {
      await change()
      return true
    } catch (e) {
      showError(e)
      return false
    } finally {
      await load()
    }
  }

  useLive((event) => {
    if (event.kind === 'poll' || event.id === id.value) void load()
  })

  watch(id, () => void load(), { immediate: true })
  void loadContext()

  return { incident, plan, people, notFound, act, reload: load }
}
