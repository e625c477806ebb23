/**
 * Locus alerts as annotations. The backend returns alerts frames with the
 * columns time, timeEnd, title, text and tags; each row becomes a region from
 * start to end, and an open alert (no end) runs to "now".
 */
import { AnnotationEvent, DataFrame, Field } from '@grafana/data';

/** alertFramesToEvents maps alerts frames to annotation regions. */
export function alertFramesToEvents(frames: DataFrame[], nowMs: number): AnnotationEvent[] {
  const events: AnnotationEvent[] = [];
  for (const frame of frames) {
    const time = fieldByName(frame, 'time');
    if (!time) {
      continue;
    }
    const timeEnd = fieldByName(frame, 'timeEnd');
    const title = fieldByName(frame, 'title');
    const text = fieldByName(frame, 'text');
    const tags = fieldByName(frame, 'tags');
    for (let i = 0; i < frame.length; i++) {
      const start = toMillis(time.values[i]);
      if (start === undefined) {
        continue;
      }
      const end = toMillis(timeEnd?.values[i]) ?? Math.max(nowMs, start);
      events.push({
        time: start,
        timeEnd: end,
        isRegion: end > start,
        title: stringValue(title?.values[i]),
        text: stringValue(text?.values[i]),
        tags: toTags(tags?.values[i]),
      });
    }
  }
  return events;
}

function fieldByName(frame: DataFrame, name: string): Field | undefined {
  return frame.fields.find((f) => f.name === name);
}

function toMillis(v: unknown): number | undefined {
  if (v === null || v === undefined || v === '') {
    return undefined;
  }
  if (typeof v === 'number') {
    return Number.isFinite(v) ? v : undefined;
  }
  if (v instanceof Date) {
    return v.getTime();
  }
  if (typeof v === 'string') {
    const ms = Date.parse(v);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

function stringValue(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}

/** toTags accepts a string array, a JSON array string or a comma-separated string. */
function toTags(v: unknown): string[] {
  if (Array.isArray(v)) {
    return v.map(String).filter((t) => t !== '');
  }
  if (typeof v !== 'string' || v.trim() === '') {
    return [];
  }
  const s = v.trim();
  if (s.startsWith('[')) {
    try {
      const parsed = JSON.parse(s);
      if (Array.isArray(parsed)) {
        return parsed.map(String).filter((t) => t !== '');
      }
    } catch {
      // not JSON: fall through to the comma-separated form
    }
  }
  return s
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
}
