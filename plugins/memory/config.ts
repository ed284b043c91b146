import { z } from 'zod';
import { baseConnectionConfig } from '../../core/plugin/kit.js';

/**
 * A memory connector's settings. `database` names a database registered with
 * `registerMemoryDatabase`; `host`, `port`, `user` and `password` are validated like every plugin's
 * but not used.
 */
export const memoryConfigSchema = baseConnectionConfig.extend({
  options: z
    .object({
      /** The capture slot's name; defaults to the connector's name. */
      slotName: z.string().trim().min(1, 'slotName must not be empty').max(63).optional(),
    })
    .strict()
    .default({}),
});

export type MemoryConfig = z.output<typeof memoryConfigSchema>;
