// Plex users and the players they watch on (filled into history rows).
import { hexId } from './prng';
import type { Device, TautulliUser } from './types';

const DEVICES: Device[] = [
  { platform: 'Android', product: 'Plex for Android (TV)', player: 'SHIELD Android TV', ipAddress: '192.168.1.20', machineId: 'a899167a24aea9ab-com-plexapp-android', location: 'lan', secure: 1, relayed: 0, transcodeDecision: 'direct play' },
  { platform: 'Chrome', product: 'Plex Web', player: 'Chrome', ipAddress: '203.0.113.7', machineId: 'k2j3h4g5', location: 'wan', secure: 1, relayed: 0, transcodeDecision: 'transcode' },
  { platform: 'Roku', product: 'Plex for Roku', player: 'Roku Ultra', ipAddress: '192.168.1.30', machineId: 'roku123', location: 'lan', secure: 0, relayed: 0, transcodeDecision: 'direct play' },
  { platform: 'iOS', product: 'Plex for iOS', player: 'iPhone', ipAddress: '198.51.100.23', machineId: '5E0C7B1A-1D2E', location: 'wan', secure: 1, relayed: 1, transcodeDecision: 'copy' },
  { platform: 'tvOS', product: 'Plex for Apple TV', player: 'Living Room', ipAddress: '192.168.1.41', machineId: 'atv-0042', location: 'lan', secure: 1, relayed: 0, transcodeDecision: 'direct play' },
];

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

export function makeUsers(usernames: string[]): TautulliUser[] {
  return usernames.map((username, i) => ({
    // Plex account ids are large and unrelated to the name.
    userId: 8008135 + i * 7919,
    username,
    friendlyName: capitalize(username),
    thumb: `https://plex.tv/users/${hexId(username, 16)}/avatar?c=1`,
    devices: [DEVICES[i % DEVICES.length], DEVICES[(i + 2) % DEVICES.length]],
  }));
}
