/**
 * The default VerificationSender: no SMS gateway, the code goes to the log so a developer can read
 * it. Production hosts pass their own sender (LoadAppOptions.verificationSender).
 */
import type { Logger } from '../logger';
import type { VerificationSender } from './types';

export function createLogVerificationSender(logger: Logger): VerificationSender {
  return {
    async send(phone, code, context) {
      logger.info('Verification code for local development (no SMS gateway configured; set a verificationSender to send real messages)', {
        phone,
        code,
        instance: context.instance,
      });
    },
  };
}
