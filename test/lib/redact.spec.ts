import { expect } from 'chai';
import { redact, redactUrl, registerSecret } from '../../lib/core/redact';

describe('lib/core/redact', () => {
  it('masks registered secrets wherever they appear', () => {
    registerSecret('registered-client-secret-77');
    expect(redact('secret=registered-client-secret-77, again registered-client-secret-77')).to.equal('secret=***, again ***');
  });

  it('ignores empty and very short values (they would mask ordinary words)', () => {
    registerSecret('abc');
    registerSecret('');
    registerSecret(undefined);
    registerSecret(null);
    expect(redact('abc is fine')).to.equal('abc is fine');
  });

  it('masks apikey and token query values even when never registered', () => {
    expect(redact('GET http://tautulli:8181/api/v2?apikey=SECRET123456&cmd=get_history')).to.equal('GET http://tautulli:8181/api/v2?apikey=***&cmd=get_history');
    expect(redact('/x?cmd=a&api_key=K1234567')).to.equal('/x?cmd=a&api_key=***');
    expect(redact('/cb?code=abcdef123&state=s')).to.equal('/cb?code=***&state=s');
    expect(redact('/r?access_token=AT1234567#frag')).to.equal('/r?access_token=***#frag');
    expect(redact('/r?client_secret=CS1234567 trailing')).to.equal('/r?client_secret=*** trailing');
  });

  it('masks JSON secret fields', () => {
    const body = JSON.stringify({
      access_token: 'dbaf9757982a9e738f05d249b7b5b4a266b3a139',
      token_type: 'bearer',
      refresh_token: '76ba4c5c75c96f6087f58a4de10be6c00b29ea1d',
      device_code: 'd9c126a7706328d808914cfd1e40274b6e009f68',
      client_secret: 'd6ea27703957b69939b8104ed4524595e210cd2e',
      user_code: '5055CC52',
    });
    const out = redact(body);
    expect(out).to.contain('"access_token":"***"');
    expect(out).to.contain('"refresh_token":"***"');
    expect(out).to.contain('"device_code":"***"');
    expect(out).to.contain('"client_secret":"***"');
    expect(out).to.contain('"token_type":"bearer"');
    expect(out).to.contain('"user_code":"5055CC52"');
    for (const secret of ['dbaf9757982a', '76ba4c5c75c9', 'd9c126a77063', 'd6ea27703957']) expect(out).not.to.contain(secret);
  });

  it('masks JSON secret fields written with spaces', () => {
    expect(redact('{ "access_token" : "tok-123456789" }')).to.equal('{ "access_token" : "***" }');
  });

  it('masks Bearer tokens in any case', () => {
    expect(redact('Authorization: Bearer abc.DEF-123_456~xyz=')).to.equal('Authorization: Bearer ***');
    expect(redact('authorization: bearer abc123456')).to.equal('authorization: bearer ***');
  });

  it('leaves ordinary text alone', () => {
    const text = 'Trakt POST /sync/history failed with 422: validation error';
    expect(redact(text)).to.equal(text);
  });

  it('redactUrl masks secret query values and copes with no URL', () => {
    expect(redactUrl('/search/movie?query=heat&apikey=SECRET123456')).to.equal('/search/movie?query=heat&apikey=***');
    expect(redactUrl(undefined)).to.equal('');
  });
});
