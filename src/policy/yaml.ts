// The `yaml` package, loaded on first use. Every sandboxed command starts the CLI, and few of them
// read a policy file: loading yaml up front costs about 5 ms of CPU per start (measured on the
// bundled CLI), a third of the start-up budget (bench/). The load must stay synchronous (the
// readers are), so it is a `require`: in the bundles (dist/) the bundler sees the bare
// `require('yaml')`, includes the package and evaluates it only when this function runs; in
// lib/ (ESM, the tests) there is no `require`, and one is made for this module.
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

declare const require: ((id: 'yaml') => typeof Yaml) | undefined;

let loaded: typeof Yaml | undefined;

export function yaml(): typeof Yaml {
  loaded ??= typeof require === 'function' ? require('yaml') : (createRequire(import.meta.url)('yaml') as typeof Yaml);
  return loaded;
}
