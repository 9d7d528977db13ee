/** The compiled CLI's entry when it exists and is newer than every source file; null to run the sources. */
export function compiledCli(root?: string, env?: Record<string, string | undefined>): string | null;
