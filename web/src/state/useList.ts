// A page's list loaded from the API: the rows, whether it is loading, and reload after a change.
import { onMounted, ref, shallowRef } from 'vue'
import { attempt } from '@/ui/feedback'

export function useList<T>(load: () => Promise<T[]>) {
  const items = shallowRef<T[]>([])
  const loading = ref(true)
  async function reload() {
    loading.value = true
    try {
      await attempt(async () => (items.value = await load()))
    } finally {
      loading.value = false
    }
  }
  onMounted(reload)
  return { items, loading, reload }
}
