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
 *
 * Closing order: jest runs the afterAll hooks of a block in the order they were declared, so the
 * simulator's would run before those of the apps declared after it. An app opened against it
 * (openLoginApp, useLoginApp) holds it instead: the simulator closes when the last app on it has closed.
 */
import { startSimulator } from '../../sim';
import type { SimulatorHandle, SimulatorOptions } from '../../sim/types';
import { lateBound } from './late-bound';

export type { SimulatorHandle, SimulatorOptions };

interface Holds {
  count: number;
  closeRequested: boolean;
  close(): Promise<void>;
}
const holds = new WeakMap<SimulatorHandle, Holds>();

/** A simulator started in beforeAll and closed in afterAll (once no app holds it); options may be a function read then. */
export function useSimulator(options: SimulatorOptions | (() => SimulatorOptions) = {}): SimulatorHandle {
  const handle = lateBound<SimulatorHandle>('useSimulator()');
  const state: Holds = { count: 0, closeRequested: false, close: async () => void (await handle.current()?.close()) };
  holds.set(handle.value, state);
  beforeAll(async () => {
    handle.set(await startSimulator(typeof options === 'function' ? options() : options));
  });
  afterAll(async () => {
    if (state.count > 0) state.closeRequested = true;
    else await state.close();
  });
  return handle.value;
}

/**
 * Keeps a useSimulator() simulator open until `release` is called (a no-op for a simulator started
 * otherwise): what an app opened against it does, so it is closed before DingTalk goes.
 */
export function holdSimulator(sim: SimulatorHandle): () => Promise<void> {
  const state = holds.get(sim);
  if (!state) return async () => undefined;
  state.count += 1;
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    state.count -= 1;
    if (state.count === 0 && state.closeRequested) {
      state.closeRequested = false;
      await state.close();
    }
  };
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
