import { describe, expect, it } from 'vitest'
import { allows, permissionSet } from './permissions'

describe('permissions from GET /me', () => {
  // What the server answers for a responder (abridged).
  const responder = permissionSet(['catalog.read', 'catalog.write', 'incidents.read', 'incidents.write', 'self.read'])

  it('allows exactly what the server listed', () => {
    expect(allows(responder, 'incidents.write')).toBe(true)
    expect(allows(responder, 'catalog.write')).toBe(true)
    expect(allows(responder, 'catalog.admin')).toBe(false)
    expect(allows(responder, 'plans.admin')).toBe(false)
  })
  it('does not guess from the verb: a write listed does not imply another resource', () => {
    expect(allows(responder, 'plans.write')).toBe(false)
  })
  it('grants nothing without a list (an older server, no session)', () => {
    expect(allows(permissionSet(undefined), 'incidents.read')).toBe(false)
    expect(allows(permissionSet(null), 'self.read')).toBe(false)
  })
  it('ignores entries that are not strings', () => {
    const odd = permissionSet(['incidents.read', 7, null] as unknown as string[])
    expect([...odd]).toEqual(['incidents.read'])
  })
})
