// Starts `failsafe serve` on 127.0.0.1:0 with a temporary store and the built console, and seeds
// it through the CLI the way an operator would.
import { spawn, execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const ADMIN_PASSWORD = 'e2e-Correct-Horse-42'

export async function startServer(bin, consoleDir, extraArgs = []) {
  const data = mkdtempSync(join(tmpdir(), 'failsafe-e2e-'))
  const child = spawn(bin, ['serve', '--data', data, '--listen', '127.0.0.1:0', '--console-dir', consoleDir, ...extraArgs], {
    env: { ...process.env, FAILSAFE_ADMIN_PASSWORD: ADMIN_PASSWORD },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 20_000)
    const onData = (chunk) => {
      log += chunk
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log)
      if (match) {
        clearTimeout(timer)
        resolve(match[1])
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${log}`)))
  })
  return {
    url,
    async stop() {
      child.kill('SIGTERM')
      await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.on('exit', resolve)))
      rmSync(data, { recursive: true, force: true })
    },
  }
}

/** Runs the CLI against the server; returns its standard output. */
export function cli(bin, url, token, args, input) {
  return execFileSync(bin, args, {
    env: { ...process.env, FAILSAFE_SERVER: url, ...(token ? { FAILSAFE_TOKEN: token } : {}) },
    input,
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
  })
}

/** Signs in with the CLI and returns an admin API token. */
export function adminToken(bin, url) {
  const out = cli(bin, url, null, ['login', '-u', 'admin', '--password-stdin', '--name', 'e2e'], ADMIN_PASSWORD)
  const match = /FAILSAFE_TOKEN=(\S+)/.exec(out)
  if (!match) throw new Error(`no token in: ${out}`)
  return match[1]
}

/** The reference story's catalog: Jira, the example plan (approved), two people, on-call. */
export function seedStory(bin, url, token, repoRoot) {
  const run = (...args) => cli(bin, url, token, args)
  run('service', 'add', '--key', 'jira', '--name', 'Jira', '--tier', 'critical', '--rto', '4h', '--rpo', '1h')
  run('plan', 'import', join(repoRoot, 'examples/plans/pm-system-outage.yaml'))
  run('plan', 'approve', 'pm-system-outage')
  run('person', 'add', '--handle', 'lilei', '--name', '李雷', '--email', 'lilei@example.com')
  run('person', 'add', '--handle', 'hanmeimei', '--name', '韩梅梅', '--language', 'en', '--email', 'han@example.com')
  run('team', 'add', '--key', 'ops', '--name', '运维组', '--member', 'lilei', '--member', 'hanmeimei')
  const today = new Date().toISOString().slice(0, 10)
  run('schedule', 'add', '--key', 'primary', '--name', '一线值班 Primary', '--start-date', today, '--time-zone', 'Asia/Shanghai', '--member', 'lilei', '--member', 'hanmeimei')
}

/** Declares `count` incidents over the API with `concurrency` requests in flight. */
export async function seedIncidents(url, token, count, concurrency = 8) {
  let next = 0
  const severities = ['P1', 'P2', 'P3', 'P4']
  async function worker() {
    while (next < count) {
      const n = next++
      const response = await fetch(`${url}/api/v1/incidents`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ title: `Load incident ${n}`, severity: severities[n % 4], services: ['jira'] }),
      })
      if (response.status !== 201) throw new Error(`declare ${n}: ${response.status} ${await response.text()}`)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
}
