/**
 * The example flows pointed at the loopback fakes, as `npm start` runs them and as the examples-deploy test
 * checks them: one place that knows which node of an example needs which address, credential or file.
 */
import { join } from 'node:path';
import { DEFAULT_API_KEY as TAUTULLI_SANDBOX_API_KEY } from './tautulli/options';

export interface ExampleNode {
  id: string;
  type: string;
  apiUrl?: string;
  url?: string;
  authorizedAs?: string;
  filename?: string;
  name?: string;
  label?: string;
  props?: Array<{ p: string; v?: string }>;
  [key: string]: unknown;
}

export interface DemoServices {
  traktUrl: string;
  simklUrl: string;
  tautulliUrl: string;
  /** A Simkl token for each account (Simkl tokens do not expire). */
  simklToken: () => string;
  /** The credentials of each Trakt account (client id and secret; tokens too when not kept in the token store). */
  traktCredentials: (configId: string) => Record<string, string>;
  /** Where the Home Assistant example's server points: no fake Home Assistant exists, so a port nobody listens on. */
  homeAssistantHost: string;
  /** The repository, for the sample exports the import examples read. */
  root: string;
  /** Where files the examples write under /data/ go instead. */
  dataDir: string;
}

/** Rewrites the flows in place and returns their credentials (flows_cred.json), keyed by node id. */
export function pointExamplesAtSandboxes(flows: ExampleNode[], services: DemoServices): Record<string, Record<string, string>> {
  const samples: Record<string, string> = {
    '/data/letterboxd-export.zip': join(services.root, 'test', 'fixtures', 'letterboxd', 'letterboxd-alice-export.zip'),
    '/data/tv-time-personal-data.zip': join(services.root, 'test', 'fixtures', 'tvtime', 'tv-time-personal-data.zip'),
  };
  const credentials: Record<string, Record<string, string>> = {};
  for (const node of flows) {
    for (const prop of node.props ?? []) if (prop.p === 'filename' && prop.v && samples[prop.v]) prop.v = samples[prop.v];
    if (node.type === 'clawarr-trakt-config') {
      node.apiUrl = services.traktUrl;
      credentials[node.id] = services.traktCredentials(node.id);
    } else if (node.type === 'clawarr-simkl-config') {
      node.apiUrl = services.simklUrl;
      credentials[node.id] = { clientId: 'sandbox-simkl-client-id', accessToken: services.simklToken() };
      node.authorizedAs = 'sandbox-simkl-user';
    } else if (node.type === 'clawarr-tautulli-config') {
      node.url = services.tautulliUrl;
      credentials[node.id] = { apiKey: TAUTULLI_SANDBOX_API_KEY };
    } else if (node.type === 'server') {
      // Home Assistant's server node keeps host and token as credentials; without them its nodes log errors.
      credentials[node.id] = { host: services.homeAssistantHost, access_token: 'demo-no-home-assistant' };
    } else if (node.type === 'clawarr-csv-export' && node.filename?.startsWith('/data/')) {
      node.filename = join(services.dataDir, node.filename.slice('/data/'.length));
    }
  }
  return credentials;
}
