// Data reloaded every few seconds while the page is open (and not while the tab is hidden).
import { onMounted, onUnmounted, ref, shallowRef } from 'vue'
import { showError } from '@/ui/feedback'

export function usePoll<T>(load: () => Promise<T>, initial: T, everyMs = 5000) {
  const data = shallowRef<T>(initial)
  const loading = ref(true)
  const updatedAt = ref<string | null>(null)
  let timer: ReturnType<typeof setInterval> | null = null
  let failedBefore = false
  async function reload() {
    try {
      data.value = await load()
      updatedAt.value = new Date().toISOString()
      failedBefore = false
    } catch (e) {
      // One toast per outage, not one every 5 s.
      if (!failedBefore) showError(e)
      failedBefore = true
    } finally {
      loading.value = false
    }
  }
  const tick = () => {
    if (document.visibilityState !== 'hidden') void reload()
  }
  onMounted(() => {
    void reload()
    timer = setInterval(tick, everyMs)
  })
  onUnmounted(() => {
    if (timer) clearInterval(timer)
  })
  return { data, loading, updatedAt, reload }
}
