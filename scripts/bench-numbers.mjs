// Statistics and units every section of `npm run bench` prints with.
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
export const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
export const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
export const ms = (x) => `${x.toFixed(1)} ms`;
export const us = (x) => `${(x * 1000).toFixed(1)} us`;
