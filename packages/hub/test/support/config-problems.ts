import { ConfigError } from '../../src/index';

/** The problems of the ConfigError `run` throws; fails the test when it throws nothing or something else. */
export function problemsOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('no ConfigError');
}
