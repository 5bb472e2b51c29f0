// The one way the console talks to /api/v1: JSON in and out, the session cookie, the CSRF token
// on unsafe requests, and the server's error shape turned into ApiError.

export interface ErrorBody {
  error: { code: string; message: string; field?: string }
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

export interface Page<T> {
  items: T[]
  next_cursor: string | null
}

type Query = Record<string, string | number | boolean | undefined | null>

// The session's CSRF token, in memory only: login returns it, and GET /me returns it again after
// a reload (the session cookie itself is HttpOnly).
let csrfToken: string | null = null
let unauthenticatedHandler: (() => void) | null = null

/** Sets (or forgets, with null) the CSRF token sent on unsafe requests. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token
}

export function getCsrfToken(): string | null {
  return csrfToken
}

/** Called once when any request answers 401 (the session ended): the app goes to /login. */
export function onUnauthenticated(handler: () => void): void {
  unauthenticatedHandler = handler
}

export function withQuery(path: string, query?: Query): string {
  if (!query) return path
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value))
  }
  const text = params.toString()
  return text ? `${path}?${text}` : path
}

/** Turns any non-2xx response into an ApiError, reading the server's error body when present. */
export async function toApiError(response: Response): Promise<ApiError> {
  let body: Partial<ErrorBody> = {}
  try {
    body = (await response.json()) as Partial<ErrorBody>
  } catch {
    // not JSON (a proxy's page): fall back to the status text
  }
  const e = body.error
  return new ApiError(
    response.status,
    e?.code ?? `http_${response.status}`,
    e?.message ?? (response.statusText || `HTTP ${response.status}`),
    e?.field,
  )
}

export async function request<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  options: { body?: unknown; query?: Query; skipAuthRedirect?: boolean; root?: string } = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (options.body !== undefined) headers['Content-Type'] = 'application/json'
  if (method !== 'GET') {
    if (csrfToken) headers['X-CSRF-Token'] = csrfToken
  }
  const response = await fetch(`${options.root ?? '/api/v1'}${withQuery(path, options.query)}`, {
    method,
    headers,
    credentials: 'same-origin',
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  })
  if (!response.ok) {
    const error = await toApiError(response)
    if (response.status === 401 && !options.skipAuthRedirect) unauthenticatedHandler?.()
    throw error
  }
  if (response.status === 204) return undefined as T
  return (await response.json()) as T
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, { query }),
  post: <T>(path: string, body: unknown = {}) => request<T>('POST', path, { body }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  del: (path: string) => request<void>('DELETE', path),
}

/** Reads every page of a cursor-paginated list (for small catalogs: services, people...). */
export async function getAll<T>(path: string, query: Query = {}, pageSize = 500): Promise<T[]> {
  const items: T[] = []
  let cursor: string | null = null
  do {
    const page: Page<T> = await api.get<Page<T>>(path, { ...query, limit: pageSize, cursor })
    items.push(...page.items)
    cursor = page.next_cursor
  } while (cursor)
  return items
}
