// The layer map of lib/ (docs/layers.md) as an ESLint rule: a module may
// import from its own layer and the layers below, never from one above, and
// lib/ never imports the app, the components or the scripts.
import path from "node:path";

/** The layers from the bottom: each is a folder of lib/, and a module's layer is the folder it sits in. */
export const LAYERS = ["foundation", "platform", "records", "derived", "ledger", "features"];

const LIB = path.resolve("lib");
const OUTSIDE_LIB = ["app", "components", "scripts"].map((folder) => path.resolve(folder));

/** "records/logs/ingest" for lib/records/logs/ingest.ts; null outside lib/. */
function moduleOf(file) {
  const relative = path.relative(LIB, file);
  if (relative.startsWith("..") || path.isAbsolute(relative)) return null;
  return relative.replace(/\.(tsx?|mjs|js)$/, "").replace(/\/index$/, "");
}

function layerOf(modulePath) {
  const name = modulePath.split("/")[0];
  return { name, index: LAYERS.indexOf(name) };
}

function resolveSpecifier(specifier, fromFile) {
  if (specifier.startsWith("@/")) return path.resolve(specifier.slice(2));
  if (specifier.startsWith(".")) return path.resolve(path.dirname(fromFile), specifier);
  return null;
}

const rule = {
  meta: {
    type: "problem",
    docs: { description: "imports in lib/ point down the layer map (docs/layers.md)" },
    schema: [],
  },
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
        context.report({
          node: node.source,
          message: `lib/ must not import ${specifier}: the app, components and scripts sit above every layer`,
        });
        return;
      }
      const imported = moduleOf(target);
      if (imported === null) return;
      const to = layerOf(imported);
      if (from.index === -1 || to.index === -1) {
        context.report({
          node: node.source,
          message: `lib/${from.index === -1 ? source : imported} sits in no layer folder (${LAYERS.join(", ")}; docs/layers.md)`,
        });
      } else if (to.index > from.index) {
        context.report({
          node: node.source,
          message: `lib/${source} (${from.name}) imports lib/${imported} (${to.name}), a layer above it; imports point down the map in docs/layers.md`,
        });
      }
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

const layersPlugin = { rules: { "no-upward-import": rule } };
export default layersPlugin;
