/**
 * Render Mermaid diagrams in a real headless Chromium (Debian's `chromium`
 * package), offline: the page and mermaid's own bundle from node_modules are
 * files in a temporary directory, loaded over file://. The page renders each
 * diagram, reads what the SVG holds (entities, their attributes,
 * relationships with their labels and end markers) and writes it,
 * base64-encoded JSON, into the DOM that `--dump-dom` prints.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { findExecutable } from './servers.js';

export interface RenderedEntity {
  /** The element id mermaid gives the entity: `<diagram>-entity-<name>-<n>`. */
  id: string;
  /** The entity's title as drawn. */
  name: string;
  attributes: string[];
}

export interface RenderedRelationship {
  /** `id_entity-<from>-<n>_entity-<to>-<m>_<k>`. */
  id: string;
  label: string;
  markerStart: string;
  markerEnd: string;
}

export interface RenderedDiagram {
  entities: RenderedEntity[];
  relationships: RenderedRelationship[];
  svgBytes: number;
}

/** The Chromium binary, or an error that says how to install it (never a silent skip). */
export function chromiumPath(): string {
  const found = process.env.DBKIT_CHROMIUM ?? findExecutable(['chromium', 'chromium-browser'], ['/usr/bin']);
  if (!found || !fs.existsSync(found)) {
    throw new Error(
      'chromium not found: the docs render test needs a headless Chromium. Install Debian\'s package: ' +
        'sudo apt-get install -y chromium (bash .ci/run does), or set DBKIT_CHROMIUM to a Chromium binary',
    );
  }
  return found;
}

const mermaidBundle = (): string => {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('mermaid/package.json')), 'dist', 'mermaid.min.js');
};

const PAGE_SCRIPT = `
(async () => {
  const out = { diagrams: {}, error: null };
  try {
    mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
    for (const d of DIAGRAMS) {
      const { svg } = await mermaid.render('d_' + d.name, d.source);
      const holder = document.createElement('div');
      holder.innerHTML = svg;
      document.getElementById('out').appendChild(holder);
      const root = holder.querySelector('svg');
      const entities = [...root.querySelectorAll('g.node')].map((n) => ({
        id: n.id,
        name: (n.querySelector('.label.name') || { textContent: '' }).textContent.trim(),
        attributes: [...n.querySelectorAll('.label.attribute-name')].map((a) => a.textContent.trim()),
      }));
      const prefix = 'd_' + d.name + '-';
      const relationships = [...root.querySelectorAll('path.relationshipLine')].map((p) => {
        // Edge paths carry the diagram's id as a prefix; their labels do not.
        const id = p.id.startsWith(prefix) ? p.id.slice(prefix.length) : p.id;
        const label = root.querySelector('g.label[data-id="' + id + '"]');
        return {
          id,
          label: label ? label.textContent.trim() : '',
          markerStart: p.getAttribute('marker-start') || '',
          markerEnd: p.getAttribute('marker-end') || '',
        };
      });
      out.diagrams[d.name] = { entities, relationships, svgBytes: svg.length };
    }
  } catch (e) {
    out.error = String(e && e.message ? e.message : e);
  }
  document.getElementById('result').textContent = btoa(unescape(encodeURIComponent(JSON.stringify(out))));
})();
`;

function page(diagrams: Array<{ name: string; source: string }>): string {
  // </script> cannot occur in JSON.stringify output once `<` is escaped.
  const data = JSON.stringify(diagrams).replace(/</g, '\\u003c');
  return [
    '<!doctype html><html><head><meta charset="utf-8"><title>dbkit docs</title>',
    '<script src="mermaid.min.js"></script></head><body>',
    '<pre id="result" hidden>pending</pre><div id="out"></div>',
    `<script>const DIAGRAMS = ${data};${PAGE_SCRIPT}</script>`,
    '</body></html>',
  ].join('\n');
}

export interface RenderOptions {
  /** Also write a PNG of the page here (one diagram per call reads best). */
  screenshot?: string;
  windowSize?: [number, number];
  timeoutMs?: number;
}

function runChromium(args: string[], timeoutMs: number): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    // Its own process group, so that a timeout takes the renderer and zygote processes too.
    const child = spawn(chromiumPath(), args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code });
    });
  });
}

/** Render the diagrams; resolve with what each SVG holds (reject on a Mermaid error or no result). */
export async function renderMermaid(
  diagrams: Array<{ name: string; source: string }>,
  options: RenderOptions = {},
): Promise<Record<string, RenderedDiagram>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dbkit-chromium-'));
  try {
    fs.copyFileSync(mermaidBundle(), path.join(dir, 'mermaid.min.js'));
    fs.writeFileSync(path.join(dir, 'index.html'), page(diagrams));
    const [w, h] = options.windowSize ?? [1800, 2200];
    const args = [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--no-default-browser-check',
      '--hide-scrollbars',
      `--user-data-dir=${path.join(dir, 'profile')}`,
      `--window-size=${w},${h}`,
      // Wait (in virtual time, so without sleeping) for the page's async rendering to settle.
      '--virtual-time-budget=30000',
      ...(options.screenshot ? [`--screenshot=${options.screenshot}`] : ['--dump-dom']),
      `file://${path.join(dir, 'index.html')}`,
    ];
    const r = await runChromium(args, options.timeoutMs ?? 120_000);
    if (options.screenshot) {
      if (!fs.existsSync(options.screenshot)) throw new Error(`chromium wrote no screenshot (exit ${r.code}): ${r.stderr.slice(-2000)}`);
      return {};
    }
    const m = /<pre id="result"[^>]*>([^<]*)<\/pre>/.exec(r.stdout);
    if (!m || m[1] === 'pending') {
      throw new Error(`chromium did not finish rendering (exit ${r.code}): ${m ? 'result still pending' : 'no DOM'}; stderr: ${r.stderr.slice(-2000)}`);
    }
    const result = JSON.parse(Buffer.from(m[1]!, 'base64').toString('utf8')) as { diagrams: Record<string, RenderedDiagram>; error: string | null };
    if (result.error) throw new Error(`mermaid could not render a diagram: ${result.error}`);
    return result.diagrams;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  }
}

/** The ```mermaid blocks of a Markdown document. */
export function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```mermaid\n([\s\S]*?)\n```$/gm)].map((m) => m[1]!);
}
