import type { ESLint } from "eslint";

declare const layersPlugin: ESLint.Plugin;
export default layersPlugin;
