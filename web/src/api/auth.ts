import { api, request, setCsrfToken } from './client'
import type { LoginResponse, Me } from './types'

export async function login(username: string, password: string, totp?: string): Promise<LoginResponse> {
  const response = await request<LoginResponse>('POST', '/auth/login', {
    body: { username, password, ...(totp ? { totp } : {}) },
    skipAuthRedirect: true,
  })
  setCsrfToken(response.csrf_token)
  return response
}

export async function logout(): Promise<void> {
  try {
    await api.post<void>('/auth/logout')
  } finally {
    setCsrfToken(null)
  }
}

/** The signed-in user, or null when there is no session. */
export async function fetchMe(): Promise<Me | null> {
  try {
    const me = await request<Me>('GET', '/me', { skipAuthRedirect: true })
    // A console session gets its CSRF token back here (after a reload); a token has none.
    setCsrfToken(me.csrf_token ?? null)
    return me
  } catch (e) {
    if (e instanceof Error && 'status' in e && e.status === 401) {
      setCsrfToken(null)
      return null
    }
    throw e
  }
}

export const changePassword = (current_password: string, new_password: string) =>
  api.post<void>('/me/password', { current_password, new_password })

export const enrollTotp = () => api.post<{ secret: string; otpauth_uri: string }>('/auth/totp/enroll')
export const confirmTotp = (code: string) =>
  api.post<{ recovery_codes: string[] }>('/auth/totp/confirm', { code })
export const disableTotp = (code: string) => api.post<void>('/auth/totp/disable', { code })
