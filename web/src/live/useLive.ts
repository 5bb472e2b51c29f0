import { onMounted, onUnmounted } from 'vue'
import { subscribe, type LiveEvent } from './events'

/** Subscribes a component to live incident changes while it is mounted. */
export function useLive(listener: (event: LiveEvent) => void): void {
  let unsubscribe: (() => void) | null = null
  onMounted(() => (unsubscribe = subscribe(listener)))
  onUnmounted(() => unsubscribe?.())
}
