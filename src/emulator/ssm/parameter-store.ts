// The emulated SSM Parameter Store's data: parameters by name, each with its versions. SecureString
// values are kept in plain text here (the emulator has no KMS); the service hides them unless the caller
// asks WithDecryption, as the real one does.

export type ParameterType = 'String' | 'StringList' | 'SecureString';

export interface ParameterVersion {
  readonly value: string;
  readonly type: ParameterType;
  readonly version: number;
  readonly lastModified: Date;
}

export interface ParameterSeed {
  readonly name: string;
  readonly value: string;
  readonly type?: ParameterType;
}

export class ParameterStore {
  readonly #parameters = new Map<string, ParameterVersion[]>();

  constructor(
    private readonly now: () => number = Date.now,
    seeds: readonly ParameterSeed[] = [],
  ) {
    for (const s of seeds) this.put(s.name, s.value, s.type ?? 'SecureString', true);
  }

  /** Stores a new version; false when the parameter exists and `overwrite` is not set. */
  put(name: string, value: string, type: ParameterType, overwrite: boolean): ParameterVersion | undefined {
    const versions = this.#parameters.get(name) ?? [];
    if (versions.length > 0 && !overwrite) return undefined;
    const next: ParameterVersion = { value, type, version: versions.length + 1, lastModified: new Date(this.now()) };
    this.#parameters.set(name, [...versions, next]);
    return next;
  }

  /** The latest version, or the one asked for. */
  get(name: string, version?: number): ParameterVersion | undefined {
    const versions = this.#parameters.get(name);
    if (versions === undefined) return undefined;
    return version === undefined ? versions.at(-1) : versions.find((v) => v.version === version);
  }

  has(name: string): boolean {
    return this.#parameters.has(name);
  }
}
