// Types of build.mjs, for the TypeScript that imports it (the e2e tests' global set-up).

export interface Package {
  name: string;
  kind: "tsc" | "vite";
  inputs: string[];
  assets?: [string, string][];
}

export const PACKAGES: Package[];

export function inputsHash(inputs: string[]): string;

/** Builds one package if its inputs changed; returns true when it built. */
export function buildPackage(pkg: Package, log?: (message: string) => void): boolean;

/** Builds every package whose name is in `names` (all by default), in dependency order. */
export function buildPackages(names?: string[], log?: (message: string) => void): string[];
