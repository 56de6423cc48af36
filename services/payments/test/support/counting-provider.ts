/**
 * A test double around a real provider: it counts calls, remembers outcomes by
 * idempotency key the way a real payment provider does (so a resend is
 * answered, not executed again), and can be told to fail the next call of an
 * operation — before doing it, or after doing it and losing the answer.
 */
import type { PaymentMethodSummary, ProviderSnapshot } from '../../src/domain/payment.ts';
import {
  ProviderUnavailableError,
  type AuthorizationOutcome,
  type PaymentProvider,
  type ProviderName,
  type ProviderPayment,
} from '../../src/providers/provider.ts';

export type CountedOperation = 'authorize' | 'refresh' | 'capture' | 'void' | 'refund';
export type Fault = 'timeout-before' | 'timeout-after' | '5xx-before';

const zero = (): Record<CountedOperation, number> => ({ authorize: 0, refresh: 0, capture: 0, void: 0, refund: 0 });

export class CountingProvider implements PaymentProvider {
  /** Every call that reached the provider, resends included. */
  readonly calls = zero();
  /** Calls that actually moved money (or state) at the provider: distinct keys only. */
  readonly executions = zero();
  readonly keys: string[] = [];
  private readonly done = new Map<string, unknown>();
  private readonly faults = new Map<CountedOperation, Fault[]>();
  /** Milliseconds each call takes, so concurrent requests overlap for real. */
  delayMs = 0;

  constructor(private readonly inner: PaymentProvider) {}

  get name(): ProviderName {
    return this.inner.name;
  }

  failNext(operation: CountedOperation, fault: Fault): void {
    this.faults.set(operation, [...(this.faults.get(operation) ?? []), fault]);
  }

  describePaymentMethod(paymentMethod: string): PaymentMethodSummary {
    return this.inner.describePaymentMethod(paymentMethod);
  }

  authorize(payment: ProviderPayment, paymentMethod: string, key: string): Promise<AuthorizationOutcome> {
    return this.run('authorize', key, () => this.inner.authorize(payment, paymentMethod, key));
  }

  refresh(payment: ProviderPayment): Promise<ProviderSnapshot> {
    return this.run('refresh', null, () => this.inner.refresh(payment));
  }

  capture(payment: ProviderPayment, amount: number, key: string): Promise<{ amount: number }> {
    return this.run('capture', key, () => this.inner.capture(payment, amount, key));
  }

  void(payment: ProviderPayment, key: string): Promise<void> {
    return this.run('void', key, () => this.inner.void(payment, key));
  }

  refund(payment: ProviderPayment, amount: number, reason: string, key: string): Promise<{ refundRef: string }> {
    return this.run('refund', key, () => this.inner.refund(payment, amount, reason, key));
  }

  private async run<T>(operation: CountedOperation, key: string | null, call: () => Promise<T>): Promise<T> {
    this.calls[operation] += 1;
    if (key) this.keys.push(key);
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const fault = this.faults.get(operation)?.shift();
    if (fault === 'timeout-before') throw new ProviderUnavailableError(this.name, 'timed out (before the provider saw it)');
    if (fault === '5xx-before') throw new ProviderUnavailableError(this.name, 'answered 503');
    if (key && this.done.has(key)) return this.done.get(key) as T;
    const result = await call();
    this.executions[operation] += 1;
    if (key) this.done.set(key, result);
    if (fault === 'timeout-after') throw new ProviderUnavailableError(this.name, 'timed out (after the provider did it)');
    return result;
  }
}
