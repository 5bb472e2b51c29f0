import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { debounceLatest } from './debounce'

describe('debounceLatest', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('runs once after the calls stop, with the last argument', async () => {
    const run = vi.fn(async (n: number) => n * 2)
    const done = vi.fn()
    const call = debounceLatest(run, 300, done, () => undefined)
    call(1)
    await vi.advanceTimersByTimeAsync(200)
    call(2)
    await vi.advanceTimersByTimeAsync(299)
    expect(run).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(run).toHaveBeenCalledExactlyOnceWith(2)
    expect(done).toHaveBeenCalledExactlyOnceWith(4)
  })

  it('drops an answer that comes after a newer call', async () => {
    let resolveFirst: (v: string) => void = () => undefined
    const run = vi.fn((arg: string) => (arg === 'a' ? new Promise<string>((r) => (resolveFirst = r)) : Promise.resolve(arg)))
    const done = vi.fn()
    const call = debounceLatest(run, 300, done, () => undefined)
    call('a')
    await vi.advanceTimersByTimeAsync(300)
    call('b')
    await vi.advanceTimersByTimeAsync(300)
    resolveFirst('a')
    await vi.advanceTimersByTimeAsync(0)
    expect(done.mock.calls).toEqual([['b']])
  })

  it('reports failures of the latest call, and nothing after cancel', async () => {
    const fail = vi.fn()
    const call = debounceLatest(() => Promise.reject(new Error('no')), 300, () => undefined, fail)
    call(undefined)
    await vi.advanceTimersByTimeAsync(300)
    expect(fail).toHaveBeenCalledTimes(1)
    call(undefined)
    call.cancel()
    await vi.advanceTimersByTimeAsync(300)
    expect(fail).toHaveBeenCalledTimes(1)
  })
})
