/** A response body as JSON, loosely typed: tests assert its shape themselves. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
// biome-ignore lint/suspicious/noExplicitAny: response bodies are read field by field in assertions
export const json = async (response: Response | Promise<Response>): Promise<any> => (await (await response).json()) as unknown;
