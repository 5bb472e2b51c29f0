// "Are you sure?" before a destructive action; resolves false when the user cancels.
import { ElMessageBox } from 'element-plus'
import 'element-plus/es/components/message-box/style/css'
import { i18n } from '@/i18n'

export async function confirmAction(message: string, title?: string): Promise<boolean> {
  const t = i18n.global.t
  try {
    await ElMessageBox.confirm(message, title ?? t('app.confirm'), {
      confirmButtonText: t('app.confirm'),
      cancelButtonText: t('app.cancel'),
      type: 'warning',
    })
    return true
  } catch {
    return false
  }
}
