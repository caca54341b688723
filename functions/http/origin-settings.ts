/**
 * Names the CDN and the functions share (the stack imports this module, so it imports
 * nothing): the header CloudFront adds with the secret, and the environment the stack sets.
 */
export const originVerifyHeader = 'x-origin-verify';
export const originSecretEnvVar = 'ORIGIN_VERIFY_SECRET';
/** The address clients are to call (the CDN's), for the OpenAPI document's server URL. */
export const publicUrlEnvVar = 'PUBLIC_URL';
