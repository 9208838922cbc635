/**
 * The report workspace's generation status: polls the job's JSON status route and updates the live
 * region (pages done, elapsed time) until the file is ready, then offers it for download — no reload.
 * Without script the page offers a "check again" link instead.
 */
interface JobStatus {
  status: 'queued' | 'running' | 'done' | 'failed';
  format: string;
  pagesDone: number;
  pageCount: number | null;
  elapsedMs: number;
  error: string | null;
  downloadUrl: string | null;
}

const fill = (template: string, values: Record<string, string | number>): string =>
  template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name] ?? ''));

export function watchReportJob(box: HTMLElement, intervalMs = 1000): void {
  const url = box.dataset.jobStatusUrl;
  const strings = JSON.parse(box.dataset.strings ?? '{}') as Record<string, string>;
  const status = box.querySelector<HTMLElement>('.job-status');
  if (!url || !status) return;
  const render = (job: JobStatus): void => {
    const seconds = Math.round(job.elapsedMs / 100) / 10;
    status.textContent = fill(strings[job.status] ?? job.status, { pages: job.status === 'done' ? job.pageCount ?? 0 : job.pagesDone, seconds });
    if (job.status === 'failed' && job.error) status.append(` ${job.error}`);
    if (job.status === 'done' && job.downloadUrl) {
      const link = document.createElement('a');
      link.href = job.downloadUrl;
      link.className = 'job-download';
      link.setAttribute('download', '');
      link.textContent = ` ${strings.download ?? 'Download'} (${job.format})`;
      status.append(' ', link);
    }
  };
  const poll = async (): Promise<void> => {
    try {
      const response = await fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
      if (response.ok) {
        const { job } = await response.json() as { job: JobStatus };
        render(job);
        if (job.status === 'done' || job.status === 'failed') return;
      }
    } catch {
      // Offline for a moment: try again on the next tick.
    }
    setTimeout(() => void poll(), intervalMs);
  };
  if (!box.querySelector('.job-download')) void poll();
}
