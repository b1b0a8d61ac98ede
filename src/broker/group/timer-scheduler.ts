/**
 * One-shot timers, injected so that session, rebalance and transaction timeouts can be driven
 * deterministically in tests. The coordinators never call the global `setTimeout` themselves.
 */
export interface TimerHandle {
  /** Idempotent; cancelling a timer that already fired does nothing. */
  cancel(): void;
}

export interface TimerScheduler {
  /** Runs `fn` once after `ms` milliseconds unless cancelled first. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
}

/** Wall-clock timers, unref'd so that a pending session timeout never keeps the process alive. */
export const systemTimerScheduler: TimerScheduler = {
  setTimeout(fn, ms) {
    const timer = setTimeout(fn, Math.max(0, ms));
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};
