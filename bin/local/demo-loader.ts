import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './local-service.js';

export interface Scenario {
  talksId: string;
  description: string;
  events: Record<string, unknown>[];
}

export const scenarioPath = join(repoRoot, 'scenarios', 'ceasefire-talks-2025-01-13.json');
/** The November 2023 truce: an agreement's whole life, from approval to its end while talks go on. */
export const truceScenarioPath = join(repoRoot, 'scenarios', 'truce-2023-11.json');
/** Every talks the demo loads, the 13 January 2025 talks last (so the list shows it first). */
export const demoScenarioPaths = [truceScenarioPath, scenarioPath];

export const loadScenario = (path = scenarioPath): Scenario => JSON.parse(readFileSync(path, 'utf8')) as Scenario;
export const loadDemoScenarios = (): Scenario[] => demoScenarioPaths.map((path) => loadScenario(path));

/**
 * Submits the scenario through the HTTP API, one development at a time as a desk would.
 * Event ids are fixed in the file, so loading twice stores nothing twice.
 */
export async function loadDemo(baseUrl: string, token: string, scenario = loadScenario()): Promise<{ appended: number; replayed: number }> {
  let appended = 0;
  let replayed = 0;
  for (const event of scenario.events) {
    const response = await fetch(`${baseUrl}/talks/${encodeURIComponent(scenario.talksId)}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(event),
    });
    if (response.status === 201) appended += 1;
    else if (response.status === 200) replayed += 1;
    else throw new Error(`Loading the demo failed at ${String(event.type)}: ${response.status} ${await response.text()}`);
  }
  return { appended, replayed };
}
