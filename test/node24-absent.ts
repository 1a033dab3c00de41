// The `node 24: integration` project when no Node 24 is installed (jest.config.js): one real skip.
import { it } from '@jest/globals';
import { node24Why } from './helpers/node24.js';

it.skip(`the integration suites on Node 24 [skipped: ${node24Why ?? 'Node 24 not found by jest.config.js'}]`, () => undefined);
