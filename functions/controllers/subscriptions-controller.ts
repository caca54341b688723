import { NotFoundError } from '../domain/domain-errors.js';
import { InputError } from '../http/http-errors.js';
import type { HttpEvent } from '../http/http-types.js';
import { jsonBody, parseWith } from '../http/request-parsing.js';
import { jsonResponse, routeHandler } from '../http/route-handler.js';
import { createSubscriptionRoute, deleteSubscriptionRoute, listDeliveriesRoute } from '../http/routes.js';
import { newSigningSecret } from '../webhooks/signing.js';
import { subscriptionIdSchema, subscriptionRequestSchema } from '../webhooks/subscription-schemas.js';
import type { SubscriptionSettings } from '../webhooks/subscription-settings.js';
import {
  createSubscription,
  readSubscription,
  recentAttempts,
  reviseSubscription,
  type Subscription,
} from '../webhooks/subscription-store.js';
import { checkedAddresses, checkUrlShape, TargetRefused } from '../webhooks/target-guard.js';
import type { Runtime } from './runtime.js';

type Deps = Runtime & SubscriptionSettings;

const subscriptionIdParam = (event: HttpEvent): string =>
  parseWith(subscriptionIdSchema, event.pathParameters?.subscriptionId, ['subscriptionId'], 'The subscription id');

/** What the API shows of a subscription: never its secret, nor its bookkeeping. */
export const publicView = (s: Subscription) => ({
  subscriptionId: s.subscriptionId,
  url: s.url,
  talksIds: s.talksIds,
  types: s.types,
  state: s.state,
  createdAt: s.createdAt,
  ...(s.pausedAt === undefined ? {} : { pausedAt: s.pausedAt }),
});

/** A subscription is the business of whoever made it: to anyone else it does not exist. */
async function ownSubscription(deps: Deps, event: HttpEvent, principal: string): Promise<Subscription> {
  const subscriptionId = subscriptionIdParam(event);
  const found = await readSubscription(deps.feed, subscriptionId);
  if (found === undefined || found.state === 'deleted' || found.createdBy !== principal)
    throw new NotFoundError(`No subscription ${subscriptionId}`);
  return found;
}

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

export const listDeliveriesController = (deps: Deps) =>
  routeHandler(listDeliveriesRoute, deps, async (event, caller) => {
    const subscription = await ownSubscription(deps, event, caller?.principal ?? 'anonymous');
    const items = await recentAttempts(deps.feed, subscription.subscriptionId, 100);
    return jsonResponse(200, { subscription: publicView(subscription), items }, { 'cache-control': 'no-store' });
  });

export const deleteSubscriptionController = (deps: Deps) =>
  routeHandler(deleteSubscriptionRoute, deps, async (event, caller) => {
    const subscription = await ownSubscription(deps, event, caller?.principal ?? 'anonymous');
    const at = deps.feed.now().toISOString();
    await reviseSubscription(deps.feed, subscription.subscriptionId, (current) =>
      current.state === 'deleted' ? undefined : { ...current, state: 'deleted', deletedAt: at },
    );
    return { statusCode: 204, headers: {}, body: '' };
  });
