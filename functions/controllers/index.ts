import type { HttpEvent, HttpResponse } from '../http/http-types.js';
import {
  type AnyRouteId,
  appendEventsRoute,
  auditTalksRoute,
  createSubscriptionRoute,
  deleteSubscriptionRoute,
  getCheckpointRoute,
  getConsistencyProofRoute,
  getHistoryRoute,
  getInclusionProofRoute,
  getJwksRoute,
  getOpenApiRoute,
  getStatusRoute,
  listDeliveriesRoute,
  listTalksRoute,
  statusPageFileRoute,
  statusPageRoute,
} from '../http/routes.js';
import type { SubscriptionSettings } from '../webhooks/subscription-settings.js';
import { appendEventsController } from './append-events-controller.js';
import { auditTalksController } from './audit-talks-controller.js';
import { createSubscriptionController } from './create-subscription-controller.js';
import { getCheckpointController } from './get-checkpoint-controller.js';
import { getHistoryController } from './get-history-controller.js';
import { getJwksController } from './get-jwks-controller.js';
import { getOpenApiController } from './get-openapi-controller.js';
import { getConsistencyProofController, getInclusionProofController } from './get-proof-controllers.js';
import { getStatusController } from './get-status-controller.js';
import { listTalksController } from './list-talks-controller.js';
import type { PageSettings, Runtime } from './runtime.js';
import { statusPageController } from './status-page-controller.js';
import { deleteSubscriptionController, listDeliveriesController } from './subscriptions-controller.js';

export type HttpHandler = (event: HttpEvent) => Promise<HttpResponse>;

/** Everything any controller may be given; each factory takes only the part it needs. */
export type ControllerDeps = Runtime & PageSettings & SubscriptionSettings;
export type ControllerFactory = (deps: ControllerDeps) => HttpHandler;

/**
 * The controller of every route, by route id: the local server builds its handlers from
 * this map, and each Lambda entry (functions/handlers/) calls the same factory. Keyed by
 * every route of the contract, so a route without a controller does not compile; an infra
 * test proves each route's deployed entry builds the controller named here.
 */
export const controllers = {
  [appendEventsRoute.id]: appendEventsController,
  [listTalksRoute.id]: listTalksController,
  [getStatusRoute.id]: getStatusController,
  [getHistoryRoute.id]: getHistoryController,
  [auditTalksRoute.id]: auditTalksController,
  [getOpenApiRoute.id]: getOpenApiController,
  [createSubscriptionRoute.id]: createSubscriptionController,
  [listDeliveriesRoute.id]: listDeliveriesController,
  [deleteSubscriptionRoute.id]: deleteSubscriptionController,
  [getCheckpointRoute.id]: getCheckpointController,
  [getJwksRoute.id]: getJwksController,
  [getInclusionProofRoute.id]: getInclusionProofController,
  [getConsistencyProofRoute.id]: getConsistencyProofController,
  // One function serves both of the page's routes, on AWS as locally.
  [statusPageRoute.id]: statusPageController,
  [statusPageFileRoute.id]: statusPageController,
} as const satisfies Record<AnyRouteId, ControllerFactory>;
