/**
 * The broker's side of registration and the heartbeat lease (DESIGN §5), as a pure state machine:
 * no timers, no I/O, time comes in as `nowMs`. The shell (BrokerLifecycleManager) sends what
 * `nextAction` asks for, reports `requestSent` before each RPC and the outcome after, and calls
 * `tick` to let time-based transitions (lease lost, shutdown deadline) happen.
 */
import { assert, type BrokerEpoch, type ErrorCode } from '@tributary/core';

/**
 * - unregistered: no registration (yet, or the controller forgot it); fenced by definition.
 * - fenced / unfenced: registered; as the controller said on the last heartbeat.
 * - lease-lost: no heartbeat succeeded within the session timeout; the controller has (or soon will
 *   have) fenced this broker and moved its leaderships, so it must stop acting as leader now.
 * - stopped: controlled shutdown finished (or timed out), or the manager was closed.
 */
export type LifecycleStatus = 'unregistered' | 'fenced' | 'unfenced' | 'lease-lost' | 'stopped';

export interface LifecycleSnapshot {
  readonly status: LifecycleStatus;
  /** The current registration's epoch; undefined when unregistered or lease-lost. */
  readonly brokerEpoch: BrokerEpoch | undefined;
  /** The controller's last word on whether this broker replayed past its registration. */
  readonly caughtUp: boolean;
  readonly shuttingDown: boolean;
  /** Set once stopped by controlled shutdown: whether the controller answered shouldShutDown. */
  readonly shutdownCompleted: boolean;
}

export type LifecycleAction =
  | { readonly kind: 'register' }
  | { readonly kind: 'heartbeat'; readonly brokerEpoch: BrokerEpoch; readonly wantShutdown: boolean }
  /** Nothing to send now; call tick and nextAction again after delayMs (or when an RPC completes). */
  | { readonly kind: 'wait'; readonly delayMs: number }
  | { readonly kind: 'stop' };

export interface HeartbeatAnswer {
  readonly fenced: boolean;
  readonly caughtUp: boolean;
  readonly shouldShutDown: boolean;
  /** The controller's session timeout; 0 when it did not say. */
  readonly leaseTimeoutMs: number;
}

export interface LifecycleStateOptions {
  readonly heartbeatIntervalMs: number;
  readonly sessionTimeoutMs: number;
  /** Cap on the registration retry delay (it doubles from heartbeatIntervalMs). */
  readonly registerBackoffMaxMs: number;
}

/** Doublings at most of the registration retry delay: a bound, and 2^16 intervals is plenty. */
const REGISTER_BACKOFF_DOUBLINGS_MAX = 16;

export class BrokerLifecycleState {
  private status: LifecycleStatus = 'unregistered';
  private epoch: BrokerEpoch | undefined;
  private caughtUp = false;
  private inFlight: 'register' | 'heartbeat' | undefined;
  private sentAtMs = 0;
  /** Send time of the last heartbeat (or registration) the controller accepted. */
  private leaseRenewedAtMs = 0;
  private controllerLeaseTimeoutMs = 0;
  private nextRegisterAtMs = 0;
  private nextHeartbeatAtMs = 0;
  private registerFailures = 0;
  private shutdownDeadlineMs: number | undefined;
  private shutdownCompleted = false;
  /** heartbeatSoon() was called while a request was in flight: heartbeat again once it is answered. */
  private heartbeatWanted = false;

  constructor(private readonly options: LifecycleStateOptions) {
    assert(options.heartbeatIntervalMs > 0, 'heartbeatIntervalMs must be positive');
    assert(options.sessionTimeoutMs > options.heartbeatIntervalMs, 'the session must outlast a heartbeat');
    assert(options.registerBackoffMaxMs >= options.heartbeatIntervalMs, 'backoff cap below the interval');
  }

  snapshot(): LifecycleSnapshot {
    return {
      status: this.status,
      brokerEpoch: this.epoch,
      caughtUp: this.caughtUp,
      shuttingDown: this.shutdownDeadlineMs !== undefined,
      shutdownCompleted: this.shutdownCompleted,
    };
  }

