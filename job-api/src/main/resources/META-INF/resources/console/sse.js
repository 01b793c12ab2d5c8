// Server-Sent Events over fetch(): EventSource cannot send an Authorization header. Parses the stream as the
// HTML spec does (id, event, data, comments), and on a dropped connection resumes with Last-Event-ID.
import { authHeaders, toError } from './api.js';

const TERMINAL = new Set(['completed', 'failed', 'canceled']);

/**
 * Follows url until the server ends the stream after a terminal event or signal aborts.
 * onEvent({id, type, data}) gets each event, data parsed as JSON. Returns the last event id seen.
 */
export async function followEvents(url, onEvent, { signal, lastEventId = null } = {}) {
  let last = lastEventId;
  let failures = 0;
  while (!signal?.aborted) {
    let sawTerminal = false;
    try {
      const headers = authHeaders({ Accept: 'text/event-stream' });
      if (last) headers['Last-Event-ID'] = last;
      const res = await fetch(url, { headers, signal, cache: 'no-store' });
      if (!res.ok) {
        const error = await toError(res);
        if (res.status < 500 && res.status !== 429) throw error; // will not get better by retrying
        throw Object.assign(error, { retry: true });
      }
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      let event = { id: null, type: null, data: [] };
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let nl;
        while ((nl = buffer.search(/\r\n|\n|\r/)) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + (buffer.startsWith('\r\n', nl) ? 2 : 1));
          if (line === '') {
            if (event.data.length) {
              if (event.id !== null) last = event.id;
              const type = event.type || 'message';
              let data;
              try { data = JSON.parse(event.data.join('\n')); } catch { data = event.data.join('\n'); }
              failures = 0;
              onEvent({ id: event.id, type, data });
              if (TERMINAL.has(type)) sawTerminal = true;
            }
            event = { id: null, type: null, data: [] };
          } else if (!line.startsWith(':')) {
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            let val = colon < 0 ? '' : line.slice(colon + 1);
            if (val.startsWith(' ')) val = val.slice(1);
            if (field === 'id') event.id = val;
            else if (field === 'event') event.type = val;
            else if (field === 'data') event.data.push(val);
          }
        }
      }
      if (sawTerminal) return last;
    } catch (e) {
      if (signal?.aborted) return last;
      if (e.status && !e.retry) throw e;
    }
    // Dropped without a terminal event: back off a little, then resume after the last event seen.
    failures++;
    await new Promise((r) => setTimeout(r, Math.min(5000, 300 * failures)));
  }
  return last;
}
