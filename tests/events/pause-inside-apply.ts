/**
 * Preloaded (`node -r`) into a `jit org watch` child by the crash test: when a membership is about to
 * be recorded as `left` inside a live event's transaction (the binding already marked left and the
 * user already disabled, in that same transaction), it writes the marker file named by
 * JIT_TEST_PAUSE_MARKER and waits for ever, so the test can SIGKILL the process right there.
 */
import * as fs from 'node:fs';
import { OrgModel } from '../../elements/corps/models/OrgModel/OrgModel';

const marker = process.env.JIT_TEST_PAUSE_MARKER;
if (marker) {
  const original = OrgModel.prototype.updateMember;
  OrgModel.prototype.updateMember = async function (this: OrgModel, ...args: Parameters<OrgModel['updateMember']>) {
    if (args[1].status === 'left') {
      fs.writeFileSync(marker, 'paused inside the event transaction\n');
      await new Promise<never>(() => undefined);
    }
    return original.apply(this, args);
  };
}
