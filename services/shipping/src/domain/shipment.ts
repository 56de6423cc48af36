/**
 * A shipment and its state machine: pending → packed → shipped → delivered,
 * or cancelled before it ships. Shipping part of a shipment splits it: the
 * lines sent go with the carrier, the rest stays behind as a new pending
 * shipment of the same order. Illegal transitions throw with the current state.
 */
import { ShippingError } from './errors.ts';

export type ShipmentStatus = 'pending' | 'packed' | 'shipped' | 'delivered' | 'cancelled';

export interface ShipmentLine {
  sku: string;
  variantId: string;
  title: string;
  quantity: number;
}

export interface ShippingChoice {
  id: string;
  name: string;
  carrier: string;
  amount: { amount: number; currency: string };
}

export interface ShipmentState {
  id: string;
  orderId: string;
  orderNumber: string;
  customerId: string | null;
  email: string;
  status: ShipmentStatus;
  lines: ShipmentLine[];
  address: Record<string, string>;
  shippingOption: ShippingChoice | null;
  splitFrom: string | null;
  carrier: string | null;
  carrierName: string | null;
  trackingNumber: string | null;
  trackingUrl: string | null;
  captureOnShipment: boolean;
  paymentId: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  packedAt: Date | null;
  shippedAt: Date | null;
  deliveredAt: Date | null;
  cancelledAt: Date | null;
}

export interface Dispatch {
  carrier: string;
  carrierName: string | null;
  trackingNumber: string;
  trackingUrl: string | null;
}

export type NewShipment = Pick<ShipmentState, 'id' | 'orderId' | 'orderNumber' | 'customerId' | 'email' | 'lines' | 'address' | 'shippingOption' | 'captureOnShipment' | 'paymentId'>;

export class Shipment {
  private constructor(private state: ShipmentState) {}

  static create(input: NewShipment, now: Date, splitFrom: string | null = null): Shipment {
    return new Shipment({
      ...input,
      status: 'pending',
      splitFrom,
      carrier: null,
      carrierName: null,
      trackingNumber: null,
      trackingUrl: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
      packedAt: null,
      shippedAt: null,
      deliveredAt: null,
      cancelledAt: null,
    });
  }

  static restore(state: ShipmentState): Shipment {
    return new Shipment(state);
  }

  get id(): string {
    return this.state.id;
  }

  get status(): ShipmentStatus {
    return this.state.status;
  }

  snapshot(): ShipmentState {
    return structuredClone(this.state);
  }

  private touch(now: Date): void {
    this.state.version += 1;
    this.state.updatedAt = now;
  }

  pack(now: Date): void {
    if (this.state.status !== 'pending') throw ShippingError.illegalTransition(this.state.status, 'packed');
    this.state.status = 'packed';
    this.state.packedAt = now;
    this.touch(now);
  }

  /**
   * Hands the shipment (or the given lines of it) to a carrier. Returns the
   * shipment holding what was left behind, if only part was sent.
   */
  ship(dispatch: Dispatch, lines: { sku: string; quantity: number }[] | undefined, now: Date, remainderId: string): Shipment | undefined {
    if (this.state.status !== 'pending' && this.state.status !== 'packed') throw ShippingError.illegalTransition(this.state.status, 'shipped');
    let remainder: Shipment | undefined;
    if (lines && lines.length > 0) {
      const sent = new Map<string, number>();
      lines.forEach((line, index) => {
        const held = this.state.lines.find((l) => l.sku === line.sku);
        if (!held) throw ShippingError.lineNotInShipment(line.sku, index);
        if (sent.has(line.sku)) throw ShippingError.duplicateLine(line.sku, index);
        if (line.quantity > held.quantity) throw ShippingError.quantityTooLarge(line.sku, index, held.quantity);
        sent.set(line.sku, line.quantity);
      });
      const left = this.state.lines
        .map((l) => ({ ...l, quantity: l.quantity - (sent.get(l.sku) ?? 0) }))
        .filter((l) => l.quantity > 0);
      if (left.length > 0) {
        this.state.lines = this.state.lines.filter((l) => sent.has(l.sku)).map((l) => ({ ...l, quantity: sent.get(l.sku) ?? 0 }));
        remainder = Shipment.create(
          {
            id: remainderId,
            orderId: this.state.orderId,
            orderNumber: this.state.orderNumber,
            customerId: this.state.customerId,
            email: this.state.email,
            lines: left,
            address: this.state.address,
            shippingOption: this.state.shippingOption,
            captureOnShipment: this.state.captureOnShipment,
            paymentId: this.state.paymentId,
          },
          now,
          this.state.id,
        );
      }
    }
    this.state.status = 'shipped';
    this.state.carrier = dispatch.carrier;
    this.state.carrierName = dispatch.carrierName;
    this.state.trackingNumber = dispatch.trackingNumber;
    this.state.trackingUrl = dispatch.trackingUrl;
    this.state.shippedAt = now;
    this.touch(now);
    return remainder;
  }

  deliver(now: Date): void {
    if (this.state.status !== 'shipped') throw ShippingError.illegalTransition(this.state.status, 'delivered');
    this.state.status = 'delivered';
    this.state.deliveredAt = now;
    this.touch(now);
  }

  /** Calls off a shipment that has not left; one already with a carrier stays as it is (returns false). */
  cancel(now: Date): boolean {
    if (this.state.status !== 'pending' && this.state.status !== 'packed') return false;
    this.state.status = 'cancelled';
    this.state.cancelledAt = now;
    this.touch(now);
    return true;
  }
}
