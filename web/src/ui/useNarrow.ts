import { onMounted, onUnmounted, ref } from 'vue'

/** True while the window is phone-narrow (at most 640 px). */
export function useNarrow() {
  const query = window.matchMedia('(max-width: 640px)')
  const narrow = ref(query.matches)
  const update = () => (narrow.value = query.matches)
  onMounted(() => query.addEventListener('change', update))
  onUnmounted(() => query.removeEventListener('change', update))
  return narrow
}
