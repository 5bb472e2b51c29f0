// Where a plan document's error is: the server's import (or dry run) answers 400 with a message
// "file.yaml:LINE: field.path: what is wrong" and the field path on its own. The editor shows the
// error at that field in its form (the tab and the item) and at that line in the YAML tab.

export type PlanTab = 'basics' | 'scenarios' | 'steps' | 'templates'

export interface PlanErrorPlace {
  /** 1-based line in the YAML document, when the message names one. */
  line: number | null
  /** "steps[2].role"; null when the error is about the document as a whole (syntax). */
  field: string | null
  /** What is wrong, without the file, line and field in front. */
  text: string
  tab: PlanTab
  /** The list the field is in and the item's index there ("steps", 2), when it is in one. */
  list: 'scenarios' | 'roles' | 'steps' | 'templates' | null
  index: number | null
}

const LISTS = ['scenarios', 'roles', 'steps', 'templates'] as const

export function locatePlanError(message: string, field?: string | null): PlanErrorPlace {
  let rest = message
  let line: number | null = null
  const where = /^[^\n:]*:(\d+): /.exec(rest)
  if (where) {
    line = Number(where[1])
    rest = rest.slice(where[0].length)
  }
  const path = field || null
  if (path && rest.startsWith(`${path}: `)) rest = rest.slice(path.length + 2)
  const item = path ? /^(\w+)\[(\d+)\]/.exec(path) : null
  const list = item && (LISTS as readonly string[]).includes(item[1]!) ? (item[1] as PlanErrorPlace['list']) : null
  const index = list && item ? Number(item[2]) : null
  const head = path?.split(/[.[]/)[0] ?? ''
  const tab: PlanTab =
    list === 'steps' || head === 'steps'
      ? 'steps'
      : list === 'templates' || head === 'templates'
        ? 'templates'
        : list === 'scenarios' || list === 'roles' || head === 'scenarios' || head === 'roles'
          ? 'scenarios'
          : 'basics'
  return { line, field: path, text: rest, tab, list, index }
}

/** The [start, end) character offsets of 1-based `line` in `text` (to select it in a textarea). */
export function lineRange(text: string, line: number): [number, number] {
  let start = 0
  for (let n = 1; n < line; n++) {
    const next = text.indexOf('\n', start)
    if (next < 0) return [text.length, text.length]
    start = next + 1
  }
  const end = text.indexOf('\n', start)
  return [start, end < 0 ? text.length : end]
}
