/**
 * Who did it, for events an operator causes outside any request (the CLI): the audit row has no
 * client address then, so the details say it came from the command line and which system account
 * ran it.
 */
import * as os from 'node:os';

export interface CliActor {
  via: 'cli';
  /** The operating-system account that ran the command, when the system can tell. */
  osUser?: string;
}

export function cliActor(): CliActor {
  try {
    return { via: 'cli', osUser: os.userInfo().username };
  } catch {
    return { via: 'cli' };
  }
}
