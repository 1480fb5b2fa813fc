import { checkAttributeValue } from './attribute-value';

describe('typed custom attribute values', () => {
  it('accepts values of their type', () => {
    expect(checkAttributeValue('string', 'pro')).toEqual({ ok: true, value: 'pro' });
    expect(checkAttributeValue('number', 12.5)).toEqual({ ok: true, value: 12.5 });
    expect(checkAttributeValue('boolean', false)).toEqual({ ok: true, value: false });
  });

  it('stores dates as full UTC timestamps', () => {
    expect(checkAttributeValue('date', '2025-03-01')).toEqual({ ok: true, value: '2025-03-01T00:00:00.000Z' });
    expect(checkAttributeValue('date', '2025-03-01T12:00:00+02:00')).toEqual({ ok: true, value: '2025-03-01T10:00:00.000Z' });
  });

  it('refuses values of another type, saying what is expected', () => {
    expect(checkAttributeValue('number', '12')).toEqual({ ok: false, reason: 'must be a finite number' });
    expect(checkAttributeValue('number', Number.POSITIVE_INFINITY).ok).toBe(false);
    expect(checkAttributeValue('boolean', 'true')).toEqual({ ok: false, reason: 'must be true or false' });
    expect(checkAttributeValue('string', 3)).toEqual({ ok: false, reason: 'must be a string' });
    expect(checkAttributeValue('string', 'x'.repeat(1001)).ok).toBe(false);
    expect(checkAttributeValue('date', '2025-02-30').ok).toBe(false);
    expect(checkAttributeValue('date', 'yesterday').ok).toBe(false);
  });
});
