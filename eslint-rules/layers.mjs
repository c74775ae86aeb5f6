// The layer map of lib/ (docs/layers.md) as an ESLint rule: a module may
// import from its own layer and the layers below, never from one above, and
// lib/ never imports the app, the components or the scripts.
import path from "node:path";

/** Layers from the bottom; a folder's modules sit on its layer unless MODULES places one elsewhere. */
export const LAYERS = [
  { name: "foundation", folders: ["util", "net", "config"] },
  { name: "storage and HTTP primitives", folders: ["db", "http"] },
  { name: "records", folders: ["logs", "integrity", "audit", "auth", "anomaly", "syslog"] },
  { name: "derived data", folders: ["derived", "search", "rollups", "alerts"] },
  { name: "ledger", folders: ["ledger"] },
  { name: "features", folders: ["dashboard", "explorer", "import", "backup", "retention", "generators", "startup", "otlp", "openapi", "elasticsearch"] },
];

// Modules that import nothing of ours above their layer, used from below their folder's.
const MODULES = {
  "anomaly/config": "foundation",
  "anomaly/networks": "foundation",
  "anomaly/local-time": "foundation",
  "import/legacy-hash": "foundation",
  // The request wrappers authenticate and record who acted.
  "http/handler": "features",
  "http/actor": "features",
  "http/ingest-request": "features",
};

const LIB = path.resolve("lib");
const OUTSIDE_LIB = ["app", "components", "scripts"].map((folder) => path.resolve(folder));

/** "logs/ingest" for lib/logs/ingest.ts; null outside lib/. */
function moduleOf(file) {
  const relative = path.relative(LIB, file);
  if (relative.startsWith("..") || path.isAbsolute(relative)) return null;
  return relative.replace(/\.(tsx?|mjs|js)$/, "").replace(/\/index$/, "");
}

function layerOf(modulePath) {
  const name = MODULES[modulePath] ?? LAYERS.find((layer) => layer.folders.includes(modulePath.split("/")[0]))?.name;
  return { name, index: LAYERS.findIndex((layer) => layer.name === name) };
}

function resolveSpecifier(specifier, fromFile) {
  if (specifier.startsWith("@/")) return path.resolve(specifier.slice(2));
  if (specifier.startsWith(".")) return path.resolve(path.dirname(fromFile), specifier);
  return null;
}

const rule = {
  meta: { type: "problem", docs: { description: "imports in lib/ point down the layer map (docs/layers.md)" }, schema: [] },
  create(context) {
    const source = moduleOf(context.filename);
    if (source === null) return {};
    const from = layerOf(source);
    const check = (node) => {
      const specifier = node.source?.value;
      if (typeof specifier !== "string") return;
      const target = resolveSpecifier(specifier, context.filename);
      if (target === null) return;
      if (OUTSIDE_LIB.some((folder) => target === folder || target.startsWith(folder + path.sep))) {
        context.report({ node: node.source, message: `lib/ must not import ${specifier}: the app, components and scripts sit above every layer` });
        return;
      }
      const imported = moduleOf(target);
      if (imported === null) return;
      const to = layerOf(imported);
      if (from.index === -1 || to.index === -1) {
        context.report({ node: node.source, message: `lib/${from.index === -1 ? source : imported} has no layer in eslint-rules/layers.mjs (docs/layers.md)` });
      } else if (to.index > from.index) {
        context.report({ node: node.source, message: `lib/${source} (${from.name}) imports lib/${imported} (${to.name}), a layer above it; imports point down the map in docs/layers.md` });
      }
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};

const layersPlugin = { rules: { "no-upward-import": rule } };
export default layersPlugin;
