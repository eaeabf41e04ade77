// A reproduction of the open-loop heap churn the client once had (see the eighth pass in
// packages/benchmark-serving/README.md): a Set that keeps ~50 live objects while entries come and go
// all the time, against an intrusive linked list doing the same. Once the Set's table has reached
// the old generation, each rehash leaves a dead old table pointing at its successor and at the entries
// it held, so young objects outlive scavenges and get promoted.
//
//   node bench/set-churn.mjs          (both, one after the other, each in a fresh process)
import { spawnSync } from 'node:child_process';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const mode = process.argv[2];
if (mode !== 'set' && mode !== 'list') {
  for (const m of ['set', 'list']) spawnSync(process.execPath, [fileURLToPath(import.meta.url), m], { stdio: 'inherit' });
  process.exit(0);
}

const pauses = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (e.detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) pauses.push(e.duration);
}).observe({ entryTypes: ['gc'] });

const live = [];
const set = new Set();
let head;
const add = (o) => {
  if (mode === 'set') return void set.add(o);
  o.next = head;
  if (head) head.prev = o;
  head = o;
};
const remove = (o) => {
  if (mode === 'set') return void set.delete(o);
  if (o.prev) o.prev.next = o.next;
  else head = o.next;
  if (o.next) o.next.prev = o.prev;
  o.prev = o.next = undefined;
};
const item = (text) => ({ payload: text, prev: undefined, next: undefined });

// Age the container: 50 entries kept through enough allocation to promote them and their table.
for (let i = 0; i < 50; i++) live.push(item('x'.repeat(1000) + i)), add(live[i]);
let junk = [];
for (let i = 0; i < 200_000; i++) junk.push({ i });
junk = undefined;

const t0 = performance.now();
for (let n = 0; n < 400_000; n++) {
  const o = item('y'.repeat(1000) + n);
  add(o);
  live.push(o);
  remove(live.shift());
}
const wall = performance.now() - t0;
await new Promise((r) => setTimeout(r, 50)); // let the observer deliver
pauses.sort((a, b) => a - b);
const sum = pauses.reduce((a, b) => a + b, 0);
console.log(
  `${mode.padEnd(5)} ${pauses.length} scavenges, median pause ${pauses[pauses.length >> 1]?.toFixed(2)} ms, total ${sum.toFixed(0)} ms of ${wall.toFixed(0)} ms`,
);
