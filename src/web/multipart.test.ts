import { describe, expect, it } from 'vitest';
import { MAX_PARTS, parseMultipart } from './multipart.js';

const TYPE = 'multipart/form-data; boundary=----b0undary';
const part = (name: string, content: string | Buffer, fileName?: string): Buffer => Buffer.concat([
  Buffer.from(`------b0undary\r\nContent-Disposition: form-data; name="${name}"${fileName === undefined ? '' : `; filename="${fileName}"`}\r\n${fileName === undefined ? '' : 'Content-Type: application/octet-stream\r\n'}\r\n`),
  Buffer.isBuffer(content) ? content : Buffer.from(content), Buffer.from('\r\n'),
]);
const body = (...parts: Buffer[]): Buffer => Buffer.concat([...parts, Buffer.from('------b0undary--\r\n')]);

describe('parseMultipart', () => {
  it('reads text fields as UTF-8 and files byte for byte, including line breaks and boundary-like text inside', () => {
    const bytes = Buffer.from([0x7b, 0x0d, 0x0a, 0x2d, 0x2d, 0x00, 0xff, 0x0a, 0x7d]);
    const parsed = parseMultipart(body(part('_csrf', 'tökén'), part('bundle', bytes, 'миссия.ena-bundle')), TYPE);
    expect(parsed.fields).toEqual({ _csrf: 'tökén' });
    expect(parsed.files.bundle?.fileName).toBe('миссия.ena-bundle');
    expect(parsed.files.bundle?.bytes.equals(bytes)).toBe(true);
  });

  it('accepts a quoted boundary and an empty file', () => {
    const parsed = parseMultipart(body(part('bundle', '', '')), 'multipart/form-data; boundary="----b0undary"');
    expect(parsed.files.bundle?.bytes.length).toBe(0);
  });

  it('refuses what is not our form with a clear message', () => {
    expect(() => parseMultipart(Buffer.from('x'), 'application/json')).toThrow(/not multipart\/form-data with a boundary/);
    expect(() => parseMultipart(part('bundle', 'abc', 'f'), TYPE)).toThrow(/cut off/);
    expect(() => parseMultipart(Buffer.from('------b0undary\r\nX-Other: 1\r\n\r\nabc\r\n------b0undary--'), TYPE)).toThrow(/no field name/);
    const many = Array.from({ length: MAX_PARTS + 1 }, (_, i) => part(`f${i}`, 'v'));
    expect(() => parseMultipart(body(...many), TYPE)).toThrow(/more than 16 parts/);
    expect(() => parseMultipart(Buffer.from('no boundary here'), TYPE)).toThrow(/never occurs/);
  });
});
