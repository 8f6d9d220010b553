export { formatBytes } from '../shared/formatBytes';
import { formatBytes } from '../shared/formatBytes';

export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}
