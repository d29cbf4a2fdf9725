import { expect, it } from 'vitest';
import { decimalUnits, picoUsd, usdText } from './money.js';

it('reads decimal text into whole units of a scale, exactly', () => {
  expect(decimalUnits('12.5', 6)).toBe(12_500_000n);
  expect(decimalUnits('0.000125', 6)).toBe(125n);
  expect(decimalUnits('3', 6)).toBe(3_000_000n);
  expect(decimalUnits('-1.25', 2)).toBe(-125n);
  expect(decimalUnits('.5', 1)).toBe(5n);
  expect(picoUsd('12345678.123456789012')).toBe(12_345_678_123_456_789_012n);
});

it('writes pico-USD as numeric(20, 12) text and reads it back unchanged', () => {
  expect(usdText(24_625_000_000n)).toBe('0.024625000000');
  expect(usdText(0n)).toBe('0.000000000000');
  expect(usdText(-1n)).toBe('-0.000000000001');
  for (const text of ['0.024625000000', '34691357.123456789012', '-2.500000000000'])
    expect(usdText(picoUsd(text))).toBe(text);
});
