// The services' dependency graph laid out in layers: a service sits one column right of everything
// that depends on it, so the arrows (dependent -> dependency) all point right and the systems
// everything relies on (LDAP, the network) end up in the last column.
import type { Service } from '@/api/types'

export interface GraphNode {
  key: string
  name: string
  tier: Service['tier']
  column: number
  row: number
}

export interface GraphEdge {
  from: string
  to: string
}

export interface ServiceGraph {
  nodes: GraphNode[]
  edges: GraphEdge[]
  columns: number
  rows: number
}

/**
 * Columns by longest path from a service nothing depends on; rows in key order within a column.
 * Dependencies on unknown keys are dropped; a cycle (the server refuses them) cannot loop here.
 */
export function layoutServices(services: readonly Service[]): ServiceGraph {
  const byKey = new Map(services.map((s) => [s.key, s]))
  const edges: GraphEdge[] = []
  for (const s of services) {
    for (const d of s.depends_on ?? []) if (byKey.has(d) && d !== s.key) edges.push({ from: s.key, to: d })
  }
  const column = new Map<string, number>(services.map((s) => [s.key, 0]))
  // Longest-path layering by relaxation; at most n rounds, so a cycle stops.
  for (let round = 0; round < services.length; round++) {
    let changed = false
    for (const e of edges) {
      const next = column.get(e.from)! + 1
      if (next > column.get(e.to)! && next < services.length) {
        column.set(e.to, next)
        changed = true
      }
    }
    if (!changed) break
  }
  const perColumn = new Map<number, Service[]>()
  for (const s of services) {
    const c = column.get(s.key)!
    perColumn.set(c, [...(perColumn.get(c) ?? []), s])
  }
  const nodes: GraphNode[] = []
  let rows = 0
  for (const [c, list] of [...perColumn.entries()].sort((a, b) => a[0] - b[0])) {
    list.sort((a, b) => a.key.localeCompare(b.key))
    list.forEach((s, row) => nodes.push({ key: s.key, name: s.name, tier: s.tier, column: c, row }))
    rows = Math.max(rows, list.length)
  }
  return { nodes, edges, columns: perColumn.size === 0 ? 0 : Math.max(...perColumn.keys()) + 1, rows }
}
