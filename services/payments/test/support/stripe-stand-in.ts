/**
 * A STAND-IN FOR STRIPE'S API, FOR TESTS ONLY. Stripe cannot be reached from
 * the test environment, so this local HTTP server answers the handful of
 * endpoints the Stripe provider uses, in Stripe's wire format (form-encoded
 * requests, JSON objects and error envelopes, Idempotency-Key replay), so the
 * official SDK runs unmodified against it. It is not Stripe: it models only
 * what these tests need — test PaymentMethods, manual capture, refunds,
 * 3-D Secure — plus fault injection (5xx, answers that never arrive).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

type Json = Record<string, unknown>;
export type StripeOperation = 'create' | 'confirm' | 'retrieve' | 'capture' | 'cancel' | 'refund';
/** `500`: fails before doing anything. `hang-after`: does it, then the answer never arrives (the client times out). */
export type StandInFault = '500' | 'hang-before' | 'hang-after';

interface PaymentIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_capturable: number;
  amount_received: number;
  currency: string;
  status: string;
  capture_method: 'manual';
  client_secret: string;
  created: number;
  livemode: false;
  metadata: Json;
  last_payment_error: Json | null;
  latest_charge: string | null;
  next_action: Json | null;
  payment_method: string | null;
  payment_method_types: string[];
}

interface Charge {
  id: string;
  object: 'charge';
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  captured: boolean;
  refunded: boolean;
  currency: string;
  payment_intent: string;
  status: 'succeeded';
}

/** Stripe's documented test PaymentMethods and what they do. */
const TEST_PAYMENT_METHODS: Record<string, { outcome: 'ok' | 'declined' | 'insufficient' | '3ds'; last4: string }> = {
  pm_card_visa: { outcome: 'ok', last4: '4242' },
  pm_card_chargeDeclined: { outcome: 'declined', last4: '0002' },
  pm_card_chargeDeclinedInsufficientFunds: { outcome: 'insufficient', last4: '9995' },
  pm_card_authenticationRequired: { outcome: '3ds', last4: '3155' },
};

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

class StripeFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: Json,
  ) {
    super(String(body.message));
  }
}

/** `metadata[a]=1&expand[0]=x` → `{ metadata: { a: '1' }, expand: ['x'] }` */
function parseForm(text: string): Json {
  const out: Json = {};
  for (const [rawKey, value] of new URLSearchParams(text)) {
    const parts = rawKey.split(/\[|\]/).filter((p) => p !== '');
    let node: Json = out;
    parts.forEach((part, i) => {
      if (i === parts.length - 1) {
        node[part] = value;
      } else {
        node[part] ??= /^\d+$/.test(parts[i + 1] ?? '') ? [] : {};
        node = node[part] as Json;
      }
    });
  }
  return out;
}

export class StripeStandIn {
  readonly secretKey = 'sk_test_standin0123456789';
  readonly webhookSecret = 'whsec_standin0123456789';
  /** Requests that did the work, by operation (idempotent replays and faults before execution excluded). */
  readonly executions: Record<StripeOperation, number> = { create: 0, confirm: 0, retrieve: 0, capture: 0, cancel: 0, refund: 0 };
  readonly requests: { method: string; path: string; idempotencyKey: string | undefined }[] = [];
  readonly intents = new Map<string, PaymentIntent>();
  readonly charges = new Map<string, Charge>();
  private readonly replies = new Map<string, { fingerprint: string; status: number; body: Json }>();
  private readonly faults = new Map<StripeOperation, StandInFault[]>();
  private readonly sockets = new Set<Socket>();
  private server: Server | null = null;
  port = 0;

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  failNext(operation: StripeOperation, fault: StandInFault): void {
    this.faults.set(operation, [...(this.faults.get(operation) ?? []), fault]);
  }

  /** The shopper finishes (or fails) 3-D Secure in Stripe.js: the PaymentIntent moves on. */
  completeAuthentication(paymentIntentId: string, succeed: boolean): PaymentIntent {
    const pi = this.intent(paymentIntentId);
    if (succeed) {
      Object.assign(pi, { status: 'requires_capture', amount_capturable: pi.amount, next_action: null });
    } else {
      Object.assign(pi, {
        status: 'requires_payment_method',
        next_action: null,
        last_payment_error: { type: 'card_error', code: 'payment_intent_authentication_failure', message: 'The shopper failed authentication.' },
      });
    }
    return { ...pi };
  }

  /** A refund made in the Stripe dashboard, outside the platform. */
  refundFromDashboard(paymentIntentId: string, amount: number): Charge {
    const charge = this.chargeOf(this.intent(paymentIntentId));
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded === charge.amount_captured;
    return { ...charge };
  }

  intent(piId: string): PaymentIntent {
    const pi = this.intents.get(piId);
    if (!pi) throw new Error(`no PaymentIntent ${piId} in the stand-in`);
    return pi;
  }

