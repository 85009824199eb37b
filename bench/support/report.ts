/** The benchmark's one table: figures, goals, baselines and ratios, as Markdown and JSON. */
export type Outcome = 'pass' | 'FAIL' | 'baseline' | 'not measured';

export interface Figure {
  id: string;
  figure: string;
  /** The headline number, in `unit`. */
  value: number | null;
  unit: string;
  /** How the value reads in the table (with secondary numbers). */
  display: string;
  goal: string;
  baseline?: string;
  ratio?: number | null;
  outcome: Outcome;
  details?: Record<string, unknown>;
}

export interface Report {
  mode: 'quick' | 'full';
  startedAt: string;
  seconds: number;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string };
  scale: Record<string, number>;
  figures: Figure[];
  notes: string[];
  error?: string;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function markdownTable(figures: Figure[]): string {
  const lines = ['| figure | value | goal | baseline (same run) | ratio | result |', '|---|---|---|---|---|---|'];
  for (const f of figures) {
    const ratio = f.ratio === undefined || f.ratio === null ? '' : `${Math.round(f.ratio * 100)}%`;
    const outcome = f.outcome === 'FAIL' ? '**FAIL**' : f.outcome;
    lines.push(`| ${cell(f.figure)} | ${cell(f.display)} | ${cell(f.goal)} | ${cell(f.baseline ?? '')} | ${ratio} | ${outcome} |`);
  }
  return lines.join('\n');
}

export function markdownReport(report: Report): string {
  const m = report.machine;
  const head = [
    `Mode: **${report.mode}** (\`npm run bench${report.mode === 'quick' ? ' -- --quick' : ''}\`), ${report.startedAt}, ${Math.round(report.seconds)} s; ` +
      `${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}.`,
    `Scale: ${Object.entries(report.scale)
      .map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`)
      .join(', ')}.`,
  ];
  const parts = [head.join('\n'), '', markdownTable(report.figures), ''];
  if (report.error) parts.push(`**The run stopped early:** ${report.error}`, '');
  if (report.notes.length > 0) parts.push('Notes:', '', ...report.notes.map((n) => `- ${n}`), '');
  return parts.join('\n');
}

/** A number for the table: thousands separated, `digits` decimals. */
export function fmt(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return String(value);
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
