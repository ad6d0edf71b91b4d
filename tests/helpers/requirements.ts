/**
 * Tests that need something the machine may lack (PostgreSQL, Chromium). When it is missing they
 * skip with the reason printed once, unless the requirement's env var is set (JIT_REQUIRE_PG=1,
 * JIT_REQUIRE_BROWSER=1; CI sets both): then they fail loudly, with a failing test, never a skip.
 */
import { postgresAvailability, PG_URL_ENV } from './postgres';

export interface Requirement {
  /** What is needed, for messages: 'PostgreSQL', 'Chromium'. */
  name: string;
  available: boolean;
  /** Why it is unavailable. */
  reason: string;
  /** The env var that makes it mandatory, e.g. 'JIT_REQUIRE_PG'. */
  requiredEnv: string;
}

/**
 * Reasons already printed. Each test file gets its own module registry, so a module-level set would
 * print once per file; the stderr stream object is shared by every file a worker process runs, so the
 * set lives on it and each reason prints once per worker.
 */
const ANNOUNCED = Symbol.for('jit.tests.announcedRequirements');
const sharedStderr = process.stderr as unknown as Record<symbol, Set<string> | undefined>;
const announced: Set<string> = (sharedStderr[ANNOUNCED] ??= new Set<string>());

/** true when the requirement is met. Otherwise prints why (once per process) and returns false, or throws when it is required. */
export function requirementMet(requirement: Requirement): boolean {
  if (requirement.available) return true;
  if (isRequired(requirement)) throw new Error(missingMessage(requirement));
  if (!announced.has(requirement.name)) {
    announced.add(requirement.name);
    // Straight to stderr: one plain line, without the code frame jest adds to console output.
    process.stderr.write(`Skipping ${requirement.name} tests: ${requirement.reason} (set ${requirement.requiredEnv}=1 to make this a failure)\n`);
  }
  return false;
}

/**
 * A `describe` that runs when the requirement is met, skips (reason printed once) when it is not,
 * and, when the requirement's env var is set, registers one failing test instead of skipping.
 */
export function describeWithRequirement(requirement: Requirement): (title: string, fn: () => void) => void {
  return (title, fn) => {
    if (requirement.available) return describe(title, fn);
    if (isRequired(requirement)) {
      return describe(title, () => {
        test(`requires ${requirement.name}`, () => {
          throw new Error(missingMessage(requirement));
        });
      });
    }
    requirementMet(requirement);
    describe.skip(title, fn);
  };
}

export function postgresRequirement(): Requirement {
  const { available, reason } = postgresAvailability();
  return { name: 'PostgreSQL', available, reason, requiredEnv: 'JIT_REQUIRE_PG' };
}

/** describe() for tests on the real PostgreSQL server. */
export function describeWithPostgres(title: string, fn: () => void): void {
  describeWithRequirement(postgresRequirement())(title, fn);
}

/** The admin URL of the test server, or null after printing why it is missing (throws under JIT_REQUIRE_PG=1). */
export function postgresOrSkip(): string | null {
  return requirementMet(postgresRequirement()) ? process.env[PG_URL_ENV]! : null;
}

function isRequired(requirement: Requirement): boolean {
  const value = process.env[requirement.requiredEnv];
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

function missingMessage(requirement: Requirement): string {
  return `${requirement.name} is required (${requirement.requiredEnv} is set) but unavailable: ${requirement.reason}`;
}
