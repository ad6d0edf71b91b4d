/**
 * Stream connection tickets (docs/dingtalk-facts.md §12): issued by `POST /v1.0/gateway/connections/open`,
 * valid 90 seconds on the simulator's clock, and good for one WebSocket handshake only.
 */
import { randomUUID } from 'node:crypto';
import type { SimClock } from '../clock';

export const TICKET_LIFETIME_MS = 90_000;

/** Above this many remembered tickets, expired and used ones are dropped. */
const PRUNE_THRESHOLD = 10_000;

export interface TicketGrant {
  appKey: string;
  corpId: string;
  ua?: string;
  localIp?: string;
}

interface TicketRecord extends TicketGrant {
  expiresAt: number;
  used: boolean;
}

export type TicketCheck = { ok: true; grant: TicketGrant } | { ok: false; reason: 'missing' | 'unknown' | 'used' | 'expired' };

export class TicketStore {
  private readonly tickets = new Map<string, TicketRecord>();

  constructor(private readonly clock: SimClock) {}

  issue(grant: TicketGrant): string {
    if (this.tickets.size > PRUNE_THRESHOLD) this.prune();
    // DingTalk's tickets look like UUIDs (docs/dingtalk-facts.md §12).
    const ticket = randomUUID();
    this.tickets.set(ticket, { ...grant, expiresAt: this.clock.now() + TICKET_LIFETIME_MS, used: false });
    return ticket;
  }

  /** Uses the ticket up if it is valid; a used or expired ticket is refused with the reason. */
  redeem(ticket: string | null | undefined): TicketCheck {
    if (!ticket) return { ok: false, reason: 'missing' };
    const record = this.tickets.get(ticket);
    if (!record) return { ok: false, reason: 'unknown' };
    if (record.used) return { ok: false, reason: 'used' };
    if (record.expiresAt <= this.clock.now()) return { ok: false, reason: 'expired' };
    record.used = true;
    const { appKey, corpId, ua, localIp } = record;
    return { ok: true, grant: { appKey, corpId, ua, localIp } };
  }

  private prune(): void {
    const now = this.clock.now();
    for (const [ticket, record] of this.tickets) if (record.used || record.expiresAt <= now) this.tickets.delete(ticket);
  }
}
