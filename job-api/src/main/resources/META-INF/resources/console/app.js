// Framewright console: plain ES modules, no build step, no CDN (hls.js is vendored and loaded only for HLS).
import { api, apiKey, ApiError, blobUrl, download, submitJob, text } from './api.js';
import { followEvents } from './sse.js';
import { PRESETS, specFromPresets, validateSpec } from './spec.js';

const main = document.getElementById('main');
const alertBox = document.getElementById('alert');
const TERMINAL = new Set(['succeeded', 'failed', 'canceled']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
let pageAbort = new AbortController();

// ---------- small DOM helpers (no innerHTML: every value is text) ----------
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat(Infinity)) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}
const badge = (status) => h('span', { class: `badge ${status}`, text: status });
const bytes = (n) => {
  if (n == null) return '';
  const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
  return `${i ? n.toFixed(1) : n} ${u[i]}`;
};
const eta = (s) => {
  if (s == null) return '';
  s = Math.round(s);
  const hh = Math.floor(s / 3600), mm = Math.floor(s / 60) % 60, ss = String(s % 60).padStart(2, '0');
  return hh ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
};

function showError(e) {
  alertBox.textContent = e instanceof ApiError ? e.describe() : (e?.message || String(e));
  alertBox.hidden = false;
}
function clearError() { alertBox.hidden = true; alertBox.textContent = ''; }

function progressBar(label, percent, state, testid) {
  const p = Math.max(0, Math.min(100, percent || 0));
  const bar = h('div', {
    class: `bar ${state === 'succeeded' ? 'done' : state === 'failed' ? 'failed' : ''}`, role: 'progressbar',
    'aria-label': label, 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': Math.floor(p),
    'data-testid': testid,
  }, h('span', { style: `width:${p}%` }));
  return bar;
}
function setBar(bar, percent, state) {
  if (!bar) return;
  const p = Math.max(0, Math.min(100, percent || 0));
  bar.setAttribute('aria-valuenow', Math.floor(p));
  bar.firstChild.style.width = `${p}%`;
  bar.classList.toggle('done', state === 'succeeded');
  bar.classList.toggle('failed', state === 'failed');
}

// ---------- API key ----------
const keyForm = document.getElementById('key-form');
const keyInput = document.getElementById('api-key');
const keyState = document.getElementById('key-state');
function showKeyState() {
  keyInput.value = apiKey.get();
  keyState.textContent = apiKey.get() ? 'Key saved in this browser' : 'No key yet';
}
keyForm.addEventListener('submit', (e) => {
  e.preventDefault();
  apiKey.set(keyInput.value);
  showKeyState();
  clearError();
  route();
});
document.getElementById('forget-key').addEventListener('click', () => { apiKey.clear(); showKeyState(); keyInput.focus(); });

