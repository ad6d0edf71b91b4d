/**
 * The bundled DingTalk simulator for a test file or a describe block, over real HTTP:
 *
 *   const sim = useSimulator();                 // started in beforeAll, closed in afterAll
 *   const sim = useSimulator({ org, seed: 5 }); // any of the simulator's own options
 *
 * Its limits stay on: DingTalk's 20 calls per second per app and API, as the simulator enforces
 * them by default. A suite that needs no throttle says so, with the reason beside it:
 *
 *   // Needs no throttle: fires 400 first logins at once; the limit is tests/sim/qps-limit.test.ts's subject.
 *   const sim = useSimulator({ qps: 'off' });
 *
 * `withSimulator` is the same inside one test, for a test that needs DingTalk to change between
 * steps (a new simulator on a modified org).
 */
import { startSimulator } from '../../sim';
import type { SimulatorHandle, SimulatorOptions } from '../../sim/types';
import { lateBound } from './late-bound';

export type { SimulatorHandle, SimulatorOptions };

/** A simulator started in beforeAll and closed in afterAll; options may be a function read then. */
export function useSimulator(options: SimulatorOptions | (() => SimulatorOptions) = {}): SimulatorHandle {
  const handle = lateBound<SimulatorHandle>('useSimulator()');
  beforeAll(async () => {
    handle.set(await startSimulator(typeof options === 'function' ? options() : options));
  });
  afterAll(async () => {
    await handle.current()?.close();
  });
  return handle.value;
}

/** A simulator for the duration of `fn`, closed however `fn` ends. */
export async function withSimulator<T>(options: SimulatorOptions, fn: (sim: SimulatorHandle) => Promise<T>): Promise<T> {
  const sim = await startSimulator(options);
  try {
    return await fn(sim);
  } finally {
    await sim.close();
  }
}
