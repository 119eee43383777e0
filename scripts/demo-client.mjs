// The demo's HTTP client: start a recording on the local service, let it record, stop it, wait for the assets.
// Usage: node scripts/demo-client.mjs <service-url> <source-url> <seconds>   (admin key in RECORDING_KEY)
const [base, source, seconds] = process.argv.slice(2);
const headers = { 'content-type': 'application/json', 'x-functions-key': process.env.RECORDING_KEY };
const log = (m) => console.log(`[demo] ${m}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function call(method, path, body) {
  const response = await fetch(new URL(path, base), { method, headers, body: body && JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

const id = `demo-${new Date().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}`;
await call('POST', 'api/recordings', {
  id, source, streamId: 'demo',
  template: {
    format: 'fmp4', segmentLength: '00:00:05', resumeWindow: '00:00:10', maxDuration: '00:05:00',
    renditions: [240], postProcessing: { splice: true, hls: true, ladder: true },
  },
});
log(`started recording ${id}; recording ${seconds} s of live video in 5 s segments`);
const until = Date.now() + seconds * 1000;
let seen = 0;
while (Date.now() < until) {
  await sleep(1000);
  const status = await call('GET', `api/recordings/${id}`);
  for (const s of status.segments.slice(seen)) log(`segment ${s.index} uploaded: ${s.key} (${s.sizeBytes} bytes)`);
  seen = status.segments.length;
}
const stoppedAt = Date.now();
await call('POST', `api/recordings/${id}/stop`);
log('stop requested; waiting for post-processing (splice, HLS VOD, 240p ladder)');
for (let i = 0; i < 300; i++) {
  const status = await call('GET', `api/recordings/${id}`);
  if (['Completed', 'Failed', 'Terminated'].includes(status.runtimeStatus)) {
    log(`${status.runtimeStatus} ${((Date.now() - stoppedAt) / 1000).toFixed(1)} s after the stop request: ${status.segments.length} segments, ${status.totalBytes} bytes, ${status.recordedDuration} recorded`);
    for (const a of status.assets) log(`asset ${a.kind}: ${a.key} (${a.sizeBytes ?? '?'} bytes)`);
    for (const e of status.errors ?? []) log(`error: ${JSON.stringify(e)}`);
    process.exit(status.runtimeStatus === 'Completed' ? 0 : 1);
  }
  await sleep(250);
}
log('timed out waiting for the recording to complete');
process.exit(1);
