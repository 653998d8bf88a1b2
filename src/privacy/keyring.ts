/**
 * Keys for personal data. One 32-byte master key (environment or key file) derives, by
 * HKDF-SHA256, separate keys for: AES-256-GCM encryption of PII, the HMAC that finds a
 * person by document number, and the HMAC of bearer tokens and API keys. Ciphertexts are
 * envelopes `v1 | iv(12) | tag(16) | ciphertext`, bound to a context string (AAD).
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const VERSION = 1;

export interface Keyring {
  encrypt(plaintext: string, context: string): Buffer;
  decrypt(envelope: Buffer, context: string): string;
  /** HMAC-SHA256 of a document: type + normalised number. */
  documentHmac(docType: string, normalizedNumber: string): Buffer;
  /** HMAC-SHA256 of a secret token (session token, API key) for lookup without storing it. */
  tokenHmac(token: string): Buffer;
}

export function createKeyring(masterKey: Buffer): Keyring {
  if (masterKey.length !== 32) throw new Error('master key must be 32 bytes');
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), info, 32));
  const encKey = derive('portrait/pii-encryption/v1');
  const docKey = derive('portrait/document-hmac/v1');
  const tokKey = derive('portrait/token-hmac/v1');
  return {
    encrypt(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      cipher.setAAD(Buffer.from(context));
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), ct]);
    },
    decrypt(envelope, context) {
      if (envelope.length < 29 || envelope[0] !== VERSION) throw new Error('not a Portrait v1 envelope');
      const decipher = createDecipheriv('aes-256-gcm', encKey, envelope.subarray(1, 13));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(envelope.subarray(13, 29));
      return Buffer.concat([decipher.update(envelope.subarray(29)), decipher.final()]).toString('utf8');
    },
    documentHmac(docType, normalizedNumber) {
      return createHmac('sha256', docKey).update(`${docType}\u0000${normalizedNumber}`).digest();
    },
    tokenHmac(token) {
      return createHmac('sha256', tokKey).update(token).digest();
    },
  };
}

export interface MasterKeySource { masterKey: string | undefined; keyFile: string }

/**
 * The master key from the environment, else from the key file, else a new key file
 * (mode 0600). `warn` is told when a key file is created: losing it loses all PII.
 */
export function loadMasterKey(src: MasterKeySource, warn: (msg: string) => void): Buffer {
  if (src.masterKey) return Buffer.from(src.masterKey, 'hex');
  if (existsSync(src.keyFile)) {
    const hex = readFileSync(src.keyFile, 'utf8').trim();
    if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error(`Key file ${src.keyFile} does not hold 64 hex characters`);
    return Buffer.from(hex, 'hex');
  }
  const key = randomBytes(32);
  mkdirSync(dirname(src.keyFile), { recursive: true });
  writeFileSync(src.keyFile, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  warn(`Created a new master key in ${src.keyFile}. Back it up and keep it secret: without it the encrypted personal data cannot be read. Set PORTRAIT_MASTER_KEY in production.`);
  return key;
}
