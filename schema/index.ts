import { builder } from './builder.js';
import './scalars.js';
import './source.js';
import './state.js';
import './mapping.js';
import './dead-letter.js';
import './connector.js';
import './lifecycle.js';
import './connector-deletion.js';
import './connector-check.js';
import './change.js';
import './audit.js';

/** The executable schema; `schema.graphql` beside this file is its printed form. */
export const schema = builder.toSchema({ sortSchema: false });
