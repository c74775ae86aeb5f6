// Resident memory of running processes, read from /proc (Linux only): the
// peak (VmHWM), the current size (VmRSS), resetting the peak, and a process
// with all its descendants. Each reader returns null where /proc says nothing.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";

export function readVmHwmKb(pid: number): number | null {
  return readStatusKb(pid, "VmHWM");
}

export function readVmRssKb(pid: number): number | null {
  return readStatusKb(pid, "VmRSS");
}

/** Resets a process's VmHWM to its current RSS (Linux 4.0+); false where that is not allowed. */
export function resetVmHwm(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

/** `rootPid` and every process below it. */
export function processTree(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name in parentheses may hold spaces; the parent pid is the second field after it.
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // the process exited meanwhile
    }
  }
  const tree = [rootPid];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

function readStatusKb(pid: number, field: "VmHWM" | "VmRSS"): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}
