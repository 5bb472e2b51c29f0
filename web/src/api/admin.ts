import { api, getAll, type Page } from './client'
import type { AuditEntry, AuditVerify, Role, User } from './types'

export interface ApiToken {
  id: number
  user_id?: number
  name: string
  role: Role
  created_at: string
  expires_at: string
  last_used_at: string | null
  revoked_at: string | null
}

export const listUsers = () => getAll<User>('/users')
export const createUser = (body: { username: string; password: string; role: Role; display_name?: string; email?: string }) =>
  api.post<User>('/users', body)
/** Role, disabled (revokes the user's sessions and tokens), TOTP requirement, profile, password. */
export const updateUser = (id: number, body: Partial<Pick<User, 'role' | 'disabled' | 'totp_required' | 'display_name' | 'email'>> & { password?: string }) =>
  api.patch<User>(`/users/${id}`, body)
/** Everyone's API tokens (admins). */
export const listAllTokens = () => getAll<ApiToken>('/tokens', { all: true })
export const listAudit = (cursor: string | null) => api.get<Page<AuditEntry>>('/audit', { limit: 100, cursor })
export const verifyAudit = () => api.get<AuditVerify>('/audit/verify')
export const listTokens = () => getAll<ApiToken>('/tokens')
export const createToken = (name: string, role: Role, expires_in: string) =>
  api.post<ApiToken & { token: string }>('/tokens', { name, role, expires_in })
export const revokeToken = (id: number) => api.del(`/tokens/${id}`)

/** GET /readyz: the server and its store answer. */
export async function readiness(): Promise<{ ok: boolean; text: string }> {
  const response = await fetch('/readyz')
  return { ok: response.ok, text: await response.text() }
}
