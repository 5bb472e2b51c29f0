// The Backups page's running jobs, live: backup events from the live feed while it is connected,
// else GET /api/v1/backup/progress every few seconds. `onFinished` is called for each outcome
// (from an event, or when polling sees a job disappear) so the page refetches its tables.
import { onMounted, onUnmounted, ref, shallowRef, watch } from 'vue'
import { getBackupProgress, type QueuedJob, type RunningJob } from '@/api/backup'
import { liveState, subscribeNamed } from '@/live/events'
import { applyBackupEvent, BACKUP_EVENTS, jobKey, parseBackupEvent, type BackupLiveEvent } from './backupJobs'

export const PROGRESS_POLL_MS = 3000

export function useBackupLive(onFinished: (event: BackupLiveEvent | null) => void) {
  const jobs = shallowRef<RunningJob[]>([])
  const queued = shallowRef<QueuedJob[]>([])
  const streaming = ref(false)
  let timer: ReturnType<typeof setInterval> | null = null
  const unsubscribe: (() => void)[] = []

  async function poll() {
    try {
      const before = new Set(jobs.value.map((j) => jobKey(j.policy, j.kind)))
      const answer = await getBackupProgress()
      jobs.value = answer.running
      queued.value = answer.queued
      const now = new Set(answer.running.map((j) => jobKey(j.policy, j.kind)))
      if ([...before].some((k) => !now.has(k))) onFinished(null)
    } catch {
      // the page's own loads report errors; a missed sample is not worth a toast
    }
  }

  function startPolling() {
    if (!timer) timer = setInterval(() => document.visibilityState !== 'hidden' && void poll(), PROGRESS_POLL_MS)
  }
  function stopPolling() {
    if (timer) clearInterval(timer)
    timer = null
  }

  onMounted(() => {
    for (const name of BACKUP_EVENTS) {
      unsubscribe.push(
        subscribeNamed(name, (data) => {
          const event = parseBackupEvent(name, data)
          if (!event) return
          jobs.value = applyBackupEvent(jobs.value, event)
          if (event.type === 'progress') {
            queued.value = queued.value.filter((q) => jobKey(q.policy, q.kind) !== jobKey(event.job.policy, event.job.kind))
          } else {
            onFinished(event)
          }
        }),
      )
    }
    void poll() // what runs and waits now; events carry it on from here
  })
  onUnmounted(() => {
    stopPolling()
    for (const u of unsubscribe) u()
  })
  watch(
    liveState,
    (state) => {
      streaming.value = state === 'stream'
      if (streaming.value) stopPolling()
      else startPolling()
    },
    { immediate: true },
  )

  /** After a run-now or drill-now: show the queue at once. */
  const refresh = () => poll()
  return { jobs, queued, streaming, refresh }
}
