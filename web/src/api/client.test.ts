import { afterEach, describe, expect, it, vi } from 'vitest'
import { fetchMe } from './auth'
import { api, getCsrfToken, setCsrfToken } from './client'

function answer(status: number, body: unknown) {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  })
}

describe('CSRF token', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    setCsrfToken(null)
  })

  it('is read back from GET /me after a reload and sent on unsafe requests only', async () => {
    const seen: { method: string; csrf: string | null }[] = []
    vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
      const headers = init.headers as Record<string, string>
      seen.push({ method: init.method ?? 'GET', csrf: headers['X-CSRF-Token'] ?? null })
      if (init.method === 'GET') return answer(200, { id: 1, username: 'a', effective_role: 'admin', auth: 'session', csrf_token: 'tok-1' })
      return answer(204, null)
    })
    await fetchMe()
    expect(getCsrfToken()).toBe('tok-1')
    await api.post('/incidents/INC-1/notes', { text: 'x' })
    expect(seen).toEqual([
      { method: 'GET', csrf: null },
      { method: 'POST', csrf: 'tok-1' },
    ])
  })

  it('is forgotten when the session is gone', async () => {
    setCsrfToken('old')
    vi.stubGlobal('fetch', async () => answer(401, { error: { code: 'unauthenticated', message: 'no' } }))
    expect(await fetchMe()).toBeNull()
    expect(getCsrfToken()).toBeNull()
  })
})