// ---------- routing: #/ (new job + jobs), #/jobs/{id} ----------
function route() {
  pageAbort.abort();
  pageAbort = new AbortController();
  clearError();
  main.replaceChildren();
  if (!apiKey.get()) {
    main.append(h('section', { class: 'card' }, h('h1', { text: 'Welcome' }),
      h('p', { text: 'Enter your API key above to start. On a local stack (./framewright dev) the development key is fw_dev_local_development_key_0000000001.' })));
    keyInput.focus();
    return;
  }
  const m = location.hash.match(/^#\/jobs\/([^/?]+)/);
  if (m) jobPage(decodeURIComponent(m[1]), pageAbort.signal);
  else homePage(pageAbort.signal);
  document.title = m ? `Job ${m[1].slice(0, 8)} · Framewright` : 'Framewright console';
}
window.addEventListener('hashchange', () => { route(); main.focus(); });

// ---------- home: new job + jobs list ----------
function homePage(signal) {
  main.append(newJobForm(), jobsList(signal));
}

function newJobForm() {
  let file = null;
  const fileInput = h('input', { type: 'file', id: 'file', accept: 'video/*,audio/*,image/*', 'aria-describedby': 'file-chosen' });
  const chosen = h('span', { id: 'file-chosen', class: 'hint', text: 'No file chosen' });
  const drop = h('label', { class: 'drop', for: 'file' },
    h('strong', { text: 'Drop a media file here' }), ' or ', h('u', { text: 'choose one' }), h('br'), chosen, fileInput);
  const setFile = (f) => { file = f; chosen.textContent = f ? `${f.name} · ${bytes(f.size)}` : 'No file chosen'; };
  fileInput.addEventListener('change', () => setFile(fileInput.files[0] || null));
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    if (e.dataTransfer.files.length) setFile(e.dataTransfer.files[0]);
  });

  const presets = h('fieldset', { class: 'presets' }, h('legend', { text: 'Outputs' }),
    PRESETS.map((p) => h('label', {}, h('input', { type: 'checkbox', name: 'preset', value: p.id, checked: p.default }), ` ${p.label}`)));
  const queue = h('input', { id: 'queue', name: 'queue', value: 'default', size: 12 });
  const labels = h('input', { id: 'labels', name: 'labels', placeholder: 'customer=acme, env=test', size: 28 });

  const advanced = h('input', { type: 'checkbox', id: 'advanced' });
  const editor = h('textarea', { id: 'spec', 'aria-describedby': 'spec-state', spellcheck: 'false', hidden: true, 'aria-label': 'Job spec (JSON)' });
  const specState = h('p', { id: 'spec-state', class: 'hint', 'aria-live': 'polite', hidden: true });
  const currentPresetSpec = () => specFromPresets(
    [...presets.querySelectorAll('input:checked')].map((i) => i.value), queue.value, labels.value);
  const validate = () => {
    const problems = validateSpec(editor.value);
    editor.setAttribute('aria-invalid', problems.length ? 'true' : 'false');
    specState.className = problems.length ? 'invalid' : 'valid';
    specState.textContent = problems.length ? problems.join('\n') : 'Valid spec';
    specState.style.whiteSpace = 'pre-line';
    return problems;
  };
  advanced.addEventListener('change', () => {
    editor.hidden = specState.hidden = !advanced.checked;
    presets.disabled = advanced.checked;
    if (advanced.checked) { editor.value = JSON.stringify(currentPresetSpec(), null, 2); validate(); editor.focus(); }
  });
  editor.addEventListener('input', validate);

  const submit = h('button', { type: 'submit', id: 'submit' }, 'Submit job');
  const upload = h('div', { class: 'progress', hidden: true }, h('span', { class: 'hint', text: 'Uploading…' }),
    progressBar('Upload', 0, null, 'upload-progress'));
  const form = h('form', { class: 'card', 'aria-labelledby': 'new-job-title' },
    h('h2', { id: 'new-job-title', text: 'New job' }), drop, presets,
    h('div', { class: 'row' }, h('label', { for: 'queue' }, 'Queue', queue), h('label', { for: 'labels' }, 'Labels', labels)),
    h('p', {}, h('label', {}, advanced, ' Advanced: edit the spec as JSON')), editor, specState,
    h('div', { class: 'actions' }, submit), upload);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearError();
    if (!file) { showError(new Error('Choose a file to upload first.')); fileInput.focus(); return; }
    let spec;
    if (advanced.checked) {
      const problems = validate();
      if (problems.length) { showError(new Error(`The spec is not valid:\n${problems.join('\n')}`)); editor.focus(); return; }
      spec = JSON.parse(editor.value);
    } else {
      spec = currentPresetSpec();
      if (!spec.outputs.length) { showError(new Error('Choose at least one output.')); return; }
      const problems = validateSpec(JSON.stringify(spec));
      if (problems.length) { showError(new Error(problems.join('\n'))); return; }
    }
    submit.disabled = true;
    upload.hidden = false;
    try {
      const job = await submitJob(file, spec, (f) => setBar(upload.querySelector('.bar'), f * 100));
      location.hash = `#/jobs/${job.id}`;
    } catch (err) {
      showError(err);
    } finally {
      submit.disabled = false;
      upload.hidden = true;
    }
  });
  return form;
}

