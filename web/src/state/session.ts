// Who is signed in. One reactive object the shell, the router guard and the pages share.
import { computed, reactive } from 'vue'
import { fetchMe, login as apiLogin, logout as apiLogout } from '@/api/auth'
import type { LoginResponse, Me } from '@/api/types'
import { allows, permissionSet } from './permissions'

const state = reactive<{ me: Me | null; loaded: boolean }>({ me: null, loaded: false })

export const session = {
  get me(): Me | null {
    return state.me
  },
  get loaded(): boolean {
    return state.loaded
  },
}

export const currentRole = computed(() => state.me?.effective_role ?? null)

/** The permissions the server granted the caller's role (GET /me). */
const granted = computed(() => permissionSet(state.me?.permissions))

export function can(permission: string): boolean {
  return allows(granted.value, permission)
}

/** Loads the session once (on the first navigation); later calls return the cached user. */
export async function ensureSession(): Promise<Me | null> {
  if (!state.loaded) {
    state.me = await fetchMe()
    state.loaded = true
  }
  return state.me
}

export async function signIn(username: string, password: string, totp?: string): Promise<LoginResponse> {
  const response = await apiLogin(username, password, totp)
  state.me = await fetchMe()
  state.loaded = true
  return response
}

export async function signOut(): Promise<void> {
  try {
    await apiLogout()
  } finally {
    forgetSession()
  }
}

/** The server said 401: the session is gone. */
export function forgetSession(): void {
  state.me = null
  state.loaded = true
}

export async function reloadSession(): Promise<void> {
  state.me = await fetchMe()
}
