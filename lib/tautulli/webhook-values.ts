import type { MediaItem } from '../schema/types';
import { toNumber, toText } from './values';

export interface WebhookResult {
  item?: MediaItem;
  error?: string;
}

/** The body as an object: Node-RED hands JSON over parsed, or as text when the content type was not JSON. */
export function asObject(body: unknown): Record<string, unknown> | undefined {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** A template value: Tautulli leaves parameters it does not know as the literal "{name}". */
export function field(value: unknown): string | undefined {
  const text = toText(value);
  return text && !/^\{[a-z0-9_]+\}$/i.test(text) ? text : undefined;
}

/** 0-100, for the scrobble node. */
export function percent(value: number | undefined): number | undefined {
  if (value === undefined || !Number.isFinite(value)) return undefined;
  return Math.min(100, Math.max(0, Math.round(value * 100) / 100));
}

/** Tautulli's {utctime} is naive UTC with microseconds (2024-06-02T18:45:00.123456). */
export function utcInstant(value: string): string | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(value.trim());
  if (!match) return undefined;
  const fraction = match[3] ? match[3].slice(0, 4) : '';
  const ms = Date.parse(`${match[1]}T${match[2]}${fraction}${match[4] ?? 'Z'}`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

export function numberOf(value: unknown): number | undefined {
  return toNumber(field(value) ?? value);
}