function jobsList(signal) {
  const status = h('select', { id: 'filter-status' },
    ['', 'queued', 'running', 'succeeded', 'failed', 'canceled'].map((s) => h('option', { value: s, text: s || 'any status' })));
  const label = h('input', { id: 'filter-label', placeholder: 'key:value', size: 16 });
  const search = h('input', { id: 'search-id', placeholder: 'job id', size: 30, spellcheck: 'false' });
  const body = h('tbody');
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'More jobs');
  const empty = h('p', { class: 'hint', hidden: true, text: 'No jobs match.' });
  let cursor = null;
  const load = async (append) => {
    const q = new URLSearchParams({ limit: '20' });
    if (status.value) q.set('status', status.value);
    if (label.value.trim()) q.set('label', label.value.trim().replace('=', ':'));
    if (append && cursor) q.set('cursor', cursor);
    try {
      const page = await api(`/v1/jobs?${q}`);
      if (signal.aborted) return;
      if (!append) body.replaceChildren();
      for (const job of page.jobs) body.append(jobRow(job));
      cursor = page.next_cursor || null;
      more.hidden = !cursor;
      empty.hidden = body.children.length > 0;
    } catch (e) { showError(e); }
  };
  status.addEventListener('change', () => load(false));
  label.addEventListener('change', () => load(false));
  more.addEventListener('click', () => load(true));
  const searchForm = h('form', { class: 'row', role: 'search' },
    h('label', { for: 'filter-status' }, 'Status', status),
    h('label', { for: 'filter-label' }, 'Label', label),
    h('label', { for: 'search-id' }, 'Find by id', search),
    h('button', { type: 'submit' }, 'Go'),
    h('button', { type: 'button', class: 'secondary', onclick: () => load(false) }, 'Refresh'));
  searchForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const id = search.value.trim();
    if (!id) { load(false); return; }
    if (!UUID.test(id)) { showError(new Error(`“${id}” is not a job id (a UUID).`)); return; }
    location.hash = `#/jobs/${id.toLowerCase()}`;
  });
  load(false);
  return h('section', { class: 'card', 'aria-labelledby': 'jobs-title' }, h('h2', { id: 'jobs-title', text: 'Jobs' }), searchForm,
    h('div', { style: 'overflow-x:auto' }, h('table', { id: 'jobs' },
      h('thead', {}, h('tr', {}, h('th', { text: 'Job' }), h('th', { text: 'Status' }), h('th', { text: 'Progress' }),
        h('th', { class: 'opt', text: 'Queue' }), h('th', { class: 'opt', text: 'Created' }), h('th', { class: 'opt', text: 'Labels' }))),
      body)), empty, more);
}

function jobRow(job) {
  const labels = Object.entries(job.labels || {}).map(([k, v]) => `${k}=${v}`).join(', ');
  return h('tr', {},
    h('td', { class: 'id' }, h('a', { href: `#/jobs/${job.id}`, text: job.id })),
    h('td', {}, badge(job.status)),
    h('td', { text: `${Math.floor(job.progress?.percent || 0)} %` }),
    h('td', { class: 'opt', text: job.queue }),
    h('td', { class: 'opt', text: new Date(job.created_at).toLocaleString() }),
    h('td', { class: 'opt', text: labels }));
}

// ---------- job page ----------
async function jobPage(id, signal) {
  main.append(h('p', { class: 'hint', text: 'Loading job…' }));
  let doc;
  try {
    doc = await api(`/v1/jobs/${encodeURIComponent(id)}`);
  } catch (e) {
    main.replaceChildren(h('p', {}, h('a', { href: '#/', text: '← All jobs' })));
    showError(e);
    return;
  }
  if (signal.aborted) return;
  renderJob(doc);
  if (!TERMINAL.has(doc.status)) live(doc, signal);
}

/** Follows the job's events; folds progress into the bars; on the terminal event reloads and shows the results. */
async function live(doc, signal) {
  let lastId = null;
  for (;;) {
    try {
      lastId = await followEvents(`/v1/jobs/${doc.id}/events`, (ev) => onJobEvent(doc, ev), { signal, lastEventId: lastId });
    } catch (e) {
      if (!signal.aborted) showError(e);
      return;
    }
    if (signal.aborted) return;
    const fresh = await api(`/v1/jobs/${doc.id}`).catch((e) => { showError(e); return null; });
    if (!fresh || signal.aborted) return;
    renderJob(fresh);
    if (TERMINAL.has(fresh.status)) return;
    // A retried job's history holds the old terminal event: keep following after it.
    doc = fresh;
  }
}

