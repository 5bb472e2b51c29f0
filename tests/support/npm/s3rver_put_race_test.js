'use strict';
// The test for s3rver_put_fix.js: with the object files' data writes slowed down (as on a
// loaded machine, where the thread writing them is not scheduled for a while), a GET right
// after a PUT must return the whole object. s3rver 3.7.1 as shipped answers such a GET with
// 200 and an empty body; that is shown first, for the record, but not asserted.
// Run: node --openssl-legacy-provider s3rver_put_race_test.js (exit status 0 when it passes).
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');

// Delay every data write to an object file (s3rver's own or the fix's temporary one).
const slowFds = new Set();
const realOpen = fs.open;
fs.open = function open(file, ...rest) {
  const callback = rest[rest.length - 1];
  rest[rest.length - 1] = (err, fd) => {
    if (!err && /\._S3rver_object(\.\d+\.\d+\.partial)?$/.test(String(file))) slowFds.add(fd);
    callback(err, fd);
  };
  return realOpen.call(fs, file, ...rest);
};
for (const name of ['write', 'writev']) {
  const real = fs[name];
  fs[name] = function slowWrite(fd, ...rest) {
    if (!slowFds.has(fd)) return real.call(fs, fd, ...rest);
    setTimeout(() => real.call(fs, fd, ...rest), 300);
  };
}

const FilesystemStore = require('s3rver/lib/stores/filesystem');
const S3rver = require('s3rver');
const shippedPutObject = FilesystemStore.prototype.putObject;

function request(port, method, key, body) {
  return new Promise((resolve, reject) => {
    const headers = body ? { 'content-length': body.length } : {};
    const req = http.request({ host: '127.0.0.1', port, method, path: `/b/${key}`, headers }, res => {
      const chunks = [];
      res.on('data', c => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

// PUT then GET at once; returns how many bytes the GET brought back of each object.
async function putThenGet(label) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's3rver-race-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir,
    configureBuckets: [{ name: 'b' }] });
  const { port } = await server.run();
  const results = [];
  try {
    for (const size of [1012, 300000]) {
      const data = Buffer.alloc(size, 7);
      const key = `${label}-${size}`;
      const put = await request(port, 'PUT', key, data);
      const got = await request(port, 'GET', key);
      results.push({ size, put: put.status, get: got.status, whole: got.body.equals(data),
        bytes: got.body.length });
    }
  } finally {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

(async () => {
  FilesystemStore.prototype.putObject = shippedPutObject;
  for (const r of await putThenGet('shipped')) {
    console.log(`s3rver as shipped: PUT ${r.put}, GET at once ${r.get} with ${r.bytes} of ` +
      `${r.size} bytes`);
  }
  require('./s3rver_put_fix');
  let failed = false;
  for (const r of await putThenGet('fixed')) {
    const ok = r.put === 200 && r.get === 200 && r.whole;
    failed = failed || !ok;
    console.log(`${ok ? 'ok' : 'FAILED'}: with the fix: PUT ${r.put}, GET at once ${r.get} ` +
      `with ${r.bytes} of ${r.size} bytes`);
  }
  process.exit(failed ? 1 : 0);
})().catch(err => {
  console.error(err);
  process.exit(1);
});
