import { describe, expect, it } from 'vitest';
import { contactHint, contactLabel, normalContact } from '../../domain/contact.ts';

describe('normalContact: a contact as a Chinese keyboard types it', () => {
  it.each([
    ['13800138000', '13800138000'],
    ['１３８００１３８０００', '13800138000'],
    ['138 0013 8000', '13800138000'],
    ['138-0013-8000', '13800138000'],
    ['+86 138 0013 8000', '+8613800138000'],
    ['(010) 6275-1234', '01062751234'],
    ['（０１０）６２７５－１２３４', '01062751234'],
    ['010–6275.1234', '01062751234'],
    ['010-62751234转123', '01062751234转123'],
    ['010-62751234 分机 123', '01062751234转123'],
    ['010-62751234 ext. 123', '01062751234转123'],
    ['010-62751234 x123', '01062751234转123'],
    ['zhang@students.demo.edu.cn', 'zhang@students.demo.edu.cn'],
    ['ｚｈａｎｇ＠ｄｅｍｏ．ｅｄｕ．ｃｎ', 'zhang@demo.edu.cn'],
    ['zhang@demo。edu。cn', 'zhang@demo.edu.cn'],
    [' zhang@demo.edu.cn ', 'zhang@demo.edu.cn'],
  ])('%s → %s', (typed, kept) => {
    expect(normalContact(typed)).toBe(kept);
  });

  it.each([
    '找宿管',
    '12345',
    '138001380001380013800138',
    'abc@',
    '010-62751234转',
    '转123',
    '+',
    'a1b2c3d4e5',
  ])('refuses %s', (typed) => {
    expect(normalContact(typed)).toBeNull();
  });
});

describe('what the contact field says it takes', () => {
  it('names the landline it takes, beside the mobile and the email', () => {
    expect(normalContact('010-62751234')).not.toBeNull();
    expect(contactLabel.zh).toContain('座机');
    expect(contactLabel.en).toMatch(/landline/i);
    expect(contactHint.zh).toContain('座机');
    expect(contactHint.en).toMatch(/landline/);
  });

  it('gives an example the form takes, in each language', () => {
    const zh = /如 ([^）]+)）/.exec(contactHint.zh)?.[1];
    const en = /as in ([^)]+)\)/.exec(contactHint.en)?.[1];
    expect(zh).toBeDefined();
    expect(en).toBeDefined();
    expect(normalContact(zh!)).toBe('01062751234转123');
    expect(normalContact(en!)).toBe('01062751234转123');
  });
});
