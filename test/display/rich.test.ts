/** Display helpers (html, markdown, svg, image, latex, raw bundles), rich reprs of collections, %%html and %%markdown. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { deflateSync } from "node:zlib";
import { isSimlabError } from "../../src/core/errors.js";
import { display, html, image, latex, markdown, mimeBundle, setDisplaySink, svg } from "../../src/display/index.js";
import { splitCell, type MagicPart } from "../../src/magics/cell.js";
import { runMagic } from "../../src/magics/registry.js";
import { recordingContext } from "../magics/context.js";

const scratch = mkdtempSync(join(tmpdir(), "simlab-display-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

const simlabError = (pattern: RegExp) => (e: unknown) => isSimlabError(e) && pattern.test(e.message);

/** A valid 1×1 PNG built from its chunks (signature, IHDR, IDAT, IEND). */
function onePixelPng(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const byte of b) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(Buffer.from([0, 255, 0, 0]))), chunk("IEND", Buffer.alloc(0))]);
}

test("html, markdown, latex and svg show as their MIME type with a text/plain fallback", () => {
  assert.equal(mimeBundle(html("<b>x</b>"))["text/html"], "<b>x</b>");
  assert.match(String(mimeBundle(html("<b>x</b>"))["text/plain"]), /HTML/);
  assert.deepEqual(mimeBundle(markdown("*a*")), { "text/markdown": "*a*", "text/plain": "*a*" });
  assert.equal(mimeBundle(latex("$x^2$"))["text/latex"], "$x^2$");
  const drawing = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>';
  assert.equal(mimeBundle(svg(drawing))["image/svg+xml"], drawing);
  assert.throws(() => svg("<p>no</p>"), simlabError(/no <svg> element/));
  assert.throws(() => html(42 as unknown as string), simlabError(/expected a string, got number/));
});

test("image() tells PNG, JPEG, GIF and SVG from their bytes, from a Buffer or a path", () => {
  const png = onePixelPng();
  const bundle = mimeBundle(image(png));
  assert.deepEqual(Buffer.from(String(bundle["image/png"]), "base64"), png);
  const path = join(scratch, "pixel.dat"); // no extension: the type comes from the bytes
  writeFileSync(path, png);
  assert.equal(mimeBundle(image(path))["image/png"], bundle["image/png"]);
  assert.ok("image/jpeg" in mimeBundle(image(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))));
  assert.ok("image/gif" in mimeBundle(image(Buffer.from("GIF89a\x01\x00\x01\x00", "latin1"))));
  const svgPath = join(scratch, "d.svg");
  writeFileSync(svgPath, '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>');
  assert.match(String(mimeBundle(image(svgPath))["image/svg+xml"]), /^<\?xml/);
  assert.throws(() => image(Buffer.from("plain text")), simlabError(/is not a PNG, JPEG, GIF or SVG image/));
  assert.throws(() => image(join(scratch, "missing.png")), simlabError(/cannot read .*missing\.png: ENOENT/));
});

test("display(bundle, { raw: true }) sends the bundle as is; a bad bundle is one clear error", () => {
  const shown: unknown[] = [];
  const previous = setDisplaySink({ display: (value) => shown.push(mimeBundle(value)), update: () => undefined });
  try {
    display({ "text/html": "<i>raw</i>", "application/json": { a: 1 } }, { raw: true });
    display({ "text/html": "<i>not raw</i>" });
    assert.deepEqual(shown[0], { "text/html": "<i>raw</i>", "application/json": { a: 1 } });
    assert.equal((shown[1] as Record<string, unknown>)["text/html"], undefined, "without raw, an object is a value");
    assert.throws(() => display("text", { raw: true }), simlabError(/expected a MIME bundle object/));
    assert.throws(() => display({ html: "x" }, { raw: true }), simlabError(/'html' is not a MIME type/));
    assert.throws(() => display({ "text/html": 1 }, { raw: true }), simlabError(/text\/html must be a string/));
  } finally {
    setDisplaySink(previous);
  }
});

test("Map, Set, typed arrays and arrays of records display as HTML with the inspect text as text/plain", () => {
  const map = mimeBundle(new Map<string, number>([["a", 1], ["b<", 2]]));
  assert.match(String(map["text/html"]), /Map\(2\).*<th>key<\/th><th>value<\/th>.*<td>b&lt;<\/td><td>2<\/td>/s);
  assert.equal(map["text/plain"], "Map(2) { 'a' => 1, 'b<' => 2 }");
  const set = mimeBundle(new Set([1, 2, 3]));
  assert.match(String(set["text/html"]), /Set\(3\).*<li>1<\/li><li>2<\/li><li>3<\/li>/s);
  const typed = mimeBundle(Float64Array.from({ length: 50 }, (_, i) => i / 2));
  assert.match(String(typed["text/html"]), /Float64Array, length 50, min 0, max 24\.5/);
  assert.match(String(typed["text/html"]), /\[0, 0\.5, 1,.*, …\]/);
  const records = mimeBundle([{ order: "ijk", ms: 1.5 }, { order: "ikj", ms: 0.75, note: "best" }]);
  assert.match(String(records["text/html"]), /<th>order<\/th><th>ms<\/th><th>note<\/th>.*<td>ikj<\/td><td>0\.75<\/td><td>best<\/td>/s);
  assert.match(String(records["text/plain"]), /order: 'ijk'/);
  assert.deepEqual(Object.keys(mimeBundle([1, 2, 3])), ["text/plain"], "arrays of numbers stay text");
  assert.deepEqual(Object.keys(mimeBundle("s")), ["text/plain"]);
});

test("%%html and %%markdown show the cell body", async () => {
  const { ctx } = recordingContext();
  const htmlPart = splitCell("%%html\n<b>hi</b>")[0] as MagicPart;
  assert.equal(mimeBundle((await runMagic(htmlPart, ctx)).value)["text/html"], "<b>hi</b>");
  const mdPart = splitCell("%%markdown\n# Title")[0] as MagicPart;
  assert.equal(mimeBundle((await runMagic(mdPart, ctx)).value)["text/markdown"], "# Title");
});
