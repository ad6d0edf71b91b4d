/**
 * The gateway stand-in (dingtalk-gateway.ts) in front of the simulator, for the client suites:
 *
 *   const { sim, gateway } = useGatewayOverSimulator({ freshEachTest: true });
 *
 * Both start in beforeAll and close in afterAll (the gateway first). The simulator keeps its limits
 * (DingTalk's 20 calls a second per app and API). `freshEachTest` clears, before each test, the
 * simulator's counters and faults and the gateway's arrivals, scripts and QPS limit.
 */
import { startSimulator } from '../../sim';
import type { SimulatorHandle, SimulatorOptions } from '../../sim/types';
import { lateBound } from './late-bound';
import { startGateway, type Gateway } from './dingtalk-gateway';

export function useGatewayOverSimulator(options: { simulator?: SimulatorOptions; freshEachTest?: boolean } = {}): { sim: SimulatorHandle; gateway: Gateway } {
  const sim = lateBound<SimulatorHandle>('useGatewayOverSimulator().sim');
  const gateway = lateBound<Gateway>('useGatewayOverSimulator().gateway');
  beforeAll(async () => {
    sim.set(await startSimulator(options.simulator));
    gateway.set(await startGateway(sim.value));
  });
  afterAll(async () => {
    await gateway.current()?.close();
    await sim.current()?.close();
  });
  if (options.freshEachTest) {
    beforeEach(() => {
      sim.value.resetCounters();
      sim.value.clearFaults();
      gateway.value.reset();
    });
  }
  return { sim: sim.value, gateway: gateway.value };
}
