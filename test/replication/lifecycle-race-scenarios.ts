import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, inject, it } from 'vitest';
import type { ContractTarget } from '../contract/index.js';
import { EngineHarness } from './engine-harness.js';

const MODES = ['INITIAL', 'INITIAL_ONLY', 'NO_DATA', 'NEVER', 'ALWAYS', 'SCHEMASYNC'] as const;
/** Milliseconds between the start and the next mutation: at once, during check/discover, during the copy or stream. */
const DELAYS = [0, 10, 50, 200] as const;
const OPERATIONS = ['stopConnector', 'restartConnector', 'deleteConnector'] as const;
/** A mutation that takes longer than this is hanging (a stop closes connections; it needs no more). */
const ANSWER_WITHIN_MS = 15_000;

/**
 * Stopping, restarting or deleting a connector at any moment after it was started answers
 * promptly, in every snapshot mode, and leaves the connector usable (issue 13 item 6: a stop that
 * arrived before the stream phase listened for it was never noticed, and every later mutation of
 * the connector queued behind it).
 */
export function describeLifecycleRaceScenarios(title: string, setup: () => Promise<ContractTarget>): void {
  const open = () => EngineHarness.open(inject('targetClusterUrl'), setup);

  describe(`lifecycle races: ${title}`, () => {
    for (const mode of MODES) {
      it(`stop, restart and delete right after start(${mode}) answer promptly at every moment`, async () => {
        await using h = await open();
        const table = await h.source.createTable('items', [{ name: 'id', type: 'integer' }], ['id']);
        await h.source.insert(table, [{ id: 1 }, { id: 2 }]);
        let n = 0;
        for (const operation of OPERATIONS) {
          for (const delay of DELAYS) {
            for (const before of ['fresh', 'streamed before'] as const) {
              const name = `race${n++}`;
              // each connector takes over the table the deleted one before it left behind
              await h.addConnector(name, { tables: [table], existingTables: 'TRUNCATE' });
              if (before === 'streamed before') {
                // a start with nothing to copy or build goes straight from discovery to the stream
                await h.lifecycle('startConnector', name);
                await h.waitForState(name, 'CHANGE_DATA_CAPTURE', 'POLLING');
                await h.lifecycle('stopConnector', name);
              }
              await h.lifecycle('startConnector', name, `, mode: ${mode}`);
              await sleep(delay);
              const answer =
                operation === 'deleteConnector'
                  ? h.graphql('mutation ($n: String!) { deleteConnector(name: $n, force: true) }', {
                      n: name,
                    })
                  : h.lifecycle(operation, name);
              await expect(
                withDeadline(answer, `${operation} ${delay} ms after start(${mode}), ${before}`),
              ).resolves.toBeDefined();
              // the connector is not stuck behind a hung mutation: the next one answers too
              if (operation !== 'deleteConnector') {
                await withDeadline(h.lifecycle('stopConnector', name), `stopConnector after ${operation}`);
                const view = await h.view(name);
                expect(view.active, `${name} after ${operation}`).toBe(false);
                await withDeadline(
                  h.graphql('mutation ($n: String!) { deleteConnector(name: $n, force: true) }', { n: name }),
                  `deleteConnector after ${operation}`,
                );
              }
            }
          }
        }
      }, 600_000);
    }
  });
}

async function withDeadline<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not answer within ${ANSWER_WITHIN_MS} ms`)),
      ANSWER_WITHIN_MS,
    );
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
