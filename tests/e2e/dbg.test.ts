import { fn, http, startTestHost } from '../http/helpers';
test('dbg', async () => {
  const t = await startTestHost();
  try {
    const echo = t.app.getElement<{ inFlight: number }>('services.echo');
    const slow = http(t.url, 'POST', fn('services.echo', 'wait'), { json: { ms: 300 } });
    while (echo.inFlight === 0) await new Promise((r) => setTimeout(r, 5));
    const t0 = Date.now();
    const closing = t.host.close().then(() => console.log('closed after', Date.now() - t0));
    console.log((await slow).text, Date.now() - t0);
    await closing;
    try { await fetch(`${t.url}/healthz`); console.log('fetch ok?'); } catch (e) { console.log('refused', String(e)); }
  } finally { console.log('finally'); await t.close(); console.log('done'); }
}, 60000);
