// Calls `run` once the arguments have stopped changing for `ms`, and reports only the answer to
// the latest call (an older request answering late is dropped).
export interface Debounced<A> {
  (arg: A): void
  cancel(): void
}

export function debounceLatest<A, R>(
  run: (arg: A) => Promise<R>,
  ms: number,
  done: (result: R) => void,
  fail: (error: unknown) => void,
): Debounced<A> {
  let timer: ReturnType<typeof setTimeout> | undefined
  let latest = 0
  const call = (arg: A) => {
    clearTimeout(timer)
    const mine = ++latest
    timer = setTimeout(() => {
      run(arg).then(
        (result) => mine === latest && done(result),
        (error: unknown) => mine === latest && fail(error),
      )
    }, ms)
  }
  call.cancel = () => {
    clearTimeout(timer)
    latest += 1
  }
  return call
}
