import { describe, expect, it } from 'vitest'
import type { Service } from '@/api/types'
import { layoutServices } from './serviceGraph'

const svc = (key: string, depends_on: string[] = []): Service => ({ key, name: key.toUpperCase(), tier: 'high', rto: '', rpo: '', depends_on })

describe('layoutServices', () => {
  it('puts every dependency right of what depends on it', () => {
    const g = layoutServices([svc('jira', ['ldap', 'db']), svc('wiki', ['ldap']), svc('db', ['ldap']), svc('ldap')])
    const col = Object.fromEntries(g.nodes.map((n) => [n.key, n.column]))
    expect(col).toEqual({ jira: 0, wiki: 0, db: 1, ldap: 2 })
    expect(g.columns).toBe(3)
    expect(g.rows).toBe(2)
    expect(g.edges).toContainEqual({ from: 'jira', to: 'db' })
    for (const e of g.edges) expect(col[e.to]!).toBeGreaterThan(col[e.from]!)
  })
  it('orders rows by key and ignores unknown dependencies', () => {
    const g = layoutServices([svc('b'), svc('a', ['gone'])])
    expect(g.nodes.map((n) => [n.key, n.column, n.row])).toEqual([['a', 0, 0], ['b', 0, 1]])
    expect(g.edges).toEqual([])
  })
  it('terminates on a cycle', () => {
    const g = layoutServices([svc('a', ['b']), svc('b', ['a'])])
    expect(g.nodes).toHaveLength(2)
  })
  it('handles no services', () => {
    expect(layoutServices([])).toEqual({ nodes: [], edges: [], columns: 0, rows: 0 })
  })
})