  /**
   * The session timeout in force: the controller's once it said (its clock fences us), ours until then.
   * Longer than ours too: the controller fences only after its timeout, counted from after we sent, so we
   * still give up first; giving up earlier would only re-register (a new epoch takes this broker out of
   * every ISR) while the controllers elect a leader, which at 30,000 partitions fed the next election.
   */
  get sessionTimeoutMs(): number {
    const theirs = this.controllerLeaseTimeoutMs;
    return theirs > 0 ? theirs : this.options.sessionTimeoutMs;
  }

  nextAction(nowMs: number): LifecycleAction {
    if (this.status === 'stopped') return { kind: 'stop' };
    const epoch = this.epoch;
    if (this.inFlight !== undefined) return { kind: 'wait', delayMs: this.untilDeadlineMs(nowMs) };
    if (epoch === undefined) {
      if (nowMs >= this.nextRegisterAtMs) return { kind: 'register' };
      return { kind: 'wait', delayMs: Math.min(this.nextRegisterAtMs - nowMs, this.untilDeadlineMs(nowMs)) };
    }
    if (nowMs >= this.nextHeartbeatAtMs) {
      return { kind: 'heartbeat', brokerEpoch: epoch, wantShutdown: this.shutdownDeadlineMs !== undefined };
    }
    return { kind: 'wait', delayMs: Math.min(this.nextHeartbeatAtMs - nowMs, this.untilDeadlineMs(nowMs)) };
  }

  requestSent(kind: 'register' | 'heartbeat', nowMs: number): void {
    assert(this.status !== 'stopped', 'no requests once stopped');
    assert(this.inFlight === undefined, () => `${kind} sent while ${this.inFlight} is in flight`);
    assert(kind === 'register' ? this.epoch === undefined : this.epoch !== undefined, `unexpected ${kind}`);
    this.inFlight = kind;
    this.sentAtMs = nowMs;
  }

  registered(epoch: BrokerEpoch, nowMs: number): void {
    assert(this.inFlight === 'register', 'a registration answer without a registration in flight');
    this.inFlight = undefined;
    if (this.status === 'stopped') return;
    // Epochs only grow: a re-registration always commits after the previous one.
    assert(this.epoch === undefined, 'registered while holding a registration');
    this.epoch = epoch;
    this.status = 'fenced';
    this.caughtUp = false;
    this.registerFailures = 0;
    // The controller starts the lease when it handles the request, which is after we sent it.
    this.leaseRenewedAtMs = this.sentAtMs;
    this.nextHeartbeatAtMs = nowMs;
  }

  registerFailed(nowMs: number): void {
    assert(this.inFlight === 'register', 'a registration failure without a registration in flight');
    this.inFlight = undefined;
    if (this.status === 'stopped') return;
    // DUPLICATE_BROKER_REGISTRATION: our previous incarnation's lease must lapse first; anything else
    // (no controller, timeouts) is also worth retrying, more slowly each time.
    const doublings = Math.min(this.registerFailures, REGISTER_BACKOFF_DOUBLINGS_MAX);
    const delayMs = Math.min(
      this.options.heartbeatIntervalMs * 2 ** doublings,
      this.options.registerBackoffMaxMs,
    );
    this.registerFailures += 1;
    this.nextRegisterAtMs = nowMs + delayMs;
  }

  heartbeatAnswered(answer: HeartbeatAnswer): void {
    assert(this.inFlight === 'heartbeat', 'a heartbeat answer without a heartbeat in flight');
    this.inFlight = undefined;
    if (this.status === 'stopped' || this.epoch === undefined) return;
    this.leaseRenewedAtMs = this.sentAtMs;
    this.controllerLeaseTimeoutMs = answer.leaseTimeoutMs;
    this.caughtUp = answer.caughtUp;
    this.status = answer.fenced ? 'fenced' : 'unfenced';
    this.nextHeartbeatAtMs = this.nextScheduledHeartbeatMs();
    if (this.shutdownDeadlineMs !== undefined && answer.shouldShutDown) this.stop(true);
  }

