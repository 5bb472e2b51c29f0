// The watch section's tabs: route name (watch.tabs.<name> is its label) and the permission to read.
export const WATCH_TABS = [
  { name: 'watch-alerts', key: 'alerts', permission: 'alerts.read' },
  { name: 'watch-silences', key: 'silences', permission: 'silences.read' },
  { name: 'watch-rules', key: 'rules', permission: 'watch.read' },
  { name: 'watch-probes', key: 'probes', permission: 'watch.read' },
  { name: 'watch-logs', key: 'logs', permission: 'watch.read' },
  { name: 'watch-maintenance', key: 'maintenance', permission: 'maintenance.read' },
] as const
