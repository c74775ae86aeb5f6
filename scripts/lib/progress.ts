/** A one-line progress bar on standard error, redrawn in place; silent when stderr is not a terminal. */
export function progressBar(label: string, width = 30): { update(done: number, total: number): void; end(): void } {
  const isTerminal = process.stderr.isTTY === true;
  let drawn = false;
  return {
    update(done, total) {
      if (!isTerminal || total === 0) return;
      const filled = Math.round((Math.min(done, total) / total) * width);
      process.stderr.write(
        `\r${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")}`,
      );
      drawn = true;
    },
    end() {
      if (drawn) process.stderr.write("\n");
    },
  };
}
