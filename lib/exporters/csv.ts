/**
 * RFC 4180 writing, by hand so the package needs no CSV writer dependency.
 * Records end in CRLF as the RFC says; every reader we target (Letterboxd, csv-parse, spreadsheets) takes it.
 */
export const EOL = '\r\n';

// Comma, quote, CR and LF are the RFC's cases. Edge whitespace is quoted too, because readers that trim
// unquoted fields would otherwise eat it and a title would not survive the round trip.
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvRecord(fields: readonly string[]): string {
  return fields.map(csvField).join(',') + EOL;
}
