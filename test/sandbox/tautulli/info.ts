// Small commands clients use to test a connection.
import type { TautulliState } from './state';

export const tautulliInfo = (state: TautulliState): unknown => ({
  tautulli_install_type: 'docker',
  tautulli_version: state.options.version,
  tautulli_branch: 'master',
  tautulli_commit: 'c7153de0a1b2c3d4e5f60718293a4b5c6d7e8f90',
  tautulli_platform: 'Linux',
  tautulli_platform_release: '6.1.0',
  tautulli_platform_version: '#1 SMP Debian 6.1.0',
  tautulli_platform_linux_distro: 'Debian GNU/Linux 12',
  tautulli_platform_device_name: 'sandbox',
  tautulli_python_version: '3.11.2',
});

export const serverInfo = (): unknown => ({
  pms_identifier: '08u2phnlkdshf890bhdlksghnljsahgleikjfg9t',
  pms_ip: '127.0.0.1',
  pms_is_remote: 0,
  pms_name: 'Sandbox-Plex',
  pms_platform: 'Linux',
  pms_plexpass: 1,
  pms_port: 32400,
  pms_ssl: 0,
  pms_url: 'http://127.0.0.1:32400',
  pms_url_manual: 0,
  pms_version: '1.41.3.9314-a0bfb8370',
});

const QUOTES = ["I'll be back.", 'Get to the chopper!', "It's not a tumor!", 'Hasta la vista, baby.', 'Do it now!'];

export const arnold = (state: TautulliState): string => QUOTES[state.requestLog.length % QUOTES.length];
