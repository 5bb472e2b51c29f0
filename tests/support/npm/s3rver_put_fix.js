'use strict';
// s3rver 3.7.1 answers a PUT before the object's bytes are on disk: FilesystemStore.putObject
// resolves on the 'finish' of its hashing Transform, while the file write stream behind it may
// still hold data (it writes into the object's final path, truncated at open). A GET soon
// after can then read an empty or short file, with a Content-Length that matches what it read
// and the ETag of the whole object. Real S3 never does this: a PUT is acknowledged only once
// the whole object is stored, and it never shows a partial object. This replaces putObject
// with one that writes to a temporary file, waits until the write stream has finished, and
// renames the file into place only then, so the test peer behaves like the service it stands
// in for. An aborted upload leaves nothing behind.
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { Readable, Transform } = require('stream');
const { pipeline } = require('stream/promises');

const FilesystemStore = require('s3rver/lib/stores/filesystem');

let uploads = 0;

async function putObjectWhole(object) {
  const objectPath = this.getResourcePath(object.bucket, object.key, 'object');
  await fs.promises.mkdir(path.dirname(objectPath), { recursive: true });
  // Listings only show names ending in "._S3rver_object", so the temporary file never appears.
  const partial = `${objectPath}.${process.pid}.${++uploads}.partial`;
  const md5 = crypto.createHash('md5');
  let size = 0;
  const source = Buffer.isBuffer(object.content)
    ? Readable.from([object.content])
    : object.content;
  try {
    await pipeline(
      source,
      new Transform({
        transform(chunk, encoding, callback) {
          md5.update(chunk);
          size += chunk.length;
          callback(null, chunk);
        },
      }),
      fs.createWriteStream(partial),
    );
    await fs.promises.rename(partial, objectPath);
  } catch (err) {
    await fs.promises.rm(partial, { force: true });
    throw err;
  }
  const digest = md5.digest('hex');
  await this.putMetadata(object.bucket, object.key, object.metadata, digest);
  return { size, md5: digest };
}

if (!FilesystemStore.prototype.putObject) {
  throw new Error('s3rver changed: FilesystemStore.prototype.putObject is gone; review s3rver_put_fix.js');
}
FilesystemStore.prototype.putObject = putObjectWhole;
