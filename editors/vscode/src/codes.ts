// Shapes the answer of `freebusy.listCodes` into quick-pick items. Pure.

export interface CodeEntry {
  code: string;
  id: string;
  title: string;
}

export interface CodePickItem {
  label: string;
  description: string;
  detail?: string;
  code: string;
}

/** Keeps well-formed entries, sorted by code; anything else in the answer is dropped. */
export function parseCodeList(value: unknown): CodeEntry[] {
  if (!Array.isArray(value)) return [];
  const out: CodeEntry[] = [];
  for (const item of value) {
    if (item === null || typeof item !== 'object') continue;
    const { code, id, title } = item as Record<string, unknown>;
    if (typeof code !== 'string' || code.trim() === '') continue;
    out.push({ code: code.trim(), id: typeof id === 'string' ? id : '', title: typeof title === 'string' ? title : '' });
  }
  return out.sort((a, b) => a.code.localeCompare(b.code, 'en'));
}

export function toPickItems(entries: CodeEntry[]): CodePickItem[] {
  return entries.map((e) => ({
    label: e.code,
    description: e.title,
    detail: e.id || undefined,
    code: e.code,
  }));
}

/** True when the server's initialize result lists the command in executeCommandProvider. */
export function serverHasCommand(capabilities: unknown, command: string): boolean {
  if (capabilities === null || typeof capabilities !== 'object') return false;
  const provider = (capabilities as { executeCommandProvider?: { commands?: unknown } }).executeCommandProvider;
  return Array.isArray(provider?.commands) && provider.commands.includes(command);
}
