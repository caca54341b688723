import { InputError } from '../http/http-errors.js';
import { jsonBody, parseWith } from '../http/request-parsing.js';
import { jsonResponse, routeHandler } from '../http/route-handler.js';
import { createSubscriptionRoute } from '../http/routes.js';
import { newSigningSecret } from '../webhooks/signing.js';
import { subscriptionRequestSchema } from '../webhooks/subscription-schemas.js';
import type { SubscriptionSettings } from '../webhooks/subscription-settings.js';
import { createSubscription } from '../webhooks/subscription-store.js';
import { publicView } from '../webhooks/subscription-view.js';
import { checkedAddresses, checkUrlShape, TargetRefused } from '../webhooks/target-guard.js';
import type { Runtime } from './runtime.js';

type Deps = Runtime & SubscriptionSettings;

/** The target is checked before anything is stored: an SSRF attempt is a 400 naming `url`. */
async function checkTarget(deps: Deps, url: string): Promise<void> {
  try {
    await checkedAddresses(checkUrlShape(url, deps.targetPolicy), deps.targetPolicy);
  } catch (error) {
    if (error instanceof TargetRefused)
      throw new InputError([{ field: 'url', message: error.message }], `The webhook URL is not allowed: ${error.message}`);
    throw error;
  }
}

export const createSubscriptionController = (deps: Deps) =>
  routeHandler(createSubscriptionRoute, deps, async (event, caller) => {
    const request = parseWith(subscriptionRequestSchema, jsonBody(event), [], 'The subscription');
    await checkTarget(deps, request.url);
    const secret = newSigningSecret();
    const subscription = await createSubscription(deps.feed, {
      ...request,
      subscriptionId: `sub_${deps.newId()}`,
      createdBy: caller?.principal ?? 'anonymous',
      secret,
    });
    return jsonResponse(201, { ...publicView(subscription), secret }, { location: `/subscriptions/${subscription.subscriptionId}` });
  });
