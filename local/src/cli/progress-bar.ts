/** A one-line progress bar on a TTY; plain lines elsewhere (CI logs stay readable). */
export const createProgressBar = (label: string, total: number, out: NodeJS.WriteStream = process.stderr) => {
  let last = -1;
  return {
    update(done: number): void {
      const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
      if (percent === last) return;
      last = percent;
      if (out.isTTY) {
        const width = 30;
        const filled = Math.round((percent / 100) * width);
        out.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(percent).padStart(3)}%`);
      } else if (percent % 25 === 0) {
        out.write(`${label} ${percent}%\n`);
      }
    },
    done(): void {
      if (out.isTTY) out.write('\n');
    },
  };
};
