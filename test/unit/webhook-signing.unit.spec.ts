import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { newSigningSecret, sign, signedHeaders, webhookIdOf } from '../../functions/webhooks/signing.js';

describe('Standard Webhooks signing', () => {
  it('is verified by the standardwebhooks package, and a changed body or timestamp is not', () => {
    const secret = newSigningSecret();
    expect(secret).toMatch(/^whsec_/);
    const body = JSON.stringify({ type: 'talks.opened', talksId: 'x', version: 1 });
    const headers = signedHeaders(secret, 'msg_1', new Date(), body);
    const webhook = new Webhook(secret);
    expect(webhook.verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(() => webhook.verify(`${body} `, { ...headers })).toThrow();
    expect(() => webhook.verify(body, { ...headers, 'webhook-timestamp': String(Number(headers['webhook-timestamp']) + 1) })).toThrow();
    expect(() => new Webhook(newSigningSecret()).verify(body, { ...headers })).toThrow();
  });

  it("matches the specification's example signature", () => {
    // The example of the Standard Webhooks specification (its README's test vector).
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const body = '{"test": 2432232314}';
    expect(sign(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, body)).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('gives one id per (subscription, talks, version): the same on every retry and replay', () => {
    expect(webhookIdOf('s', 't', 1)).toBe(webhookIdOf('s', 't', 1));
    expect(new Set([webhookIdOf('s', 't', 1), webhookIdOf('s', 't', 2), webhookIdOf('s2', 't', 1), webhookIdOf('s', 't2', 1)]).size).toBe(
      4,
    );
  });
});
