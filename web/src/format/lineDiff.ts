// A line diff of two texts (two plan versions' YAML) for reading: changed lines with a few
// unchanged ones around them, long unchanged runs folded into one "n lines" row.
import { diffLines } from 'diff'

export type DiffRow =
  | { kind: 'same' | 'add' | 'del'; text: string; oldNo: number | null; newNo: number | null }
  | { kind: 'fold'; count: number }

function splitLines(value: string): string[] {
  const lines = value.split('\n')
  if (lines.at(-1) === '') lines.pop()
  return lines
}

/** Rows of the diff; unchanged runs longer than 2 x `context` keep `context` lines each side. */
export function lineDiff(before: string, after: string, context = 3): DiffRow[] {
  const rows: DiffRow[] = []
  let oldNo = 1
  let newNo = 1
  const parts = diffLines(before, after)
  parts.forEach((part, i) => {
    const lines = splitLines(part.value)
    if (part.added) {
      for (const text of lines) rows.push({ kind: 'add', text, oldNo: null, newNo: newNo++ })
    } else if (part.removed) {
      for (const text of lines) rows.push({ kind: 'del', text, oldNo: oldNo++, newNo: null })
    } else {
      const head = i === 0 ? 0 : context
      const tail = i === parts.length - 1 ? 0 : context
      if (lines.length > head + tail + 1) {
        lines.slice(0, head).forEach((text) => rows.push({ kind: 'same', text, oldNo: oldNo++, newNo: newNo++ }))
        const folded = lines.length - head - tail
        rows.push({ kind: 'fold', count: folded })
        oldNo += folded
        newNo += folded
        lines.slice(lines.length - tail).forEach((text) => rows.push({ kind: 'same', text, oldNo: oldNo++, newNo: newNo++ }))
      } else {
        for (const text of lines) rows.push({ kind: 'same', text, oldNo: oldNo++, newNo: newNo++ })
      }
    }
  })
  return rows
}

/** How many lines were added and removed. */
export function diffStats(rows: readonly DiffRow[]): { added: number; removed: number } {
  return {
    added: rows.filter((r) => r.kind === 'add').length,
    removed: rows.filter((r) => r.kind === 'del').length,
  }
}
