import { onMounted, onUnmounted, ref } from 'vue'
import { subscribe, type LiveEvent } from './events'

/** Subscribes a component to live incident changes while it is mounted. */
export function useLive(listener: (event: LiveEvent) => void) {
  const mode = ref<'stream' | 'poll'>('stream')
  let unsubscribe: (() => void) | null = null
  onMounted(() => {
    unsubscribe = subscribe((event) => {
      mode.value = event.kind === 'poll' ? 'poll' : 'stream'
      listener(event)
    })
  })
  onUnmounted(() => unsubscribe?.())
  return { mode }
}