function onJobEvent(doc, { type, data }) {
  const status = data.job?.status || doc.status;
  const jobBar = main.querySelector('[data-testid="job-progress"]');
  if (type === 'progress') {
    setBar(jobBar, data.percent, status);
    main.querySelector('#job-stage').textContent = data.stage ? `Stage: ${data.stage}` : '';
    main.querySelector('#job-fps').textContent = data.fps ? `${Math.round(data.fps)} fps` : '';
    main.querySelector('#job-eta').textContent = data.eta_seconds != null ? `ETA ${eta(data.eta_seconds)}` : '';
    for (const [name, p] of Object.entries(data.outputs || {})) {
      setBar(main.querySelector(`[data-output="${CSS.escape(name)}"] .bar`), p, 'running');
      const st = main.querySelector(`[data-output="${CSS.escape(name)}"] .badge`);
      if (st && st.textContent === 'queued') { st.textContent = 'running'; st.className = 'badge running'; }
    }
  } else if (type === 'completed') {
    setBar(jobBar, 100, 'succeeded');
  }
  const badgeEl = main.querySelector('#job-status');
  if (badgeEl) { badgeEl.textContent = status; badgeEl.className = `badge ${status}`; }
  main.querySelector('#job-percent').textContent = `${Math.floor(data.job?.percent ?? data.percent ?? 0)} %`;
}

function renderJob(doc) {
  const p = doc.progress || {};
  const running = !TERMINAL.has(doc.status);
  const actions = h('div', { class: 'actions' },
    running && h('button', { type: 'button', class: 'danger', onclick: () => act(() => api(`/v1/jobs/${doc.id}`, { method: 'DELETE' })) }, 'Cancel job'),
    ['failed', 'canceled'].includes(doc.status) && h('button', {
      type: 'button', onclick: () => act(() => api(`/v1/jobs/${doc.id}/retry`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })),
    }, 'Retry failed outputs'),
    h('button', { type: 'button', class: 'secondary', onclick: route }, 'Reload'));
  const summary = h('section', { class: 'card', 'aria-labelledby': 'job-title' },
    h('p', {}, h('a', { href: '#/', text: '← All jobs' })),
    h('h1', { id: 'job-title' }, 'Job ', h('span', { class: 'id', text: doc.id })),
    h('p', {}, h('span', { id: 'job-status', class: `badge ${doc.status}`, text: doc.status }), ' ',
      h('span', { id: 'job-percent', text: `${Math.floor(p.percent || 0)} %` })),
    h('div', { class: 'progress' }, progressBar('Job progress', doc.status === 'succeeded' ? 100 : p.percent, doc.status, 'job-progress'),
      h('div', { class: 'meta', 'aria-live': 'polite' },
        h('span', { id: 'job-stage', text: running && p.stage ? `Stage: ${p.stage}` : '' }),
        h('span', { id: 'job-fps', text: running && p.fps ? `${Math.round(p.fps)} fps` : '' }),
        h('span', { id: 'job-eta', text: running && p.eta_seconds != null ? `ETA ${eta(p.eta_seconds)}` : '' }))),
    doc.error && h('p', { class: 'invalid', role: 'status', text: `${doc.error.code}: ${doc.error.message}` }),
    actions);
  const outputs = h('section', { class: 'outputs', 'aria-label': 'Outputs' }, (doc.outputs || []).map((o) => outputCard(doc, o)));
  main.replaceChildren(summary, outputs, inputCard(doc));
  attachScrubPreview(doc);
}

async function act(call) {
  clearError();
  try { await call(); route(); } catch (e) { showError(e); }
}

