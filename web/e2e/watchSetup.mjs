// What the e2e server watches: a probe against a small HTTP target this process serves (a Jira
// stand-in answering /status) and a log file in a temporary directory read by one log rule.
import { createServer } from 'node:http'
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const PROBE_NAME = 'e2e-jira-status'
export const LOG_SOURCE = 'e2e-auth'
export const LOG_RULE = 'e2e-ssh-bruteforce'

// The lines' own time, which the log rules go by (whole seconds, UTC).
const stamp = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')

/** Starts the probe target and writes the watch file; `args` go to `failsafe serve`. */
export async function startWatchSetup() {
  const target = createServer((req, res) => {
    res.writeHead(req.url === '/status' ? 200 : 404, { 'Content-Type': 'application/json' })
    res.end('{"status": "ok"}')
  })
  await new Promise((resolve) => target.listen(0, '127.0.0.1', resolve))
  const port = target.address().port
  const dir = mkdtempSync(join(tmpdir(), 'failsafe-e2e-watch-'))
  const logPath = join(dir, 'auth.log')
  writeFileSync(logPath, `${stamp()} web1 sshd[42]: Accepted publickey for deploy from 192.0.2.10\n`)
  writeFileSync(
    join(dir, 'probes.yaml'),
    `probes:\n  - {name: ${PROBE_NAME}, type: http, url: "http://127.0.0.1:${port}/status", interval: 2s, timeout: 1s, service: jira}\n`,
  )
  writeFileSync(
    join(dir, 'logs.yaml'),
    `log_rules:
  - name: ${LOG_RULE}
    match: 'Failed password for (invalid user )?\\S+ from <HOST>'
    threshold: {count: 3, within: 60s, by: HOST}
    severity: P3
`,
  )
  writeFileSync(
    join(dir, 'watch.yaml'),
    `interval: 5s
probe_files: [probes.yaml]
log_rule_files: [logs.yaml]
log_sources:
  - {name: ${LOG_SOURCE}, type: file, path: "${logPath}"}
`,
  )
  return {
    args: ['--watch-file', join(dir, 'watch.yaml')],
    /** Three failed logins from one address, stamped now: the rule's threshold. */
    appendFailedLogins(address) {
      const lines = [0, 1, 2].map(() => `${stamp()} web1 sshd[42]: Failed password for root from ${address} port 22 ssh2\n`)
      appendFileSync(logPath, lines.join(''))
    },
    async stop() {
      await new Promise((resolve) => target.close(resolve))
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
