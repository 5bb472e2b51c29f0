import { onMounted, onUnmounted, ref } from 'vue'

/** The current time, ticking every `intervalMs` while the component is mounted (for ages). */
export function useNow(intervalMs = 30_000) {
  const now = ref(Date.now())
  let timer: ReturnType<typeof setInterval> | undefined
  onMounted(() => (timer = setInterval(() => (now.value = Date.now()), intervalMs)))
  onUnmounted(() => clearInterval(timer))
  return now
}
