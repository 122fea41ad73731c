// The lease: one writer per accelerator across processes and invocations. A holder may write (the
// accelerator, the state) only while its lease is the current one and unexpired; every grant carries
// a fencing token, strictly increasing per store, and the store refuses a write under an older one.

/** A lease granted to `owner`. */
export interface Lease {
  readonly owner: string;
  /** Fencing token: strictly greater than every token granted before on the same store. */
  readonly token: number;
  readonly expiresAt: Date;
}

/** Who holds (or last held) a lease, for messages. */
export interface LeaseHolder {
  readonly owner: string;
  readonly token: number;
  readonly expiresAt: Date;
}

export type LeaseAttempt =
  | {
      readonly acquired: true;
      readonly lease: Lease;
      /** Set when an expired lease of another owner was taken over. */
      readonly tookOverFrom?: LeaseHolder;
    }
  | { readonly acquired: false; readonly holder: LeaseHolder };

/** Whether a lease is still the current one. `reason` says why not, `holder` who holds it now. */
export type LeaseCheck =
  | { readonly held: true; readonly lease: Lease }
  | { readonly held: false; readonly reason: string; readonly holder?: LeaseHolder };

/** A write made under a lease: done, or refused because the lease is no longer current (nothing written). */
export type FencedWrite = { readonly written: true } | { readonly written: false; readonly reason: string; readonly holder?: LeaseHolder };

export function describeHolder(holder: LeaseHolder): string {
  return `${holder.owner} (token ${holder.token}, until ${holder.expiresAt.toISOString()})`;
}
