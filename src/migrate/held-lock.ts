/** A lock some process holds until it calls release(). */
export interface HeldLock {
  release(): Promise<void>;
}
