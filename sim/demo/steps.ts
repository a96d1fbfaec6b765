/** The demo's checklist: what a user should see happen, each step marked done once, with a
 *  short note of the evidence. `--once` passes only when every step is done. */

export const STEP_LABELS = {
  connected: 'device connected (MQTT over TLS)',
  propertiesAcknowledged: 'properties posted and acknowledged by the cloud',
  propertySet: 'property set from the cloud answered (200) and the new value reported',
  serviceAnswered: 'service Blink called from the cloud and answered',
  ntpTime: 'NTP time received',
  fileUploaded: 'file uploaded from Storage and stored by the cloud',
  subdevicesOnline: 'gateway bound and logged in two sub-devices',
  subdevicePropertiesPosted: 'both sub-devices reported properties',
} as const;

export type StepId = keyof typeof STEP_LABELS;

export const STEP_IDS = Object.keys(STEP_LABELS) as StepId[];

export class Checklist {
  private readonly done = new Map<StepId, string>();
  private readonly waiters: (() => void)[] = [];

  constructor(private readonly onDone: (id: StepId, note: string) => void) {}

  mark(id: StepId, note: string): void {
    if (this.done.has(id)) return;
    this.done.set(id, note);
    this.onDone(id, note);
    if (this.complete()) for (const w of this.waiters.splice(0)) w();
  }

  has(id: StepId): boolean {
    return this.done.has(id);
  }

  complete(): boolean {
    return STEP_IDS.every((id) => this.done.has(id));
  }

  /** Resolves when every step is done. */
  whenComplete(): Promise<void> {
    return this.complete() ? Promise.resolve() : new Promise((r) => this.waiters.push(r));
  }

  /** Every step with its note, or null when not done. */
  report(): { id: StepId; label: string; note: string | null }[] {
    return STEP_IDS.map((id) => ({ id, label: STEP_LABELS[id], note: this.done.get(id) ?? null }));
  }
}