  private chargeOf(pi: PaymentIntent): Charge {
    const charge = pi.latest_charge ? this.charges.get(pi.latest_charge) : undefined;
    if (!charge) throw new StripeFailure(400, { type: 'invalid_request_error', code: 'charge_not_found', message: `PaymentIntent ${pi.id} has no charge to refund.` });
    return charge;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const params = req.method === 'GET' ? parseForm(url.search.slice(1)) : parseForm(raw);
    const key = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : undefined;
    this.requests.push({ method: req.method ?? '', path: url.pathname, idempotencyKey: key });
    const reply = (status: number, body: Json) => {
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': id('req') });
      res.end(JSON.stringify(body));
    };

    if (req.headers.authorization !== `Bearer ${this.secretKey}`) {
      return reply(401, { error: { type: 'authentication_error', message: 'Invalid API Key provided.' } });
    }
    const route = this.route(req.method ?? '', url.pathname);
    if (!route) return reply(404, { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method}: ${url.pathname}).` } });

    const fingerprint = `${req.method} ${url.pathname} ${raw}`;
    if (key) {
      const stored = this.replies.get(key);
      if (stored) {
        if (stored.fingerprint !== fingerprint) {
          return reply(400, { error: { type: 'idempotency_error', message: `Keys for idempotent requests can only be used with the same parameters they were first used with.` } });
        }
        return reply(stored.status, stored.body);
      }
    }
    const fault = this.faults.get(route.operation)?.shift();
    if (fault === '500') return reply(500, { error: { type: 'api_error', message: 'An unknown error occurred (injected by the test).' } });
    if (fault === 'hang-before') return; // the socket stays open until the client gives up

    let status = 200;
    let body: Json;
    try {
      body = route.run(params);
    } catch (error) {
      if (!(error instanceof StripeFailure)) throw error;
      status = error.status;
      body = { error: error.body };
    }
    this.executions[route.operation] += 1;
    // Like Stripe: once a request ran, its answer is what every retry with the key gets.
    if (key && req.method === 'POST') this.replies.set(key, { fingerprint, status, body });
    if (fault === 'hang-after') return;
    reply(status, body);
  }

  private route(method: string, path: string): { operation: StripeOperation; run: (p: Json) => Json } | null {
    if (method === 'POST' && path === '/v1/payment_intents') return { operation: 'create', run: (p) => this.create(p) };
    if (method === 'POST' && path === '/v1/refunds') return { operation: 'refund', run: (p) => this.refund(p) };
    const match = /^\/v1\/payment_intents\/([^/]+)(?:\/(confirm|capture|cancel))?$/.exec(path);
    if (!match) return null;
    const [, piId = '', action] = match;
    if (method === 'GET' && !action) return { operation: 'retrieve', run: (p) => this.expand(this.intent404(piId), p) };
    if (method !== 'POST' || !action) return null;
    if (action === 'confirm') return { operation: 'confirm', run: (p) => this.confirm(this.intent404(piId), p) };
    if (action === 'capture') return { operation: 'capture', run: (p) => this.capture(this.intent404(piId), p) };
    return { operation: 'cancel', run: () => this.cancel(this.intent404(piId)) };
  }

  private intent404(piId: string): PaymentIntent {
    const pi = this.intents.get(piId);
    if (!pi) throw new StripeFailure(404, { type: 'invalid_request_error', code: 'resource_missing', message: `No such payment_intent: '${piId}'` });
    return pi;
  }

  private expand(pi: PaymentIntent, params: Json): Json {
    const expand = (params.expand as string[] | undefined) ?? [];
    const out: Json = { ...pi };
    if (expand.includes('payment_method') && pi.payment_method) {
      const known = TEST_PAYMENT_METHODS[pi.payment_method];
      out.payment_method = { id: pi.payment_method, object: 'payment_method', type: 'card', card: { brand: 'visa', last4: known?.last4 ?? '0000' } };
    }
    if (expand.includes('latest_charge') && pi.latest_charge) out.latest_charge = { ...this.charges.get(pi.latest_charge) };
    return out;
  }

  private create(p: Json): Json {
    const amount = Number(p.amount);
    if (!Number.isInteger(amount) || amount < 1) throw new StripeFailure(400, { type: 'invalid_request_error', param: 'amount', message: 'Invalid integer.' });
    const piId = id('pi');
    const pi: PaymentIntent = {
      id: piId,
      object: 'payment_intent',
      amount,
      amount_capturable: 0,
      amount_received: 0,
      currency: String(p.currency),
      status: 'requires_payment_method',
      capture_method: 'manual',
      client_secret: `${piId}_secret_${randomBytes(8).toString('hex')}`,
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      metadata: (p.metadata as Json | undefined) ?? {},
      last_payment_error: null,
      latest_charge: null,
      next_action: null,
      payment_method: null,
      payment_method_types: ['card'],
    };
    this.intents.set(piId, pi);
    if (p.confirm === 'true') return this.confirm(pi, p);
    return this.expand(pi, p);
  }

  private confirm(pi: PaymentIntent, p: Json): Json {
    if (pi.status !== 'requires_payment_method') {
      throw new StripeFailure(400, { type: 'invalid_request_error', code: 'payment_intent_unexpected_state', message: `This PaymentIntent's status is ${pi.status}.` });
    }
    const method = String(p.payment_method ?? '');
    const known = TEST_PAYMENT_METHODS[method];
    if (!known) throw new StripeFailure(400, { type: 'invalid_request_error', code: 'resource_missing', param: 'payment_method', message: `No such PaymentMethod: '${method}'` });
    pi.payment_method = method;
    if (known.outcome === 'declined' || known.outcome === 'insufficient') {
      const decline = known.outcome === 'declined' ? 'generic_decline' : 'insufficient_funds';
      const message = known.outcome === 'declined' ? 'Your card was declined.' : 'Your card has insufficient funds.';
      pi.last_payment_error = { type: 'card_error', code: 'card_declined', decline_code: decline, message };
      throw new StripeFailure(402, { type: 'card_error', code: 'card_declined', decline_code: decline, message, payment_intent: { ...pi } });
    }
    if (known.outcome === '3ds') {
      Object.assign(pi, { status: 'requires_action', next_action: { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect' } } });
      return this.expand(pi, p);
    }
    Object.assign(pi, { status: 'requires_capture', amount_capturable: pi.amount, last_payment_error: null });
    const charge: Charge = {
      id: id('ch'),
      object: 'charge',
      amount: pi.amount,
      amount_captured: 0,
      amount_refunded: 0,
      captured: false,
      refunded: false,
      currency: pi.currency,
      payment_intent: pi.id,
      status: 'succeeded',
    };
    this.charges.set(charge.id, charge);
    pi.latest_charge = charge.id;
    return this.expand(pi, p);
  }

  private capture(pi: PaymentIntent, p: Json): Json {
    if (pi.status !== 'requires_capture') {
      throw new StripeFailure(400, { type: 'invalid_request_error', code: 'payment_intent_unexpected_state', message: `This PaymentIntent could not be captured because it has a status of ${pi.status}.` });
    }
    const amount = p.amount_to_capture === undefined ? pi.amount_capturable : Number(p.amount_to_capture);
    if (amount > pi.amount_capturable) {
      throw new StripeFailure(400, { type: 'invalid_request_error', param: 'amount_to_capture', message: 'The amount to capture exceeds the amount capturable.' });
    }
    const charge = this.chargeOf(pi);
    Object.assign(pi, { status: 'succeeded', amount_received: amount, amount_capturable: 0 });
    Object.assign(charge, { amount_captured: amount, captured: true });
    return this.expand(pi, p);
  }

  private cancel(pi: PaymentIntent): Json {
    if (!['requires_payment_method', 'requires_capture', 'requires_action', 'requires_confirmation'].includes(pi.status)) {
      throw new StripeFailure(400, { type: 'invalid_request_error', code: 'payment_intent_unexpected_state', message: `You cannot cancel this PaymentIntent because it has a status of ${pi.status}.` });
    }
    Object.assign(pi, { status: 'canceled', amount_capturable: 0, next_action: null });
    return { ...pi };
  }

  private refund(p: Json): Json {
    const pi = this.intent404(String(p.payment_intent ?? ''));
    if (pi.status !== 'succeeded') {
      throw new StripeFailure(400, { type: 'invalid_request_error', code: 'charge_not_captured', message: 'This PaymentIntent has no captured charge to refund.' });
    }
    const charge = this.chargeOf(pi);
    const amount = p.amount === undefined ? charge.amount_captured - charge.amount_refunded : Number(p.amount);
    if (amount > charge.amount_captured - charge.amount_refunded) {
      throw new StripeFailure(400, { type: 'invalid_request_error', code: 'charge_already_refunded', message: `Refund amount (${amount}) is greater than unrefunded amount on charge.` });
    }
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded === charge.amount_captured;
    return { id: id('re'), object: 'refund', amount, currency: pi.currency, payment_intent: pi.id, charge: charge.id, status: 'succeeded', metadata: p.metadata ?? {} };
  }
}

/** A Stripe event envelope around an object, as Stripe posts it to a webhook endpoint. */
export function stripeEvent(type: string, object: unknown, eventId = id('evt')): string {
  return JSON.stringify({
    id: eventId,
    object: 'event',
    api_version: '2025-01-27.acacia',
    created: Math.floor(Date.now() / 1000),
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  });
}
