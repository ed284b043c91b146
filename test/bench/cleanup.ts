/**
 * Things to undo when the run ends — servers to stop, directories to remove — run newest first.
 * `run` is idempotent, so a signal handler and the normal exit path may both call it.
 */
export class Cleanup {
  private readonly steps: { label: string; undo: () => Promise<unknown> }[] = [];
  private running: Promise<void> | null = null;

  defer(label: string, undo: () => Promise<unknown>): void {
    this.steps.push({ label, undo });
  }

  /**
   * A nested cleanup for one part of the run: undone by the part itself when it ends (`run`), or
   * with this one if the run is interrupted first.
   */
  scope(label: string, report: (line: string) => void): Cleanup {
    const scope = new Cleanup();
    this.defer(label, () => scope.run(report));
    return scope;
  }

  run(report: (line: string) => void): Promise<void> {
    this.running ??= this.undoAll(report);
    return this.running;
  }

  private async undoAll(report: (line: string) => void): Promise<void> {
    for (let step = this.steps.pop(); step; step = this.steps.pop()) {
      try {
        await step.undo();
      } catch (error) {
        report(`cleanup: ${step.label} failed: ${(error as Error).message}`);
      }
    }
  }
}
