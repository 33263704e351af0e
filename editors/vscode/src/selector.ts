// The documents the client attaches freebusy-lsp to. Pure data: unit-tested without VS Code.
// The server decides what a document is from its name and content, so a loose language id is fine.

/** Structurally a `vscode.DocumentFilter` with `scheme` set. */
export interface Filter {
  language?: string;
  pattern?: string;
  scheme: string;
}

export const SCHEMES: readonly string[] = ['file', 'untitled'];
export const LANGUAGES: readonly string[] = ['powershell', 'plaintext', 'markdown'];
export const PATTERNS: readonly string[] = ['**/*.ps1', '**/*.psm1', '**/*.psd1', '**/*.log'];

/** Every language and every pattern, for both the `file` and `untitled` schemes. */
export function documentSelector(): Filter[] {
  const filters: Filter[] = [];
  for (const scheme of SCHEMES) {
    for (const language of LANGUAGES) filters.push({ scheme, language });
    for (const pattern of PATTERNS) filters.push({ scheme, pattern });
  }
  return filters;
}
