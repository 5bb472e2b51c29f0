import { describe, expect, it } from 'vitest'
import { roleAllows } from './permissions'

describe('roleAllows', () => {
  it('lets an admin do everything', () => {
    expect(roleAllows('admin', 'plans.admin')).toBe(true)
    expect(roleAllows('admin', 'audit.read')).toBe(true)
  })
  it('lets a responder read and write ordinary resources only', () => {
    expect(roleAllows('responder', 'incidents.write')).toBe(true)
    expect(roleAllows('responder', 'plans.admin')).toBe(false)
    expect(roleAllows('responder', 'users.read')).toBe(false)
  })
  it('lets a viewer only read', () => {
    expect(roleAllows('viewer', 'incidents.read')).toBe(true)
    expect(roleAllows('viewer', 'incidents.write')).toBe(false)
    expect(roleAllows('viewer', 'audit.read')).toBe(false)
  })
  it('gives every role its own profile and tokens', () => {
    expect(roleAllows('viewer', 'self.write')).toBe(true)
    expect(roleAllows('viewer', 'tokens.write')).toBe(true)
    expect(roleAllows('viewer', 'tokens.admin')).toBe(false)
  })
  it('limits a pending-2fa session to enrolment', () => {
    expect(roleAllows('pending-2fa', 'self.totp')).toBe(true)
    expect(roleAllows('pending-2fa', 'incidents.read')).toBe(false)
    expect(roleAllows('pending-2fa', 'tokens.read')).toBe(false)
  })
  it('denies malformed permissions and no role', () => {
    expect(roleAllows('admin', 'incidents')).toBe(false)
    expect(roleAllows(null, 'incidents.read')).toBe(false)
  })
})
