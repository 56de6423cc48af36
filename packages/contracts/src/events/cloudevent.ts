/** The CloudEvents 1.0 envelope every event travels in (structured JSON mode). */
export interface CloudEvent<T = unknown> {
  specversion: '1.0';
  /** Unique per event (UUIDv7); consumers de-duplicate on it. */
  id: string;
  /** `/fusioncommerce/<service>` */
  source: string;
  /** `<service>.<entity>.<verb>` */
  type: string;
  /** The aggregate id: the ordering and partitioning key. */
  subject: string;
  /** RFC 3339 */
  time: string;
  datacontenttype: 'application/json';
  data: T;
}

export const sourceOf = (service: string): string => `/fusioncommerce/${service}`;