  heartbeatFailed(code: ErrorCode, nowMs: number): void {
    assert(this.inFlight === 'heartbeat', 'a heartbeat failure without a heartbeat in flight');
    this.inFlight = undefined;
    if (this.status === 'stopped') return;
    if (code === 'UNKNOWN_BROKER' || code === 'STALE_BROKER_EPOCH') {
      // The controller no longer knows this registration: register again for a new epoch.
      this.dropRegistration('unregistered');
      this.nextRegisterAtMs = nowMs;
      // Nothing of ours to hand over: a shutdown has nothing left to wait for.
      if (this.shutdownDeadlineMs !== undefined) this.stop(true);
      return;
    }
    this.nextHeartbeatAtMs = this.nextScheduledHeartbeatMs();
  }

  /**
   * Something worth telling the controller now (a leader became unreachable): the next heartbeat goes
   * out at once instead of at the interval. Callers rate-limit this (UnreachableBrokers reports each
   * broker once per retention window), so heartbeats stay bounded.
   */
  heartbeatSoon(nowMs: number): void {
    if (this.status === 'stopped' || this.epoch === undefined) return;
    if (this.inFlight === undefined) this.nextHeartbeatAtMs = Math.min(this.nextHeartbeatAtMs, nowMs);
    else this.heartbeatWanted = true;
  }

  private nextScheduledHeartbeatMs(): number {
    const wanted = this.heartbeatWanted;
    this.heartbeatWanted = false;
    return wanted ? this.sentAtMs : this.sentAtMs + this.options.heartbeatIntervalMs;
  }

  /** Time-based transitions: the lease lapsing, the shutdown deadline passing. */
  tick(nowMs: number): void {
    if (this.status === 'stopped') return;
    if (this.shutdownDeadlineMs !== undefined && nowMs >= this.shutdownDeadlineMs) {
      this.stop(false);
      return;
    }
    if (this.epoch !== undefined && nowMs - this.leaseRenewedAtMs > this.sessionTimeoutMs) {
      // The controller fences us after the same timeout, measured from a later start: we give up
      // first, so we never act as leader after the controller moved our leaderships. Re-registering
      // (new epoch) starts clean: registration takes us out of every ISR until we catch up.
      this.dropRegistration('lease-lost');
      this.nextRegisterAtMs = nowMs;
    }
  }

  /** Controlled shutdown: heartbeats ask for it until shouldShutDown or the deadline. */
  shutdownRequested(deadlineMs: number): void {
    if (this.status === 'stopped' || this.shutdownDeadlineMs !== undefined) return;
    this.shutdownDeadlineMs = deadlineMs;
    if (this.epoch === undefined) this.stop(true);
    else this.nextHeartbeatAtMs = 0;
  }

  /** Stops without a controlled shutdown (close()). */
  closed(): void {
    if (this.status !== 'stopped') this.stop(false);
  }

  private dropRegistration(status: 'unregistered' | 'lease-lost'): void {
    this.status = status;
    this.epoch = undefined;
    this.caughtUp = false;
    this.controllerLeaseTimeoutMs = 0;
  }

  private stop(completed: boolean): void {
    this.status = 'stopped';
    this.shutdownCompleted = completed && this.shutdownDeadlineMs !== undefined;
    this.epoch = undefined;
    this.caughtUp = false;
  }

  /** Until the next time-based transition: the lease lapsing or the shutdown deadline. */
  private untilDeadlineMs(nowMs: number): number {
    let untilMs = this.options.heartbeatIntervalMs;
    if (this.epoch !== undefined)
      untilMs = Math.min(untilMs, this.leaseRenewedAtMs + this.sessionTimeoutMs + 1 - nowMs);
    if (this.shutdownDeadlineMs !== undefined) untilMs = Math.min(untilMs, this.shutdownDeadlineMs - nowMs);
    return Math.max(0, untilMs);
  }
}
