import { describe, expect, it } from 'vitest';
import { EventContractError, parseCloudEvent, type CloudEvent } from '@fusioncommerce/contracts';
import { fromKafkaMessage, toKafkaMessage } from '../../src/index.ts';
import { ItemRecorded } from './fixtures/probe-events.ts';

const event: CloudEvent = {
  specversion: '1.0',
  id: '01935c1e-7d3a-7c4e-9a2b-6f1d2e3c4b5a',
  source: '/fusioncommerce/probe',
  type: ItemRecorded.type,
  subject: 'item-42',
  time: '2026-11-21T10:00:00.000Z',
  datacontenttype: 'application/json',
  data: { seq: 3 },
};

/** As KafkaJS hands records to a consumer: bytes, not strings. */
const asReceived = (message: ReturnType<typeof toKafkaMessage>) => ({
  key: Buffer.from(String(message.key)),
  value: Buffer.from(String(message.value)),
  headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, Buffer.from(String(v))])),
});

describe('CloudEvents on Kafka records (binary mode)', () => {
  it('when an event is written, then the subject is the key, the data the value and the attributes ce_ headers', () => {
    const message = toKafkaMessage(event);
    expect(message.key).toBe('item-42');
    expect(JSON.parse(String(message.value))).toEqual({ seq: 3 });
    expect(message.headers).toEqual({
      ce_specversion: '1.0',
      ce_id: event.id,
      ce_source: '/fusioncommerce/probe',
      ce_type: 'probe.item.recorded',
      ce_subject: 'item-42',
      ce_time: '2026-11-21T10:00:00.000Z',
      'content-type': 'application/json',
    });
  });

  it('when a record is read back, then it is the same event and passes its contract', () => {
    const read = fromKafkaMessage(asReceived(toKafkaMessage(event)), 'fusion.probe/0/0');
    expect(read).toEqual(event);
    expect(parseCloudEvent(read)).toEqual(event);
  });

  it('when a record carries the whole envelope (structured mode), then it is read too', () => {
    const read = fromKafkaMessage({ key: 'item-42', value: JSON.stringify(event), headers: { 'content-type': 'application/cloudevents+json; charset=utf-8' } }, 'x');
    expect(parseCloudEvent(read)).toEqual(event);
  });

  it('when a record is not an event of ours, then it gets a stable id for its dead letter and fails its check', () => {
    const read = fromKafkaMessage({ key: null, value: Buffer.from('not json'), headers: {} }, 'fusion.probe/2/17');
    expect(read.id).toBe('fusion.probe/2/17');
    expect(read.data).toBe('not json');
    expect(() => parseCloudEvent(read)).toThrow(EventContractError);
  });
});
