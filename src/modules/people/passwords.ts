import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * Passwords are kept only as scrypt hashes (node:crypto, memory-hard). Parameters: N = 2^15,
 * r = 8, p = 1 (32 MiB of memory and about a tenth of a second per hash on a small server), a
 * 16-byte random salt and a 32-byte key. The stored string names its parameters
 * ("scrypt$15$8$1$salt$key", base64url), so they can be raised later without locking anyone out.
 * Checking compares in constant time.
 */
const LOG_N = 15;
const BLOCK_SIZE = 8;
const PARALLEL = 1;
const KEY_BYTES = 32;
const MAX_MEMORY = 64 * 1024 * 1024;

export const MINIMUM_PASSWORD_LENGTH = 12;
export const MAXIMUM_PASSWORD_LENGTH = 200;

function derive(password: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize("NFKC"),
      salt,
      KEY_BYTES,
      { N: 2 ** logN, r, p, maxmem: MAX_MEMORY },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, LOG_N, BLOCK_SIZE, PARALLEL);
  return ["scrypt", LOG_N, BLOCK_SIZE, PARALLEL, salt.toString("base64url"), key.toString("base64url")].join(
    "$",
  );
}

/** Whether `password` is the one `stored` was made from; false for a hash this cannot read. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, logN, r, p, salt, key] = stored.split("$");
  if (scheme !== "scrypt" || !logN || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, "base64url");
  const actual = await derive(password, Buffer.from(salt, "base64url"), Number(logN), Number(r), Number(p));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * A hash of a password no one has, checked when the email given matches no one, so a sign-in for
 * an unknown email takes as long as one for a known email.
 */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(24).toString("base64url"));
  return decoy;
}

const COMMON_PASSWORDS_FILE = fileURLToPath(
  new URL("../../../data/passwords/common-passwords.txt", import.meta.url),
);

let common: ReadonlySet<string> | undefined;

/** The common passwords in data/passwords/common-passwords.txt, in lower case. */
export function commonPasswords(): ReadonlySet<string> {
  common ??= new Set(
    readFileSync(COMMON_PASSWORDS_FILE, "utf8")
      .split("\n")
      .map((line) => line.trim().toLowerCase())
      .filter((line) => line !== "" && !line.startsWith("#")),
  );
  return common;
}

/**
 * Why a new password is refused, or null. At least 12 characters; not a common password, nor a
 * common password with digits or symbols added at either end ("password1234"); not one
 * character repeated; not the person's email or name.
 */
export function passwordProblem(
  password: string,
  person: { email: string; displayName: string },
  list: ReadonlySet<string> = commonPasswords(),
): string | null {
  if (password.length < MINIMUM_PASSWORD_LENGTH) {
    return `Enter a password of at least ${MINIMUM_PASSWORD_LENGTH} characters; this one has ${password.length}`;
  }
  if (password.length > MAXIMUM_PASSWORD_LENGTH) {
    return `Enter a password of ${MAXIMUM_PASSWORD_LENGTH} characters or fewer`;
  }
  const lower = password.toLowerCase();
  const core = lower.replace(/^[^a-z]+|[^a-z]+$/g, "");
  if (list.has(lower) || (core.length >= 4 && list.has(core)) || /^(.)\1*$/.test(lower)) {
    return "That password is one of the most commonly used: choose one that is harder to guess, such as three random words";
  }
  const local = person.email.toLowerCase().split("@")[0] ?? "";
  const name = person.displayName.toLowerCase().replace(/\s+/g, "");
  if (
    (local.length >= 4 && lower.includes(local)) ||
    (name.length >= 4 && lower.replace(/\s+/g, "").includes(name))
  ) {
    return "The password must not contain your email address or name";
  }
  return null;
}
