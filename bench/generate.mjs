// Generates benchmark inputs: package schemas shaped like real provider
// schemas (many resources with properties and long descriptions), written
// as a stream so that the generator itself stays small, and a template
// folder of many small files and a few large ones. Output is deterministic.
import { createWriteStream, mkdirSync, writeFileSync } from "node:fs";
import { once } from "node:events";
import path from "node:path";

const WORDS = (
  "the resource manages a cloud network bucket instance policy role " +
  "attachment subnet gateway route table cluster node pool identity key " +
  "vault secret storage account queue topic subscription endpoint zone " +
  "record certificate listener target group rule alarm metric dashboard"
).split(" ");

/** A small deterministic generator (mulberry32), so files repeat byte for byte. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sentence(next, words) {
  const out = [];
  for (let i = 0; i < words; i++)
    out.push(WORDS[Math.floor(next() * WORDS.length)]);
  return out.join(" ");
}

function description(next) {
  // Real descriptions are markdown with examples, escapes and unicode.
  return (
    `${sentence(next, 30)}.\\n\\n## Example Usage\\n\\n\`\`\`typescript\\n` +
    `import * as pulumi from \\"@pulumi/pulumi\\";\\n` +
    `const example = new Resource(\\"example\\", { name: \\"${sentence(next, 2)}\\" });\\n` +
    `\`\`\`\\n\\n${sentence(next, 60)} \\u003e note \\u2014 ${sentence(next, 40)}.`
  );
}

function property(next, i) {
  const kinds = [
    '"type": "string"',
    '"type": "integer"',
    '"type": "boolean"',
    '"type": "array", "items": {"type": "string"}',
    '"$ref": "#/types/bench:index/Settings:Settings"',
  ];
  return `"prop${i}": {${kinds[i % kinds.length]}, "description": "${sentence(next, 25)}"}`;
}

function resource(next, n) {
  const props = [];
  const count = 8 + Math.floor(next() * 16);
  for (let i = 0; i < count; i++) props.push(property(next, i));
  const body = props.join(",\n        ");
  return (
    `    "bench:mod${n % 50}/resource${n}:Resource${n}": {\n` +
    `      "description": "${description(next)}",\n` +
    `      "properties": {\n        ${body}\n      },\n` +
    `      "inputProperties": {\n        ${body}\n      },\n` +
    `      "requiredInputs": ["prop0", "prop1"],\n` +
    `      "stateInputs": {"description": "Input properties used for looking up and filtering Resource${n} resources.", "properties": {\n        ${body}\n      }, "type": "object"}\n` +
    `    }`
  );
}

/** Writes a schema of about `bytes` bytes to `file`; returns its size. */
export async function writeSchema(file, bytes, seed = 1) {
  const next = random(seed);
  const out = createWriteStream(file);
  let written = 0;
  const write = async (text) => {
    written += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, "drain");
  };
  await write(
    `{\n  "name": "bench",\n  "displayName": "Bench",\n  "version": "1.2.3",\n` +
      `  "publisher": "Bench Corp",\n  "description": "A schema generated for the benchmark.",\n` +
      `  "keywords": ["pulumi", "bench", "category/cloud"],\n` +
      `  "repository": "https://github.com/example/pulumi-bench",\n` +
      `  "language": {"nodejs": {"packageName": "@example/bench"}},\n` +
      `  "types": {\n    "bench:index/Settings:Settings": {"type": "object", "properties": {"mode": {"type": "string"}}}\n  },\n` +
      `  "resources": {\n`,
  );
  let n = 0;
  const reserve = 600; // the closing part below
  while (written < bytes - reserve) {
    await write(`${n === 0 ? "" : ",\n"}${resource(next, n++)}`);
  }
  await write(
    `\n  },\n  "functions": {},\n` +
      `  "parameterization": {"baseProvider": {"name": "terraform-provider", "version": "0.10.0"}, ` +
      `"parameter": "eyJyZW1vdGUiOnsidXJsIjoiYmVuY2gifX0="}\n}\n`,
  );
  out.end();
  await once(out, "finish");
  return written;
}

/**
 * Writes a template folder: Pulumi.yaml, README.md, `small` small source
 * files in nested folders and `large` files of `largeBytes` each.
 */
export function writeTemplate(
  dir,
  { small = 5000, large = 3, largeBytes = 8 << 20 } = {},
) {
  const next = random(7);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    "name: bench-template\nruntime: nodejs\ndescription: A benchmark template\n" +
      "template:\n  description: A template with many files\n",
  );
  writeFileSync(
    path.join(dir, "README.md"),
    "# Bench template\n\nMany files.\n",
  );
  for (let i = 0; i < small; i++) {
    const sub = path.join(dir, "src", `group${i % 50}`, `part${i % 7}`);
    if (i < 350) mkdirSync(sub, { recursive: true });
    const lines = [];
    const count = 5 + Math.floor(next() * 40);
    for (let l = 0; l < count; l++)
      lines.push(`export const v${l} = "${sentence(next, 8)}";`);
    writeFileSync(path.join(sub, `file${i}.ts`), lines.join("\n") + "\n");
  }
  const assets = path.join(dir, "assets");
  mkdirSync(assets, { recursive: true });
  for (let i = 0; i < large; i++) {
    // Half text-like (compressible), half random (not), as real assets are.
    const buf = Buffer.alloc(largeBytes);
    for (let b = 0; b < largeBytes; b += 4)
      buf.writeUInt32LE(Math.floor(next() * 2 ** 32), b);
    const text = Buffer.from(sentence(next, 5000));
    for (let b = 0; b < largeBytes / 2; b += text.length)
      text.copy(buf, b, 0, Math.min(text.length, largeBytes / 2 - b));
    writeFileSync(path.join(assets, `blob${i}.bin`), buf);
  }
}
