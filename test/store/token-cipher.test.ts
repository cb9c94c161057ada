import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { TokenCipherError, createTokenCipher } from "../../src/store/token-cipher.js";

const key = randomBytes(32);

describe("token cipher", () => {
  it.each([
    ["a Buffer", key],
    ["hex", key.toString("hex")],
    ["base64", key.toString("base64")],
    ["base64url", key.toString("base64url")],
  ])("round-trips with the key given as %s", (_, form) => {
    const cipher = createTokenCipher(form);
    const plain = "chase-access-token-ünïcode-✓";
    const sealed = cipher.encrypt(plain);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain("chase");
    expect(cipher.decrypt(sealed)).toBe(plain);
    // Every key form is the same key: one decrypts what another encrypted.
    expect(createTokenCipher(key).decrypt(sealed)).toBe(plain);
  });

  it("uses a fresh IV each time", () => {
    const cipher = createTokenCipher(key);
    const a = cipher.encrypt("same");
    const b = cipher.encrypt("same");
    expect(a).not.toBe(b);
    expect(a.split(".")[1]).not.toBe(b.split(".")[1]);
  });

  it("round-trips the empty string", () => {
    const cipher = createTokenCipher(key);
    expect(cipher.decrypt(cipher.encrypt(""))).toBe("");
  });

  it.each([
    ["the ciphertext", 3],
    ["the tag", 2],
    ["the iv", 1],
  ])("refuses a token whose %s was changed", (_, part) => {
    const cipher = createTokenCipher(key);
    const parts = cipher.encrypt("secret-token").split(".");
    const bytes = Buffer.from(parts[part]!, "base64url");
    bytes[0] = bytes[0]! ^ 0x01;
    parts[part] = bytes.toString("base64url");
    expect(() => cipher.decrypt(parts.join("."))).toThrow(
      new TokenCipherError("Token ciphertext failed authentication: it was tampered with or encrypted under another key"),
    );
  });

  it("refuses a token encrypted under another key", () => {
    const sealed = createTokenCipher(key).encrypt("secret-token");
    expect(() => createTokenCipher(randomBytes(32)).decrypt(sealed)).toThrow(/failed authentication/);
  });

  it.each([
    ["no dots", "garbage", "Malformed token ciphertext: expected v1.<iv>.<tag>.<ciphertext>"],
    ["another version", "v2.AAAA.AAAA.AAAA", 'Unsupported token ciphertext version "v2"'],
    ["a non-base64url part", "v1.@@@.AAAA.AAAA", "Malformed token ciphertext: iv is not base64url"],
    ["a short iv", "v1.AAAA.AAAAAAAAAAAAAAAAAAAAAA.AAAA", "Malformed token ciphertext: wrong iv or tag length"],
  ])("refuses a malformed token (%s)", (_, text, message) => {
    expect(() => createTokenCipher(key).decrypt(text)).toThrow(new TokenCipherError(message));
  });

  it.each([
    ["16 bytes", randomBytes(16), /must be 32 bytes \(AES-256\), got 16 from the Buffer/],
    ["31 bytes as hex (read as base64)", "ab".repeat(31), /must be 32 bytes \(AES-256\), got 46 from base64 \(hex keys are exactly 64 characters\)/],
    ["24 bytes as base64", randomBytes(24).toString("base64"), /must be 32 bytes \(AES-256\), got 24 from base64/],
    ["not an encoding", "not a key!", /hex \(64 characters\) or base64/],
  ])("refuses a key of %s", (_, bad, message) => {
    expect(() => createTokenCipher(bad)).toThrow(message);
    expect(() => createTokenCipher(bad)).toThrow(TokenCipherError);
  });

  it("never puts key material in its errors", () => {
    const short = randomBytes(16).toString("hex");
    try {
      createTokenCipher(short);
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).not.toContain(short);
    }
  });
});
