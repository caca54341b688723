/**
 * Appends to one talks take turns within a process: each waits for the one before it to
 * finish, then reads and writes. A version race costs a cancelled transaction, a backoff
 * and a retry; under 50 concurrent writers on one talks the retries can outlast their
 * budget and answer 503. One process serving many writers (the local server) queues them
 * instead; writers in other processes (other Lambda containers, a rebuild) still race,
 * and the transaction's conditions and the bounded retries still settle those.
 */
export class AppendTurns {
  private readonly tails = new Map<string, Promise<void>>();

  async take<T>(talksId: string, work: () => Promise<T>): Promise<T> {
    const before = this.tails.get(talksId) ?? Promise.resolve();
    let release: () => void = () => {};
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = before.then(() => mine);
    this.tails.set(talksId, tail);
    await before;
    try {
      return await work();
    } finally {
      release();
      // The last in line leaves no entry behind: the map holds only talks being written.
      if (this.tails.get(talksId) === tail) this.tails.delete(talksId);
    }
  }

  /** Talks with appends running or waiting (for tests). */
  get busyTalks(): number {
    return this.tails.size;
  }
}
