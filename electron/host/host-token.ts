/**
 * Rules for a host token chosen by the operator (CLAB_PUBLISHER_TOKEN). The token is the only
 * thing between the network and publishing the lab's nodes, and it travels in the URL.
 */
export const MIN_TOKEN_LENGTH = 32;
/** Shannon estimate over the token's own characters; hex of 16 random bytes scores ~91-128. */
export const MIN_TOKEN_BITS = 80;

const HOW = `use at least ${MIN_TOKEN_LENGTH} random characters, e.g. CLAB_PUBLISHER_TOKEN=$(openssl rand -hex 32), or unset it for a new random token at every start`;

/** Why `token` is not acceptable, or undefined. Never quotes the token itself. */
export function hostTokenProblem(token: string): string | undefined {
  if (token.length < MIN_TOKEN_LENGTH) return `CLAB_PUBLISHER_TOKEN is ${token.length} characters long: ${HOW}`;
  if (!/^[A-Za-z0-9._~-]+$/.test(token)) return `CLAB_PUBLISHER_TOKEN has characters a URL would change (use only A-Z a-z 0-9 . _ ~ -): ${HOW}`;
  const bits = estimatedBits(token);
  if (bits < MIN_TOKEN_BITS || mostlySequential(token)) return `CLAB_PUBLISHER_TOKEN is too predictable (repeats or runs of characters, about ${Math.floor(bits)} bits): ${HOW}`;
  return undefined;
}

function estimatedBits(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let perChar = 0;
  for (const n of counts.values()) perChar -= (n / s.length) * Math.log2(n / s.length);
  return perChar * s.length;
}

/**
 * "abcdef…", "123456…", "aaaa…": three neighbours in four (or more) one code point apart or
 * equal. Not "half": random hex has about 17 % such pairs, and 1 in 70,000 tokens from
 * `openssl rand -hex 16` had more than half (measured over 2 million), none three quarters.
 */
function mostlySequential(s: string): boolean {
  let close = 0;
  for (let i = 1; i < s.length; i++) if (Math.abs(s.charCodeAt(i) - s.charCodeAt(i - 1)) <= 1) close++;
  return close * 4 > (s.length - 1) * 3;
}
