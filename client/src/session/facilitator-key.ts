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
  localStorage.removeItem(LEADS);
}

const LEADS = 'holdspace.leads';

/** Who this device leads each room as, so coming back is the same facilitator, not a new co-facilitator. */
function leads(): Record<string, string> {
  try {
    const held = JSON.parse(localStorage.getItem(LEADS) ?? '{}') as unknown;
    return held && typeof held === 'object' ? (held as Record<string, string>) : {};
  } catch {
    return {};
  }
}

export function rememberedLead(roomId: string): string | null {
  const id = leads()[roomId];
  return typeof id === 'string' ? id : null;
}

export function rememberLead(roomId: string, facilitatorId: string): void {
  localStorage.setItem(LEADS, JSON.stringify({ ...leads(), [roomId]: facilitatorId }));
}

export function forgetLead(roomId: string): void {
  const { [roomId]: _forgotten, ...rest } = leads();
  localStorage.setItem(LEADS, JSON.stringify(rest));
}
