/**
 * Sends `signal` to the process group led by `pid` (a child spawned detached, so it leads its own
 * group): the whole tree it started gets it, not only the leader. False when the group is gone
 * (ESRCH); signal 0 asks whether any member still exists.
 */
export function killGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false; // ESRCH: the group is gone
  }
}
