import { expect } from 'chai';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StateStore, safeName } from '../../lib/store/state-store';
import { startupTokens, TokenStore, tokenHash, type StoredTokens } from '../../lib/store/token-store';
import { removeDir, tempDir } from './helpers';

describe('lib/store/state-store (StateStore)', () => {
  let dir: string;
  let store: StateStore;
  beforeEach(() => {
    dir = tempDir();
    store = new StateStore(dir);
  });
  afterEach(() => removeDir(dir));

  describe('writeJson / readJson', () => {
    it('writes the document with mode 0600 and leaves no temp file behind', () => {
      store.writeJson('ids.json', { a: 1, b: [1, 2] });
      expect(readdirSync(dir)).to.deep.equal(['ids.json']);
      expect(statSync(store.path('ids.json')).mode & 0o777).to.equal(0o600);
      expect(JSON.parse(readFileSync(store.path('ids.json'), 'utf8'))).to.deep.equal({ a: 1, b: [1, 2] });
    });

    it('replaces an existing file (even one with looser permissions) with a 0600 file', () => {
      writeFileSync(store.path('ids.json'), '{"old":true}', { mode: 0o644 });
      store.writeJson('ids.json', { fresh: true });
      expect(store.readJson('ids.json', {})).to.deep.equal({ fresh: true });
      expect(statSync(store.path('ids.json')).mode & 0o777).to.equal(0o600);
      expect(readdirSync(dir)).to.deep.equal(['ids.json']);
    });

    it('readJson returns the fallback when the file does not exist', () => {
      const fallback = { empty: true };
      expect(store.readJson('missing.json', fallback)).to.equal(fallback);
    });

    it('unreadable JSON gives a clear error naming the file', () => {
      writeFileSync(store.path('tokens.json'), '{"half": ');
      let error: Error | undefined;
      try {
        store.readJson('tokens.json', {});
      } catch (e) {
        error = e as Error;
      }
      expect(error).to.be.instanceOf(Error);
      expect(error!.message).to.contain(store.path('tokens.json'));
      expect(error!.message).to.contain('unreadable');
      expect(error!.message).to.contain('move it aside');
    });
  });

  describe('journals', () => {
    it('appendLines + readLines round-trip records, skipping a torn last line', () => {
      store.appendLines('j.jsonl', [{ n: 1 }, { n: 2 }]);
      store.appendLines('j.jsonl', []);
      store.appendRaw('j.jsonl', '{"n":3');
      expect(store.readLines('j.jsonl')).to.deep.equal([{ n: 1 }, { n: 2 }]);
      expect(statSync(store.path('j.jsonl')).mode & 0o777).to.equal(0o600);
    });

    it('a record appended after a torn line is readable', () => {
      store.appendLines('j.jsonl', [{ n: 1 }]);
      store.appendRaw('j.jsonl', '{"n":2');
      store.appendLines('j.jsonl', [{ n: 3 }]);
      expect(store.readLines('j.jsonl')).to.deep.equal([{ n: 1 }, { n: 3 }]);
    });

    it('readLines of a missing journal is empty', () => {
      expect(store.readLines('none.jsonl')).to.deep.equal([]);
    });

    it('replaceLines compacts a journal atomically', () => {
      store.appendLines('j.jsonl', [{ n: 1 }, { n: 2 }, { n: 3 }]);
      store.replaceLines('j.jsonl', [{ n: 9 }]);
      expect(store.readLines('j.jsonl')).to.deep.equal([{ n: 9 }]);
      expect(readdirSync(dir)).to.deep.equal(['j.jsonl']);
      expect(statSync(store.path('j.jsonl')).mode & 0o777).to.equal(0o600);
    });
  });

  it('creates its directory (mode 0700) when missing', () => {
    const nested = join(dir, 'a', 'clawarr');
    new StateStore(nested).writeJson('x.json', 1);
    expect(statSync(nested).mode & 0o777).to.equal(0o700);
  });

  it('defaultDir: CLAWARR_STATE_DIR wins, else clawarr/ under the user dir', () => {
    const saved = process.env.CLAWARR_STATE_DIR;
    try {
      delete process.env.CLAWARR_STATE_DIR;
      expect(StateStore.defaultDir('/data/node-red')).to.equal(join('/data/node-red', 'clawarr'));
      process.env.CLAWARR_STATE_DIR = '/srv/clawarr-state';
      expect(StateStore.defaultDir('/data/node-red')).to.equal('/srv/clawarr-state');
    } finally {
      if (saved === undefined) delete process.env.CLAWARR_STATE_DIR;
      else process.env.CLAWARR_STATE_DIR = saved;
    }
  });

  it('safeName keeps file names safe', () => {
    expect(safeName('trakt:alice/../x')).to.equal('trakt_alice_.._x');
    expect(safeName('simkl:bob.smith-1')).to.equal('simkl_bob.smith-1');
  });
});

