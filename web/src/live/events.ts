// Live incident changes for every page that shows incidents. One EventSource on
// GET /api/v1/events is shared by all subscribers and reconnects by itself; while the server
// has no event stream (the request fails before ever opening), subscribers get a `poll` tick
// every 5 s instead and refetch what they show.
//
// Other named events on the same stream (backup progress: `backup.*`) go to the listeners of
// that name only (subscribeNamed); they get no poll tick: a page that needs them watches
// liveState and polls its own API while it is not 'stream'.
import { readonly, ref } from 'vue'

export type IncidentChange = 'created' | 'updated'

export type LiveEvent =
  | { kind: 'incident'; id: string; change: IncidentChange; at: string }
  | { kind: 'poll' }

export type LiveListener = (event: LiveEvent) => void

export const POLL_INTERVAL_MS = 5000
/** How long after falling back to polling the event stream is tried again. */
export const STREAM_RETRY_MS = 60_000

/** Parses the data of an `incident` event; null for anything malformed. */
export function parseIncidentEvent(data: string): LiveEvent | null {
  try {
    const value = JSON.parse(data) as { id?: unknown; change?: unknown; at?: unknown }
    if (typeof value.id !== 'string' || (value.change !== 'created' && value.change !== 'updated')) {
      return null
    }
    return { kind: 'incident', id: value.id, change: value.change, at: String(value.at ?? '') }
  } catch {
    return null
  }
}

const state = ref<'connecting' | 'stream' | 'poll'>('connecting')
/** How changes arrive now: 'stream' (server-sent events) or 'poll' (the 5 s fallback). */
export const liveState = readonly(state)

const listeners = new Set<LiveListener>()
/** Listeners of other named events, by event name; each gets the event's raw data. */
const namedListeners = new Map<string, Set<(data: string) => void>>()
const attachedNames = new WeakMap<EventSource, Set<string>>()
let source: EventSource | null = null
let pollTimer: ReturnType<typeof setInterval> | null = null
let retryTimer: ReturnType<typeof setTimeout> | null = null

function emit(event: LiveEvent): void {
  for (const listener of listeners) listener(event)
}

function listenerCount(): number {
  let n = listeners.size
  for (const set of namedListeners.values()) n += set.size
  return n
}

/** Makes `es` deliver the named event `name` to its listeners (once per source and name). */
function attachName(es: EventSource, name: string): void {
  let names = attachedNames.get(es)
  if (!names) attachedNames.set(es, (names = new Set()))
  if (names.has(name)) return
  names.add(name)
  es.addEventListener(name, (e) => {
    for (const listener of namedListeners.get(name) ?? []) listener((e as MessageEvent<string>).data)
  })
}

function startPolling(): void {
  if (pollTimer) return
  state.value = 'poll'
  pollTimer = setInterval(() => emit({ kind: 'poll' }), POLL_INTERVAL_MS)
  retryTimer = setTimeout(() => {
    stopPolling()
    openStream()
  }, STREAM_RETRY_MS)
}

function stopPolling(): void {
  if (pollTimer) clearInterval(pollTimer)
  if (retryTimer) clearTimeout(retryTimer)
  pollTimer = null
  retryTimer = null
}

function openStream(): void {
  if (typeof EventSource === 'undefined') {
    startPolling()
    return
  }
  const es = new EventSource('/api/v1/events', { withCredentials: true })
  source = es
  es.addEventListener('open', () => {
    stopPolling()
    state.value = 'stream'
  })
  es.addEventListener('incident', (e) => {
    const event = parseIncidentEvent((e as MessageEvent<string>).data)
    if (event) emit(event)
  })
  for (const name of namedListeners.keys()) attachName(es, name)
  es.addEventListener('error', () => {
    // CLOSED: the server answered without an event stream (404, 401): EventSource gives up,
    // so we poll. CONNECTING: a dropped connection that EventSource retries by itself.
    if (es.readyState === EventSource.CONNECTING) state.value = 'connecting'
    if (es.readyState === EventSource.CLOSED) {
      es.close()
      if (source === es) source = null
      if (listenerCount() > 0) startPolling()
    }
  })
}

function ensureOpen(): void {
  if (!source && !pollTimer) {
    state.value = 'connecting'
    openStream()
  }
}

function closeWhenUnused(): void {
  if (listenerCount() === 0) {
    source?.close()
    source = null
    stopPolling()
  }
}

/** Calls `listener` for every change until the returned function is called. */
export function subscribe(listener: LiveListener): () => void {
  listeners.add(listener)
  ensureOpen()
  return () => {
    listeners.delete(listener)
    closeWhenUnused()
  }
}

/** Calls `listener` with the data of every `name` event until the returned function is called. */
export function subscribeNamed(name: string, listener: (data: string) => void): () => void {
  let set = namedListeners.get(name)
  if (!set) namedListeners.set(name, (set = new Set()))
  set.add(listener)
  if (source) attachName(source, name)
  ensureOpen()
  return () => {
    set.delete(listener)
    closeWhenUnused()
  }
}
