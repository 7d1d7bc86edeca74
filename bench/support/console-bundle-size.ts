import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { emit, progress } from './measure';

// 4. The production bundle: gzip sizes of what the first page loads, from dist/web.

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');

const webDir = path.join(repo, 'dist', 'web');

/** Builds dist/web when it is missing; says so when it is older than web/ (then measured as it is). */
export function ensureBuilt(): { stale: boolean } {
  const index = path.join(webDir, 'index.html');
  if (!fs.existsSync(index)) {
    progress('dist/web is missing: npx vite build');
    const result = spawnSync('npx', ['vite', 'build'], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
    if (result.status !== 0) throw new Error('vite build failed');
    return { stale: false };
  }
  const newest = fs
    .readdirSync(path.join(repo, 'web'), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .reduce((m, e) => Math.max(m, fs.statSync(path.join(e.parentPath, e.name)).mtimeMs), 0);
  const stale = newest > fs.statSync(index).mtimeMs;
  if (stale) progress('warning: dist/web is older than web/ (run npx vite build): measuring it as it is');
  return { stale };
}

const gzipKiB = (file: string) => gzipSync(fs.readFileSync(file), { level: 9 }).length / 1024;

/**
 * `requested`: the paths the browser asked for while the first page loaded; `built`: what
 * ensureBuilt said.
 */
export function bundleFigures(requested: string[], built: { stale: boolean }): void {
  const html = fs.readFileSync(path.join(webDir, 'index.html'), 'utf8');
  const entry = /<script type="module"[^>]*src="([^"]+)"/.exec(html)?.[1];
  if (entry === undefined) throw new Error('no entry script in dist/web/index.html');
  const preloaded = [...html.matchAll(/<link [^>]*href="(\/assets\/[^"]+)"/g)].map((m) => m[1] as string);
  const files = (paths: string[]) =>
    [...new Set(paths.map((p) => (p === '/' ? '/index.html' : p)))]
      .map((p) => path.join(webDir, p))
      .filter((f) => fs.existsSync(f) && fs.statSync(f).isFile());
  const firstPage = files(requested.length > 0 ? requested : ['/', entry, ...preloaded]);
  const fromHtml = files(['/', entry, ...preloaded]);
  const all = fs.readdirSync(path.join(webDir, 'assets')).map((n) => path.join(webDir, 'assets', n));
  const sum = (list: string[], size: (f: string) => number) => list.reduce((a, f) => a + size(f), 0);
  const raw = (f: string) => fs.statSync(f).size / 1024;
  emit('console.bundle.first_page_gzip', sum(firstPage, gzipKiB), 'KiB', {
    target_KB: 400,
    what: 'every file the browser requested to show the Overview page (html, js, css, svg), gzip -9 each',
    files: firstPage.length,
    raw_KiB: sum(firstPage, raw),
    js_gzip_KiB: sum(
      firstPage.filter((f) => f.endsWith('.js')),
      gzipKiB,
    ),
    css_gzip_KiB: sum(
      firstPage.filter((f) => f.endsWith('.css')),
      gzipKiB,
    ),
    index_html_references_gzip_KiB: sum(fromHtml, gzipKiB),
    all_assets_gzip_KiB: sum(all, gzipKiB),
    all_assets_files: all.length,
    build_older_than_web_sources: built.stale ? 'yes' : 'no',
  });
  emit('console.bundle.entry_gzip', gzipKiB(path.join(webDir, entry)), 'KiB', {
    entry: path.basename(entry),
    raw_KiB: raw(path.join(webDir, entry)),
  });
}