function inputCard(doc) {
  const i = doc.input || {};
  const m = i.media || {};
  const rows = [
    ['File', i.filename], ['Type', i.content_type], ['Size', bytes(i.size)], ['Queue', doc.queue],
    ['Labels', Object.entries(doc.labels || {}).map(([k, v]) => `${k}=${v}`).join(', ')],
    ['Format', m.format], ['Duration', m.duration_seconds != null ? `${m.duration_seconds.toFixed(2)} s` : null],
    ['Video', m.video_codec ? `${m.video_codec} ${m.width}×${m.height}${m.frame_rate ? ` @ ${m.frame_rate.toFixed(2)} fps` : ''}` : null],
    ['Audio', m.audio_codec ? `${m.audio_codec} ${m.audio_sample_rate || ''} Hz, ${m.audio_channels || '?'} ch` : null],
    ['Created', doc.created_at && new Date(doc.created_at).toLocaleString()],
    ['Finished', doc.finished_at && new Date(doc.finished_at).toLocaleString()],
    ['Attempts', String(doc.attempts ?? '')],
  ].filter(([, v]) => v);
  return h('section', { class: 'card', 'aria-labelledby': 'input-title' }, h('h2', { id: 'input-title', text: 'Input' }),
    h('dl', { class: 'meta' }, rows.map(([k, v]) => [h('dt', { text: k }), h('dd', { text: v })])),
    (m.streams || []).length ? h('details', {}, h('summary', { text: `Streams (${m.streams.length})` }),
      h('pre', { text: JSON.stringify(m.streams, null, 2) })) : null);
}

function outputCard(doc, o) {
  const card = h('article', { class: 'card output', 'data-output': o.name, 'aria-labelledby': `out-${o.name}` },
    h('header', {}, h('h3', { id: `out-${o.name}` }, `${o.name} `, h('span', { class: 'hint', text: o.type })), badge(o.status)),
    h('div', { class: 'progress' }, progressBar(`Output ${o.name} progress`, o.status === 'succeeded' ? 100 : o.progress, o.status, `output-progress-${o.name}`)));
  if (o.error) card.append(h('p', { class: 'invalid', text: `${o.error.code}: ${o.error.message}` }));
  if (o.status === 'succeeded') {
    const preview = h('div', { class: 'preview' });
    card.append(preview);
    renderPreview(doc, o, preview).catch((e) => preview.append(h('p', { class: 'invalid', text: e instanceof ApiError ? e.describe() : e.message })));
    card.append(h('div', { class: 'files', 'aria-label': `Files of ${o.name}` }, (o.files || []).map((f) =>
      h('button', { type: 'button', class: 'secondary', onclick: () => download(f.url, `${o.name}-${f.path.replaceAll('/', '_')}`).catch(showError) },
        `Download ${f.path} (${bytes(f.size)})`))));
  }
  return card;
}

async function renderPreview(doc, o, el) {
  const file = (pred) => (o.files || []).find(pred);
  switch (o.type) {
    case 'video': case 'hls': {
      const video = h('video', { controls: true, preload: 'metadata', playsinline: true, 'data-output-video': o.name, 'aria-label': `Video ${o.name}` });
      el.append(video);
      if (o.type === 'hls') await playHls(o, video, el);
      else video.src = await blobUrl(o.url);
      return;
    }
    case 'audio':
      el.append(h('audio', { controls: true, src: await blobUrl(o.url), 'aria-label': `Audio ${o.name}` }));
      return;
    case 'image': case 'preview':
      el.append(h('img', { class: 'inline', src: await blobUrl(o.url), alt: `${o.type} ${o.name}` }));
      return;
    case 'thumbnails': {
      const stills = (o.files || []).filter((f) => /^thumb-\d+\.\w+$/.test(f.path)).slice(0, 60);
      const grid = h('div', { class: 'thumbs' });
      el.append(grid);
      for (const [i, f] of stills.entries()) grid.append(h('img', { src: await blobUrl(f.url), alt: `Thumbnail ${i + 1}`, loading: 'lazy' }));
      if (file((f) => f.path === 'sprite.jpg')) el.append(h('p', { class: 'hint', text: 'The sprite sheet drives the preview over the video’s seek bar.' }));
      return;
    }
    case 'probe':
      el.append(h('pre', { tabindex: 0, 'aria-label': `Probe ${o.name}`, text: JSON.stringify(JSON.parse(await text(o.url)), null, 2) }));
      return;
    default:
      return;
  }
}

