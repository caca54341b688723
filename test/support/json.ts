/** A response body as JSON, loosely typed: tests assert its shape themselves. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const json = async (response: Response | Promise<Response>): Promise<any> => (await (await response).json()) as unknown;
