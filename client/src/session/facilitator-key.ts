const KEY = 'holdspace.facilitatorKey';

/** The facilitator key arrives in the URL fragment once; the console keeps it on this device. */
export function takeKeyFromFragment(hash: string): string | null {
  const key = new URLSearchParams(hash.replace(/^#/, '')).get('key');
  return key && key.length >= 16 ? key : null;
}

export function rememberedKey(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function rememberKey(key: string): void {
  localStorage.setItem(KEY, key);
}

export function forgetKey(): void {
  localStorage.removeItem(KEY);
}
