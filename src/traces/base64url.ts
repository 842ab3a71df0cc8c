// base64url (RFC 4648 §5) without padding, for permalink payloads: bytes to text and back,
// with a strict decoder that says where the text stops being base64url. No Buffer, so it runs in browsers.
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

/** `bytes` as base64url without `=` padding. */
export function toBase64Url(bytes: Uint8Array): string {
  let out = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]!;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]!;
  }
  return out;
}

/** Why `text` is not unpadded base64url, or undefined when it is. */
export function base64UrlProblem(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || VALUE[c] === -1) {
      return `character ${i + 1} is ${JSON.stringify(text[i])}, which base64url (A-Z, a-z, 0-9, "-", "_", no padding) does not use`;
    }
  }
  if (text.length % 4 === 1) return `its length, ${text.length}, is one more than a multiple of 4, which no base64url text has: the link was probably cut short`;
  return undefined;
}

/** The bytes `text` encodes; throws a plain Error (see base64UrlProblem) when it is not unpadded base64url. */
export function fromBase64Url(text: string): Uint8Array {
  const problem = base64UrlProblem(text);
  if (problem !== undefined) throw new Error(problem);
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let o = 0;
  let i = 0;
  for (; i + 3 < text.length; i += 4) {
    const n = (VALUE[text.charCodeAt(i)]! << 18) | (VALUE[text.charCodeAt(i + 1)]! << 12) | (VALUE[text.charCodeAt(i + 2)]! << 6) | VALUE[text.charCodeAt(i + 3)]!;
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 255;
    out[o++] = n & 255;
  }
  const rest = text.length - i;
  if (rest >= 2) {
    const n = (VALUE[text.charCodeAt(i)]! << 18) | (VALUE[text.charCodeAt(i + 1)]! << 12) | (rest === 3 ? VALUE[text.charCodeAt(i + 2)]! << 6 : 0);
    out[o] = n >> 16;
    if (rest === 3) out[o + 1] = (n >> 8) & 255;
  }
  return out;
}
