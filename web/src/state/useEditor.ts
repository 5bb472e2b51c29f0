// The add / change / delete dialog of a catalog list: which entry is being edited, its form, and
// saving it (create or change by key) or deleting it after a confirmation, then reloading.
import { reactive, ref } from 'vue'
import { i18n } from '@/i18n'
import { confirmAction } from '@/ui/confirm'
import { attempt } from '@/ui/feedback'

export interface EditorOptions<T, F extends object> {
  blank: () => F
  /** The form filled from an entry (deep copies of its lists). */
  fromItem: (item: T) => F
  keyOf: (item: T) => string
  nameOf: (item: T) => string
  create: (form: F) => Promise<unknown>
  update: (key: string, form: F) => Promise<unknown>
  remove?: (key: string) => Promise<unknown>
  reload: () => Promise<unknown>
}

/**
 * Saves with a busy flag and a toast (`success`, default "saved"); `done` runs after a success
 * (close the dialog, reload).
 */
export function useSubmit(submit: () => Promise<unknown>, done: () => unknown, success?: () => string) {
  const saving = ref(false)
  async function run(): Promise<boolean> {
    saving.value = true
    const ok = await attempt(submit, success ? success() : i18n.global.t('app.saved'))
    saving.value = false
    if (ok) await done()
    return ok
  }
  return { saving, run }
}

/**
 * useSubmit for a form checked in the browser first: nothing is sent while `problems` (message
 * keys) has any; `tried` turns true on the first attempt, so the problems show only then.
 */
export function useCheckedSubmit(problems: () => readonly string[], submit: () => Promise<unknown>, done: () => unknown, success?: () => string) {
  const tried = ref(false)
  const { saving, run } = useSubmit(submit, done, success)
  async function save(): Promise<boolean> {
    tried.value = true
    return problems().length ? false : run()
  }
  return { tried, saving, save }
}

export function useEditor<T, F extends object>(options: EditorOptions<T, F>) {
  const t = i18n.global.t
  const open = ref(false)
  const editing = ref<T | null>(null)
  // reactive() of a generic F types as UnwrapRef<F>; the form holds plain values, so it is an F.
  const form = reactive(options.blank()) as F

  function openForm(item: T | null) {
    editing.value = item as typeof editing.value
    Object.assign(form, options.blank(), item ? options.fromItem(item) : {})
    open.value = true
  }

  const { saving, run: save } = useSubmit(
    () => {
      const current = editing.value as T | null
      return current ? options.update(options.keyOf(current), form) : options.create(form)
    },
    async () => {
      open.value = false
      await options.reload()
    },
  )

  async function remove(item: T) {
    if (!options.remove) return
    if (!(await confirmAction(t('catalog.confirmDelete', { name: options.nameOf(item) })))) return
    await attempt(async () => (await options.remove!(options.keyOf(item)), await options.reload()), t('catalog.deleted'))
  }

  return { open, saving, editing, form, openForm, save, remove }
}
