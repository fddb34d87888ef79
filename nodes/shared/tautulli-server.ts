import type { Node } from 'node-red';
import type { TautulliClient } from '../../lib/tautulli/client';
import type { MetadataCache } from '../../lib/tautulli/metadata-cache';

/** What a tautulli-config node offers the nodes that read from it. */
export interface TautulliConfigNode extends Node {
  url: string;
  credentials: { apiKey?: string };
  /** The client, or an Error that says what is missing. */
  client(): TautulliClient | Error;
  metadata(): MetadataCache | Error;
}
