// Which freebusy-lsp binary to start: the `freebusyLsp.server.path` setting, else the binary
// bundled in the extension (`server/freebusy-lsp[.exe]`), else `freebusy-lsp` on PATH.
// Pure: the file system and environment come in as arguments.
import * as path from 'path';

export type ServerSource = 'setting' | 'bundled' | 'path';

export interface ResolveInput {
  /** `freebusyLsp.server.path` (may be empty or undefined). */
  setting: string | undefined;
  /** The extension's install folder (`context.extensionPath`). */
  extensionPath: string;
  /** `process.platform`. */
  platform: NodeJS.Platform | string;
  /** `process.env.PATH` (`Path` on Windows). */
  envPath: string | undefined;
  /** Home folder, for a setting starting with `~`. */
  homeDir?: string;
  /** First workspace folder, for a relative setting. */
  workspaceFolder?: string;
  /** Whether a file exists and is a file. */
  isFile: (p: string) => boolean;
}

export interface ResolvedServer {
  /** What to spawn: an absolute path, or the bare executable name when not found on PATH. */
  command: string;
  source: ServerSource;
  /** False when the setting points at nothing, or nothing was found on PATH. */
  found: boolean;
}

export function executableName(platform: string): string {
  return platform === 'win32' ? 'freebusy-lsp.exe' : 'freebusy-lsp';
}

function pathApi(platform: string): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

/** The bundled binary's location inside the extension. */
export function bundledServerPath(extensionPath: string, platform: string): string {
  return pathApi(platform).join(extensionPath, 'server', executableName(platform));
}

/** Expands `~` and resolves a relative setting against the workspace folder. */
export function expandSetting(setting: string, platform: string, homeDir?: string, workspaceFolder?: string): string {
  const p = pathApi(platform);
  let value = setting.trim();
  if (homeDir && (value === '~' || value.startsWith('~/') || (platform === 'win32' && value.startsWith('~\\')))) {
    value = p.join(homeDir, value.slice(1));
  }
  if (!p.isAbsolute(value) && workspaceFolder && /[\\/]/.test(value)) {
    // `bin/freebusy-lsp` is relative to the workspace; a bare name is looked up on PATH.
    value = p.join(workspaceFolder, value);
  }
  return value;
}

/** Searches PATH for the executable, as the shell would (Windows: `.exe`). */
export function findOnPath(name: string, envPath: string | undefined, platform: string, isFile: (p: string) => boolean): string | undefined {
  if (!envPath) return undefined;
  const p = pathApi(platform);
  const sep = platform === 'win32' ? ';' : ':';
  const names = platform === 'win32' && !/\.exe$/i.test(name) ? [`${name}.exe`, name] : [name];
  for (const raw of envPath.split(sep)) {
    const dir = raw.trim().replace(/^"(.*)"$/, '$1');
    if (!dir) continue;
    for (const n of names) {
      const candidate = p.join(dir, n);
      if (isFile(candidate)) return candidate;
    }
  }
  return undefined;
}

export function resolveServerPath(input: ResolveInput): ResolvedServer {
  const { platform, isFile } = input;
  const setting = (input.setting ?? '').trim();
  if (setting) {
    const expanded = expandSetting(setting, platform, input.homeDir, input.workspaceFolder);
    const p = pathApi(platform);
    if (p.isAbsolute(expanded)) {
      if (isFile(expanded)) return { command: expanded, source: 'setting', found: true };
      if (platform === 'win32' && !/\.exe$/i.test(expanded) && isFile(`${expanded}.exe`)) {
        return { command: `${expanded}.exe`, source: 'setting', found: true };
      }
      return { command: expanded, source: 'setting', found: false };
    }
    // A bare command name in the setting: look it up on PATH.
    const onPath = findOnPath(expanded, input.envPath, platform, isFile);
    return { command: onPath ?? expanded, source: 'setting', found: onPath !== undefined };
  }
  const bundled = bundledServerPath(input.extensionPath, platform);
  if (isFile(bundled)) return { command: bundled, source: 'bundled', found: true };
  const name = executableName(platform);
  const onPath = findOnPath(name, input.envPath, platform, isFile);
  return { command: onPath ?? name, source: 'path', found: onPath !== undefined };
}
