// The job API from the browser: every request carries the key from localStorage; problems become ApiErrors
// with the problem's title and detail (never a stack trace).
const KEY = 'framewright.apiKey';

export const apiKey = {
  get: () => localStorage.getItem(KEY) || '',
  set: (k) => localStorage.setItem(KEY, k.trim()),
  clear: () => localStorage.removeItem(KEY),
};

export class ApiError extends Error {
  constructor(status, problem) {
    const title = problem.title || `HTTP ${status}`;
    super(problem.detail ? `${title}: ${problem.detail}` : title);
    this.status = status;
    this.code = problem.code;
    this.title = title;
    this.detail = problem.detail;
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
  }
  /** Title, detail and each invalid field, for people. */
  describe() {
    const lines = [this.message + (this.code ? ` (${this.code})` : '')];
    for (const e of this.errors) lines.push(`• ${e.field}: ${e.message}`);
    return lines.join('\n');
  }
}

export function authHeaders(extra = {}) {
  return { Authorization: `Bearer ${apiKey.get()}`, ...extra };
}

export async function toError(res) {
  let problem = {};
  try {
    const type = res.headers.get('Content-Type') || '';
    if (type.includes('json')) problem = await res.json();
  } catch { /* an empty or broken body: the status says enough */ }
  if (!problem.title) problem.title = res.status === 401 ? 'Unauthorized' : `HTTP ${res.status} ${res.statusText}`;
  if (res.status === 401 && !problem.detail) problem.detail = 'Enter a valid API key above.';
  return new ApiError(res.status, problem);
}

export async function api(path, { method = 'GET', body, headers = {} } = {}) {
  let res;
  try {
    res = await fetch(path, { method, body, headers: authHeaders(headers), cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, { title: 'Cannot reach the API', detail: 'Check your connection and that job-api is running.' });
  }
  if (!res.ok) throw await toError(res);
  return res.status === 204 ? null : res.json();
}

/** Multipart submit with upload progress (fetch cannot report upload progress; XMLHttpRequest can). */
export function submitJob(file, spec, onProgress) {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    form.append('spec', new Blob([JSON.stringify(spec)], { type: 'application/json' }));
    form.append('file', file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/v1/jobs');
    for (const [k, v] of Object.entries(authHeaders({ 'Idempotency-Key': crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random() }))) {
      xhr.setRequestHeader(k, v);
    }
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onerror = () => reject(new ApiError(0, { title: 'Upload failed', detail: 'The connection to the API was lost.' }));
    xhr.onload = () => {
      let body = {};
      try { body = JSON.parse(xhr.responseText || '{}'); } catch { /* not JSON */ }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else reject(new ApiError(xhr.status, body.title ? body : { title: `HTTP ${xhr.status}`, detail: body.detail }));
    };
    xhr.send(form);
  });
}

// Media elements cannot send an Authorization header: outputs are fetched with it and shown from blob: URLs.
const blobs = new Map();
export async function blobUrl(path) {
  if (!blobs.has(path)) {
    blobs.set(path, (async () => {
      const res = await fetch(path, { headers: authHeaders(), cache: 'no-store' });
      if (!res.ok) throw await toError(res);
      return URL.createObjectURL(await res.blob());
    })());
    blobs.get(path).catch(() => blobs.delete(path));
  }
  return blobs.get(path);
}

export async function text(path) {
  const res = await fetch(path, { headers: authHeaders(), cache: 'no-store' });
  if (!res.ok) throw await toError(res);
  return res.text();
}

export async function download(path, filename) {
  const url = await blobUrl(path);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
}
