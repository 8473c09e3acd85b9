// Hashes and gzips the payload's JSON text while the main thread serialises it (lib/veza/prepare.ts): the
// encoding, hashing and compressing of 50 MB then cost the main thread nothing. Plain JavaScript, so the worker
// starts without a TypeScript loader. Messages in: a string (the next piece of the text) or null (the end). Out:
// { done: n } once piece n has been compressed, then { gzipped, hash, jsonBytes }.
const { parentPort, workerData } = require("node:worker_threads");
const { createHash } = require("node:crypto");
const { createGzip } = require("node:zlib");

const gzip = createGzip({ level: workerData.level, chunkSize: 1024 * 1024 });
const hash = createHash("sha256");
const out = [];
let jsonBytes = 0;
let pieces = 0;
gzip.on("data", (chunk) => out.push(chunk));
gzip.on("end", () => {
  const gzipped = Buffer.concat(out);
  parentPort.postMessage({ gzipped, hash: hash.digest("hex"), jsonBytes });
});
gzip.on("error", (e) => {
  throw e;
});
parentPort.on("message", (text) => {
  if (text === null) {
    gzip.end();
    return;
  }
  const bytes = Buffer.from(text, "utf8");
  hash.update(bytes);
  jsonBytes += bytes.length;
  const piece = ++pieces;
  gzip.write(bytes, () => parentPort.postMessage({ done: piece }));
});
