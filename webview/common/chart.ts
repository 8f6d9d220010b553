/**
 * Charts for the pages, on Chart.js (canvas only: no inline styles or scripts, so it runs under the panels' nonce
 * CSP). Only the pieces we draw are registered, which keeps each page bundle small. Colours come from the theme's
 * CSS variables and follow a theme change without a reload.
 */
// chart.js is an ES module and the project type-checks as Node16 CommonJS: types come with `resolution-mode`, the
// code through import(), which esbuild inlines into the page bundle (no extra request, nothing for the CSP to allow).
import type { Chart, ChartConfiguration, ChartType } from 'chart.js' with { 'resolution-mode': 'import' };

let loaded: Promise<typeof import('chart.js', { with: { 'resolution-mode': 'import' } })> | undefined;

function chartJs() {
  loaded ??= import('chart.js').then((module) => {
    const { BarController, BarElement, CategoryScale, Chart, Filler, LinearScale, LineController, LineElement, PointElement, Tooltip } = module;
    Chart.register(LineController, BarController, LineElement, BarElement, PointElement, CategoryScale, LinearScale, Tooltip, Filler);
    return module;
  });
  return loaded;
}

/** Palette from the theme, in the order series take them. */
const SERIES_VARIABLES = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-red', '--vscode-charts-yellow'];

export interface ThemeColours {
  readonly foreground: string;
  readonly grid: string;
  readonly series: readonly string[];
  readonly warning: string;
  readonly error: string;
  readonly font: string;
}

export function themeColours(): ThemeColours {
  const style = getComputedStyle(document.body);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    foreground: read('--vscode-foreground', '#cccccc'),
    grid: read('--vscode-editorWidget-border', read('--vscode-panel-border', '#80808059')),
    series: SERIES_VARIABLES.map((name, i) => read(name, ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700'][i] as string)),
    warning: read('--vscode-editorWarning-foreground', '#cca700'),
    error: read('--vscode-editorError-foreground', '#f14c4c'),
    font: read('--vscode-font-family', 'sans-serif'),
  };
}

/**
 * A chart in `canvas` whose configuration is rebuilt from the theme: `configure` is called now and on every theme
 * change (VS Code swaps the body's `vscode-light`/`vscode-dark`/`vscode-high-contrast` class). Returns the chart and a
 * function that re-applies `configure` (call it when the data changes).
 */
export async function themedChart<T extends ChartType>(canvas: HTMLCanvasElement, configure: (colours: ThemeColours) => ChartConfiguration<T>): Promise<{ chart: Chart<T>; update(): void; dispose(): void }> {
  const { Chart } = await chartJs();
  const withTheme = (config: ChartConfiguration<T>): ChartConfiguration<T> => {
    const colours = themeColours();
    Chart.defaults.color = colours.foreground;
    Chart.defaults.borderColor = colours.grid;
    Chart.defaults.font.family = colours.font;
    // Motion on every poll is noise, and reduced-motion users asked for none.
    const options = { animation: false as const, responsive: true, maintainAspectRatio: false, ...(config.options ?? {}) };
    return { ...config, options } as ChartConfiguration<T>;
  };
  const initial = withTheme(configure(themeColours()));
  const chart = new Chart<T>(canvas, initial);
  const update = () => {
    const next = withTheme(configure(themeColours()));
    chart.data = next.data;
    if (next.options) chart.options = next.options;
    chart.update();
  };
  const observer = new MutationObserver(update);
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  return { chart, update, dispose: () => { observer.disconnect(); chart.destroy(); } };
}
