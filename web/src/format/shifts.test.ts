import { describe, expect, it } from 'vitest'
import { dayMarks, personColor, shiftBars } from './shifts'

const shift = (start: string, end: string, person: string, override_id: number | null = null) => ({ start, end, person, override_id })

describe('shiftBars', () => {
  const from = new Date('2026-11-22T00:00:00Z')
  it('places shifts on the window and clips the edges', () => {
    const bars = shiftBars(
      [
        shift('2026-11-20T01:00:00Z', '2026-11-23T00:00:00Z', 'lilei'),
        shift('2026-11-23T00:00:00Z', '2026-11-23T12:00:00Z', 'han', 7),
        shift('2026-11-23T12:00:00Z', '2026-11-30T00:00:00Z', 'lilei'),
      ],
      from,
      2,
    )
    expect(bars.map((b) => [b.shift.person, b.left, b.width, b.override])).toEqual([
      ['lilei', 0, 50, false],
      ['han', 50, 25, true],
      ['lilei', 75, 25, false],
    ])
  })
  it('leaves out shifts outside the window', () => {
    expect(shiftBars([shift('2026-12-01T00:00:00Z', '2026-12-02T00:00:00Z', 'x')], from, 7)).toEqual([])
  })
})

describe('dayMarks', () => {
  it('marks each local midnight inside the window', () => {
    const from = new Date(2026, 10, 22, 9, 30)
    const marks = dayMarks(from, 3)
    expect(marks.map((m) => m.date.getDate())).toEqual([23, 24, 25])
    expect(marks[0]!.left).toBeGreaterThan(0)
    expect(marks.every((m) => m.left < 100)).toBe(true)
  })
})

describe('personColor', () => {
  it('is stable per person and grey for nobody', () => {
    expect(personColor('lilei')).toBe(personColor('lilei'))
    expect(personColor(null)).toBe('#cbd5e1')
  })
})
