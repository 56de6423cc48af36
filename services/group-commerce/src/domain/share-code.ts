/** Share codes: short, unguessable, easy to read aloud (no 0/O, 1/I/L). */
import { randomInt } from 'node:crypto';

const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const SHARE_CODE_LENGTH = 8;
export const SHARE_CODE_PATTERN = `^[${ALPHABET}]{${SHARE_CODE_LENGTH}}$`;

export function newShareCode(): string {
  let code = '';
  for (let i = 0; i < SHARE_CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}