async function playHls(o, video, el) {
  const { default: Hls } = await import('./vendor/hls.min.mjs');
  if (!Hls.isSupported()) {
    el.append(h('p', { class: 'hint', text: 'This browser has no Media Source Extensions: download the playlist instead.' }));
    return;
  }
  const key = apiKey.get();
  const hls = new Hls({
    // Playlists and segments come from job-api, which wants the key on every request.
    xhrSetup: (xhr, url) => {
      if (new URL(url, location.href).origin === location.origin) xhr.setRequestHeader('Authorization', `Bearer ${key}`);
    },
  });
  const select = h('select', { id: `rendition-${o.name}` }, h('option', { value: '-1', text: 'Auto' }));
  const current = h('span', { class: 'hint', 'aria-live': 'polite' });
  el.append(h('div', { class: 'row' }, h('label', { for: `rendition-${o.name}` }, 'Rendition', select), current));
  hls.on(Hls.Events.MANIFEST_PARSED, (_, data) => {
    data.levels.forEach((l, i) => select.append(h('option', { value: String(i), text: `${l.height}p · ${Math.round(l.bitrate / 1000)} kbit/s` })));
  });
  hls.on(Hls.Events.LEVEL_SWITCHED, (_, data) => {
    const l = hls.levels[data.level];
    current.textContent = l ? `Playing ${l.height}p` : '';
  });
  hls.on(Hls.Events.ERROR, (_, data) => { if (data.fatal) el.append(h('p', { class: 'invalid', text: `Playback error: ${data.details}` })); });
  select.addEventListener('change', () => { hls.currentLevel = Number(select.value); });
  hls.loadSource(o.url);
  hls.attachMedia(video);
  pageAbort.signal.addEventListener('abort', () => hls.destroy());
}

/** The thumbnails' sprite + WebVTT as a preview over a seek slider under the first video. */
async function attachScrubPreview(doc) {
  const thumbs = (doc.outputs || []).find((o) => o.type === 'thumbnails' && o.status === 'succeeded'
    && (o.files || []).some((f) => f.path.endsWith('.vtt')));
  const video = main.querySelector('video[data-output-video]');
  if (!thumbs || !video) return;
  try {
    const vtt = thumbs.files.find((f) => f.path.endsWith('.vtt'));
    const cues = parseVtt(await text(vtt.url));
    if (!cues.length) return;
    const sprite = await blobUrl(thumbs.files.find((f) => f.path === cues[0].image).url);
    const duration = cues[cues.length - 1].end;
    const tip = h('div', { class: 'tip', hidden: true, 'aria-hidden': 'true' });
    const slider = h('input', { type: 'range', min: 0, max: duration.toFixed(2), step: 0.1, value: 0, 'aria-label': 'Seek with preview', 'data-testid': 'scrub' });
    const show = (t) => {
      const cue = cues.find((c) => t >= c.start && t < c.end) || cues[cues.length - 1];
      Object.assign(tip.style, {
        width: `${cue.w}px`, height: `${cue.h}px`, left: `${(t / duration) * 100}%`,
        backgroundImage: `url(${sprite})`, backgroundPosition: `-${cue.x}px -${cue.y}px`,
      });
      tip.hidden = false;
    };
    slider.addEventListener('pointermove', (e) => {
      const r = slider.getBoundingClientRect();
      show(Math.max(0, Math.min(1, (e.clientX - r.left) / r.width)) * duration);
    });
    slider.addEventListener('pointerleave', () => { tip.hidden = true; });
    slider.addEventListener('blur', () => { tip.hidden = true; });
    slider.addEventListener('input', () => { show(Number(slider.value)); video.currentTime = Number(slider.value); });
    video.addEventListener('timeupdate', () => { if (document.activeElement !== slider) slider.value = video.currentTime; });
    video.closest('.preview').append(h('div', { class: 'scrub' }, tip, slider));
  } catch (e) {
    // The preview is a nicety; the thumbnails themselves are shown in their own card.
  }
}

function parseVtt(body) {
  const cues = [];
  const time = (s) => s.trim().split(':').reduce((acc, part) => acc * 60 + parseFloat(part), 0);
  for (const block of body.replace(/\r/g, '').split(/\n\n+/)) {
    const lines = block.split('\n');
    const i = lines.findIndex((l) => l.includes('-->'));
    if (i < 0 || !lines[i + 1]) continue;
    const [a, b] = lines[i].split('-->');
    const m = lines[i + 1].match(/^(.*)#xywh=(\d+),(\d+),(\d+),(\d+)/);
    if (!m) continue;
    cues.push({ start: time(a), end: time(b.split(' ').filter(Boolean)[0]), image: m[1], x: +m[2], y: +m[3], w: +m[4], h: +m[5] });
  }
  return cues;
}

showKeyState();
route();
