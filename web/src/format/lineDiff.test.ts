import { describe, expect, it } from 'vitest'
import { diffStats, lineDiff } from './lineDiff'

const lines = (n: number, prefix = 'l') => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`).join('\n') + '\n'

describe('lineDiff', () => {
  it('shows a changed line with its numbers on each side', () => {
    const rows = lineDiff('a\nb\nc\n', 'a\nB\nc\n')
    expect(rows).toEqual([
      { kind: 'same', text: 'a', oldNo: 1, newNo: 1 },
      { kind: 'del', text: 'b', oldNo: 2, newNo: null },
      { kind: 'add', text: 'B', oldNo: null, newNo: 2 },
      { kind: 'same', text: 'c', oldNo: 3, newNo: 3 },
    ])
    expect(diffStats(rows)).toEqual({ added: 1, removed: 1 })
  })
  it('folds long unchanged runs, keeping context around changes', () => {
    const before = lines(20)
    const after = before.replace('l10\n', 'changed\n')
    const rows = lineDiff(before, after, 2)
    expect(rows[0]).toEqual({ kind: 'fold', count: 7 })
    expect(rows[1]).toEqual({ kind: 'same', text: 'l8', oldNo: 8, newNo: 8 })
    expect(rows.find((r) => r.kind === 'add')).toEqual({ kind: 'add', text: 'changed', oldNo: null, newNo: 10 })
    expect(rows.at(-1)).toEqual({ kind: 'fold', count: 8 })
  })
  it('folds equal texts into one row', () => {
    expect(lineDiff(lines(3), lines(3))).toEqual([{ kind: 'fold', count: 3 }])
  })
})
