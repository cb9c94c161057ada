/**
 * Encryption at rest for the banks' access tokens (AES-256-GCM, node:crypto). A database dump
 * alone then yields no usable bank token; the key lives outside the database (`TOKEN_KEY`).
 *
 * Format: `v1.<iv>.<tag>.<ciphertext>`, each part base64url. The version prefix lets a later key
 * or algorithm coexist with rows written by this one; it is also bound in as additional
 * authenticated data, so a ciphertext cannot be relabelled as another version.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/** Encrypts and decrypts bank access tokens. */
export interface TokenCipher {
  /** Returns a fresh `v1.…` ciphertext; the same plaintext never encrypts the same way twice. */
  encrypt(plaintext: string): string;
  /** Throws {@link TokenCipherError} when the text is malformed, tampered or from another key. */
  decrypt(ciphertext: string): string;
}

/** Why a key or a ciphertext was refused. The message never contains key or token material. */
export class TokenCipherError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TokenCipherError";
  }
}

const VERSION = "v1";
const ALGORITHM = "aes-256-gcm";
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const AAD = Buffer.from(`bankgraph.token.${VERSION}`);
const HEX_KEY = /^[0-9a-fA-F]{64}$/;
const BASE64_KEY = /^[A-Za-z0-9+/_-]+={0,2}$/;
const BASE64URL_PART = /^[A-Za-z0-9_-]*$/;

function parseKey(key: Buffer | string): Buffer {
  let bytes: Buffer;
  let source: string;
  if (Buffer.isBuffer(key)) [bytes, source] = [key, "the Buffer"];
  else if (HEX_KEY.test(key)) [bytes, source] = [Buffer.from(key, "hex"), "hex"];
  else if (BASE64_KEY.test(key)) {
    [bytes, source] = [Buffer.from(key, "base64"), "base64 (hex keys are exactly 64 characters)"];
  } else throw new TokenCipherError("Token key must be 32 bytes given as hex (64 characters) or base64");
  if (bytes.length !== KEY_BYTES) {
    throw new TokenCipherError(
      `Token key must be ${KEY_BYTES} bytes (AES-256), got ${bytes.length} from ${source}; ` +
        "generate one with: node -e \"console.log(require('crypto').randomBytes(32).toString('base64'))\"",
    );
  }
  return Buffer.from(bytes); // a private copy: the caller may reuse or zero its buffer
}

function decodePart(part: string, name: string): Buffer {
  if (!BASE64URL_PART.test(part)) throw new TokenCipherError(`Malformed token ciphertext: ${name} is not base64url`);
  return Buffer.from(part, "base64url");
}

/**
 * Creates a cipher from a 32-byte key: a `Buffer`, or a string in hex (64 characters) or
 * base64/base64url. Throws {@link TokenCipherError} for any other length.
 */
export function createTokenCipher(key: Buffer | string): TokenCipher {
  const secret = parseKey(key);
  return {
    encrypt(plaintext) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, secret, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(AAD);
      const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, iv, tag, body].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
    },
    decrypt(ciphertext) {
      const parts = ciphertext.split(".");
      if (parts.length !== 4) {
        throw new TokenCipherError("Malformed token ciphertext: expected v1.<iv>.<tag>.<ciphertext>");
      }
      const [version, ivPart, tagPart, bodyPart] = parts as [string, string, string, string];
      if (version !== VERSION) throw new TokenCipherError(`Unsupported token ciphertext version "${version}"`);
      const iv = decodePart(ivPart, "iv");
      const tag = decodePart(tagPart, "tag");
      const body = decodePart(bodyPart, "ciphertext");
      if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
        throw new TokenCipherError("Malformed token ciphertext: wrong iv or tag length");
      }
      const decipher = createDecipheriv(ALGORITHM, secret, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(AAD);
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
      } catch {
        throw new TokenCipherError("Token ciphertext failed authentication: it was tampered with or encrypted under another key");
      }
    },
  };
}
