// Maps the `freebusyLsp.*` VS Code settings to what the server reads (initializationOptions,
// workspace/configuration). Pure: no `vscode` import, so it is unit-tested under plain node.

/** The settings section, also the LanguageClient id (so `freebusyLsp.trace.server` works). */
export const SECTION = 'freebusyLsp';

export type Severity = 'error' | 'warning' | 'information' | 'hint';
export type Locale = 'en' | 'sv';

/** What the server understands (`server/src/lsp/settings.rs`). */
export interface ServerSettings {
  codes: { disabled: string[] };
  severity: Record<string, Severity>;
  slowRequestSeconds: number;
  maxDiagnostics: number;
  /** Omitted when the setting is `auto`: the server then uses the client's locale. */
  locale?: Locale;
  /** A reference site built by `freebusy-lsp docs -o DIR`; omitted when empty. */
  docsPath?: string;
}

/** The part of `vscode.WorkspaceConfiguration` used here: `get` of a key relative to the section. */
export interface ConfigLike {
  get<T>(key: string): T | undefined;
}

export const DEFAULT_SLOW_REQUEST_SECONDS = 30;
export const DEFAULT_MAX_DIAGNOSTICS = 2000;
const SEVERITIES: readonly string[] = ['error', 'warning', 'information', 'hint'];
const CODE = /^FB\d{3}$/;

function normalizeCode(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const code = value.trim().toUpperCase();
  return CODE.test(code) ? code : undefined;
}

/**
 * Settings for the server from the `freebusyLsp` configuration section. Wrong types and unknown
 * values are dropped (the server would ignore them too); codes are trimmed and upper-cased.
 */
export function toServerSettings(config: ConfigLike): ServerSettings {
  const disabledRaw = config.get<unknown>('codes.disabled');
  const disabled: string[] = [];
  if (Array.isArray(disabledRaw)) {
    for (const item of disabledRaw) {
      const code = normalizeCode(item);
      if (code !== undefined && !disabled.includes(code)) disabled.push(code);
    }
  }

  const severity: Record<string, Severity> = {};
  const severityRaw = config.get<unknown>('severity');
  if (severityRaw !== null && typeof severityRaw === 'object' && !Array.isArray(severityRaw)) {
    for (const [key, level] of Object.entries(severityRaw as Record<string, unknown>)) {
      const code = normalizeCode(key);
      const lvl = typeof level === 'string' ? level.trim().toLowerCase() : undefined;
      if (code !== undefined && lvl !== undefined && SEVERITIES.includes(lvl)) {
        severity[code] = lvl as Severity;
      }
    }
  }

  const secs = config.get<unknown>('slowRequestSeconds');
  const slowRequestSeconds =
    typeof secs === 'number' && Number.isFinite(secs) && secs > 0 ? secs : DEFAULT_SLOW_REQUEST_SECONDS;

  const max = config.get<unknown>('maxDiagnostics');
  const maxDiagnostics = Number.isSafeInteger(max) && (max as number) >= 1 ? (max as number) : DEFAULT_MAX_DIAGNOSTICS;

  const settings: ServerSettings = { codes: { disabled }, severity, slowRequestSeconds, maxDiagnostics };
  const locale = config.get<unknown>('locale');
  if (locale === 'en' || locale === 'sv') settings.locale = locale;
  const docsPath = config.get<unknown>('docsPath');
  if (typeof docsPath === 'string' && docsPath.trim() !== '') settings.docsPath = docsPath.trim();
  return settings;
}

/** A ConfigLike over a plain nested object such as `{ codes: { disabled: [...] } }`. */
export function configFromObject(obj: Record<string, unknown>): ConfigLike {
  return {
    get<T>(key: string): T | undefined {
      if (Object.prototype.hasOwnProperty.call(obj, key)) return obj[key] as T;
      let node: unknown = obj;
      for (const part of key.split('.')) {
        if (node === null || typeof node !== 'object') return undefined;
        node = (node as Record<string, unknown>)[part];
      }
      return node as T | undefined;
    },
  };
}

/** Setting keys whose change needs a server restart (the rest are sent while it runs). */
export const RESTART_KEYS: readonly string[] = [`${SECTION}.server.path`];
