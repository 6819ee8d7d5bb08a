// YAML for synthesized manifests. The objects are plain JSON (maps, lists, strings, numbers,
// booleans, null), so a small block-style emitter suffices — and it is ~20x faster than building a
// YAML document model, which dominated `synth` time for 1,000 tenants (test/bench/synth.bench.ts).
// Safety rule: a string is written plain only when it cannot be read back as anything else;
// multi-line text uses a literal block when that round-trips exactly, else a JSON (double-quoted)
// scalar, which YAML reads verbatim. Round-trip tests parse the output with the `yaml` package.

type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

// Plain scalars: start with a letter, digit, '/' or '_', then only characters that carry no
// YAML meaning; ": " and " #" can then never occur. Values YAML would resolve to another type
// (true, null, 0x1F, 1e3, .inf, …) are quoted below.
const PLAIN = /^[A-Za-z0-9_/][A-Za-z0-9_./@%+=-]*(?: [A-Za-z0-9_./@%+=()-]+)*$/;
const NOT_STRING = /^(?:true|false|yes|no|on|off|y|n|null|~|[-+]?(?:\.inf|\.nan)|[-+]?(?:\d[\d_]*)?(?:\.\d*)?(?:e[-+]?\d+)?|0x[0-9a-f_]+|0o[0-7_]+|0b[01_]+|[-+]?\d[\d_]*(?::[0-5]?\d)+(?:\.\d*)?)$/i;
// Text a literal block keeps byte for byte: no CR or other control characters or Unicode line
// separators, no leading space (it would need an indentation indicator), no trailing spaces on a
// line, at most one final newline.
const LITERAL_SAFE = /^[^\s\x00-\x1f\x7f](?:[^\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029\ufeff]*[^\s\x00-\x1f\x7f])?\n?$/;

function scalar(value: string): string {
  return PLAIN.test(value) && !NOT_STRING.test(value) ? value : JSON.stringify(value);
}

function literalBlock(value: string, indent: string): string | undefined {
  if (!value.includes('\n') || !LITERAL_SAFE.test(value) || /[ \t]\n/.test(value)) return undefined;
  const body = value.endsWith('\n') ? value.slice(0, -1) : value;
  const lines = body.split('\n').map((line) => (line === '' ? '' : `${indent}${line}`));
  return `${value.endsWith('\n') ? '|' : '|-'}\n${lines.join('\n')}`;
}

function isCollection(v: Json): v is readonly Json[] | { readonly [key: string]: Json } {
  return typeof v === 'object' && v !== null && (Array.isArray(v) ? v.length > 0 : Object.keys(v).length > 0);
}

/** A value after `key:` or `- `: inline scalar / empty collection, or a block on the next lines. */
function inline(value: Json, indent: string): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return literalBlock(value, `${indent}  `) ?? scalar(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`manifest YAML: cannot write the number ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? '[]' : '{}';
}

function emit(value: Json, indent: string, out: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value as readonly Json[]) {
      if (isCollection(item)) {
        // `- ` then the first line of the nested block on the same line.
        const nested: string[] = [];
        emit(item, `${indent}  `, nested);
        out.push(`${indent}- ${(nested[0] as string).slice(indent.length + 2)}`, ...nested.slice(1));
      } else out.push(`${indent}- ${inline(item, indent)}`);
    }
    return;
  }
  for (const [key, item] of Object.entries(value as { readonly [key: string]: Json })) {
    if (item === undefined) continue;
    if (isCollection(item)) {
      out.push(`${indent}${scalar(key)}:`);
      // Lists under a key sit at the key's indentation (the common Kubernetes style).
      emit(item, Array.isArray(item) ? indent : `${indent}  `, out);
    } else out.push(`${indent}${scalar(key)}: ${inline(item, indent)}`);
  }
}

/** One YAML document (no `---`), block style, for a JSON-compatible object. */
export function manifestYaml(object: { readonly [key: string]: unknown }): string {
  const out: string[] = [];
  emit(object as { readonly [key: string]: Json }, '', out);
  return `${out.join('\n')}\n`;
}
