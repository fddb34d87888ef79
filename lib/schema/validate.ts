import Ajv, { type ErrorObject } from 'ajv';
import schema from './media-item.schema.json';
import type { MediaItem } from './types';

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

// Compiled once at load: validation runs per item on large imports.
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addFormat('iso-date-time', (value: string) => ISO_DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)));
const validateItem = ajv.compile<MediaItem>(schema);

export interface ItemProblem {
  /** 1-based position in msg.payload (1 for a single item). */
  index: number;
  item: unknown;
  reason: string;
}

export interface ValidationResult {
  valid: MediaItem[];
  invalid: ItemProblem[];
}

/** Splits msg.payload (one item or an array) into valid items and readable problems. */
export function validateMediaItems(payload: unknown): ValidationResult {
  const list = Array.isArray(payload) ? payload : [payload];
  const result: ValidationResult = { valid: [], invalid: [] };
  list.forEach((item, i) => {
    const reason = describeProblem(item);
    if (reason) result.invalid.push({ index: i + 1, item, reason: `item ${i + 1}: ${reason}` });
    else result.valid.push(item as MediaItem);
  });
  return result;
}

/** Returns why an item is not a media item, or undefined when it is one. */
export function describeProblem(item: unknown): string | undefined {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    return `expected a media item object, got ${item === null ? 'null' : Array.isArray(item) ? 'an array' : typeof item}`;
  }
  if (validateItem(item)) return undefined;
  return (validateItem.errors ?? []).map((e) => humanize(e, item)).filter(unique).join('; ');
}

function humanize(error: ErrorObject, item: object): string {
  const field = error.instancePath.replace(/^\//, '').replace(/\//g, '.') || 'item';
  const value = valueAt(item, error.instancePath);
  switch (error.keyword) {
    case 'format':
      return `${field} ${JSON.stringify(value)} is not an ISO date (like 2024-01-15T20:41:00Z)`;
    case 'enum':
      return `${field} ${JSON.stringify(value)} is not one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    case 'required':
      return `${field === 'item' ? 'an item' : field} needs "${(error.params as { missingProperty: string }).missingProperty}"`;
    case 'minimum':
    case 'maximum':
      return `${field} ${JSON.stringify(value)} is out of range (${field === 'rating' ? '1-10' : error.message})`;
    case 'type':
      return `${field} ${JSON.stringify(value)} ${error.message}`;
    case 'pattern':
      return `${field} ${JSON.stringify(value)} does not look right (${field.endsWith('imdb') ? 'expected tt followed by digits' : error.message})`;
    case 'if':
      return '';
    default:
      return `${field} ${error.message ?? 'is invalid'}`;
  }
}

function valueAt(item: object, pointer: string): unknown {
  let current: unknown = item;
  for (const part of pointer.split('/').slice(1)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function unique(value: string, index: number, all: string[]): boolean {
  return value !== '' && all.indexOf(value) === index;
}
