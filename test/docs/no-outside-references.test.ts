import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SELF = path
  .relative(ROOT, import.meta.filename)
  .split(path.sep)
  .join('/');

/**
 * Design notes that lived beside the repository, never in it. Code and docs cite `docs/…` instead.
 * Written in pieces so that this file does not cite them itself.
 */
const OUTSIDE = new RegExp(
  [
    String.raw`(?<![\w/.-])(?:DESIGN|API|STYLE|SCALE-OUT|SQLSERVER-ORACLE(?:-CONTRACT)?)\.md\b`,
    `SYNCHDB-${'SPEC'}`,
    `/work/${'shared'}`,
  ].join('|'),
  'g',
);
const DOCS_PATH = /(?<![\w.-])docs\/[\w./-]*\w\.md\b/g;

interface Line {
  readonly file: string;
  readonly number: number;
  readonly text: string;
}

function trackedTextFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0');
  return listed.filter((file) => {
    if (file === '' || file === SELF) return false;
    const full = path.join(ROOT, file);
    if (!existsSync(full) || !statSync(full).isFile() || statSync(full).size > 2_000_000) return false;
    return !readFileSync(full).includes(0);
  });
}

function lines(file: string): Line[] {
  return readFileSync(path.join(ROOT, file), 'utf8')
    .split('\n')
    .map((text, index) => ({ file, number: index + 1, text }));
}

const where = (line: Line, what: string) => `${line.file}:${line.number}: ${what}`;

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens, -n if repeated. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of withoutFences(markdown.split('\n'))) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading?.[1]) continue;
    const text = heading[1].replace(/`/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** The lines outside fenced code blocks, blank in their place so line numbers hold. */
function withoutFences(source: readonly string[]): string[] {
  let fenced = false;
  return source.map((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return '';
    }
    return fenced ? '' : line;
  });
}

/** Relative link targets of a markdown file, with the line each is on (inline code ignored). */
function relativeLinks(file: string): { line: Line; target: string }[] {
  const source = readFileSync(path.join(ROOT, file), 'utf8').split('\n');
  const links: { line: Line; target: string }[] = [];
  withoutFences(source).forEach((text, index) => {
    const prose = text.replace(/`[^`]*`/g, '');
    for (const match of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = match[1] ?? '';
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
      links.push({ line: { file, number: index + 1, text }, target });
    }
  });
  return links;
}

function brokenLink(file: string, target: string): string | null {
  const [pathPart = '', anchor] = target.split('#', 2);
  const resolved =
    pathPart === '' ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), pathPart));
  if (resolved.startsWith('..')) return `${target} points outside the repository`;
  const full = path.join(ROOT, resolved);
  if (!existsSync(full)) return `${target} does not exist (${resolved})`;
  if (anchor && resolved.endsWith('.md') && !headingAnchors(readFileSync(full, 'utf8')).has(anchor)) {
    return `${target}: ${resolved} has no heading #${anchor}`;
  }
  return null;
}

const files = trackedTextFiles();
const markdown = files.filter(
  (file) => file === 'README.md' || /^docs\/[^/]+\.md$/.test(file) || /^plugins\/.+\/README\.md$/.test(file),
);

describe('references in the repository', () => {
  it('cites no design note kept outside the repository', () => {
    const found = files
      .flatMap(lines)
      .flatMap((line) =>
        [...line.text.matchAll(OUTSIDE)].map((match) => where(line, `cites ${match[0]}; use docs/ instead`)),
      );
    expect(found).toEqual([]);
  });

  it('cites only docs/ files that exist', () => {
    const found = files
      .flatMap(lines)
      .flatMap((line) =>
        [...line.text.matchAll(DOCS_PATH)]
          .filter((match) => !existsSync(path.join(ROOT, match[0])))
          .map((match) => where(line, `${match[0]} does not exist`)),
      );
    expect(found).toEqual([]);
  });

  it('has relative markdown links that reach an existing file and heading', () => {
    expect(markdown).toContain('README.md');
    expect(markdown).toContain('docs/architecture.md');
    const found = markdown.flatMap((file) =>
      relativeLinks(file).flatMap(({ line, target }) => {
        const problem = brokenLink(file, target);
        return problem ? [where(line, problem)] : [];
      }),
    );
    expect(found).toEqual([]);
  });
});

describe('the reference checks themselves', () => {
  it('recognise a cited design note but not the docs/ page of the same name', () => {
    const cited = ['see API.md', `SYNCHDB-${'SPEC'} §4.6`, 'docs/api.md', 'plugins/mysql/README.md'].map(
      (text) => (text.match(OUTSIDE) ?? []).length,
    );
    expect(cited).toEqual([1, 1, 0, 0]);
  });

  it('compute GitHub heading anchors', () => {
    const anchors = headingAnchors(
      "# The engine's rules\n```\n# not a heading\n```\n### 4.6 Default data type maps (source type → PG type [size rule])\n## A\n## A",
    );
    expect([...anchors]).toEqual([
      'the-engines-rules',
      '46-default-data-type-maps-source-type--pg-type-size-rule',
      'a',
      'a-1',
    ]);
  });

  it('report a link to a missing file or heading', () => {
    expect(brokenLink('README.md', 'docs/architecture.md#layout')).toBeNull();
    expect(brokenLink('README.md', 'docs/nowhere.md')).toMatch(/does not exist/);
    expect(brokenLink('README.md', 'docs/architecture.md#nowhere')).toMatch(/no heading #nowhere/);
    expect(brokenLink('plugins/mysql/README.md', '../../../outside.md')).toMatch(/outside the repository/);
  });
});