describe('lib/store/token-store', () => {
  let dir: string;
  let tokens: TokenStore;
  beforeEach(() => {
    dir = tempDir();
    tokens = new TokenStore(new StateStore(dir));
  });
  afterEach(() => removeDir(dir));

  it('set / get / delete per config node, in a 0600 file', () => {
    tokens.set('node-1', { accessToken: 'access-1', refreshToken: 'refresh-1', expiresAt: 100 });
    tokens.set('node-2', { accessToken: 'access-2' });
    expect(tokens.get('node-1')).to.include({ accessToken: 'access-1', refreshToken: 'refresh-1', expiresAt: 100 });
    expect(statSync(join(dir, 'tokens.json')).mode & 0o777).to.equal(0o600);
    tokens.delete('node-1');
    expect(tokens.get('node-1')).to.equal(undefined);
    expect(tokens.get('node-2')?.accessToken).to.equal('access-2');
  });

  it('remembers hashes (never the values) of replaced access tokens', () => {
    tokens.set('n', { accessToken: 'access-old' });
    tokens.set('n', { accessToken: 'access-new' });
    const stored = tokens.get('n')!;
    expect(stored.previous).to.deep.equal([tokenHash('access-old')]);
    expect(readFileSync(join(dir, 'tokens.json'), 'utf8')).not.to.contain('access-old');
  });

  describe('startupTokens', () => {
    it('the store wins over an older copy in the credentials (a refresh replaced that token)', () => {
      // Deployed with A1; a refresh at run time stored A2 (credentials are only written on deploy).
      tokens.set('n', { accessToken: 'access-A1', refreshToken: 'refresh-A1' });
      tokens.set('n', { accessToken: 'access-A2', refreshToken: 'refresh-A2' });
      const fromCredentials: StoredTokens = { accessToken: 'access-A1', refreshToken: 'refresh-A1' };
      const chosen = startupTokens(fromCredentials, tokens.get('n'));
      expect(chosen?.accessToken).to.equal('access-A2');
      expect(chosen?.refreshToken).to.equal('refresh-A2');
    });

    it('the store wins after several refreshes too', () => {
      for (const n of [1, 2, 3, 4]) tokens.set('n', { accessToken: `access-${n}`, refreshToken: `refresh-${n}` });
      expect(startupTokens({ accessToken: 'access-1' }, tokens.get('n'))?.accessToken).to.equal('access-4');
    });

    it('the credentials win when they hold a token the store never had (pasted in the editor)', () => {
      tokens.set('n', { accessToken: 'access-A1' });
      tokens.set('n', { accessToken: 'access-A2' });
      const pasted: StoredTokens = { accessToken: 'access-PASTED', refreshToken: 'refresh-PASTED' };
      expect(startupTokens(pasted, tokens.get('n'))).to.equal(pasted);
    });

    it('the store is used when the credentials hold no token', () => {
      tokens.set('n', { accessToken: 'access-S' });
      expect(startupTokens(undefined, tokens.get('n'))?.accessToken).to.equal('access-S');
      expect(startupTokens({ accessToken: '' }, tokens.get('n'))?.accessToken).to.equal('access-S');
    });

    it('the credentials are used when the store is empty, and nothing when both are', () => {
      const creds: StoredTokens = { accessToken: 'access-C' };
      expect(startupTokens(creds, undefined)).to.equal(creds);
      expect(startupTokens(undefined, undefined)).to.equal(undefined);
      expect(startupTokens({ accessToken: '' }, undefined)).to.equal(undefined);
    });

    it('the same access token in both: the store copy (with its newer details) is used', () => {
      tokens.set('n', { accessToken: 'access-X', refreshToken: 'refresh-X', username: 'alice' });
      const chosen = startupTokens({ accessToken: 'access-X' }, tokens.get('n'));
      expect(chosen?.username).to.equal('alice');
    });
  });
});
