// The catalog's tabs: route name (catalog.tabs.<name> is its label), path and the permission to read.
export const CATALOG_TABS = [
  { name: 'services', permission: 'catalog.read' },
  { name: 'teams', permission: 'catalog.read' },
  { name: 'people', permission: 'catalog.read' },
  { name: 'schedules', permission: 'catalog.read' },
  { name: 'policies', permission: 'catalog.read' },
  { name: 'severities', permission: 'catalog.read' },
  { name: 'channels', permission: 'channels.read' },
] as const
