/**
 * Whether a request comes from an administrator, for the admin routes outside the console (the
 * Stream status route): the same per-request decision as the console's (runtime/auth/admins.ts:
 * app.json `admins`, database grants, element-registered prefixes such as `dingtalk:`).
 */
import type { FastifyRequest } from 'fastify';
import type { AppHandle } from '../app-types';
import { decideAdmin } from '../auth/admins';
import { adminResolvers } from '../contributions';
import { authenticate, type Caller } from './session-auth';

/** The caller, and whether they are an administrator now (no session: caller null, admin false). */
export async function adminCaller(app: AppHandle, request: FastifyRequest): Promise<{ caller: Caller | null; admin: boolean }> {
  const caller = await authenticate(app, request);
  if (!caller) return { caller, admin: false };
  return { caller, admin: (await decideAdmin(app, caller.user, adminResolvers(app))).admin };
}

export async function isAdminRequest(app: AppHandle, request: FastifyRequest): Promise<boolean> {
  return (await adminCaller(app, request)).admin;
}
