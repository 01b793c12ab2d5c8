// Presets and the client-side checks of the advanced spec editor. The server validates for real; these checks
// catch typos as you type and name the field the way the API's errors do (outputs[1].every_seconds).
export const PRESETS = [
  { id: 'mp4-360', label: '360p MP4', output: { name: 'mp4-360p', type: 'video', height: 360 } },
  { id: 'mp4-720', label: '720p MP4', output: { name: 'mp4-720p', type: 'video', height: 720 }, default: true },
  { id: 'hls', label: 'HLS ladder', output: { name: 'hls', type: 'hls' } },
  { id: 'thumbs', label: 'Thumbnails + sprite', output: { name: 'thumbnails', type: 'thumbnails', count: 20, width: 160, sprite: true } },
  { id: 'square', label: '100×100 image', output: { name: 'square', type: 'image', width: 100, height: 100, fit: 'cover' } },
  { id: 'audio', label: 'Audio (m4a)', output: { name: 'audio', type: 'audio', codec: 'aac' } },
  { id: 'gif', label: 'GIF preview', output: { name: 'gif', type: 'preview', format: 'gif', duration: 3, width: 320 } },
  { id: 'probe', label: 'Probe (metadata)', output: { name: 'probe', type: 'probe' } },
];

export const OUTPUT_TYPES = {
  video: ['container', 'width', 'height', 'fps', 'crf', 'bitrate_kbps', 'audio', 'start', 'duration', 'overlay'],
  hls: ['renditions', 'segment_seconds'],
  thumbnails: ['every_seconds', 'count', 'width', 'format', 'sprite'],
  image: ['width', 'height', 'fit', 'at_seconds', 'format'],
  audio: ['codec', 'bitrate_kbps'],
  preview: ['format', 'start', 'duration', 'width', 'fps'],
  probe: [],
};
const TOP = ['outputs', 'queue', 'labels', 'webhook', 'max_duration_seconds', 'retention_hours'];
const NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const LABEL_KEY = /^[a-z0-9][a-z0-9_.-]{0,62}$/;
const NUMERIC = new Set(['width', 'height', 'fps', 'crf', 'bitrate_kbps', 'start', 'duration', 'segment_seconds',
  'every_seconds', 'count', 'at_seconds', 'max_duration_seconds', 'retention_hours']);

export function specFromPresets(ids, queue, labelText) {
  const spec = { outputs: PRESETS.filter((p) => ids.includes(p.id)).map((p) => ({ ...p.output })) };
  if (queue && queue.trim()) spec.queue = queue.trim();
  const labels = {};
  for (const pair of (labelText || '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const i = pair.search(/[=:]/);
    if (i > 0) labels[pair.slice(0, i).trim()] = pair.slice(i + 1).trim();
    else labels[pair] = '';
  }
  if (Object.keys(labels).length) spec.labels = labels;
  return spec;
}

/** Problems with a spec's text, as 'field: message' lines; empty when it looks valid. */
export function validateSpec(textValue) {
  let spec;
  try {
    spec = JSON.parse(textValue);
  } catch (e) {
    return [`JSON: ${e.message}`];
  }
  const out = [];
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) return ['The spec must be a JSON object.'];
  for (const k of Object.keys(spec)) if (!TOP.includes(k)) out.push(`${k}: unknown field (expected one of ${TOP.join(', ')})`);
  if (!Array.isArray(spec.outputs) || spec.outputs.length === 0) out.push('outputs: name 1 to 32 outputs');
  else if (spec.outputs.length > 32) out.push('outputs: at most 32 outputs');
  const names = new Set();
  (Array.isArray(spec.outputs) ? spec.outputs : []).forEach((o, i) => {
    const at = `outputs[${i}]`;
    if (!o || typeof o !== 'object' || Array.isArray(o)) { out.push(`${at}: must be an object`); return; }
    if (typeof o.name !== 'string' || !NAME.test(o.name)) out.push(`${at}.name: lower-case letters, digits, '-' and '_' (up to 64)`);
    else if (names.has(o.name)) out.push(`${at}.name: '${o.name}' is used twice`);
    else names.add(o.name);
    const params = OUTPUT_TYPES[o.type];
    if (!params) { out.push(`${at}.type: expected one of ${Object.keys(OUTPUT_TYPES).join(', ')}`); return; }
    for (const [k, v] of Object.entries(o)) {
      if (k === 'name' || k === 'type') continue;
      if (!params.includes(k)) out.push(`${at}.${k}: not a parameter of ${o.type}${params.length ? ` (${params.join(', ')})` : ''}`);
      else if (NUMERIC.has(k) && v !== null && typeof v !== 'number') out.push(`${at}.${k}: must be a number`);
    }
  });
  if (spec.queue !== undefined && (typeof spec.queue !== 'string' || !/^[a-z0-9][a-z0-9-]{0,31}$/.test(spec.queue))) out.push('queue: a queue name such as "default"');
  if (spec.labels !== undefined) {
    if (!spec.labels || typeof spec.labels !== 'object' || Array.isArray(spec.labels)) out.push('labels: an object of strings');
    else for (const [k, v] of Object.entries(spec.labels)) {
      if (!LABEL_KEY.test(k)) out.push(`labels.${k}: keys are lower-case letters, digits, '.', '-', '_'`);
      if (typeof v !== 'string') out.push(`labels.${k}: must be a string`);
    }
  }
  for (const k of ['max_duration_seconds', 'retention_hours']) {
    if (spec[k] !== undefined && spec[k] !== null && (!Number.isInteger(spec[k]) || spec[k] < 1)) out.push(`${k}: a whole number of at least 1`);
  }
  return out;
}
