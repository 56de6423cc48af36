// Types of scripts/start.mjs for the tests that import it.
export const BUILD_STAMP: string;
export function newestSourceMs(base?: string): number;
export function builtAtMs(base?: string): number | undefined;
export function chooseEntry(base?: string, forced?: string): { from: 'build' | 'source'; why: string };
