// Success and error toasts. An API error shows the server's message and the field it names.
import { ElMessage } from 'element-plus'
import 'element-plus/es/components/message/style/css'
import { ApiError } from '@/api/client'
import { i18n } from '@/i18n'

export function errorText(error: unknown): string {
  const t = i18n.global.t
  if (error instanceof ApiError) {
    // The plan importer's messages already name the field ("plan.yaml:12: steps[0].role: ...").
    const named = !error.field || error.message.includes(error.field)
    return named ? error.message : t('app.fieldError', { message: error.message, field: error.field })
  }
  return error instanceof Error ? error.message : t('app.error')
}

export function showError(error: unknown): void {
  ElMessage({ type: 'error', message: errorText(error), showClose: true, duration: 6000 })
}

export function showSuccess(message: string): void {
  ElMessage({ type: 'success', message, duration: 2500 })
}

/** Runs an action, showing its error; returns whether it succeeded. */
export async function attempt(action: () => Promise<unknown>, success?: string): Promise<boolean> {
  try {
    await action()
    if (success) showSuccess(success)
    return true
  } catch (e) {
    showError(e)
    return false
  }
}
