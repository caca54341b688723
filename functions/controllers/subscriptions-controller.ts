import { NotFoundError } from '../domain/domain-errors.js';
import type { HttpEvent } from '../http/http-types.js';
import { parseWith } from '../http/request-parsing.js';
import { jsonResponse, routeHandler } from '../http/route-handler.js';
import { deleteSubscriptionRoute, listDeliveriesRoute } from '../http/routes.js';
import { subscriptionIdSchema } from '../webhooks/subscription-schemas.js';
import type { SubscriptionSettings } from '../webhooks/subscription-settings.js';
import { readSubscription, recentAttempts, reviseSubscription, type Subscription } from '../webhooks/subscription-store.js';
import { publicView } from '../webhooks/subscription-view.js';
import type { Runtime } from './runtime.js';

type Deps = Runtime & SubscriptionSettings;

const subscriptionIdParam = (event: HttpEvent): string =>
  parseWith(subscriptionIdSchema, event.pathParameters?.subscriptionId, ['subscriptionId'], 'The subscription id');

/** A subscription is the business of whoever made it: to anyone else it does not exist. */
async function ownSubscription(deps: Deps, event: HttpEvent, principal: string): Promise<Subscription> {
  const subscriptionId = subscriptionIdParam(event);
  const found = await readSubscription(deps.feed, subscriptionId);
  if (found === undefined || found.state === 'deleted' || found.createdBy !== principal)
    throw new NotFoundError(`No subscription ${subscriptionId}`);
  return found;
}

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
